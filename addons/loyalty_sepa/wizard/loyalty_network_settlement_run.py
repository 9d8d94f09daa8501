from odoo import api, models

from odoo.addons.loyalty_sepa.models.loyalty_network_settlement import last_week


class LoyaltyNetworkSettlementRun(models.TransientModel):
    _inherit = "loyalty.network.settlement.run"

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        if self.env.company.loyalty_settlement_cadence == "weekly":
            values["date_from"], values["date_to"] = last_week(self.env.company)
        return values
