from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestHolderSearch(LoyaltyNetworkCase):
    """Phones as people type them, names among the shop's own customers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice.phone = "06 12 34 56 78"
        cls.bob.phone = "+33 6 98 76 54 32"
        cls.Customer = cls.env["loyalty.network.customer"].with_user(cls.baker_user)

    def test_national_and_international_formats_find_the_holder(self):
        self.assertEqual(self.alice.phone_sanitized, "+33612345678")
        for typed in (
            "06 12 34 56 78",
            "0612345678",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "+33 6 12 34 56 78",
            "+33612345678",
            "0033612345678",
        ):
            with self.subTest(typed=typed):
                self.assertEqual(self.Customer._find_holders(self.bakery, typed), self.alice)

    def test_fragments_never_pick_a_holder(self):
        for typed in ("5678", "12 34", "061234", "Al", "  "):
            with self.subTest(typed=typed):
                self.assertFalse(self.Customer._find_holders(self.bakery, typed))

    def test_other_shops_customers_are_not_found(self):
        self.assertFalse(self.Customer._find_holders(self.bakery, "06 98 76 54 32"))
        self.assertFalse(self.Customer._find_holders(self.bakery, "Bob"))
        self.assertEqual(self.Customer._find_holders(self.bakery, "ali"), self.alice)

    def test_terminal_finds_by_national_phone(self):
        terminal = Form(self.env["loyalty.network.terminal"].with_user(self.baker_user))
        terminal.query = "06 12 34 56 78"
        record = terminal.save()
        record.action_find()
        self.assertEqual(record.card_id, self.alice_card)
        record.query = "5678"
        with self.assertRaisesRegex(UserError, "No customer of your shop matches"):
            record.action_find()
