from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_voucher_validity_months = fields.Integer(
        related="company_id.loyalty_voucher_validity_months", readonly=False
    )
    loyalty_voucher_commission_rate = fields.Float(
        related="company_id.loyalty_voucher_commission_rate", readonly=False
    )
    loyalty_voucher_expiry_policy = fields.Selection(
        related="company_id.loyalty_voucher_expiry_policy", readonly=False
    )
