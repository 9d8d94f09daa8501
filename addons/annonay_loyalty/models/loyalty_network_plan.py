from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltyNetworkPlan(models.Model):
    _name = "loyalty.network.plan"
    _description = "Loyalty Network Rate Plan"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cardholder_rate = fields.Float(
        string="Cardholder Rate (%)",
        required=True,
        help="Share of the purchase (incl. taxes) credited to the holder's wallet.",
    )
    network_fee_rate = fields.Float(
        string="Network Fee Rate (%)",
        required=True,
        help="Share of the purchase kept by the association.",
    )
    merchant_rate = fields.Float(
        string="Merchant Rate (%)",
        compute="_compute_merchant_rate",
        store=True,
        help="What the merchant owes the network: cardholder rate + network fee rate.",
    )

    _cardholder_rate_range = models.Constraint(
        "CHECK(cardholder_rate >= 0 AND cardholder_rate <= 100)",
        "The cardholder rate must be between 0 and 100 %.",
    )
    _network_fee_rate_range = models.Constraint(
        "CHECK(network_fee_rate >= 0 AND network_fee_rate <= 100)",
        "The network fee rate must be between 0 and 100 %.",
    )

    @api.depends("cardholder_rate", "network_fee_rate")
    def _compute_merchant_rate(self):
        for plan in self:
            plan.merchant_rate = plan.cardholder_rate + plan.network_fee_rate

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        # Counting entries of these plans only: the history must keep its rates.
        Entry = self.env["loyalty.network.entry"].sudo()
        if Entry.search_count([("plan_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "A rate plan used by wallet history cannot be deleted: archive it instead."
                )
            )
