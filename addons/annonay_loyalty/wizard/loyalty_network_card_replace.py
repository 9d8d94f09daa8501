from odoo import fields, models
from odoo.exceptions import UserError


class LoyaltyNetworkCardReplace(models.TransientModel):
    _name = "loyalty.network.card.replace"
    _description = "Replace a Lost Loyalty Card"

    card_id = fields.Many2one("loyalty.network.card", string="Lost Card", required=True)
    partner_id = fields.Many2one(related="card_id.partner_id", string="Holder")
    new_card_number = fields.Char(string="New Card Number", required=True)

    def action_replace(self):
        self.ensure_one()
        new_card = self.env["loyalty.network.card"]._find_by_number(self.new_card_number)
        if not new_card:
            raise UserError(self.env._("No card has the number %s.", self.new_card_number))
        self.card_id._replace_with(new_card.sudo(False))
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.network.card",
            "res_id": new_card.id,
            "view_mode": "form",
        }
