from odoo import models


class LoyaltyNetworkDeal(models.Model):
    _inherit = "loyalty.network.deal"

    def _get_reservation_url(self):
        """The holder's deals page, where this deal is reserved with the card
        (after signing in)."""
        self.ensure_one()
        return f"{self.get_base_url()}/my/loyalty/deals#loyalty_deal_{self.id}"
