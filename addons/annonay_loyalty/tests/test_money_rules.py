from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase

MARCH = datetime(2026, 3, 10, 10, 0)


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
        with self.assertRaisesRegex(UserError, "can be spent from 5.0"):
            self.Wallet._spend(self.alice_card, self.butcher, 1.0, "m/6/4")
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_bad_amounts_are_refused_and_change_nothing(self):
        before = self.env["loyalty.network.entry"].search_count([])
        for n, amount in enumerate((0, -5.0, 10.005, 10001.0, "12,50", None, True)):
            with self.subTest(amount=amount), self.assertRaises(UserError):
                self.Wallet._credit_purchase(self.alice_card, self.bakery, amount, f"bad/{n}")
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), before)
        self.assertEqual(self._wallet(self.alice).balance, 0.0)

    def test_birthday_month_network_funded(self):
        self.alice.loyalty_birth_date = date(1990, 3, 2)
        entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "m/7", date=MARCH)
        self.assertEqual(entry.cardholder_rate, 10.0)
        self.assertEqual((entry.amount, entry.base_credit, entry.birthday_bonus), (10.0, 4.0, 6.0))
        # The merchant pays its plan; the network funds the top-up as an expense.
        self.assertEqual(
            (entry.merchant_contribution, entry.network_fee, entry.network_expense),
            (5.0, 1.0, 6.0),
        )

    def test_birthday_month_merchant_funded(self):
        self.env.company.loyalty_birthday_funded_by = "merchant"
        self.alice.loyalty_birth_date = date(1990, 3, 2)
        entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "m/8", date=MARCH)
        self.assertEqual(
            (entry.amount, entry.merchant_contribution, entry.network_fee, entry.network_expense),
            (10.0, 11.0, 1.0, 0.0),
        )

    def test_no_birthday_bonus_outside_the_month(self):
        self.alice.loyalty_birth_date = date(1990, 4, 2)
        entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "m/9", date=MARCH)
        self.assertEqual((entry.amount, entry.birthday_bonus), (4.0, 0.0))

    def test_boost_is_funded_by_the_merchant(self):
        self.env["loyalty.network.boost"].create(
            {
                "name": "Double Tuesday",
                "merchant_id": self.bakery.id,
                "multiplier": 2.0,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "weekday": "1",
            }
        )
        tuesday = datetime(2026, 3, 10, 10, 0)
        wednesday = datetime(2026, 3, 11, 10, 0)
        boosted = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 50.0, "m/10/1", date=tuesday
        )
        self.assertEqual(
            (
                boosted.amount,
                boosted.boost_bonus,
                boosted.merchant_contribution,
                boosted.network_fee,
            ),
            (4.0, 2.0, 4.5, 0.5),
        )
        plain = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 50.0, "m/10/2", date=wednesday
        )
        self.assertEqual((plain.amount, plain.boost_bonus), (2.0, 0.0))

    def test_max_wallet_balance_cap(self):
        self.env.company.loyalty_max_wallet_balance = 10.0
        self.env.company.loyalty_opening_fee = 0.0
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 200.0, "m/11/1")  # 8.00
        capped = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "m/11/2")
        # Only 2.00 fits; the merchant does not owe the 2.00 not given, the fee stays.
        self.assertEqual(
            (capped.amount, capped.capped_amount, capped.merchant_contribution, capped.network_fee),
            (2.0, 2.0, 3.0, 1.0),
        )
        self.assertEqual(self._wallet(self.alice).balance, 10.0)

    def test_max_daily_purchase_cap(self):
        self.env.company.loyalty_max_daily_purchase = 150.0
        first = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "m/12/1", date=MARCH
        )
        second = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "m/12/2", date=MARCH
        )
        other_shop = self.Wallet._credit_purchase(
            self.alice_card, self.butcher, 100.0, "m/12/3", date=MARCH
        )
        self.assertEqual((first.eligible_amount, first.amount), (100.0, 4.0))
        self.assertEqual((second.eligible_amount, second.amount), (50.0, 2.0))
        self.assertEqual(second.purchase_amount, 100.0)
        self.assertEqual(other_shop.eligible_amount, 100.0)
