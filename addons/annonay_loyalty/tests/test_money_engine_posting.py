from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestMoneyEnginePosting(LoyaltyNetworkCase):
    """The engine as the wallet posts it: local days, the opening fee, the
    negative-balance policy, and the preview equal to what is posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_tz = "Europe/Paris"

    def _entries(self, partner):
        return self._wallet(partner).entry_ids.sorted("id")

    def test_preview_is_what_is_then_posted(self):
        self.alice.loyalty_birth_date = date(1990, 11, 5)
        self.env["loyalty.network.boost"].create(
            {
                "name": "Double",
                "merchant_id": self.bakery.id,
                "multiplier": 2.0,
                "date_from": date(2000, 1, 1),
                "date_to": date(2100, 1, 1),
            }
        )
        with self.subTest("new holder, fee taken"):
            preview = self.Wallet._preview_operation(self.alice_card, self.bakery, amount=120.5)
            entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 120.5, "pv/1")
            wallet = self._wallet(self.alice)
            fee = self._entries(self.alice).filtered(lambda e: e.entry_type == "opening_fee")
            self.assertEqual(preview["credit"], entry.amount)
            self.assertEqual(preview["opening_fee"], -fee.amount)
            self.assertEqual(preview["opening_fee"], 4.0)
            self.assertEqual(preview["balance_after"], wallet.balance)
        with self.subTest("spend and earn on one purchase"):
            preview = self.Wallet._preview_operation(
                self.alice_card, self.bakery, amount=30.0, spend_amount=5.0
            )
            self.Wallet._spend(self.alice_card, self.bakery, 5.0, "pv/2")
            credit = self.Wallet._credit_purchase(self.alice_card, self.bakery, 30.0, "pv/3")
            self.assertEqual((preview["spend"], preview["credit"]), (5.0, credit.amount))
            self.assertEqual(preview["balance_after"], self._wallet(self.alice).balance)
        with self.subTest("a payment the wallet cannot make is explained, not posted"):
            before = len(self._entries(self.alice))
            preview = self.Wallet._preview_operation(
                self.alice_card, self.bakery, spend_amount=1000.0
            )
            self.assertIn("more than the wallet balance", preview["spend_error"])
            self.assertEqual(len(self._entries(self.alice)), before)

    def test_birthday_month_is_local(self):
        self.alice.loyalty_birth_date = date(1990, 11, 20)
        # 23:30 UTC on 31 October is 00:30 on 1 November in Annonay.
        entry = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "bd/1", date=datetime(2026, 10, 31, 23, 30)
        )
        self.assertEqual((entry.cardholder_rate, entry.amount), (10.0, 10.0))
        before = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "bd/2", date=datetime(2026, 10, 31, 22, 30)
        )
        self.assertEqual((before.cardholder_rate, before.amount), (4.0, 4.0))

    def test_last_activity_and_daily_cap_are_local_days(self):
        self.env.company.loyalty_max_daily_purchase = 100.0
        # 21:30 UTC on 14 July is 23:30 in Paris; 22:30 UTC is already 15 July.
        first = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 80.0, "cap/1", date=datetime(2026, 7, 14, 21, 30)
        )
        next_day = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 80.0, "cap/2", date=datetime(2026, 7, 14, 22, 30)
        )
        same_day = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 80.0, "cap/3", date=datetime(2026, 7, 14, 21, 45)
        )
        self.assertEqual(
            (first.eligible_amount, next_day.eligible_amount, same_day.eligible_amount),
            (80.0, 80.0, 20.0),
        )
        self.assertEqual(self._wallet(self.alice).last_activity_date, date(2026, 7, 15))

    def test_opening_fee_whatever_raised_the_balance(self):
        wallet = self.alice._get_loyalty_wallet()
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 50.0, "fee/1")  # 2.00
        self.assertEqual(wallet.balance, 2.0)
        wallet._adjust(2.5, "Goodwill", "fee/2")  # 4.50: the fee is due now
        self.assertEqual(wallet.balance, 0.5)
        self.assertEqual(
            self._entries(self.alice).mapped("entry_type"),
            ["earn", "adjustment", "opening_fee"],
        )
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_refund_of_spent_credit_claw_back(self):
        self.env.company.loyalty_negative_balance_policy = "claw_back"
        earn = self.Wallet._credit_purchase(self.alice_card, self.bakery, 250.0, "neg/1")  # 6.00
        self.Wallet._spend(self.alice_card, self.butcher, 6.0, "neg/2")
        refund = self.Wallet._refund(earn, 250.0, "neg/3")
        wallet = self._wallet(self.alice)
        self.assertEqual((refund.amount, refund.uncovered_amount), (-10.0, 0.0))
        self.assertEqual(wallet.balance, -10.0)
        self.assertFalse(wallet.can_spend)
        with self.assertRaisesRegex(UserError, "can be spent from"):
            self.Wallet._spend(self.alice_card, self.butcher, 1.0, "neg/4")
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_refund_of_spent_credit_network_bears_the_rest(self):
        self.env.company.loyalty_negative_balance_policy = "network_bears"
        earn = self.Wallet._credit_purchase(self.alice_card, self.bakery, 250.0, "nb/1")  # 6.00
        self.Wallet._spend(self.alice_card, self.butcher, 5.0, "nb/2")  # 1.00 left
        refund = self.Wallet._refund(earn, 250.0, "nb/3")
        self.assertEqual((refund.amount, refund.uncovered_amount), (-1.0, 9.0))
        self.assertEqual(refund.merchant_contribution, -12.5)
        self.assertEqual(self._wallet(self.alice).balance, 0.0)
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_forfeit_counts_local_days_and_spares_negative_wallets(self):
        self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 250.0, "ff/1", date=datetime(2025, 10, 31, 23, 30)
        )
        earn = self.Wallet._credit_purchase(
            self.bob_card, self.butcher, 500.0, "ff/2", date=datetime(2025, 10, 1, 10, 0)
        )
        self.Wallet._spend(self.bob_card, self.butcher, 6.0, "ff/3", date=datetime(2025, 10, 1))
        self.Wallet._refund(earn, 500.0, "ff/4", date=datetime(2025, 10, 1, 11, 0))
        self.assertLess(self._wallet(self.bob).balance, 0)
        self.assertEqual(self._wallet(self.alice).last_activity_date, date(2025, 11, 1))
        count = self.Wallet._forfeit_inactive_wallets(self.env.company, today=date(2026, 11, 1))
        self.assertEqual(count, 0)  # Alice's last day is 1 November, Bob is below zero
        count = self.Wallet._forfeit_inactive_wallets(self.env.company, today=date(2026, 11, 2))
        self.assertEqual(count, 1)
        self.assertEqual(self._wallet(self.alice).balance, 0.0)
        self.assertLess(self._wallet(self.bob).balance, 0)
        forfeit = self._entries(self.alice)[-1]
        self.assertEqual((forfeit.entry_type, forfeit.family), ("forfeit", "forfeit"))
