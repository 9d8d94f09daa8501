from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..services import money_engine as engine

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class LoyaltyNetworkBoost(models.Model):
    _name = "loyalty.network.boost"
    _description = "Loyalty Network Merchant Boost"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, help="E.g. 'Double credit on Tuesdays'.")
    merchant_id = fields.Many2one(
        "loyalty.network.merchant", required=True, ondelete="cascade", index=True
    )
    active = fields.Boolean(default=True)
    multiplier = fields.Float(
        default=2.0,
        required=True,
        help="The cardholder credit of the merchant's plan is multiplied by this factor; the "
        "merchant funds the extra credit.",
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    weekday = fields.Selection(WEEKDAYS, help="Leave empty for every day of the period.")

    _multiplier_above_one = models.Constraint(
        "CHECK(multiplier > 1 AND multiplier <= 10)",
        "A boost multiplies the credit by more than 1 and at most 10.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for boost in self:
            if boost.date_to < boost.date_from:
                raise ValidationError(self.env._("A boost cannot end before it starts."))

    def _is_running(self, when):
        """Whether the boost runs at ``when`` (a UTC datetime), on the network's local day."""
        self.ensure_one()
        rules = engine.NetworkRules.of(self.merchant_id.company_id)
        day = rules.local_date(when) if isinstance(when, datetime) else fields.Date.to_date(when)
        return self.active and engine.boost_applies(self.date_from, self.date_to, self.weekday, day)
