from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_settlement_cadence = fields.Selection(
        related="company_id.loyalty_settlement_cadence", readonly=False
    )
    loyalty_sepa_prenotification_days = fields.Integer(
        related="company_id.loyalty_sepa_prenotification_days", readonly=False
    )
    loyalty_sepa_debit_mode_id = fields.Many2one(
        related="company_id.loyalty_sepa_debit_mode_id", readonly=False
    )
    loyalty_sepa_transfer_mode_id = fields.Many2one(
        related="company_id.loyalty_sepa_transfer_mode_id", readonly=False
    )
    loyalty_pending_credit = fields.Boolean(
        related="company_id.loyalty_pending_credit", readonly=False
    )
