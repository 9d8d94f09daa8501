from odoo import fields, models


class BarcodeRule(models.Model):
    _inherit = "barcode.rule"

    type = fields.Selection(
        selection_add=[("loyalty_network_card", "Loyalty Network Card")],
        ondelete={"loyalty_network_card": "set default"},
    )
