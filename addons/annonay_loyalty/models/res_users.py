from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    loyalty_merchant_ids = fields.Many2many(
        "loyalty.network.merchant",
        "loyalty_network_merchant_res_users_rel",
        "user_id",
        "merchant_id",
        string="Loyalty Merchants",
        help="The member shops this user operates the card for.",
    )

    def _get_loyalty_merchant(self):
        """The merchant this user works for (the first one if several)."""
        self.ensure_one()
        return self.loyalty_merchant_ids.filtered(lambda m: m.state == "active")[:1]
