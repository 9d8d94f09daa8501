from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestAccessRights(LoyaltyNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice_entry = cls.Wallet._credit_purchase(cls.alice_card, cls.bakery, 300.0, "a/1")
        cls.bob_entry = cls.Wallet._credit_purchase(cls.bob_card, cls.butcher, 300.0, "a/2")

    def test_merchant_sees_only_its_own_shop_entries_and_customers(self):
        env = self.env(user=self.baker_user)
        self.assertEqual(env["loyalty.network.merchant"].search([]), self.bakery)
        self.assertEqual(env["loyalty.network.entry"].search([]).merchant_id, self.bakery)
        holders = env["res.partner"].search([("is_loyalty_holder", "=", True)])
        self.assertEqual(holders, self.alice)
        self.assertEqual(env["loyalty.network.wallet"].search([]).partner_id, self.alice)

    def test_merchant_cannot_read_another_merchants_data(self):
        env = self.env(user=self.baker_user)
        with self.assertRaises(AccessError):
            env["loyalty.network.entry"].browse(self.bob_entry.id).read(["amount"])
        with self.assertRaises(AccessError):
            env["res.partner"].browse(self.bob.id).read(["name", "phone"])
        with self.assertRaises(AccessError):
            env["loyalty.network.merchant"].browse(self.butcher.id).read(["name"])
        with self.assertRaises(AccessError):
            self.bob.loyalty_wallet_id.with_user(self.baker_user).read(["balance"])
        with self.assertRaises(AccessError):
            self.bob_card.with_user(self.baker_user).read(["name"])

    def test_merchant_cannot_operate_for_another_shop(self):
        with self.assertRaises(AccessError):
            self.Wallet.with_user(self.baker_user)._credit_purchase(
                self.alice_card, self.butcher, 10.0, "a/3"
            )
        with self.assertRaises(AccessError):
            self.Wallet.with_user(self.baker_user)._refund(self.bob_entry, 10.0, "a/4")

    def test_merchant_cannot_write_the_ledger_nor_create_entries(self):
        entry = self.alice_entry.with_user(self.baker_user)
        with self.assertRaises(UserError):  # AccessError or the ledger guard
            entry.write({"amount": 1000.0})
        with self.assertRaises(AccessError):
            self.env["loyalty.network.entry"].with_user(self.baker_user).create(
                {"wallet_id": self.alice.loyalty_wallet_id.id, "amount": 100.0}
            )

    def test_merchant_edits_its_presentation_not_its_plan(self):
        bakery = self.bakery.with_user(self.baker_user)
        bakery.write({"opening_hours": "Mon-Sat 7:00-19:30"})
        self.assertEqual(self.bakery.opening_hours, "Mon-Sat 7:00-19:30")
        with self.assertRaises(AccessError):
            bakery.write({"plan_id": self.reduced.id})
        with self.assertRaises(AccessError):
            bakery.write({"state": "left"})

    def test_merchant_serves_a_new_holder_by_card_number(self):
        # Bob never shopped at the bakery: the card number is enough to serve him.
        Wallet = self.Wallet.with_user(self.baker_user)
        card = self.Card.with_user(self.baker_user)._find_by_number(self.bob_card.name)
        self.assertEqual(card, self.bob_card)
        entry = Wallet._credit_purchase(card, self.bakery, 25.0, "a/5")
        self.assertEqual(entry.amount, 1.0)
        # ... after which Bob is a customer of the bakery.
        self.assertIn(self.bob, self.env(user=self.baker_user)["res.partner"].search([]))

    def test_holder_sees_only_their_own_wallet(self):
        env = self.env(user=self.alice_user)
        self.assertEqual(env["loyalty.network.wallet"].search([]).partner_id, self.alice)
        self.assertEqual(env["loyalty.network.entry"].search([]).partner_id, self.alice)
        self.assertEqual(env["loyalty.network.card"].search([]), self.alice_card)
        with self.assertRaises(AccessError):
            self.bob.loyalty_wallet_id.with_user(self.alice_user).read(["balance"])
        with self.assertRaises(AccessError):
            self.bob_entry.with_user(self.alice_user).read(["amount"])
        with self.assertRaises(AccessError):
            self.Wallet.with_user(self.alice_user)._credit_purchase(
                self.alice_card, self.bakery, 10.0, "a/6"
            )
