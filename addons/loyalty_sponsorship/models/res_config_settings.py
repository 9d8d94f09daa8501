from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_legal_limit_amount = fields.Monetary(
        related="company_id.loyalty_legal_limit_amount", readonly=False
    )
    loyalty_legal_limit_warning_rate = fields.Float(
        related="company_id.loyalty_legal_limit_warning_rate", readonly=False
    )
