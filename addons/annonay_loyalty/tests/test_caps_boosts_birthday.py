from datetime import date, datetime

from odoo.tests import tagged

from .common import LoyaltyNetworkCase

MARCH = datetime(2026, 3, 10, 10, 0)


@tagged("post_install", "-at_install")
class TestCapsBoostsBirthday(LoyaltyNetworkCase):
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
