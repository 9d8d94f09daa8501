"""Verify a webhook delivery of the Annonay+ loyalty network (standard library only)."""

import hashlib
import hmac
import time

TOLERANCE = 300  # seconds: older (or future) deliveries are refused as replays


def verify(secret, signature_header, body, tolerance=TOLERANCE, now=None):
    """True if ``body`` (bytes, as received) was signed with ``secret`` less than
    ``tolerance`` seconds ago. ``signature_header``: X-Loyalty-Signature."""
    try:
        parts = dict(item.split("=", 1) for item in signature_header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))
