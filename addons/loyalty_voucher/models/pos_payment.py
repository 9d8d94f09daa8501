from odoo import fields, models


class PosPayment(models.Model):
    _inherit = "pos.payment"

    loyalty_voucher_code = fields.Char(
        string="Gift Voucher Code",
        copy=False,
        help="Code of the network gift voucher this payment is taken from.",
    )
