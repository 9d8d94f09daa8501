from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestMoneyRules(LoyaltyNetworkCase):
    def test_standard_plan_splits_credit_contribution_fee(self):
        entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "m/1")
        self.assertEqual(
            (entry.amount, entry.merchant_contribution, entry.network_fee), (4.0, 5.0, 1.0)
        )
        self.assertEqual((entry.plan_id, entry.cardholder_rate), (self.standard, 4.0))

    def test_reduced_plan_rounds_each_line_half_up(self):
        # 2 % of 12.25 = 0.245 -> 0.25 ; 3 % = 0.3675 -> 0.37 ; fee = 0.37 - 0.25
        entry = self.Wallet._credit_purchase(self.bob_card, self.butcher, 12.25, "m/2")
        self.assertEqual(
            (entry.amount, entry.merchant_contribution, entry.network_fee), (0.25, 0.37, 0.12)
        )

    def test_fee_is_contribution_minus_credit_so_cents_tie(self):
        for n, amount in enumerate((0.01, 0.49, 12.34, 33.33, 99.99, 1234.56)):
            entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, amount, f"m/3/{n}")
            self.assertAlmostEqual(
                entry.base_credit + entry.network_fee, entry.merchant_contribution, places=2
            )

    def test_plan_not_allowed_is_refused(self):
        with self.assertRaisesRegex(UserError, "not allowed"):
            self.Wallet._credit_purchase(
                self.alice_card, self.bakery, 10.0, "m/4", plan=self.reduced
            )
        self.bakery.allowed_plan_ids = self.reduced
        entry = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 10.0, "m/4", plan=self.reduced
        )
        self.assertEqual((entry.amount, entry.merchant_contribution), (0.2, 0.3))

    def test_opening_fee_taken_once_when_balance_first_reaches_it(self):
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 50.0, "m/5/1")  # 2.00
        wallet = self._wallet(self.alice)
        self.assertEqual((wallet.balance, wallet.is_opening_fee_paid), (2.0, False))
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 75.0, "m/5/2")  # +3.00
        self.assertEqual((wallet.balance, wallet.is_opening_fee_paid), (1.0, True))
        fee = wallet.entry_ids.filtered(lambda e: e.entry_type == "opening_fee")
        self.assertEqual(fee.amount, -4.0)
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 200.0, "m/5/3")  # +8.00
        self.assertEqual(wallet.balance, 9.0)
        self.assertEqual(len(wallet.entry_ids.filtered(lambda e: e.entry_type == "opening_fee")), 1)
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_spend_threshold_partial_and_balance_limit(self):
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 225.0, "m/6/1")  # 9 - 4 = 5
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 99.75, "m/6/0")  # +3.99
        wallet = self._wallet(self.alice)
        self.assertAlmostEqual(wallet.balance, 8.99)
        with self.assertRaisesRegex(UserError, "more than the wallet balance"):
            self.Wallet._spend(self.alice_card, self.butcher, 9.0, "m/6/2")
        spend = self.Wallet._spend(self.alice_card, self.butcher, 4.0, "m/6/3")
        self.assertEqual((spend.amount, spend.merchant_id), (-4.0, self.butcher))
        self.assertAlmostEqual(wallet.balance, 4.99)
        with self.assertRaisesRegex(UserError, r"can be spent from \S*\s?5\.00"):
            self.Wallet._spend(self.alice_card, self.butcher, 1.0, "m/6/4")
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_bad_amounts_are_refused_and_change_nothing(self):
        before = self.env["loyalty.network.entry"].search_count([])
        for n, amount in enumerate((0, -5.0, 10.005, 10001.0, "12,50", None, True)):
            with self.subTest(amount=amount), self.assertRaises(UserError):
                self.Wallet._credit_purchase(self.alice_card, self.bakery, amount, f"bad/{n}")
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), before)
        self.assertEqual(self._wallet(self.alice).balance, 0.0)
