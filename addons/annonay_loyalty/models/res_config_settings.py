from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Network Currency"
    )
    loyalty_opening_fee = fields.Monetary(
        related="company_id.loyalty_opening_fee",
        readonly=False,
        currency_field="loyalty_currency_id",
    )
    loyalty_min_spend_balance = fields.Monetary(
        related="company_id.loyalty_min_spend_balance",
        readonly=False,
        currency_field="loyalty_currency_id",
    )
    loyalty_inactivity_months = fields.Integer(
        related="company_id.loyalty_inactivity_months", readonly=False
    )
    loyalty_forfeit_warning_days = fields.Integer(
        related="company_id.loyalty_forfeit_warning_days", readonly=False
    )
    loyalty_birthday_rate = fields.Float(related="company_id.loyalty_birthday_rate", readonly=False)
    loyalty_birthday_funded_by = fields.Selection(
        related="company_id.loyalty_birthday_funded_by", readonly=False
    )
    loyalty_max_wallet_balance = fields.Monetary(
        related="company_id.loyalty_max_wallet_balance",
        readonly=False,
        currency_field="loyalty_currency_id",
    )
    loyalty_max_daily_purchase = fields.Monetary(
        related="company_id.loyalty_max_daily_purchase",
        readonly=False,
        currency_field="loyalty_currency_id",
    )
    loyalty_max_operation_amount = fields.Monetary(
        related="company_id.loyalty_max_operation_amount",
        readonly=False,
        currency_field="loyalty_currency_id",
    )
    loyalty_card_prefix = fields.Char(related="company_id.loyalty_card_prefix", readonly=False)
    loyalty_tz = fields.Selection(related="company_id.loyalty_tz", readonly=False)
    loyalty_negative_balance_policy = fields.Selection(
        related="company_id.loyalty_negative_balance_policy", readonly=False
    )
