from odoo import models


class LoyaltyNetworkMerchant(models.Model):
    _inherit = "loyalty.network.merchant"

    def _get_public_url(self):
        """The shop's page on the public directory, when it is listed there."""
        self.ensure_one()
        if self.is_published and self.state == "active":
            return f"{self.get_base_url()}/loyalty/shops/{self.id}"
        return super()._get_public_url()
