from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError


def _last_month_start(self):
    return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)


def _last_month_end(self):
    return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)


class LoyaltyNetworkSettlementRun(models.TransientModel):
    _name = "loyalty.network.settlement.run"
    _description = "Run a Loyalty Settlement"

    date_from = fields.Date(required=True, default=_last_month_start)
    date_to = fields.Date(required=True, default=_last_month_end)

    def action_run(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        if self.date_to >= fields.Date.context_today(self):
            raise UserError(self.env._("Only a period that is over can be settled."))
        settlements = self.env["loyalty.network.settlement"]._run_period(
            self.env.company, self.date_from, self.date_to
        )
        if not settlements:
            raise UserError(self.env._("Everything up to this date is already settled."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settlements"),
            "res_model": "loyalty.network.settlement",
            "view_mode": "list,form",
            "domain": [("id", "in", settlements.ids)],
        }
