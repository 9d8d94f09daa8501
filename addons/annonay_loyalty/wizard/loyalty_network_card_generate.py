from odoo import fields, models
from odoo.exceptions import UserError

MAX_BATCH = 50000


class LoyaltyNetworkCardGenerate(models.TransientModel):
    _name = "loyalty.network.card.generate"
    _description = "Generate Blank Loyalty Cards"

    quantity = fields.Integer(required=True, default=100)

    def action_generate(self):
        self.ensure_one()
        if not 0 < self.quantity <= MAX_BATCH:
            raise UserError(self.env._("Generate between 1 and %s cards at a time.", MAX_BATCH))
        cards = self.env["loyalty.network.card"].create([{}] * self.quantity)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generated Cards"),
            "res_model": "loyalty.network.card",
            "view_mode": "list,form",
            "domain": [("id", "in", cards.ids)],
        }
