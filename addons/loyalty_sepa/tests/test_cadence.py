from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LoyaltySepaCase


@tagged("post_install", "-at_install")
class TestCadence(LoyaltySepaCase):
    def _trigger(self, xmlid):
        with self.enter_registry_test_mode():
            self.env.ref(xmlid).sudo().method_direct_trigger()
        self.env.invalidate_all()

    @freeze_time("2026-03-11 10:00:00")
    def test_weekly_cadence_settles_local_weeks(self):
        company = self.env.company
        company.loyalty_settlement_cadence = "weekly"
        W = self.Wallet
        # Monday 2 March 00:30 in Paris is Sunday 1 March 23:30 UTC: last week's
        W._credit_purchase(
            self.bob_card, self.bakery, 100.0, "w/1", date=datetime(2026, 3, 1, 23, 30)
        )
        # Sunday 8 March 23:30 in Paris: last week's too
        W._credit_purchase(
            self.bob_card, self.bakery, 100.0, "w/2", date=datetime(2026, 3, 8, 22, 30)
        )
        # Monday 9 March 00:30 in Paris: this week's, not settled yet
        W._credit_purchase(
            self.bob_card, self.bakery, 100.0, "w/3", date=datetime(2026, 3, 8, 23, 30)
        )
        wizard = self.env["loyalty.network.settlement.run"].create({})
        self.assertEqual((wizard.date_from, wizard.date_to), (date(2026, 3, 2), date(2026, 3, 8)))
        # The monthly cron leaves weekly networks alone; the weekly one settles last week
        self._trigger("loyalty_settlement.ir_cron_loyalty_settlement_monthly")
        self.assertFalse(self.Settlement.search([("company_id", "=", company.id)]))
        self._trigger("loyalty_sepa.ir_cron_loyalty_settlement_weekly")
        bakery = self.Settlement.search([("merchant_id", "=", self.bakery.id)])
        self.assertEqual((bakery.date_from, bakery.date_to), (date(2026, 3, 2), date(2026, 3, 8)))
        self.assertEqual(bakery.contribution_amount, 10.0)
        self.assertEqual(bakery.move_id.amount_total, 10.0)
        # Debited 14 days after the week
        self.assertEqual(bakery.sepa_date, date(2026, 3, 23))
        # A second run in the same week does nothing
        self._trigger("loyalty_sepa.ir_cron_loyalty_settlement_weekly")
        self.assertEqual(self.Settlement.search_count([("merchant_id", "=", self.bakery.id)]), 1)

    def test_monthly_is_the_default(self):
        self.assertEqual(self.env.company.loyalty_settlement_cadence, "monthly")
        self.assertIn(self.env.company, self.Settlement._get_monthly_companies())

    def test_prenotification_delay_is_a_setting_frozen_per_settlement(self):
        self.env.company.loyalty_sepa_prenotification_days = 5
        self._activity()
        bakery = self._of(self._settle(), self.bakery)
        self.assertEqual(bakery.sepa_date, date(2026, 4, 6))
        self.assertEqual(bakery.move_id.invoice_date_due, date(2026, 4, 6))
        self.env.company.loyalty_sepa_prenotification_days = 20
        bakery.invalidate_recordset()
        self.assertEqual(bakery.sepa_date, date(2026, 4, 6))
