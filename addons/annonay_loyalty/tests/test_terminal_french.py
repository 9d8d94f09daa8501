from odoo.tests import HttpCase, tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestTerminalFrench(HttpCase, LoyaltyNetworkCase):
    """The counter terminal of a merchant whose language is French: the screen,
    the operations' labels from the server and the amounts speak French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "in", ["base", "web", "annonay_loyalty"])]
        )._update_translations("fr_FR")
        cls.baker_user.write({"lang": "fr_FR", "password": cls.baker_user.login})
        cls.Entry = cls.env["loyalty.network.entry"]

    def test_terminal_tour_in_french(self):
        """Find the card, add a purchase (credit, opening fee), pay with the
        wallet typed with a comma, refund that payment, next customer: each
        step reads the French of the screen (tour annonay_loyalty_terminal_tour_fr)."""
        self.assertEqual(self.baker_user.lang, "fr_FR")
        camille = self.env["res.partner"].create({"name": "Camille Terminal"})
        card = self.Card.create({"name": "2998765432106"})
        card._enrol(camille, self.bakery)
        self.start_tour(
            "/odoo/action-annonay_loyalty.loyalty_network_terminal_action_screen",
            "annonay_loyalty_terminal_tour_fr",
            login=self.baker_user.login,
        )
        entries = self.Entry.search([("partner_id", "=", camille.id)], order="id")
        self.assertEqual(
            entries.mapped(lambda e: (e.entry_type, e.amount)),
            [("earn", 10.0), ("opening_fee", -4.0), ("spend", -5.5), ("spend_reversal", 5.5)],
        )
        self.assertEqual(camille.loyalty_wallet_id.balance, 6.0)
        self.assertBalanceIsSumOfEntries(camille)
