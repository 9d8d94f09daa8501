from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import VoucherCase

# Far from the test run's own days: tests with real transactions commit their
# payments in the same database, dated now; this window holds only this class's.
TODAY = date(2033, 11, 30)


@tagged("post_install", "-at_install")
class TestVoucherLegalLimit(VoucherCase):
    """Voucher payments count towards the limited network's legal limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "loyalty_tz": "Europe/Paris",
                "loyalty_legal_limit_amount": 100.0,
                "loyalty_legal_limit_warning_rate": 80.0,
            }
        )
        cls.Wallet = cls.env["loyalty.network.wallet"]
        partner = cls.env["res.partner"].create({"name": "Alice (legal limit)"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(partner, cls.bakery)
        # 5,000.00 earns 200.00 (the opening fee takes 4.00): enough to spend
        cls.Wallet._credit_purchase(
            cls.card, cls.bakery, 5000.0, "legal/seed", date=datetime(2025, 9, 1, 10, 0)
        )

    def _redeem(self, voucher, amount, ref, when):
        return self.Voucher._redeem(voucher.sudo().code, self.florist, amount, ref, date=when)

    def test_voucher_payments_net_of_refunds_in_local_days(self):
        voucher = self._sell(50.0, "legal/sale")
        # 30 Nov 2032 23:30 in Paris: the day before the window
        before = self._redeem(voucher, 12.35, "legal/before", datetime(2032, 11, 30, 22, 30))
        # 1 Dec 2032 00:30 in Paris: the window's first day
        first = self._redeem(voucher, 7.40, "legal/first", datetime(2032, 11, 30, 23, 30))
        # 30 Nov 2033 23:59 in Paris: the window's last day
        self._redeem(voucher, 10.01, "legal/last", datetime(2033, 11, 30, 22, 59))
        # 1 Dec 2033 00:00 in Paris: after the window
        self._redeem(voucher, 1.00, "legal/after", datetime(2033, 11, 30, 23, 0))
        # Refunds count on their own day, whatever the payment's day.
        self.Voucher._refund_redemption(first, 3.33, "legal/back-1", date=datetime(2033, 6, 2))
        self.Voucher._refund_redemption(before, 2.00, "legal/back-2", date=datetime(2033, 6, 3))
        # Sales, cancellations and expiries are no payments.
        other = self._sell(30.0, "legal/sale-2", date=datetime(2033, 6, 1, 10, 0))
        other._cancel("Test", "legal/cancel")
        self.assertVoucherTies(voucher)
        company = self.company
        self.assertEqual(
            company._legal_limit_other_payment_totals(date(2032, 12, 1), TODAY), 12.08
        )  # 7.40 + 10.01 - 3.33 - 2.00
        self.assertEqual(
            company._legal_limit_other_payment_totals(date(2032, 11, 30), date(2033, 12, 1)),
            25.43,  # the two days around too: + 12.35 + 1.00
        )
        totals = company._legal_limit_totals(TODAY)
        self.assertEqual((totals["date_from"], totals["date_to"]), (date(2032, 12, 1), TODAY))
        self.assertEqual(totals["other_payment_amount"], 12.08)
        self.assertEqual(totals["total_amount"], 12.08)

    def test_dashboard_adds_wallet_and_voucher_payments(self):
        self.Wallet._spend(
            self.card, self.florist, 60.0, "legal/wallet", date=datetime(2033, 3, 1, 10, 0)
        )
        voucher = self._sell(40.0, "legal/sale-3")
        self._redeem(voucher, 19.99, "legal/voucher", datetime(2033, 3, 2, 10, 0))
        with freeze_time("2033-11-30 12:00:00"):
            dashboard = self.env["loyalty.network.legal.limit"].create({})
            self.assertRecordValues(
                dashboard,
                [
                    {
                        "wallet_payment_amount": 60.0,
                        "other_payment_amount": 19.99,
                        "total_amount": 79.99,
                        "is_warning": False,
                    }
                ],
            )
        self._redeem(voucher, 0.01, "legal/voucher-2", datetime(2033, 3, 3, 10, 0))
        totals = self.company._legal_limit_totals(TODAY)
        self.assertEqual(totals["total_amount"], 80.0)
        self.assertTrue(totals["is_warning"])
