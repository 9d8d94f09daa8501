from odoo import fields, models


class LoyaltyNetworkMerchant(models.Model):
    _inherit = "loyalty.network.merchant"

    join_date = fields.Date(
        string="Member Since",
        default=fields.Date.context_today,
        tracking=True,
        help="Day the shop joined the network: the register of the limited network lists it.",
    )
