from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules


def _network_today(self):
    """Today in the network's time zone: the periods are its local days."""
    return NetworkRules.of(self.env.company).today()


def _last_month_start(self):
    return _network_today(self).replace(day=1) - relativedelta(months=1)


def _last_month_end(self):
    return _network_today(self).replace(day=1) - relativedelta(days=1)


class LoyaltyNetworkSettlementRun(models.TransientModel):
    _name = "loyalty.network.settlement.run"
    _description = "Run a Loyalty Settlement"

    date_from = fields.Date(required=True, default=_last_month_start)
    date_to = fields.Date(required=True, default=_last_month_end)

    def action_run(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        if self.date_to >= _network_today(self):
            raise UserError(self.env._("Only a period that is over can be settled."))
        Settlement = self.env["loyalty.network.settlement"]
        company = self.env.company
        if Settlement.search_count(
            Settlement._period_domain(company, self.date_from, self.date_to), limit=1
        ):
            raise UserError(
                self.env._(
                    "The period from %(date_from)s to %(date_to)s is already settled. "
                    "Operations recorded since then are settled with the next period.",
                    date_from=format_date(self.env, self.date_from),
                    date_to=format_date(self.env, self.date_to),
                )
            )
        settlements = Settlement._run_period(company, self.date_from, self.date_to)
        if not settlements:
            raise UserError(self.env._("Everything up to this date is already settled."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settlements"),
            "res_model": "loyalty.network.settlement",
            "view_mode": "list,form",
            "domain": [("id", "in", settlements.ids)],
        }
