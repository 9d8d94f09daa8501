from odoo import api, fields, models


class LoyaltyNetworkEntry(models.Model):
    _inherit = "loyalty.network.entry"

    settlement_id = fields.Many2one(
        "loyalty.network.settlement", readonly=True, index="btree_not_null", copy=False
    )

    @api.model
    def _get_mutable_fields(self):
        return super()._get_mutable_fields() | {"settlement_id"}
