from odoo import api, fields, models


class LoyaltyNetworkLegalLimit(models.TransientModel):
    """The staff's view of the limited network's legal limit: payment
    transactions over the rolling 12 months against the threshold."""

    _name = "loyalty.network.legal.limit"
    _description = "Loyalty Network Legal Limit"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", compute="_compute_totals")
    date_to = fields.Date(string="To", compute="_compute_totals")
    wallet_payment_amount = fields.Monetary(
        string="Wallet Payments", compute="_compute_totals", help="Refunds deducted."
    )
    other_payment_amount = fields.Monetary(string="Other Payment Means", compute="_compute_totals")
    total_amount = fields.Monetary(string="Payments over 12 Months", compute="_compute_totals")
    limit_amount = fields.Monetary(string="Legal Limit", compute="_compute_totals")
    usage_rate = fields.Float(string="Share of the Limit (%)", compute="_compute_totals")
    is_warning = fields.Boolean(string="Warning Level Reached", compute="_compute_totals")
    is_exceeded = fields.Boolean(string="Limit Exceeded", compute="_compute_totals")
    member_count = fields.Integer(string="Member Shops", compute="_compute_totals")

    @api.depends("company_id")
    def _compute_totals(self):
        Merchant = self.env["loyalty.network.merchant"]
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            dashboard.update(company._legal_limit_totals())
            dashboard.member_count = Merchant.search_count(
                [("company_id", "=", company.id), ("state", "!=", "left")]
            )

    def action_view_register(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_sponsorship.loyalty_network_merchant_action_register"
        )
