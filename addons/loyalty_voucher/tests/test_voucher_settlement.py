import io
from datetime import timedelta

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

from .common import VoucherCase


@tagged("post_install", "-at_install")
class TestVoucherSettlement(VoucherCase):
    def _checks(self):
        return self.company._loyalty_settlement_checks()

    def _liability(self):
        account = self.company.loyalty_voucher_liability_account_id
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(-sum(lines.mapped("balance")), 2)

    def test_settlement_lines_and_tie_out(self):
        # The association sells 2 x 50.00 to a works council (invoiced at once).
        wizard = self.env["loyalty.network.voucher.sell"].create(
            {"buyer_id": self.buyer.id, "quantity": 2, "face_value": 50.0}
        )
        staff_a, staff_b = self.Voucher.search(wizard.action_sell()["domain"]).sorted("id")
        # The bakery sells one of 30.00 at its counter (collected by the shop).
        shop_voucher = self._sell(30.0, "shop-sale")
        # Spent at the florist's: 30.00, 20.00 (10.00 of which given back), at the bakery 7.77.
        florist = self.florist.with_user(self.florist_user)
        Voucher = self.Voucher.with_user(self.florist_user)
        Voucher._redeem(staff_a.sudo().code, florist, 30.0, "f-1")
        spend = Voucher._redeem(shop_voucher.sudo().code, florist, 20.0, "f-2")
        Voucher._refund_redemption(spend, 10.0, "f-3")
        self.Voucher._redeem(staff_b.sudo().code, self.bakery, 7.77, "b-1")
        # Another voucher expires with 12.00 left (income policy).
        expiring = self._sell(
            12.0, "shop-sale-2", date=fields.Datetime.now() - relativedelta(months=13)
        )
        self.assertEqual(self.Voucher._expire_vouchers(self.company), expiring)
        self.assertEqual(expiring.balance, 0.0)

        checks = self._checks()
        self.assertTrue(checks["is_voucher_liability_ok"])
        # Booked so far: the staff invoice only.
        self.assertEqual(checks["voucher_liability_balance"], 100.0)
        self.assertEqual(checks["voucher_total"], 82.23)  # 20.00 + 20.00 + 42.23

        today = NetworkRules.of(self.company).today()
        date_from = today.replace(day=1)
        date_to = (date_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        settlements = self.env["loyalty.network.settlement"]._run_period(
            self.company, date_from, date_to
        )
        bakery = settlements.filtered(lambda s: s.merchant_id == self.bakery)
        florist_st = settlements.filtered(lambda s: s.merchant_id == self.florist)
        network = settlements.filtered(lambda s: not s.merchant_id)
        # Bakery: sold 30 + 12 (owes 42.00), 7.77 spent there, commission 0.39.
        self.assertEqual(bakery.voucher_sold_amount, 42.0)
        self.assertEqual(bakery.voucher_redeemed_amount, 7.77)
        self.assertEqual(bakery.voucher_commission_amount, 0.39)
        self.assertEqual(bakery.voucher_net_amount, 34.62)
        self.assertEqual(bakery.move_id.move_type, "out_invoice")
        self.assertEqual(bakery.move_id.amount_total, 34.62)
        self.assertEqual(
            sorted(bakery.move_id.invoice_line_ids.mapped("price_subtotal")), [-7.77, 0.39, 42.0]
        )
        # Florist: 30 + 20 - 10 = 40.00 spent, commission 1.50 + 1.00 - 0.50 = 2.00:
        # the network owes it 38.00 (a credit note).
        self.assertEqual(florist_st.voucher_redeemed_amount, 40.0)
        self.assertEqual(florist_st.voucher_commission_amount, 2.0)
        self.assertEqual(florist_st.voucher_net_amount, -38.0)
        self.assertEqual(florist_st.move_id.move_type, "out_refund")
        self.assertEqual(florist_st.move_id.amount_total, 38.0)
        self.assertEqual(florist_st.move_id.state, "posted")
        # The network's row books the expired balance as income.
        self.assertEqual(network.voucher_expired_amount, 12.0)
        expiry_income = self.company.loyalty_voucher_expiry_account_id
        self.assertEqual(
            sum(
                network.voucher_move_id.line_ids.filtered(
                    lambda line: line.account_id == expiry_income
                ).mapped("credit")
            ),
            12.0,
        )
        commission_income = self.company.loyalty_voucher_commission_account_id
        income = self.env["account.move.line"].search(
            [("account_id", "=", commission_income.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(round(-sum(income.mapped("balance")), 2), 2.39)
        # Every voucher entry is settled once, except the invoiced staff sales.
        entries = self.env["loyalty.network.voucher.entry"].search([])
        self.assertEqual(
            entries.filtered(lambda e: not e.settlement_ids),
            entries.filtered(lambda e: e.move_id),
        )
        self.assertEqual(
            len(settlements.voucher_entry_ids), len(entries.filtered(lambda e: not e.move_id))
        )
        checks = self._checks()
        self.assertTrue(checks["is_voucher_liability_ok"])
        self.assertEqual(checks["voucher_unsettled_total"], 0.0)
        self.assertEqual(self._liability(), 82.23)
        self.assertEqual(checks["voucher_total"], 82.23)
        self.assertEqual(checks["settlement_mismatch_count"], 0)
        # The shop's statement has its voucher lines.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "loyalty_settlement.loyalty_network_settlement_report", florist_st.ids
            )[0]
            .decode()
        )
        self.assertIn("o_loyalty_statement_vouchers", html)
        self.assertIn("38.00", html)
        # ... and its spreadsheet a sheet of them, the wallet sheet unchanged.
        workbook = openpyxl.load_workbook(io.BytesIO(florist_st._get_statement_xlsx()))
        self.assertEqual(workbook.sheetnames, ["Statement", "Gift vouchers"])
        rows = list(workbook["Gift vouchers"].iter_rows(values_only=True))
        self.assertEqual(
            [row[1:5] for row in rows[1:4]],
            [
                ("Paid with a Voucher", staff_a.name, -30.0, 1.5),
                ("Paid with a Voucher", shop_voucher.name, -20.0, 1.0),
                ("Voucher Payment Given Back", shop_voucher.name, 10.0, -0.5),
            ],
        )
        self.assertEqual(rows[-1][0], "Net owed by the shop for gift vouchers")
        self.assertEqual(rows[-1][3], -38.0)
        # A second run settles nothing more.
        self.assertFalse(
            self.env["loyalty.network.settlement"]._run_period(self.company, date_from, date_to)
        )

    def test_tie_out_sees_a_broken_liability(self):
        self._sell(30.0, "shop-sale")
        self.assertTrue(self._checks()["is_voucher_liability_ok"])
        # A stray manual entry on the voucher liability breaks the tie-out.
        journal = self.company.loyalty_network_journal_id
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": self.company.loyalty_voucher_liability_account_id.id,
                            "credit": 5.0,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "account_id": self.company.loyalty_voucher_expiry_account_id.id,
                            "debit": 5.0,
                        },
                    ),
                ],
            }
        )
        move.action_post()
        self.assertFalse(self._checks()["is_voucher_liability_ok"])

    def test_wallet_and_voucher_lines_on_one_invoice(self):
        # The florist: 100.00 bought with the card (contribution 5 % = 5.00, of which
        # 4.00 credited) and 40.00 paid with a voucher (commission 2.00): the network
        # owes it 40.00 - 2.00 - 5.00 = 33.00, one credit note for both.
        holder = self.env["res.partner"].create({"name": "Card Holder"})
        card = self.env["loyalty.network.card"].create({})
        card._enrol(holder, self.florist)
        self.env["loyalty.network.wallet"]._credit_purchase(card, self.florist, 100.0, "w-1")
        voucher = self._sell(40.0, "shop-sale")
        self.Voucher._redeem(voucher.sudo().code, self.florist, 40.0, "v-1")
        today = NetworkRules.of(self.company).today()
        date_from = today.replace(day=1)
        date_to = (date_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        settlements = self.env["loyalty.network.settlement"]._run_period(
            self.company, date_from, date_to
        )
        florist = settlements.filtered(lambda s: s.merchant_id == self.florist)
        self.assertEqual((florist.net_amount, florist.voucher_net_amount), (5.0, -38.0))
        self.assertEqual(florist.move_id.move_type, "out_refund")
        self.assertEqual(florist.move_id.amount_total, 33.0)
        self.assertEqual(florist.move_id.amount_untaxed_signed, -33.0)
        bakery = settlements.filtered(lambda s: s.merchant_id == self.bakery)
        self.assertEqual((bakery.net_amount, bakery.voucher_net_amount), (0.0, 40.0))
        self.assertEqual(bakery.move_id.amount_total, 40.0)
        checks = self._checks()
        self.assertEqual(checks["settlement_mismatch_count"], 0)
        self.assertTrue(checks["is_voucher_liability_ok"])
        self.assertTrue(checks["is_liability_ok"])
        self.assertEqual(self._liability(), 0.0)
        # A settlement whose voucher figures no longer match its entries is reported.
        florist.sudo().voucher_net_amount = -37.0
        self.assertEqual(self._checks()["settlement_mismatch_count"], 1)
