from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import NOVEMBER

DECEMBER = (NOVEMBER[1].replace(month=12, day=1), NOVEMBER[1].replace(month=12, day=31))


@tagged("post_install", "-at_install")
class TestSponsorshipSettlement(AccountTestInvoicingCommon):
    """The sponsor is invoiced what its campaign credited in the period; the
    statement shows the turnover generated; the tie-out stays balanced."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        cls.env.company.write({"loyalty_tz": "Europe/Paris", "loyalty_opening_fee": 4.0})
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        shop = cls.env["res.partner"].create({"name": "Bakery", "is_company": True})
        cls.bakery = cls.env["loyalty.network.merchant"].create(
            {"partner_id": shop.id, "plan_id": plan.id}
        )
        cls.alice = cls.env["res.partner"].create({"name": "Alice"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.alice, cls.bakery)
        cls.town = cls.env["res.partner"].create({"name": "Town council", "is_company": True})
        cls.campaign = cls.env["loyalty.network.sponsorship"].create(
            {
                "name": "Christmas bonus",
                "sponsor_id": cls.town.id,
                "kind": "rate",
                "bonus_rate": 10.0,
                "date_from": NOVEMBER[0],
                "date_to": DECEMBER[1],
                "budget_amount": 500.0,
            }
        )
        cls.campaign.action_start()
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.Settlement = cls.env["loyalty.network.settlement"]

    def _credit(self, amount, ref, when):
        return self.Wallet._credit_purchase(self.card, self.bakery, amount, ref, date=when)

    def test_sponsor_invoiced_what_the_campaign_credited(self):
        first = self._credit(100.0, "st/1", datetime(2026, 11, 3, 10, 0))
        self._credit(50.0, "st/2", datetime(2026, 11, 30, 22, 30))  # 23:30 in Paris
        self.Wallet._refund(first, 20.0, "st/1/r", date=datetime(2026, 11, 20, 10, 0))
        self._credit(30.0, "st/3", datetime(2026, 11, 30, 23, 30))  # 1 December in Paris
        settlements = self.Settlement._run_period(self.env.company, *NOVEMBER)
        sponsor = settlements.filtered("sponsorship_id")
        self.assertRecordValues(
            sponsor,
            [
                {
                    "sponsorship_id": self.campaign.id,
                    "merchant_id": False,
                    "sponsored_amount": 13.0,  # 10.00 + 5.00 - 2.00
                    "sponsored_turnover_amount": 130.0,  # 100 + 50 - 20
                    "entry_count": 3,
                }
            ],
        )
        self.assertEqual(round(sponsor.sponsor_impact_ratio, 2), 10.0)
        self.assertEqual(
            sponsor._get_sponsor_shop_lines(),
            [{"shop": "Bakery", "count": 2, "turnover": 130.0, "credited": 13.0}],
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("loyalty_settlement.loyalty_network_settlement_report", sponsor.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("o_sponsor_statement", html)
        self.assertIn("Town council", html)
        self.assertIn("10.00", html)
        invoice = sponsor.move_id
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.town.id,
                    "state": "posted",
                    "amount_total": 13.0,
                    "invoice_date": NOVEMBER[1],
                }
            ],
        )
        self.assertEqual(
            invoice.invoice_line_ids.account_id, self.env.company.loyalty_liability_account_id
        )
        # The merchant's settlement is the usual one, the sponsor's credits apart.
        merchant = settlements.filtered("merchant_id")
        self.assertEqual(merchant.merchant_id, self.bakery)
        self.assertEqual(merchant.contribution_amount, 6.5)  # 5 % of 130.00
        checks = self.env.company._loyalty_settlement_checks()
        self.assertTrue(checks["is_liability_ok"], checks)
        self.assertEqual(checks["settlement_mismatch_count"], 0)
        # A second run of the period settles nothing more; December gets the rest.
        self.assertFalse(self.Settlement._run_period(self.env.company, *NOVEMBER))
        december = self.Settlement._run_period(self.env.company, *DECEMBER).filtered(
            "sponsorship_id"
        )
        self.assertEqual(december.sponsored_amount, 3.0)
        self.assertEqual(self.campaign.consumed_amount, 16.0)
        self.assertEqual(
            sum(
                self.Settlement.search([("sponsorship_id", "=", self.campaign.id)]).mapped(
                    "sponsored_amount"
                )
            ),
            self.campaign.consumed_amount,
        )
        self.assertEqual(self.campaign.settlement_count, 2)
        self.assertTrue(self.env.company._loyalty_settlement_checks()["is_liability_ok"])
        # A sponsor settlement that no longer matches its entries is reported.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_network_settlement SET sponsored_amount = 12 WHERE id = %s",
            [sponsor.id],
        )
        self.assertEqual(
            self.env.company._loyalty_settlement_checks()["settlement_mismatch_count"], 1
        )

    def test_refunds_above_credits_give_a_credit_note_and_spent_credit_borne(self):
        self.env.company.loyalty_negative_balance_policy = "network_bears"
        first = self._credit(100.0, "cn/1", datetime(2026, 11, 3, 10, 0))  # 4 + 10, fee 4
        self.Settlement._run_period(self.env.company, *NOVEMBER)
        self.Wallet._spend(self.card, self.bakery, 10.0, "cn/spend")  # the wallet is empty
        self.Wallet._refund(first, 100.0, "cn/1/r", date=datetime(2026, 12, 2, 10, 0))
        sponsor = self.Settlement._run_period(self.env.company, *DECEMBER).filtered(
            "sponsorship_id"
        )
        self.assertEqual((sponsor.sponsored_amount, sponsor.uncovered_amount), (-10.0, 10.0))
        self.assertRecordValues(
            sponsor.move_id, [{"move_type": "out_refund", "amount_total": 10.0}]
        )
        self.assertEqual(sponsor.sponsor_expense_move_id.state, "posted")
        self.assertEqual(sponsor.sponsor_expense_move_id.amount_total, 10.0)
        self.assertTrue(self.env.company._loyalty_settlement_checks()["is_liability_ok"])
