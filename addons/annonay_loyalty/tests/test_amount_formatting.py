from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestAmountFormatting(LoyaltyNetworkCase):
    """Messages show amounts as people read them, in the currency and the
    user's language: "5,00 €" in French, "5.00 €" in English (the euro's
    symbol goes after the amount), never "5.0"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        euro = cls.env.ref("base.EUR")
        euro.active = True
        cls.env.company.currency_id = euro
        cls.env["res.lang"]._activate_lang("fr_FR")

    def _spend_below_the_threshold(self, lang):
        """The cashier tries to pay 3.00 from Alice's empty wallet."""
        wallet = self.Wallet.with_user(self.baker_user).with_context(lang=lang)
        entries = self.env["loyalty.network.entry"].search_count([])
        with self.assertRaises(UserError) as refused:
            wallet._spend(self.alice_card, self.bakery, 3.0, f"fmt/{lang}")
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entries)
        return refused.exception.args[0]

    def test_french_user_reads_french_amounts(self):
        message = self._spend_below_the_threshold("fr_FR")
        self.assertIn(f"5,00{NBSP}€", message)
        self.assertIn(f"0,00{NBSP}€", message)
        self.assertNotIn("5.0", message)

    def test_english_user_reads_english_amounts(self):
        message = self._spend_below_the_threshold("en_US")
        self.assertEqual(
            message,
            f"The wallet can be spent from 5.00{NBSP}€ on; its balance is 0.00{NBSP}€.",
        )
