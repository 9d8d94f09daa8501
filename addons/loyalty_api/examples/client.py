"""A till's client of the Annonay+ loyalty API (v1), with only `requests`.

LOYALTY_URL=https://loyalty.example LOYALTY_KEY=... python client.py 2990001234567
"""

import os
import sys
import uuid

import requests

URL = os.environ.get("LOYALTY_URL", "http://localhost:8069") + "/loyalty/api/v1"
SESSION = requests.Session()
SESSION.headers["Authorization"] = "Bearer " + os.environ["LOYALTY_KEY"]


def call(method, path, body=None, reference=None):
    headers = {"Idempotency-Key": reference} if reference else {}
    for _attempt in range(3):  # same key: a retry never records twice
        answer = SESSION.request(method, URL + path, json=body, headers=headers, timeout=10)
        if answer.status_code not in (429, 503):
            break
    if answer.status_code >= 400:
        problem = answer.json()  # application/problem+json
        raise SystemExit(f"{problem['code']}: {problem['detail']}")
    return answer.json()


card = sys.argv[1]
print("holder:", call("GET", f"/cards/{card}?presented=true")["holder"])
sale = f"sale-{uuid.uuid4().hex[:12]}"
credit = call("POST", "/credits", {"card_number": card, "amount": "42.50"}, reference=sale)
print("credited", credit["amount"], "balance", credit["balance_after"], credit["date"])
print("today:", call("GET", "/summary")["operations"]["credit"])
