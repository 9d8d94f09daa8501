from odoo import fields, models


class LoyaltyNetworkEntry(models.Model):
    _inherit = "loyalty.network.entry"

    # Entries are never written after posting: the settlement links them
    # from its own table (see loyalty.network.settlement.entry_ids).
    settlement_ids = fields.Many2many(
        "loyalty.network.settlement",
        "loyalty_network_settlement_entry_rel",
        "entry_id",
        "settlement_id",
        string="Settlements",
        readonly=True,
        copy=False,
    )
    settlement_id = fields.Many2one(
        "loyalty.network.settlement",
        compute="_compute_settlement_id",
        search="_search_settlement_id",
    )

    def _compute_settlement_id(self):
        for entry in self:
            entry.settlement_id = entry.settlement_ids[:1]

    def _search_settlement_id(self, operator, value):
        return [("settlement_ids", operator, value)]
