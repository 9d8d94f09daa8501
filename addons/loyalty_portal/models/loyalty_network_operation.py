from odoo import models


class LoyaltyNetworkOperation(models.Model):
    _inherit = "loyalty.network.operation"

    def _get_public_url(self):
        """The operation's page on the public directory."""
        self.ensure_one()
        return f"{self.get_base_url()}/loyalty/operations/{self.env['ir.http']._slug(self)}"
