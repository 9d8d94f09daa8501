from odoo.tests import tagged

from .common import LoyaltyPortalCase


@tagged("post_install", "-at_install")
class TestPortalTour(LoyaltyPortalCase):
    def test_holder_journey(self):
        self.start_tour("/my", "loyalty_portal_holder_journey", login="helene")
        self.assertEqual(self.holder.loyalty_wallet_id.balance, 6.0)
