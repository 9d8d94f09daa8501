import json
import uuid

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.annonay_loyalty.services import money_engine as engine


class LoyaltyApiEvent(models.Model):
    """The transactional outbox of the webhooks: one row per event.

    Written by the same transaction as what it reports (an operation, an
    enrolment, a settlement...), with one pending delivery per subscribed
    endpoint, in one statement: a rolled-back operation leaves no event, a
    committed one always has its deliveries. The delivery cron sends them.
    """

    _name = "loyalty.api.event"
    _description = "Loyalty Webhook Event"
    _order = "id desc"
    _rec_name = "uid"

    uid = fields.Char(string="Event ID", required=True, readonly=True, index=True)
    event_type = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    merchant_id = fields.Many2one("loyalty.network.merchant", readonly=True, index=True)
    wallet_id = fields.Many2one("loyalty.network.wallet", readonly=True)
    entry_id = fields.Many2one("loyalty.network.entry", readonly=True, index="btree_not_null")
    payload = fields.Text(readonly=True)
    delivery_ids = fields.One2many("loyalty.api.delivery", "event_id", readonly=True)

    @api.model
    def _emit(self, code, company, data, merchant=None, wallet=None, entry=None):
        """Write event ``code`` and its deliveries in the current transaction
        (nothing, and no query, when no endpoint subscribes to it)."""
        merchant_id = merchant.id if merchant else None
        webhook_ids = self.env["loyalty.api.webhook"]._get_subscribers(
            company.id, merchant_id, code
        )
        if not webhook_ids:
            return False
        rules = engine.NetworkRules.of(company)
        uid = str(uuid.uuid4())
        payload = json.dumps(
            {
                "id": uid,
                "type": code,
                "created": rules.local_datetime(fields.Datetime.now()).isoformat(),
                "data": data,
            },
            separators=(",", ":"),
            sort_keys=True,
        )
        self.env.cr.execute(
            SQL(
                """
                WITH event AS (
                    INSERT INTO loyalty_api_event (uid, event_type, company_id, merchant_id,
                        wallet_id, entry_id, payload, create_uid, create_date, write_uid,
                        write_date)
                    VALUES (%(uid)s, %(code)s, %(company)s, %(merchant)s, %(wallet)s, %(entry)s,
                        %(payload)s, %(user)s, now() AT TIME ZONE 'utc', %(user)s,
                        now() AT TIME ZONE 'utc')
                    RETURNING id
                )
                INSERT INTO loyalty_api_delivery (event_id, webhook_id, wallet_id, state,
                    attempt_count, next_attempt_date, create_uid, create_date, write_uid,
                    write_date)
                SELECT event.id, webhook.id, %(wallet)s, 'pending', 0,
                       now() AT TIME ZONE 'utc', %(user)s, now() AT TIME ZONE 'utc', %(user)s,
                       now() AT TIME ZONE 'utc'
                  FROM event, unnest(%(webhooks)s::int[]) AS webhook(id)
                """,
                uid=uid,
                code=code,
                company=company.id,
                merchant=merchant_id,
                wallet=wallet.id if wallet else None,
                entry=entry.id if entry else None,
                payload=payload,
                user=self.env.uid,
                webhooks=webhook_ids,
            )
        )
        return uid

    @api.model
    def _entry_data(self, entry):
        """What an operation event says: the shop's operation, no holder's name."""
        # Called right after the wallet service posted ``entry``: its figures are
        # read as the system to describe it to the subscribed endpoints.
        entry = entry.sudo()
        service = self.env["loyalty.api.service"]
        rules = engine.NetworkRules.of(entry.company_id)
        return {
            "reference": entry.source_ref.removeprefix("api:"),
            "entry_type": entry.entry_type,
            "shop_id": entry.merchant_id.id or None,
            "wallet_id": entry.wallet_id.id,
            "card_number": entry.card_id.masked_number or None,
            "date": rules.local_datetime(entry.date).isoformat(),
            "amount": service._api_fmt(rules, entry.amount),
            "purchase_amount": service._api_fmt(rules, entry.purchase_amount),
            "balance_after": service._api_fmt(rules, entry.balance_after),
            "currency": rules.currency.name,
        }
