import io
from datetime import date, datetime

import openpyxl
import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
LOYALTY_FIELDS = (
    "loyalty_liability_account_id",
    "loyalty_fee_income_account_id",
    "loyalty_opening_fee_income_account_id",
    "loyalty_forfeit_income_account_id",
    "loyalty_bonus_expense_account_id",
    "loyalty_adjustment_account_id",
    "loyalty_uncovered_expense_account_id",
    "loyalty_settlement_journal_id",
    "loyalty_network_journal_id",
    "loyalty_contribution_product_id",
    "loyalty_reimbursement_product_id",
)


@tagged("post_install", "-at_install")
class TestSettlementPeriods(AccountTestInvoicingCommon):
    """Periods of local days, one settlement per merchant and period, carried-over
    entries, accounting ready with the chart, refunds of spent credits."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        company = cls.env.company
        company.write(
            {
                "loyalty_tz": "Europe/Paris",
                "loyalty_opening_fee": 4.0,
                "loyalty_birthday_funded_by": "network",
            }
        )
        Plan = cls.env["loyalty.network.plan"]
        standard = Plan.create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        reduced = Plan.create({"name": "Reduced", "cardholder_rate": 2.0, "network_fee_rate": 1.0})
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.Settlement = cls.env["loyalty.network.settlement"]
        cls.bakery = cls._merchant("Bakery", standard)
        cls.butcher = cls._merchant("Butcher", reduced)
        cls.alice, cls.alice_card = cls._holder("Alice")
        cls.bob, cls.bob_card = cls._holder("Bob")

    @classmethod
    def _merchant(cls, name, plan):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )

    @classmethod
    def _holder(cls, name):
        partner = cls.env["res.partner"].create({"name": name})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, cls.bakery)
        return partner, card

    def _of(self, settlements, merchant):
        return settlements.filtered(lambda s: s.merchant_id == merchant)

    def _count(self):
        return self.Settlement.search_count([("company_id", "=", self.env.company.id)])

    # ------------------------------------------------------------
    # Local days
    # ------------------------------------------------------------

    def test_period_is_made_of_the_networks_local_days(self):
        # 22:30 UTC on 31 October is 23:30 in Paris: October
        october_sale = self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "tz/1", date=datetime(2026, 10, 31, 22, 30)
        )
        # 23:30 UTC on 31 October is 00:30 on 1 November in Paris: November
        november_sale = self.Wallet._credit_purchase(
            self.bob_card, self.bakery, 200.0, "tz/2", date=datetime(2026, 10, 31, 23, 30)
        )
        october = self.Settlement._run_period(self.env.company, *OCTOBER)
        self.assertEqual(october_sale.settlement_id, self._of(october, self.bakery))
        self.assertFalse(november_sale.settlement_id)
        self.assertEqual(self._of(october, self.bakery).contribution_amount, 5.0)
        november = self.Settlement._run_period(self.env.company, *NOVEMBER)
        bakery = self._of(november, self.bakery)
        self.assertEqual(november_sale.settlement_id, bakery)
        self.assertEqual((bakery.contribution_amount, bakery.net_amount), (10.0, 10.0))
        # Nothing of November is listed as carried over: it is November's own.
        self.assertFalse(bakery._get_carried_over_lines())
        self.assertEqual(bakery._get_statement_lines()[0]["local_date"], date(2026, 11, 1))
        self.assertEqual(self.env.company._loyalty_settlement_checks()["stale_entry_count"], 0)

    def test_unsettled_entries_of_earlier_periods_are_carried_over_on_the_statement(self):
        # September was never settled: its sale is settled with October, as carried over.
        self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "co/1", date=datetime(2026, 9, 30, 21, 0)
        )
        self.Wallet._credit_purchase(
            self.bob_card, self.bakery, 200.0, "co/2", date=datetime(2026, 10, 12, 9, 0)
        )
        bakery = self._of(self.Settlement._run_period(self.env.company, *OCTOBER), self.bakery)
        self.assertEqual(bakery.contribution_amount, 15.0)
        carried = bakery._get_carried_over_lines()
        self.assertEqual([line["entry"].source_ref for line in carried], ["co/1"])
        self.assertEqual(carried[0]["local_datetime"], "2026-09-30 23:00")
        sheet = openpyxl.load_workbook(io.BytesIO(bakery._get_statement_xlsx())).active
        rows = [
            (row[0], row[1], row[2], row[6], row[10])
            for row in sheet.iter_rows(min_row=6, max_row=7, values_only=True)
        ]
        self.assertEqual(
            rows,
            [
                ("2026-09-30 23:00", "Carried over", "Purchase Credit", 4.0, "co/1"),
                ("2026-10-12 11:00", "This period", "Purchase Credit", 8.0, "co/2"),
            ],
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("loyalty_settlement.loyalty_network_settlement_report", bakery.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Carried over from earlier periods", html)
        self.assertIn("2026-09-30 23:00", html)
        self.assertNotIn("2026-10-12 11:00", html)

    # ------------------------------------------------------------
    # One settlement per merchant and period
    # ------------------------------------------------------------

    def test_a_merchant_is_settled_once_per_period(self):
        self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 100.0, "once/1", date=datetime(2026, 10, 5, 9, 0)
        )
        october = self.Settlement._run_period(self.env.company, *OCTOBER)
        self.assertEqual(october.merchant_id, self.bakery)
        count = self._count()
        # The database refuses a second row for the same merchant and period ...
        for merchant in (self.bakery, self.env["loyalty.network.merchant"]):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.UniqueViolation),
                self.cr.savepoint(),
            ):
                self.Settlement.sudo().create(
                    {
                        "name": "Twice",
                        "company_id": self.env.company.id,
                        "merchant_id": merchant.id,
                        "date_from": OCTOBER[0],
                        "date_to": OCTOBER[1],
                    }
                )
        # ... and a second run finding a sale recorded late in October says why.
        late = self.Wallet._credit_purchase(
            self.bob_card, self.bakery, 200.0, "once/2", date=datetime(2026, 10, 20, 9, 0)
        )
        with self.assertRaisesRegex(UserError, "already settled for.*Bakery"):
            self.Settlement._run_period(self.env.company, *OCTOBER)
        self.assertEqual(self._count(), count)
        self.assertFalse(late.settlement_id)
        # The wizard refuses the period as settled, without running anything.
        wizard = self.env["loyalty.network.settlement.run"].create(
            {"date_from": OCTOBER[0], "date_to": OCTOBER[1]}
        )
        with self.assertRaisesRegex(UserError, "is already settled"):
            wizard.action_run()
        self.assertEqual(self._count(), count)
        # The late sale goes with November, listed as carried over.
        bakery = self._of(self.Settlement._run_period(self.env.company, *NOVEMBER), self.bakery)
        self.assertEqual(late.settlement_id, bakery)
        self.assertEqual([line["entry"] for line in bakery._get_carried_over_lines()], list(late))

    def test_monthly_cron_skips_a_month_already_settled(self):
        # The cron's last month is the network's (local time), as the run's
        today = NetworkRules.of(self.env.company).today()
        last_month = today.replace(day=1) - relativedelta(months=1)
        period = (last_month, last_month + relativedelta(day=31))
        self.Wallet._credit_purchase(
            self.alice_card,
            self.bakery,
            100.0,
            "cron/1",
            date=datetime.combine(last_month.replace(day=10), datetime.min.time()),
        )
        closed = self.Settlement._run_period(self.env.company, *period)
        late = self.Wallet._credit_purchase(
            self.bob_card,
            self.bakery,
            200.0,
            "cron/2",
            date=datetime.combine(last_month.replace(day=11), datetime.min.time()),
        )
        with self.enter_registry_test_mode():
            self.env.ref(
                "loyalty_settlement.ir_cron_loyalty_settlement_monthly"
            ).sudo().method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(self.Settlement.search([("company_id", "=", self.env.company.id)]), closed)
        self.assertFalse(late.settlement_id)

    # ------------------------------------------------------------
    # Accounting ready with the chart of accounts
    # ------------------------------------------------------------

    def test_accounting_is_ready_after_install_and_after_a_chart_loaded_later(self):
        # The test company's chart was loaded after the module was installed.
        company = self.env.company
        for fname in LOYALTY_FIELDS:
            self.assertTrue(company[fname], fname)
        self.assertEqual(company.loyalty_liability_account_id.code, "467900")
        self.assertEqual(company.loyalty_uncovered_expense_account_id.account_type, "expense")
        # Every company that had a chart at install has them too.
        for other in self.env["res.company"].search([("chart_template", "!=", False)]):
            self.assertTrue(other.loyalty_settlement_journal_id, other.name)
        # A new network company: nothing until its chart is loaded, then everything.
        newco = self.env["res.company"].create({"name": "Other network"})
        self.assertFalse(newco.loyalty_liability_account_id)
        self.env["account.chart.template"].try_loading("fr", company=newco, install_demo=False)
        for fname in LOYALTY_FIELDS:
            self.assertTrue(newco[fname], fname)
        self.assertEqual(newco.loyalty_settlement_journal_id.company_id, newco)
        self.assertEqual(newco.loyalty_settlement_journal_id.type, "sale")
        self.assertEqual(newco.loyalty_network_journal_id.type, "general")
        self.assertEqual(newco.loyalty_liability_account_id.company_ids, newco)
        self.assertEqual(newco.loyalty_contribution_product_id.company_id, newco)

    # ------------------------------------------------------------
    # Refund of a purchase whose credit was spent
    # ------------------------------------------------------------

    def _month_with_refund_of_spent_credit(self, policy):
        """Bob earns 10.00 at the bakery (opening fee 4.00) and 2.00 at the butcher,
        pays 7.00 at the butcher, then the bakery purchase is refunded in full;
        Alice earns 4.00 at the bakery (her opening fee takes it)."""
        self.env.company.loyalty_negative_balance_policy = policy
        W, day = self.Wallet, datetime(2026, 10, 10, 10, 0)
        earn = W._credit_purchase(self.bob_card, self.bakery, 250.0, "nb/1", date=day)
        W._credit_purchase(self.bob_card, self.butcher, 100.0, "nb/2", date=day)
        W._credit_purchase(self.alice_card, self.bakery, 100.0, "nb/3", date=day)
        W._spend(self.bob_card, self.butcher, 7.0, "nb/4", date=day)
        refund = W._refund(earn, 250.0, "nb/5", date=day)
        settlements = self.Settlement._run_period(self.env.company, *OCTOBER)
        bakery = self._of(settlements, self.bakery)
        butcher = self._of(settlements, self.butcher)
        network = settlements.filtered(lambda s: not s.merchant_id)
        # The bakery is refunded its whole contribution on the refunded purchase.
        self.assertEqual(
            (bakery.contribution_amount, bakery.fee_amount, bakery.credit_amount),
            (5.0, 1.0, 4.0),
        )
        self.assertEqual(bakery.net_amount, 5.0)
        self.assertEqual(bakery.move_id.amount_total, 5.0)
        self.assertEqual(
            (butcher.contribution_amount, butcher.reimbursement_amount, butcher.net_amount),
            (3.0, 7.0, -4.0),
        )
        self.assertEqual(network.opening_fee_amount, 8.0)
        return refund, network

    def test_refund_of_spent_credit_network_bears_the_rest(self):
        refund, network = self._month_with_refund_of_spent_credit("network_bears")
        # The wallet had 1.00 left: it gives back 1.00, the network bears 9.00.
        self.assertEqual((refund.amount, refund.uncovered_amount), (-1.0, 9.0))
        self.assertEqual(refund.merchant_contribution, -12.5)
        self.assertEqual(network.uncovered_amount, 9.0)
        expense = self.env.company.loyalty_uncovered_expense_account_id
        liability = self.env.company.loyalty_liability_account_id
        lines = network.move_id.line_ids
        self.assertEqual(
            sum(lines.filtered(lambda line: line.account_id == expense).mapped("debit")), 9.0
        )
        self.assertEqual(
            sum(lines.filtered(lambda line: line.account_id == liability).mapped("balance")),
            8.0 - 9.0,  # opening fees taken from wallets, refunded credit borne
        )
        checks = self.env.company._loyalty_settlement_checks()
        self.assertEqual((checks["wallet_total"], checks["liability_balance"]), (0.0, 0.0))
        self.assertTrue(checks["is_liability_ok"])
        self.assertEqual(checks["settlement_mismatch_count"], 0)
        self.assertEqual(checks["unsettled_total"], 0.0)

    def test_refund_of_spent_credit_claw_back(self):
        refund, network = self._month_with_refund_of_spent_credit("claw_back")
        # The whole credit is taken back: Bob's wallet is at -9.00, still a liability line.
        self.assertEqual((refund.amount, refund.uncovered_amount), (-10.0, 0.0))
        self.assertEqual(self.bob._get_loyalty_wallet().balance, -9.0)
        self.assertEqual(network.uncovered_amount, 0.0)
        expense = self.env.company.loyalty_uncovered_expense_account_id
        self.assertFalse(network.move_id.line_ids.filtered(lambda line: line.account_id == expense))
        checks = self.env.company._loyalty_settlement_checks()
        self.assertEqual((checks["wallet_total"], checks["liability_balance"]), (-9.0, -9.0))
        self.assertTrue(checks["is_liability_ok"])
        self.assertEqual(checks["settlement_mismatch_count"], 0)
