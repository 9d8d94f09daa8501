from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    loyalty_is_gift_voucher = fields.Boolean(
        string="Network Gift Voucher",
        help="Sold at a member shop's point of sale, each unit of this product is a network "
        "gift voucher of its price (without tax): the shop collects the money and owes it "
        "to the network at settlement. The code is printed on the receipt.",
    )
