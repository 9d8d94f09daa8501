from odoo import fields, models


class LoyaltyNetworkMerchantCategory(models.Model):
    _name = "loyalty.network.merchant.category"
    _description = "Loyalty Network Merchant Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    default_plan_id = fields.Many2one(
        "loyalty.network.plan",
        string="Default Rate Plan",
        help="Networks that set rates per shop category use this plan for new merchants.",
    )
    merchant_ids = fields.One2many("loyalty.network.merchant", "category_id")

    _name_unique = models.Constraint("UNIQUE(name)", "This category already exists.")
