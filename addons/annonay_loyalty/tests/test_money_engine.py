from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..services import money_engine as engine


@tagged("post_install", "-at_install")
class TestMoneyEngine(TransactionCase):
    """The rules computed without posting, with exact cents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")

    def _rules(self, **settings):
        return engine.NetworkRules(env=self.env, currency=self.eur, **settings)

    # -- earning ---------------------------------------------------------

    def test_standard_and_reduced_plans(self):
        rules = self._rules()
        standard = engine.split_earning(rules, 100.0, 4.0, 1.0)
        self.assertEqual(
            (standard["amount"], standard["merchant_contribution"], standard["network_fee"]),
            (4.0, 5.0, 1.0),
        )
        reduced = engine.split_earning(rules, 33.33, 2.0, 1.0)
        # 0.6666 -> 0.67; 0.9999 -> 1.00; the fee is the difference
        self.assertEqual(
            (reduced["amount"], reduced["merchant_contribution"], reduced["network_fee"]),
            (0.67, 1.0, 0.33),
        )

    def test_half_up_rounding_on_each_line(self):
        rules = self._rules()
        split = engine.split_earning(rules, 12.50, 4.0, 1.0)  # 0.50 and 0.625 -> 0.63
        self.assertEqual((split["amount"], split["merchant_contribution"]), (0.5, 0.63))
        self.assertEqual(split["network_fee"], 0.13)

    def test_birthday_network_funded(self):
        rules = self._rules(birthday_rate=10.0, birthday_funded_by="network")
        split = engine.split_earning(rules, 100.0, 4.0, 1.0, birthday=True)
        self.assertEqual(split["amount"], 10.0)
        self.assertEqual((split["base_credit"], split["birthday_bonus"]), (4.0, 6.0))
        self.assertEqual(split["merchant_contribution"], 5.0)
        self.assertEqual(split["network_expense"], 6.0)
        self.assertEqual(split["cardholder_rate"], 10.0)

    def test_birthday_merchant_funded(self):
        rules = self._rules(birthday_rate=10.0, birthday_funded_by="merchant")
        split = engine.split_earning(rules, 100.0, 4.0, 1.0, birthday=True)
        self.assertEqual(split["amount"], 10.0)
        self.assertEqual(split["merchant_contribution"], 11.0)
        self.assertEqual((split["network_fee"], split["network_expense"]), (1.0, 0.0))

    def test_birthday_plus_boost_plus_balance_cap(self):
        rules = self._rules(birthday_rate=10.0, max_wallet_balance=50.0)
        # 100.00: base 4.00, birthday +6.00, double boost +4.00 = 14.00; room 50 - 40 = 10
        split = engine.split_earning(
            rules, 100.0, 4.0, 1.0, birthday=True, boost_multiplier=2.0, balance=40.0
        )
        self.assertEqual(split["capped_amount"], 4.0)
        self.assertEqual(split["amount"], 10.0)
        # The network-funded birthday part is cut first.
        self.assertEqual(
            (split["base_credit"], split["birthday_bonus"], split["boost_bonus"]), (4.0, 2.0, 4.0)
        )
        self.assertEqual(split["merchant_contribution"], 9.0)  # 4 + fee 1 + boost 4
        self.assertEqual(split["network_expense"], 2.0)

    def test_daily_cap_on_the_eligible_purchase(self):
        rules = self._rules(max_daily_purchase=150.0)
        split = engine.split_earning(rules, 100.0, 4.0, 1.0, eligible_today=120.0)
        self.assertEqual(split["purchase_amount"], 100.0)
        self.assertEqual(split["eligible_amount"], 30.0)
        self.assertEqual(split["amount"], 1.2)
        self.assertEqual(split["merchant_contribution"], 1.5)

    # -- refunds ---------------------------------------------------------

    def _earning(self, rules, amount=100.0, **kw):
        return engine.split_earning(rules, amount, 4.0, 1.0, **kw)

    def test_partial_then_last_refund_ties_to_the_cent(self):
        rules = self._rules()
        origin = self._earning(rules, 33.33)  # credit 1.33, contribution 1.67
        first = engine.split_earning_reversal(rules, origin, [], 10.0, balance=10.0)
        self.assertEqual((first["amount"], first["merchant_contribution"]), (-0.4, -0.5))
        last = engine.split_earning_reversal(rules, origin, [first], 23.33, balance=10.0)
        for name in engine.EARNING_FIELDS:
            self.assertAlmostEqual(origin[name] + first[name] + last[name], 0.0, places=2)
        with self.assertRaisesRegex(UserError, "can still be refunded"):
            engine.split_earning_reversal(rules, origin, [first, last], 0.01, balance=10.0)

    def test_refund_after_spending_claw_back(self):
        rules = self._rules(negative_balance_policy="claw_back")
        origin = self._earning(rules)  # credit 4.00, already spent: balance 1.00
        vals = engine.split_earning_reversal(rules, origin, [], 100.0, balance=1.0)
        self.assertEqual(vals["amount"], -4.0)  # balance goes to -3.00
        self.assertEqual(vals["uncovered_amount"], 0.0)
        self.assertFalse(engine.can_spend(rules, 1.0 + vals["amount"]))

    def test_refund_after_spending_network_bears_the_rest(self):
        rules = self._rules(negative_balance_policy="network_bears")
        origin = self._earning(rules)
        half = engine.split_earning_reversal(rules, origin, [], 50.0, balance=1.0)
        self.assertEqual(half["amount"], -1.0)  # only what is left
        self.assertEqual(half["uncovered_amount"], 1.0)  # 2.00 to reverse, 1.00 borne
        self.assertEqual(half["merchant_contribution"], -2.5)  # the merchant is refunded fully
        rest = engine.split_earning_reversal(rules, origin, [half], 50.0, balance=0.0)
        self.assertEqual((rest["amount"], rest["uncovered_amount"]), (0.0, 2.0))

    def test_spend_reversal_bounded(self):
        rules = self._rules()
        spend = {"amount": -8.0}
        back = engine.split_spend_reversal(rules, spend, [], 5.0)
        self.assertEqual(back["amount"], 5.0)
        with self.assertRaisesRegex(UserError, "can still be given back"):
            engine.split_spend_reversal(rules, spend, [back], 3.01)

    # -- spending, opening fee, amounts ----------------------------------

    def test_spend_threshold_and_balance(self):
        rules = self._rules(min_spend_balance=5.0)
        self.assertFalse(engine.can_spend(rules, 4.99))
        self.assertTrue(engine.can_spend(rules, 5.0))
        with self.assertRaisesRegex(UserError, "can be spent from"):
            engine.check_spend(rules, 4.99, 1.0)
        with self.assertRaisesRegex(UserError, "more than the wallet balance"):
            engine.check_spend(rules, 6.0, 6.01)
        engine.check_spend(rules, 6.0, 6.0)

    def test_opening_fee_once_when_reached(self):
        rules = self._rules(opening_fee=4.0)
        self.assertEqual(engine.opening_fee_due(rules, 3.99, False), 0.0)
        self.assertEqual(engine.opening_fee_due(rules, 4.0, False), 4.0)
        self.assertEqual(engine.opening_fee_due(rules, 40.0, True), 0.0)

    def test_amounts_refused(self):
        rules = self._rules(max_operation_amount=10000.0)
        for bad in (0, -1.0, 1.001, float("nan"), float("inf"), "12", True, None, 10000.01):
            with self.assertRaises(UserError):
                engine.check_amount(rules, bad)
        self.assertEqual(engine.check_amount(rules, 12.5), 12.5)

    def test_amounts_in_words_people_read(self):
        rules = self._rules()
        fr = self.env["res.lang"]._activate_lang("fr_FR")
        self.assertTrue(fr)
        text = engine.NetworkRules(env=self.env(context={"lang": "fr_FR"}), currency=self.eur).fmt(
            5.0
        )
        self.assertEqual(text, "5,00\N{NO-BREAK SPACE}€")
        self.assertEqual(rules.fmt(5.0), "5.00\N{NO-BREAK SPACE}€")

    # -- local calendar --------------------------------------------------

    def test_local_day_and_month_boundaries(self):
        rules = self._rules(tz="Europe/Paris")
        # 00:30 on 1 November in Paris is 23:30 UTC on 31 October.
        sale = datetime(2026, 10, 31, 23, 30)
        self.assertEqual(rules.local_date(sale), date(2026, 11, 1))
        self.assertEqual(
            rules.month_bounds(2026, 11),
            (datetime(2026, 10, 31, 23, 0), datetime(2026, 11, 30, 23, 0)),
        )
        # Summer time: the local day starts at 22:00 UTC the day before.
        self.assertEqual(
            rules.day_bounds(datetime(2026, 7, 14, 22, 30)),
            (datetime(2026, 7, 14, 22, 0), datetime(2026, 7, 15, 22, 0)),
        )
        self.assertTrue(engine.is_birthday_month(rules, date(1990, 11, 20), sale))
        self.assertFalse(engine.is_birthday_month(rules, date(1990, 10, 20), sale))

    def test_forfeit_dates(self):
        rules = self._rules(inactivity_months=12)
        self.assertEqual(engine.forfeit_limit(rules, date(2026, 11, 30)), date(2025, 11, 30))
        self.assertEqual(engine.forfeit_date(rules, date(2025, 2, 28)), date(2026, 2, 28))
        self.assertIsNone(engine.forfeit_limit(self._rules(inactivity_months=0), date.today()))

    # -- point of sale ---------------------------------------------------

    def test_pos_earning_base_and_refund_wallet_share(self):
        rules = self._rules()
        self.assertEqual(engine.earning_base(rules, 50.0, 6.0, 44.0), 44.0)
        self.assertEqual(engine.earning_base(rules, 50.0, 6.0, 60.0), 44.0)  # change given
        self.assertEqual(engine.earning_base(rules, 50.0, 50.0, 0.0), 0.0)
        # Half of a 100.00 sale paid 5.00 by wallet: 2.50 goes back to the wallet.
        self.assertEqual(engine.wallet_share_of_refund(rules, 100.0, 5.0, 50.0, 5.0), 2.5)
        self.assertEqual(engine.wallet_share_of_refund(rules, 100.0, 5.0, 50.0, 1.0), 1.0)
        self.assertEqual(engine.wallet_share_of_refund(rules, 100.0, 0.0, 50.0, 0.0), 0.0)
        self.assertEqual(engine.wallet_share_of_refund(rules, 33.33, 3.33, 11.11, 3.33), 1.11)
