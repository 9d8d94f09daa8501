from odoo import api, models
from odoo.tools import SQL


class LoyaltyNetworkWallet(models.Model):
    """Webhook events of the wallet service's operations, written in the
    operation's own transaction (outbox): a replay emits nothing new."""

    _inherit = "loyalty.network.wallet"

    @api.model
    def _credit_purchase(self, *args, **kwargs):
        return self._emit_operation_posted(super()._credit_purchase(*args, **kwargs))

    @api.model
    def _spend(self, *args, **kwargs):
        return self._emit_operation_posted(super()._spend(*args, **kwargs))

    @api.model
    def _refund(self, *args, **kwargs):
        return self._emit_operation_posted(super()._refund(*args, **kwargs))

    def _adjust(self, *args, **kwargs):
        return self._emit_operation_posted(super()._adjust(*args, **kwargs))

    @api.model
    def _forfeit_inactive_wallets(self, company, today=None):
        count = super()._forfeit_inactive_wallets(company, today=today)
        Event = self.env["loyalty.api.event"]
        if count and Event.env["loyalty.api.webhook"]._get_subscribers(
            company.id, None, "wallet.forfeited"
        ):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT e.id FROM loyalty_network_entry e
                     WHERE e.company_id = %s AND e.entry_type = 'forfeit'
                       AND e.create_date >= now() AT TIME ZONE 'utc' - interval '1 day'
                       AND NOT EXISTS (SELECT 1 FROM loyalty_api_event ev
                                        WHERE ev.entry_id = e.id)
                    """,
                    company.id,
                )
            )
            entries = (
                self.env["loyalty.network.entry"]
                .sudo()
                .browse([row[0] for row in self.env.cr.fetchall()])
            )
            for entry in entries:
                Event._emit(
                    "wallet.forfeited",
                    company,
                    Event._entry_data(entry),
                    wallet=entry.wallet_id,
                    entry=entry,
                )
        return count

    @api.model
    def _emit_operation_posted(self, entry):
        if entry and not self.env["loyalty.api.service"]._api_is_replay(entry):
            # The entry was just posted by the caller's operation: its shop and
            # wallet are read as the system to route the event.
            posted = entry.sudo()
            Event = self.env["loyalty.api.event"]
            if Event.env["loyalty.api.webhook"]._get_subscribers(
                posted.company_id.id, posted.merchant_id.id or None, "operation.posted"
            ):
                Event._emit(
                    "operation.posted",
                    posted.company_id,
                    Event._entry_data(posted),
                    merchant=posted.merchant_id,
                    wallet=posted.wallet_id,
                    entry=posted,
                )
        return entry
