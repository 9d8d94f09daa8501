from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import VoucherCase


@tagged("post_install", "-at_install")
class TestVoucherLedger(VoucherCase):
    def test_sale_exact_cents_and_expiry_date(self):
        voucher = self._sell(37.45)
        self.assertEqual(voucher.face_value, 37.45)
        self.assertEqual(voucher.balance, 37.45)
        self.assertEqual(voucher.state, "sold")
        self.assertEqual(len(voucher.sudo().code), 20)
        self.assertTrue(voucher.sudo().code.isdigit())
        self.assertEqual(voucher.merchant_id, self.bakery)
        self.assertEqual(voucher.expiry_date.year - voucher.sale_date.year, 1)
        self.assertEqual(voucher.expiry_date.month, voucher.sale_date.month)
        self.assertVoucherTies(voucher)

    def test_sale_date_is_local(self):
        # 23:30 UTC on 31 March is 1 April in Paris (summer time).
        entry = self.Voucher._sell(
            self.bakery, 20.0, "late-sale", date=fields.Datetime.to_datetime("2026-03-31 23:30:00")
        )
        voucher = entry.voucher_id
        self.assertEqual(str(voucher.sale_date), "2026-04-01")
        self.assertEqual(str(voucher.expiry_date), "2027-04-01")

    def test_partial_redemption_commission_and_refund(self):
        voucher = self._sell(50.0)
        code = voucher.sudo().code
        Voucher = self.Voucher.with_user(self.florist_user)
        florist = self.florist.with_user(self.florist_user)
        with self.assertRaisesRegex(UserError, "valid only"):
            # The florist is not a food shop: first restrict, below.
            restricted = self._sell(10.0, "restricted", categories=self.food)
            Voucher._redeem(restricted.sudo().code, florist, 5.0, "r-0")
        spend = Voucher._redeem(code, florist, 12.35, "r-1")
        self.assertEqual(spend.amount, -12.35)
        self.assertEqual(spend.commission, 0.62)  # 5 % of 12.35 = 0.6175
        self.assertEqual(voucher.balance, 37.65)
        self.assertEqual(voucher.state, "partly_used")
        # A payment sent again with the same reference is recorded once.
        self.assertEqual(Voucher._redeem(code, florist, 12.35, "r-1"), spend)
        self.assertEqual(voucher.balance, 37.65)
        # Given back in two parts: commissions in proportion, the last one exact.
        back1 = Voucher._refund_redemption(spend, 5.0, "b-1")
        self.assertEqual(back1.commission, -0.25)
        back2 = Voucher._refund_redemption(spend, 7.35, "b-2")
        self.assertEqual(back2.commission, -0.37)
        self.assertEqual(voucher.balance, 50.0)
        self.assertEqual(voucher.state, "sold")
        with self.assertRaisesRegex(UserError, "can still be given back"):
            Voucher._refund_redemption(spend, 0.01, "b-3")
        # Spent in full: used.
        Voucher._redeem(code, florist, 50.0, "r-2")
        self.assertEqual(voucher.state, "used")
        self.assertEqual(voucher.balance, 0.0)
        with self.assertRaisesRegex(UserError, "used up"):
            Voucher._redeem(code, florist, 1.0, "r-3")
        self.assertVoucherTies(voucher)

    def test_refusals(self):
        voucher = self._sell(20.0)
        code = voucher.sudo().code
        Voucher = self.Voucher.with_user(self.baker_user)
        bakery = self.bakery.with_user(self.baker_user)
        with self.assertRaisesRegex(UserError, "more than what is left"):
            Voucher._redeem(code, bakery, 20.01, "x-1")
        with self.assertRaisesRegex(UserError, "No gift voucher has this code"):
            Voucher._redeem("1234", bakery, 1.0, "x-2")
        with self.assertRaisesRegex(UserError, "No gift voucher has this code"):
            Voucher._redeem(code[:-1] + str((int(code[-1]) + 1) % 10), bakery, 1.0, "x-2b")
        # Formatted codes (spaces, dashes) are read as their digits.
        spaced = " ".join(code[i : i + 4] for i in range(0, 20, 4))
        first = Voucher._redeem(spaced, bakery, 1.0, "x-3")
        # Replay with other content is refused, nothing changes.
        with self.assertRaisesRegex(UserError, "already used for another operation"):
            Voucher._redeem(code, bakery, 2.0, "x-3")
        self.assertEqual(voucher.balance, 19.0)
        self.assertEqual(len(voucher.entry_ids), 2)
        self.assertEqual(first.amount, -1.0)
        # Another shop may use the same reference: references are the shop's own.
        self._sell(5.0, "x-3", merchant=self.florist)
        with self.assertRaisesRegex(UserError, "greater than zero"):
            Voucher._redeem(code, bakery, -5.0, "x-4")
        with self.assertRaisesRegex(UserError, "decimals"):
            Voucher._redeem(code, bakery, 1.001, "x-5")

    def test_expired_voucher_refused_and_expiry_to_income(self):
        voucher = self._sell(30.0)
        code = voucher.sudo().code
        self.Voucher._redeem(code, self.bakery, 10.0, "e-1")
        later = voucher.expiry_date + timedelta(days=1)
        with patch(
            "odoo.addons.annonay_loyalty.services.money_engine.NetworkRules.today",
            lambda rules: later,
        ):
            with self.assertRaisesRegex(UserError, "expired on"):
                self.Voucher._redeem(code, self.bakery, 1.0, "e-2")
            self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual(voucher.state, "expired")
        self.assertEqual(voucher.balance, 0.0)
        expiry = voucher.entry_ids.filtered(lambda e: e.entry_type == "expiry")
        self.assertEqual(expiry.amount, -20.0)
        with self.assertRaisesRegex(UserError, "expired on"):
            self.Voucher._redeem(code, self.bakery, 1.0, "e-3")
        # The cron run again posts nothing more.
        self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual(len(voucher.entry_ids), 3)
        self.assertVoucherTies(voucher)

    def test_expiry_refundable_policy_keeps_balance(self):
        self.company.loyalty_voucher_expiry_policy = "refundable"
        voucher = self._sell(30.0)
        later = voucher.expiry_date + timedelta(days=1)
        self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual(voucher.state, "expired")
        self.assertEqual(voucher.balance, 30.0)
        self.assertEqual(len(voucher.entry_ids), 1)
        # The holder asks for it: staff pay the balance back, cancelling the voucher.
        voucher.action_cancel()
        self.assertEqual((voucher.state, voucher.balance), ("cancelled", 0.0))
        voucher.action_cancel()  # sent again: recorded once
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            voucher._cancel("again", "cancel-again")
        self.assertEqual(len(voucher.entry_ids), 2)
        self.assertVoucherTies(voucher)

    def test_value_given_back_to_an_expired_voucher_goes_to_income(self):
        voucher = self._sell(30.0)
        spend = self.Voucher._redeem(voucher.sudo().code, self.bakery, 10.0, "g-1")
        later = voucher.expiry_date + timedelta(days=1)
        self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual((voucher.state, voucher.balance), ("expired", 0.0))
        # The purchase paid with it is refunded after the expiry: the value comes back
        # to the (expired) voucher, which cannot be spent, and goes to income next run.
        self.Voucher._refund_redemption(spend, 10.0, "g-2")
        self.assertEqual((voucher.state, voucher.balance), ("expired", 10.0))
        self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual((voucher.state, voucher.balance), ("expired", 0.0))
        self.assertEqual(
            voucher.entry_ids.filtered(lambda e: e.entry_type == "expiry")
            .sorted("id")
            .mapped("amount"),
            [-20.0, -10.0],
        )
        self.Voucher._expire_vouchers(self.company, later)
        self.assertEqual(len(voucher.entry_ids), 5)
        self.assertVoucherTies(voucher)

    def test_cancel(self):
        voucher = self._sell(15.0)
        with self.assertRaises(AccessError):
            voucher.with_user(self.baker_user)._cancel("no", "c-x")
        voucher.action_cancel()
        self.assertEqual(voucher.state, "cancelled")
        self.assertEqual(voucher.balance, 0.0)
        with self.assertRaisesRegex(UserError, "cancelled"):
            self.Voucher._redeem(voucher.sudo().code, self.bakery, 1.0, "c-1")

    def test_ledger_is_append_only(self):
        voucher = self._sell(15.0)
        with self.assertRaises(UserError):
            voucher.write({"balance": 100.0})
        with self.assertRaises(UserError):
            voucher.entry_ids.write({"amount": 100.0})
        with self.assertRaises(UserError):
            voucher.entry_ids.unlink()
        with self.assertRaises(UserError):
            voucher.unlink()
        with self.assertRaises(AccessError):
            self.Voucher.with_user(self.baker_user).create(
                {"code": "1" * 20, "face_value": 10.0, "balance": 10.0}
            )

    def test_merchant_sees_only_own_shop(self):
        voucher = self._sell(15.0)
        Voucher = self.Voucher.with_user(self.florist_user)
        self.assertFalse(Voucher.search([("id", "=", voucher.id)]))
        # Once spent at the florist's, the florist sees it and its own entry only.
        Voucher._redeem(voucher.sudo().code, self.florist.with_user(self.florist_user), 5.0, "m-1")
        self.assertEqual(Voucher.search([("id", "=", voucher.id)]), voucher)
        entries = self.env["loyalty.network.voucher.entry"].with_user(self.florist_user).search([])
        self.assertEqual(entries.mapped("merchant_id"), self.florist)
        with self.assertRaises(AccessError):
            voucher.with_user(self.florist_user).code  # noqa: B018
        # A shop cannot sell or spend for another shop.
        with self.assertRaises(AccessError):
            Voucher._sell(self.bakery.with_user(self.florist_user), 10.0, "m-2")
        with self.assertRaises(AccessError):
            Voucher._redeem(
                voucher.sudo().code, self.bakery.with_user(self.florist_user), 1.0, "m-3"
            )
        self.assertEqual(voucher.balance, 10.0)

    def test_staff_sale_wizard_invoices_the_company(self):
        wizard = self.env["loyalty.network.voucher.sell"].create(
            {"buyer_id": self.buyer.id, "quantity": 3, "face_value": 25.0}
        )
        action = wizard.action_sell()
        vouchers = self.Voucher.search(action["domain"])
        self.assertEqual(len(vouchers), 3)
        self.assertEqual(len(set(vouchers.sudo().mapped("code"))), 3)
        invoice = vouchers.move_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, self.buyer)
        self.assertEqual(invoice.amount_total, 75.0)
        liability = self.company.loyalty_voucher_liability_account_id
        lines = invoice.line_ids.filtered(lambda line: line.account_id == liability)
        self.assertEqual(sum(lines.mapped("credit")), 75.0)
        self.assertFalse(vouchers.merchant_id)
        self.assertEqual(vouchers.entry_ids.move_id, invoice)
        with self.assertRaises(AccessError):
            self.env["loyalty.network.voucher.sell"].with_user(self.baker_user).create(
                {"buyer_id": self.buyer.id, "quantity": 1, "face_value": 25.0}
            ).action_sell()

    def test_email_voucher(self):
        holder = self.env["res.partner"].create({"name": "Zoé", "email": "zoe@example.com"})
        wizard = self.env["loyalty.network.voucher.sell"].create(
            {
                "buyer_id": self.buyer.id,
                "partner_id": holder.id,
                "face_value": 40.0,
                "send_email": True,
            }
        )
        vouchers = self.Voucher.search(wizard.action_sell()["domain"])
        message = vouchers.message_ids.filtered(lambda m: holder in m.partner_ids)
        self.assertTrue(message)
        self.assertIn(vouchers.sudo().code, message.body)
        self.assertTrue(message.attachment_ids)

    def test_voucher_pdf(self):
        vouchers = self.Voucher.browse([self._sell(10.0, f"pdf-{n}").id for n in range(5)])
        for report in ("loyalty_voucher.report_voucher", "loyalty_voucher.report_voucher_sheet"):
            html = self.env["ir.actions.report"]._render_qweb_html(report, vouchers.ids)[0]
            self.assertIn(vouchers[0].sudo().code[-4:], html.decode())
        # The shop that sold them may print them again; another shop may not.
        Report = self.env["ir.actions.report"].with_user(self.florist_user)
        self.Voucher.with_user(self.florist_user)._redeem(
            vouchers[0].sudo().code, self.florist.with_user(self.florist_user), 1.0, "pdf-r"
        )
        with self.assertRaises(AccessError):
            Report._render_qweb_html("loyalty_voucher.report_voucher", vouchers[0].ids)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.baker_user)
            ._render_qweb_html("loyalty_voucher.report_voucher", vouchers[1].ids)[0]
        )
        self.assertIn(vouchers[1].sudo().code[-4:], html.decode())

    def test_portal_holder_sees_own_vouchers_only(self):
        holder = self.env["res.partner"].create({"name": "Hélène", "email": "helene@example.com"})
        portal = self.env["res.users"].create(
            {
                "name": "Hélène",
                "login": "helene-voucher",
                "partner_id": holder.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        mine = self._sell(20.0, "mine", partner=holder)
        other = self._sell(20.0, "other")
        Voucher = self.Voucher.with_user(portal)
        self.assertEqual(Voucher.search([]), mine)
        self.assertEqual(mine.with_user(portal).code, mine.sudo().code)
        self.assertEqual(
            self.env["loyalty.network.voucher.entry"].with_user(portal).search([]),
            mine.entry_ids,
        )
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["balance"])
        with self.assertRaises(AccessError):
            mine.with_user(portal).write({"partner_id": portal.partner_id.id})
