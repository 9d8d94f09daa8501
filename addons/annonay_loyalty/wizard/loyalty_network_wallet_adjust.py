import uuid

from odoo import fields, models


class LoyaltyNetworkWalletAdjust(models.TransientModel):
    _name = "loyalty.network.wallet.adjust"
    _description = "Adjust a Loyalty Wallet"

    wallet_id = fields.Many2one("loyalty.network.wallet", required=True, readonly=True)
    currency_id = fields.Many2one(related="wallet_id.currency_id")
    balance = fields.Monetary(related="wallet_id.balance")
    amount = fields.Monetary(required=True, help="Positive to credit, negative to debit.")
    reason = fields.Char(required=True)
    # One reference per wizard: a double click posts once.
    source_ref = fields.Char(
        required=True, readonly=True, default=lambda self: f"adjustment/{uuid.uuid4()}"
    )

    def action_confirm(self):
        self.ensure_one()
        self.wallet_id._adjust(self.amount, self.reason, self.source_ref)
        return {"type": "ir.actions.act_window_close"}
