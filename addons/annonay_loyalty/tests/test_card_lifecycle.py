from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestCardLifecycle(LoyaltyNetworkCase):
    def test_card_replacement_keeps_the_wallet(self):
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 300.0, "l/5")
        new_card = self.Card.create({})
        self.alice_card._replace_with(new_card)
        self.assertEqual(self.alice_card.state, "replaced")
        self.assertEqual((new_card.state, new_card.partner_id), ("active", self.alice))
        self.assertEqual(self.alice.loyalty_card_number, new_card.name)
        # The message says the card was replaced, never the new card's number.
        with self.assertRaisesRegex(UserError, "was replaced: use the holder's new card") as caught:
            self.Wallet._credit_purchase(self.alice_card, self.bakery, 10.0, "l/5/old")
        self.assertNotIn(new_card.name, str(caught.exception))
        self.Wallet._spend(new_card, self.bakery, 8.0, "l/5/new")
        self.assertEqual(self._wallet(self.alice).balance, 0.0)

    def test_replace_wizard_moves_the_holder_to_a_blank_card(self):
        new_card = self.Card.create({})
        wizard = self.env["loyalty.network.card.replace"].create(
            {"card_id": self.alice_card.id, "new_card_number": new_card.name}
        )
        wizard.action_replace()
        self.assertEqual(
            (self.alice_card.state, self.alice_card.replaced_by_id), ("replaced", new_card)
        )
        self.assertEqual(new_card.partner_id, self.alice)
        used = self.env["loyalty.network.card.replace"].create(
            {"card_id": new_card.id, "new_card_number": self.bob_card.name}
        )
        with self.assertRaisesRegex(UserError, "is not blank"):
            used.action_replace()

    def test_only_staff_replace_a_card(self):
        new_card = self.Card.create({})
        with self.assertRaises(AccessError):
            self.env["loyalty.network.card.replace"].with_user(self.baker_user).create(
                {"card_id": self.alice_card.id, "new_card_number": new_card.name}
            )
        self.assertEqual((self.alice_card.state, new_card.state), ("active", "stock"))

    def test_blocked_blank_and_suspended_are_refused(self):
        self.alice_card.action_block()
        with self.assertRaisesRegex(UserError, "is blocked"):
            self.Wallet._credit_purchase(self.alice_card, self.bakery, 10.0, "l/6/1")
        blank = self.Card.create({})
        with self.assertRaisesRegex(UserError, "enrol it first"):
            self.Wallet._credit_purchase(blank, self.bakery, 10.0, "l/6/2")
        self.butcher.state = "suspended"
        with self.assertRaisesRegex(Exception, "not an active member"):
            self.Wallet._credit_purchase(self.bob_card, self.butcher, 10.0, "l/6/3")

    def test_card_numbers_are_valid_ean13_and_unique(self):
        cards = self.env["loyalty.network.card.generate"].create({"quantity": 25})
        action = cards.action_generate()
        generated = self.Card.search(action["domain"])
        self.assertEqual(len(generated), 25)
        self.assertTrue(all(self.Card._is_valid_number(c.name) for c in generated))
        self.assertEqual(len(set(generated.mapped("name"))), 25)
        self.assertTrue(all(c.name.startswith("2990") for c in generated))
