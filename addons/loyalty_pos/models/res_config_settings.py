from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_loyalty_merchant_id = fields.Many2one(
        related="pos_config_id.loyalty_merchant_id", readonly=False
    )
    pos_loyalty_plan_id = fields.Many2one(related="pos_config_id.loyalty_plan_id", readonly=False)
