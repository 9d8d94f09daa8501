from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    is_loyalty_wallet = fields.Boolean(
        string="Loyalty Wallet",
        help="Payments with this method are taken from the holder's loyalty wallet (checked "
        "again on the server when the order is synchronised). Online only.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "is_loyalty_wallet"]
