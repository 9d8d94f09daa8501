from contextlib import closing
from datetime import date, datetime
from unittest.mock import patch

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules
from odoo.addons.loyalty_settlement.models import loyalty_network_settlement as settlement_module
from odoo.addons.loyalty_settlement.models.loyalty_network_settlement import (
    NOT_INVOICED_DOMAIN,
    SETTLEMENT_LOCK,
)


@tagged("post_install", "-at_install")
class TestSettlement(AccountTestInvoicingCommon):
    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The association's accountant is also association staff.
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        company = cls.env.company
        company.write({"loyalty_opening_fee": 4.0, "loyalty_birthday_funded_by": "network"})
        Plan = cls.env["loyalty.network.plan"]
        cls.standard = Plan.create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        cls.reduced = Plan.create(
            {"name": "Reduced", "cardholder_rate": 2.0, "network_fee_rate": 1.0}
        )
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.Settlement = cls.env["loyalty.network.settlement"]
        cls.bakery = cls._merchant("Bakery", cls.standard)
        cls.butcher = cls._merchant("Butcher", cls.reduced)
        cls.alice, cls.alice_card = cls._holder("Alice", birth_date=date(1990, 3, 3))
        cls.bob, cls.bob_card = cls._holder("Bob")
        cls.baker_user = cls.env["res.users"].create(
            {
                "name": "Baker",
                "login": "baker-settle",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                        ]
                    )
                ],
            }
        )
        cls.bakery.user_ids = cls.baker_user

    @classmethod
    def _merchant(cls, name, plan):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )

    @classmethod
    def _holder(cls, name, **vals):
        partner = cls.env["res.partner"].create(
            {"name": name, **({"loyalty_birth_date": vals["birth_date"]} if vals else {})}
        )
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, cls.bakery)
        return partner, card

    def _march_activity(self):
        W, day = self.Wallet, datetime(2026, 3, 10, 10, 0)
        # Alice's birthday month: 100.00 at 10 % (network-funded top-up of 6.00)
        self.earn_alice = W._credit_purchase(self.alice_card, self.bakery, 100.0, "s/1", date=day)
        W._credit_purchase(self.bob_card, self.bakery, 250.0, "s/2", date=day)  # 10.00
        W._credit_purchase(self.bob_card, self.butcher, 125.0, "s/3", date=day)  # 2.5 at 2 %
        W._spend(self.alice_card, self.butcher, 5.0, "s/4", date=day)  # spent at the butcher
        W._refund(self.earn_alice, 50.0, "s/5", date=day)  # half of Alice's purchase back

    def test_month_settles_to_the_cent_on_both_plans(self):
        self._march_activity()
        settlements = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        )
        bakery = settlements.filtered(lambda s: s.merchant_id == self.bakery)
        butcher = settlements.filtered(lambda s: s.merchant_id == self.butcher)
        network = settlements.filtered(lambda s: not s.merchant_id)
        # Bakery: contributions 5.00 + 12.50 - 2.50 (refund) = 15.00, of which fees 1.00 + 2.50 - 0.50
        self.assertEqual(
            (bakery.contribution_amount, bakery.fee_amount, bakery.credit_amount),
            (15.0, 3.0, 12.0),
        )
        self.assertEqual((bakery.reimbursement_amount, bakery.net_amount), (0.0, 15.0))
        self.assertEqual(bakery.move_id.move_type, "out_invoice")
        self.assertEqual(bakery.move_id.amount_total, 15.0)
        # Butcher: 125.00 at 3 % = 3.75 owed, 5.00 of wallet payments reimbursed: net -1.25
        self.assertEqual(
            (butcher.contribution_amount, butcher.reimbursement_amount, butcher.net_amount),
            (3.75, 5.0, -1.25),
        )
        self.assertEqual(butcher.move_id.move_type, "out_refund")
        self.assertEqual(butcher.move_id.amount_total, 1.25)
        # Network: two opening fees (Alice 10 - 3 refund = 7 -> fee; Bob at 10), top-up 6 - 3
        self.assertEqual((network.opening_fee_amount, network.network_expense_amount), (8.0, 3.0))
        checks = self.env.company._loyalty_settlement_checks()
        self.assertTrue(checks["is_liability_ok"])
        self.assertEqual(checks["unsettled_total"], 0.0)
        self.assertEqual(checks["liability_balance"], checks["wallet_total"])
        self.assertEqual(checks["settlement_mismatch_count"], 0)
        self.assertEqual(checks["stale_entry_count"], 0)

    def test_rerun_settles_nothing_twice_and_late_refunds_go_to_next_period(self):
        self._march_activity()
        march = (date(2026, 3, 1), date(2026, 3, 31))
        first = self.Settlement._run_period(self.env.company, *march)
        self.assertFalse(self.Settlement._run_period(self.env.company, *march))
        # A refund made in April of a March purchase lands in April's settlement.
        late = self.Wallet._refund(self.earn_alice, 50.0, "s/6", date=datetime(2026, 4, 2, 9, 0))
        self.assertFalse(self.Settlement._run_period(self.env.company, *march))
        april = self.Settlement._run_period(self.env.company, date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual(late.settlement_id.merchant_id, self.bakery)
        self.assertIn(late.settlement_id, april)
        self.assertNotIn(late.settlement_id, first)
        self.assertEqual(late.settlement_id.net_amount, -2.5)
        entries = self.env["loyalty.network.entry"].search(
            [("company_id", "=", self.env.company.id)]
        )
        self.assertFalse(entries.filtered(lambda e: not e.settlement_id))
        self.assertTrue(self.env.company._loyalty_settlement_checks()["is_liability_ok"])

    def test_settling_links_entries_without_rewriting_them(self):
        self._march_activity()
        entries = self.env["loyalty.network.entry"].search(
            [("company_id", "=", self.env.company.id)]
        )
        written = {entry: entry.write_date for entry in entries}
        settlements = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        )
        self.env.invalidate_all()
        self.assertEqual({entry: entry.write_date for entry in entries}, written)
        self.assertEqual(sum(settlements.mapped("entry_count")), len(entries))
        self.assertEqual(settlements.entry_ids, entries)
        bakery = settlements.filtered(lambda s: s.merchant_id == self.bakery)
        self.assertEqual(
            self.env["loyalty.network.entry"].search([("settlement_id", "=", bakery.id)]),
            bakery.entry_ids,
        )
        with self.assertRaises(UserError):
            entries[0].write({"settlement_ids": [Command.clear()]})

    def test_an_entry_is_settled_once(self):
        self._march_activity()
        march = (date(2026, 3, 1), date(2026, 3, 31))
        first = self.Settlement._run_period(self.env.company, *march)
        # Another period: one settlement per merchant and period is a constraint of its own.
        other = self.Settlement.sudo().create(
            {
                "name": "Other",
                "company_id": self.env.company.id,
                "date_from": march[0],
                "date_to": date(2026, 3, 30),
            }
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.cr.savepoint():
                self.cr.execute(
                    "INSERT INTO loyalty_network_settlement_entry_rel (settlement_id, entry_id)"
                    " VALUES (%s, %s)",
                    (other.id, first.entry_ids[0].id),
                )

    def test_runs_do_not_overlap(self):
        self._march_activity()
        # Another run holds the company's settlement lock, as a parallel cron would.
        with closing(sql_db.db_connect(self.cr.dbname).cursor()) as other_cr:
            other_cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", (SETTLEMENT_LOCK, self.env.company.id)
            )
            with self.assertRaisesRegex(UserError, "already in progress"):
                self.Settlement._run_period(self.env.company, date(2026, 3, 1), date(2026, 3, 31))
            other_cr.rollback()
        self.assertFalse(self.Settlement.search([("company_id", "=", self.env.company.id)]))

    def test_monthly_cron_invoices_what_an_interrupted_run_left(self):
        # The cron's last month is the network's (local time), as the run's
        today = NetworkRules.of(self.env.company).today()
        last_month = today.replace(day=1) - relativedelta(months=1)
        day = datetime.combine(last_month.replace(day=10), datetime.min.time())
        self.Wallet._credit_purchase(self.bob_card, self.bakery, 250.0, "s/c1", date=day)
        self.Wallet._credit_purchase(self.bob_card, self.butcher, 100.0, "s/c2", date=day)
        # A run cut off after closing the ledger: no merchant invoice yet.
        closed = self.Settlement._run_period(
            self.env.company, last_month, last_month + relativedelta(day=31), invoice=False
        )
        merchants = closed.filtered("merchant_id")
        self.assertEqual(merchants.merchant_id, self.bakery | self.butcher)
        self.assertFalse(merchants.move_id)
        self.assertEqual((closed - merchants).move_id.state, "posted")
        self.assertEqual(
            self.Settlement.search([("id", "in", closed.ids)] + NOT_INVOICED_DOMAIN), merchants
        )
        with (
            patch.object(settlement_module, "INVOICE_BATCH_SIZE", 1),
            self.enter_registry_test_mode(),
        ):
            self.env.ref(
                "loyalty_settlement.ir_cron_loyalty_settlement_monthly"
            ).sudo().method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(merchants.mapped("move_id.state"), ["posted", "posted"])
        # 250.00 at 5 % at the bakery, 100.00 at 3 % at the butcher
        self.assertEqual(
            {s.merchant_id: s.move_id.amount_total for s in merchants},
            {self.bakery: 12.5, self.butcher: 3.0},
        )
        self.assertEqual(self.Settlement.search([("company_id", "=", self.env.company.id)]), closed)
        self.assertTrue(self.env.company._loyalty_settlement_checks()["is_liability_ok"])

    def test_forfeits_and_adjustments_are_booked_on_the_network(self):
        self.Wallet._credit_purchase(
            self.bob_card, self.bakery, 300.0, "s/7", date=datetime(2025, 1, 5)
        )  # 12 - 4 = 8
        self.Wallet._forfeit_inactive_wallets(self.env.company, today=date(2026, 3, 1))
        self.alice._get_loyalty_wallet()._adjust(2.5, "Goodwill", "s/8")  # dated now
        # Up to today in the network's calendar, where the adjustment is dated
        today = NetworkRules.of(self.env.company).today()
        settlements = self.Settlement._run_period(self.env.company, date(2026, 3, 1), today)
        network = settlements.filtered(lambda s: not s.merchant_id)
        self.assertEqual((network.forfeit_amount, network.adjustment_amount), (8.0, 2.5))
        lines = network.move_id.line_ids
        forfeit_income = self.env.company.loyalty_forfeit_income_account_id
        self.assertEqual(
            sum(lines.filtered(lambda line: line.account_id == forfeit_income).mapped("credit")),
            8.0,
        )
        checks = self.env.company._loyalty_settlement_checks()
        self.assertTrue(checks["is_liability_ok"])
        self.assertEqual(checks["liability_balance"], 2.5)

    def test_invoice_payment_reconciles(self):
        self._march_activity()
        bakery = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        ).filtered(lambda s: s.merchant_id == self.bakery)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bakery.move_id.ids
        ).create({"payment_date": date(2026, 4, 5)})._create_payments()
        self.assertIn(bakery.payment_state, ("paid", "in_payment"))

    def test_merchant_sees_only_its_own_statements(self):
        self._march_activity()
        settlements = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        )
        visible = self.Settlement.with_user(self.baker_user).search([])
        self.assertEqual(visible.merchant_id, self.bakery)
        butcher = settlements.filtered(lambda s: s.merchant_id == self.butcher)
        with self.assertRaises(AccessError):
            butcher.with_user(self.baker_user).read(["net_amount"])
        with self.assertRaises(AccessError):
            self.Settlement.with_user(self.baker_user)._run_period(
                self.env.company, date(2026, 3, 1), date(2026, 3, 31)
            ).check_access("write")

    def test_statement_xlsx_lists_the_entries(self):
        self._march_activity()
        bakery = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        ).filtered(lambda s: s.merchant_id == self.bakery)
        content = bakery._get_statement_xlsx()
        self.assertEqual(content[:2], b"PK")  # an OOXML zip
        self.assertGreater(len(content), 3000)

    def test_wizard_refuses_an_open_period(self):
        today = NetworkRules.of(self.env.company).today()
        wizard = self.env["loyalty.network.settlement.run"].create(
            {"date_from": today.replace(day=1), "date_to": today}
        )
        with self.assertRaisesRegex(UserError, "period that is over"):
            wizard.action_run()

    def test_statement_is_sent_with_the_invoice(self):
        self._march_activity()
        bakery = self.Settlement._run_period(
            self.env.company, date(2026, 3, 1), date(2026, 3, 31)
        ).filtered(lambda s: s.merchant_id == self.bakery)
        bakery.action_send_statement()
        message = bakery.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertIn(self.bakery.partner_id, message.partner_ids)
        names = message.attachment_ids.mapped("name")
        self.assertTrue(any(name.endswith(".xlsx") for name in names))
        self.assertTrue(any(name.startswith("Statement") for name in names))
        self.assertIn("15.00", message.body)

    def test_accounting_is_configured_on_install(self):
        company = self.env.company
        company._loyalty_ensure_accounting()
        self.assertEqual(company.loyalty_liability_account_id.account_type, "liability_current")
        self.assertEqual(company.loyalty_settlement_journal_id.type, "sale")
        self.assertEqual(company.loyalty_contribution_product_id.type, "service")
        self._march_activity()
        bakery = self.Settlement._run_period(company, date(2026, 3, 1), date(2026, 3, 31)).filtered(
            lambda s: s.merchant_id == self.bakery
        )
        self.assertEqual(
            bakery.move_id.invoice_line_ids.product_id, company.loyalty_contribution_product_id
        )
