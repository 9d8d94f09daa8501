from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestWalletReplayRefund(LoyaltyNetworkCase):
    def test_replay_returns_the_first_entry_and_credits_once(self):
        first = self.Wallet._credit_purchase(self.alice_card, self.bakery, 50.0, "pos:abc")
        for _i in range(3):
            again = self.Wallet._credit_purchase(self.alice_card, self.bakery, 50.0, "pos:abc")
            self.assertEqual(again, first)
        self.assertEqual(self._wallet(self.alice).balance, 2.0)
        self.assertEqual(len(self._wallet(self.alice).entry_ids), 1)

    def test_entries_cannot_be_edited_nor_deleted(self):
        entry = self.Wallet._credit_purchase(self.alice_card, self.bakery, 50.0, "l/1")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            entry.amount = 100.0
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            entry.unlink()
        with self.assertRaisesRegex(UserError, "only through entries"):
            self._wallet(self.alice).write({"balance": 1000.0})

    def test_partial_then_final_refund_tie_the_cents(self):
        earn = self.Wallet._credit_purchase(self.alice_card, self.bakery, 33.33, "l/2")
        self.assertEqual((earn.amount, earn.merchant_contribution), (1.33, 1.67))
        first = self.Wallet._refund(earn, 10.0, "l/2/r1")
        self.assertEqual(
            (first.amount, first.merchant_contribution, first.network_fee), (-0.4, -0.5, -0.1)
        )
        last = self.Wallet._refund(earn, 23.33, "l/2/r2")
        total = earn | first | last
        for fname in ("amount", "merchant_contribution", "network_fee", "purchase_amount"):
            self.assertAlmostEqual(sum(total.mapped(fname)), 0.0, places=2, msg=fname)
        with self.assertRaisesRegex(UserError, "can still be refunded"):
            self.Wallet._refund(earn, 0.01, "l/2/r3")
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_birthday_refund_reverses_network_expense(self):
        self.alice.loyalty_birth_date = date(1990, 3, 2)
        earn = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "l/3", date=datetime(2026, 3, 5)
        )
        refund = self.Wallet._refund(earn, 50.0, "l/3/r")
        self.assertEqual(
            (refund.amount, refund.birthday_bonus, refund.network_expense, refund.network_fee),
            (-5.0, -3.0, -3.0, -0.5),
        )

    def test_wallet_payment_refund_gives_back_the_wallet(self):
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 300.0, "l/4")  # 12 - 4 = 8
        spend = self.Wallet._spend(self.alice_card, self.butcher, 6.0, "l/4/s")
        back = self.Wallet._refund(spend, 6.0, "l/4/s/r")
        self.assertEqual((back.entry_type, back.amount), ("spend_reversal", 6.0))
        self.assertEqual(self._wallet(self.alice).balance, 8.0)
        with self.assertRaises(UserError):
            self.Wallet._refund(spend, 0.01, "l/4/s/r2")

    def test_staff_adjustment_needs_a_reason_and_staff(self):
        wallet = self.alice._get_loyalty_wallet()
        with self.assertRaisesRegex(UserError, "Say why"):
            wallet._adjust(5.0, " ", "adj/1")
        entry = wallet._adjust(5.0, "Goodwill after a lost receipt", "adj/1")
        self.assertEqual(entry.entry_type, "adjustment")
        # Whatever raises the balance to the opening fee takes it: 5.00 - 4.00.
        self.assertEqual(wallet.balance, 1.0)
        self.assertEqual(wallet.entry_ids[0].entry_type, "opening_fee")
        with self.assertRaisesRegex(UserError, "negative"):
            wallet._adjust(-6.0, "Too much", "adj/2")
        with self.assertRaises(AccessError):
            wallet.with_user(self.baker_user)._adjust(5.0, "Nice", "adj/3")
