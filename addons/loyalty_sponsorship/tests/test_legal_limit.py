from ast import literal_eval
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SponsorshipCase

# Far from the test run's own days: tests with real transactions commit their
# payments in the same database, dated now; this window holds only this class's.
TODAY = date(2032, 11, 30)


@tagged("post_install", "-at_install")
class TestLegalLimit(SponsorshipCase):
    """The limited network's rolling 12-month payments, the 80 % warning, the register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"loyalty_legal_limit_amount": 100.0, "loyalty_legal_limit_warning_rate": 80.0}
        )
        cls.staff = cls.env["res.users"].create(
            {
                "name": "Staff",
                "login": "legal-staff",
                "email": "staff@example.com",
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id,
                        ]
                    )
                ],
            }
        )
        # 5,000.00 earns 200.00 (the opening fee takes 4.00): enough to spend
        cls.env["loyalty.network.wallet"]._credit_purchase(
            cls.alice_card, cls.bakery, 5000.0, "legal/seed", date=datetime(2025, 9, 1, 10, 0)
        )

    def _spend(self, amount, ref, when):
        return self.Wallet._spend(self.alice_card, self.butcher, amount, ref, date=when)

    def test_rolling_twelve_months_of_wallet_payments(self):
        self._spend(30.0, "legal/old", datetime(2031, 11, 30, 22, 30))  # 30 Nov 2031, Paris
        self._spend(20.0, "legal/first-day", datetime(2031, 11, 30, 23, 30))  # 1 Dec 2031
        spend = self._spend(50.0, "legal/2", datetime(2032, 6, 1, 10, 0))
        self.Wallet._refund(spend, 10.0, "legal/2/r", date=datetime(2032, 6, 2, 10, 0))
        totals = self.env.company._legal_limit_totals(TODAY)
        self.assertEqual((totals["date_from"], totals["date_to"]), (date(2031, 12, 1), TODAY))
        self.assertEqual(totals["wallet_payment_amount"], 60.0)  # 20 + 50 - 10
        self.assertEqual(totals["total_amount"], 60.0)
        self.assertEqual(round(totals["usage_rate"], 2), 60.0)
        self.assertFalse(totals["is_warning"])
        self.assertFalse(self.env.company._legal_limit_notify(TODAY))
        # Other payment means (vouchers) add their own total through the hook.
        Company = self.env.registry["res.company"]
        with patch.object(
            Company, "_legal_limit_other_payment_totals", lambda self, date_from, date_to: 25.5
        ):
            totals = self.env.company._legal_limit_totals(TODAY)
        self.assertEqual((totals["other_payment_amount"], totals["total_amount"]), (25.5, 85.5))
        self.assertTrue(totals["is_warning"])
        self.assertFalse(totals["is_exceeded"])

    def test_warning_at_eighty_percent_tells_staff_once(self):
        self._spend(79.99, "legal/below", datetime(2032, 11, 2, 10, 0))
        self.assertFalse(self.env.company._legal_limit_totals(TODAY)["is_warning"])
        self._spend(0.01, "legal/at", datetime(2032, 11, 3, 10, 0))
        with freeze_time("2032-11-30 12:00:00"):
            dashboard = self.env["loyalty.network.legal.limit"].with_user(self.staff).create({})
            self.assertRecordValues(
                dashboard,
                [
                    {
                        "total_amount": 80.0,
                        "limit_amount": 100.0,
                        "is_warning": True,
                        "is_exceeded": False,
                    }
                ],
            )
        message = self.env.company._legal_limit_notify(TODAY)
        self.assertEqual(len(message), 1)
        self.assertIn(self.staff.partner_id, message.partner_ids)
        self.assertIn("80.0 %", message.body)
        self.assertEqual(self.env.company.loyalty_legal_limit_warning_date, TODAY)
        # Not again within 30 days; again after.
        self.assertFalse(self.env.company._legal_limit_notify(date(2032, 12, 15)))
        self.assertTrue(self.env.company._legal_limit_notify(date(2032, 12, 31)))
        self.env["res.company"]._cron_notify_legal_limit()  # runs for every network

    def test_register_lists_the_member_shops(self):
        self.butcher.state = "left"
        self.bakery.join_date = date(2024, 3, 1)
        action = self.env["loyalty.network.legal.limit"].create({}).action_view_register()
        shops = self.env["loyalty.network.merchant"].search(literal_eval(action["domain"]))
        self.assertIn(self.bakery, shops)
        self.assertNotIn(self.butcher, shops)
        self.assertEqual(self.bakery.join_date, date(2024, 3, 1))
        self.assertTrue(
            self.env["loyalty.network.merchant"]
            .create({"partner_id": self.env["res.partner"].create({"name": "New"}).id})
            .join_date
        )
