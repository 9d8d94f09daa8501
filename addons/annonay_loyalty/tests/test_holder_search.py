from odoo.tests import HttpCase, tagged

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
        for typed in ("5678", "12 34", "061234", "Al", "Alic", "  "):
            with self.subTest(typed=typed):
                self.assertFalse(self.Customer._find_holders(self.bakery, typed))

    def test_other_shops_customers_are_not_found(self):
        self.assertFalse(self.Customer._find_holders(self.bakery, "06 98 76 54 32"))
        self._create_holder("Roberta Vialette", self.butcher)
        self.assertFalse(self.Customer._find_holders(self.bakery, "Roberta"))
        self.assertEqual(
            self.Customer.with_user(self.butcher_user)._find_holders(self.butcher, "Roberta").name,
            "Roberta Vialette",
        )
        self.assertEqual(self.Customer._find_holders(self.bakery, "alice"), self.alice)


@tagged("post_install", "-at_install")
class TestHolderSearchTerminal(HttpCase, LoyaltyNetworkCase):
    """The terminal's find route searches holders with ``_find_holders``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice.phone = "06 12 34 56 78"
        cls.baker_user.password = "baker-search-pw"

    def _find(self, query):
        response = self.opener.post(
            f"{self.base_url()}/loyalty/terminal/find",
            json={"jsonrpc": "2.0", "method": "call", "id": 0, "params": {"query": query}},
            timeout=30,
        )
        return response.json()

    def test_terminal_finds_by_national_phone(self):
        self.authenticate(self.baker_user.login, "baker-search-pw")
        found = self._find("06 12 34 56 78")["result"]
        self.assertEqual(found["card"]["masked"], self.alice_card.masked_number)
        self.assertEqual(found["card"]["name"], "Alice")
        # A fragment of the number is not a phone number: nobody is found.
        error = self._find("345678")["error"]["data"]
        self.assertEqual(
            (error["name"], error["message"]),
            (
                "odoo.exceptions.UserError",
                "No customer of your shop matches “345678”: scan the card.",
            ),
        )
