from odoo import api, models

from odoo.addons.annonay_loyalty.services import money_engine as engine


class LoyaltyNetworkSettlement(models.Model):
    _inherit = "loyalty.network.settlement"

    @api.model_create_multi
    def create(self, vals_list):
        settlements = super().create(vals_list)
        Event = self.env["loyalty.api.event"]
        service = self.env["loyalty.api.service"]
        # the event describes the settlements just created by the caller; routed as the system
        for settlement in settlements.sudo():
            rules = engine.NetworkRules.of(settlement.company_id)
            Event._emit(
                "settlement.posted",
                settlement.company_id,
                {
                    "name": settlement.name,
                    "shop_id": settlement.merchant_id.id or None,
                    "date_from": settlement.date_from.isoformat(),
                    "date_to": settlement.date_to.isoformat(),
                    "contribution_amount": service._api_fmt(rules, settlement.contribution_amount),
                    "reimbursement_amount": service._api_fmt(
                        rules, settlement.reimbursement_amount
                    ),
                    "net_amount": service._api_fmt(rules, settlement.net_amount),
                    "currency": rules.currency.name,
                },
                merchant=settlement.merchant_id,
            )
        return settlements
