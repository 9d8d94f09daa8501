from odoo import fields, models, tools

from odoo.addons.base.models.res_partner import _tz_get

from ..services.money_engine import DEFAULT_TZ, NEGATIVE_BALANCE_POLICIES


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_opening_fee = fields.Monetary(
        string="Account Opening Fee",
        default=4.0,
        help="Taken once from a holder's wallet, as soon as its balance first reaches it.",
    )
    loyalty_min_spend_balance = fields.Monetary(
        string="Minimum Balance to Spend",
        default=5.0,
        help="The wallet can be spent only once its balance is at least this amount.",
    )
    loyalty_inactivity_months = fields.Integer(
        string="Inactivity Period (months)",
        default=12,
        help="A wallet with no earning nor spending for this long falls back to zero.",
    )
    loyalty_forfeit_warning_days = fields.Integer(
        string="Forfeit Warning (days)",
        default=30,
        help="Holders who consented are warned this many days before their wallet is forfeited.",
    )
    loyalty_birthday_rate = fields.Float(
        string="Birthday Month Rate (%)",
        default=10.0,
        help="Cardholder rate during the holder's month of birth. 0 disables the birthday bonus.",
    )
    loyalty_birthday_funded_by = fields.Selection(
        selection=[("network", "The network (expense)"), ("merchant", "The merchant")],
        string="Birthday Top-up Funded By",
        default="network",
        required=True,
    )
    loyalty_max_wallet_balance = fields.Monetary(
        string="Maximum Wallet Balance",
        help="Optional cap: credits stop at this balance. 0 means no cap.",
    )
    loyalty_max_daily_purchase = fields.Monetary(
        string="Maximum Eligible Purchase per Day",
        help="Optional cap per card, per merchant and per day on the purchase amount that earns "
        "credit. 0 means no cap.",
    )
    loyalty_max_operation_amount = fields.Monetary(
        string="Largest Amount per Operation",
        default=10000.0,
        help="Amounts above this are refused as typing mistakes. 0 means no limit.",
    )
    loyalty_card_prefix = fields.Char(
        string="Card Number Prefix",
        default="2990",
        help="First digits of the EAN-13 card numbers (2 = in-store numbering range).",
    )
    loyalty_tz = fields.Selection(
        _tz_get,
        string="Network Time Zone",
        default=DEFAULT_TZ,
        required=True,
        help="Days and months of every rule (birthday month, daily cap, boosts, inactivity, "
        "statistics, settlement periods) are those of this time zone: a sale at 00:30 on "
        "1 April is an April sale.",
    )
    loyalty_negative_balance_policy = fields.Selection(
        NEGATIVE_BALANCE_POLICIES,
        string="Refund of Spent Credit",
        default="claw_back",
        required=True,
        help="When a purchase is refunded after its credit was spent. Claw back: the credit is "
        "reversed in full, the wallet may go below zero and cannot be spent until it is "
        "positive again. Reverse what is left: the wallet goes down to zero at most and the "
        "network bears the rest as an expense.",
    )

    # ------------------------------------------------------------
    # The money rules, read once per registry (every operation uses them)
    # ------------------------------------------------------------

    def write(self, vals):
        if any(fname.startswith("loyalty_") or fname == "currency_id" for fname in vals):
            # NetworkRules.of() reads the settings from a registry cache: drop it
            # (and tell the other workers) when one of them changes.
            self.env.registry.clear_cache()
        return super().write(vals)

    @tools.ormcache("self.id")
    def _get_loyalty_rules_values(self):
        """The settings the money engine reads (``NetworkRules``), as plain values."""
        self.ensure_one()
        # sudo: private; the network's rules are read by every operation, whoever the user.
        company = self.sudo()
        currency = company.currency_id
        return (
            ("currency_id", currency.id),
            ("rounding", currency.rounding),
            ("opening_fee", company.loyalty_opening_fee),
            ("min_spend_balance", company.loyalty_min_spend_balance),
            ("birthday_rate", company.loyalty_birthday_rate),
            ("birthday_funded_by", company.loyalty_birthday_funded_by),
            ("max_wallet_balance", company.loyalty_max_wallet_balance),
            ("max_daily_purchase", company.loyalty_max_daily_purchase),
            ("max_operation_amount", company.loyalty_max_operation_amount),
            ("negative_balance_policy", company.loyalty_negative_balance_policy),
            ("inactivity_months", company.loyalty_inactivity_months),
            ("tz", company.loyalty_tz or DEFAULT_TZ),
        )
