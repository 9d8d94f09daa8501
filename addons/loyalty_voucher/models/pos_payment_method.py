from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    is_loyalty_voucher = fields.Boolean(
        string="Network Gift Voucher",
        help="Payments with this method are taken from a network gift voucher, whose code the "
        "cashier scans or types (checked again on the server when the order is "
        "synchronised). Online only. Never earns loyalty credit.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "is_loyalty_voucher"]
