import hashlib
import hmac
import logging
import time
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
MAX_BACKOFF = 6 * 3600  # seconds
BATCH = 50


def sign(secret, timestamp, body):
    """The ``X-Loyalty-Signature`` header of ``body`` (text) sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class LoyaltyApiDelivery(models.Model):
    """One event to one endpoint: at-least-once, retried with exponential backoff.

    Deliveries of one wallet to one endpoint go in the order of the events: a
    delivery waiting for a retry (or given up, until it is re-sent or
    discarded) holds back the later events of the same wallet.
    """

    _name = "loyalty.api.delivery"
    _description = "Loyalty Webhook Delivery"
    _order = "id desc"

    event_id = fields.Many2one("loyalty.api.event", required=True, readonly=True, index=True)
    webhook_id = fields.Many2one(
        "loyalty.api.webhook", required=True, readonly=True, index=True, ondelete="cascade"
    )
    merchant_id = fields.Many2one(related="webhook_id.merchant_id", string="Shop")
    wallet_id = fields.Many2one("loyalty.network.wallet", readonly=True)
    event_uid = fields.Char(related="event_id.uid")
    event_type = fields.Char(related="event_id.event_type")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Delivered"),
            ("failed", "Given Up"),
            ("cancelled", "Discarded"),
        ],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    attempt_count = fields.Integer(readonly=True)
    next_attempt_date = fields.Datetime(readonly=True)
    last_attempt_date = fields.Datetime(readonly=True)
    last_status = fields.Char(readonly=True, help="HTTP status or error of the last attempt.")
    log = fields.Text(readonly=True)

    _due_idx = models.Index("(next_attempt_date, event_id) WHERE state = 'pending'")
    _order_idx = models.Index(
        "(webhook_id, wallet_id, event_id) WHERE state IN ('pending', 'failed')"
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_resend(self):
        """Send again now (staff): a delivered event is sent once more."""
        self.write({"state": "pending", "next_attempt_date": fields.Datetime.now()})
        self.env.ref("loyalty_api.ir_cron_loyalty_api_deliver_webhooks")._trigger()
        return True

    def action_discard(self):
        """Give up this delivery: later events of its wallet are no longer held back."""
        self.filtered(lambda d: d.state in ("pending", "failed")).write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_deliver(self):
        """Send the due deliveries, committing after each one (Odoo 19 cron API)."""
        while True:
            deliveries = self._get_due_deliveries()
            if not deliveries:
                return
            for delivery in deliveries:
                delivery._send()
                if self.env["ir.cron"]._commit_progress(1) <= 0:
                    return

    @api.model
    def _get_due_deliveries(self, limit=BATCH):
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT d.id
                  FROM loyalty_api_delivery d
                 WHERE d.state = 'pending'
                   AND d.next_attempt_date <= clock_timestamp() AT TIME ZONE 'utc'
                   AND NOT EXISTS (
                        SELECT 1 FROM loyalty_api_delivery earlier
                         WHERE earlier.webhook_id = d.webhook_id
                           AND earlier.wallet_id = d.wallet_id
                           AND earlier.event_id < d.event_id
                           AND earlier.state IN ('pending', 'failed'))
                 ORDER BY d.event_id
                 LIMIT %s
                 FOR UPDATE OF d SKIP LOCKED
                """,
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _send(self):
        """One attempt: POST the signed event; on failure, retry later."""
        self.ensure_one()
        webhook, event = self.webhook_id, self.event_id
        ICP = self.env["ir.config_parameter"].sudo()
        timeout = float(ICP.get_param("loyalty_api.webhook_timeout", "10"))
        body = event.payload
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Annonay-Loyalty-Webhooks/1",
            "X-Loyalty-Event-Id": event.uid,
            "X-Loyalty-Event-Type": event.event_type,
            "X-Loyalty-Signature": sign(webhook.secret, timestamp, body),
        }
        now = fields.Datetime.now()
        try:
            if not webhook.active or not webhook._is_valid_url(webhook.url):
                raise requests.RequestException(self.env._("endpoint inactive or not https"))
            if not webhook._check_resolves_to_public_addresses():
                raise requests.RequestException(self.env._("endpoint address not public"))
            response = requests.post(
                webhook.url,
                data=body.encode(),
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            )
            ok, status = 200 <= response.status_code < 300, f"HTTP {response.status_code}"
        except requests.RequestException as error:
            ok, status = False, type(error).__name__
            if type(error) is requests.RequestException and error.args:
                status = str(error.args[0])
        except Exception as error:  # never let one delivery stop the others
            _logger.warning("Webhook delivery %s failed: %s", self.id, error)
            ok, status = False, type(error).__name__
        attempts = self.attempt_count + 1
        vals = {
            "attempt_count": attempts,
            "last_attempt_date": now,
            "last_status": status,
            "log": (self.log or "") + f"{now} #{attempts}: {status}\n",
        }
        if ok:
            vals["state"] = "done"
        elif attempts >= MAX_ATTEMPTS:
            vals["state"] = "failed"
        else:
            base = float(ICP.get_param("loyalty_api.webhook_backoff_seconds", "30"))
            delay = min(base * 2 ** (attempts - 1), MAX_BACKOFF)
            vals["next_attempt_date"] = now + timedelta(seconds=delay)
        self.write(vals)
        return ok
