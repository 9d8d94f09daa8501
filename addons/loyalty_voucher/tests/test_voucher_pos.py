from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.loyalty_pos.tests.common import LoyaltyPosCase


@tagged("post_install", "-at_install")
class TestVoucherPos(LoyaltyPosCase):
    """The "Bon cadeau" payment method: redeemed at sync by a plain cashier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.voucher_method = cls.env["pos.payment.method"].create(
            {
                "name": "Bon cadeau",
                "is_loyalty_voucher": True,
                "journal_id": cls.env["account.journal"]
                .create({"name": "Gift Vouchers POS", "code": "LGVP", "type": "bank"})
                .id,
            }
        )
        cls.config.write({"payment_method_ids": [(4, cls.voucher_method.id)]})
        cls.Voucher = cls.env["loyalty.network.voucher"]

    def _voucher(self, value=30.0, ref="v-1", **kw):
        return self.Voucher._sell(self.merchant, value, ref, **kw).voucher_id

    def _sync_voucher(self, code, qty=1, payments=None, uuid=None, refund_of=None, card=True):
        data = self._order_data(qty, payments, uuid, card, refund_of)
        for command in data["payment_ids"]:
            if command[2]["payment_method_id"] == self.voucher_method.id:
                command[2]["loyalty_voucher_code"] = code
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def test_voucher_payment_never_earns_and_is_replay_safe(self):
        voucher = self._voucher(30.0)
        code = voucher.code
        # The till checks the code first: the cashier sees what it can pay.
        info = self.till.loyalty_voucher_check(code)
        self.assertEqual(info["balance"], 30.0)
        order = self._sync_voucher(
            code, payments=[(self.voucher_method, 30.0), (self.cash, 20.0)], uuid="uuid-v1"
        )
        # Only the 20.00 paid in cash earns: 4 % = 0.80 (not 2.00 on 50.00).
        self.assertEqual(order.loyalty_credit, 0.8)
        self.assertEqual(voucher.balance, 0.0)
        self.assertEqual(voucher.state, "used")
        redemption = voucher.entry_ids.filtered(lambda e: e.entry_type == "redemption")
        self.assertEqual((redemption.amount, redemption.commission), (-30.0, 1.5))
        self.assertEqual(redemption.merchant_id, self.merchant)
        # The POS sends the order again: nothing more is taken.
        self._sync_voucher(
            code, payments=[(self.voucher_method, 30.0), (self.cash, 20.0)], uuid="uuid-v1"
        )
        self.assertEqual(len(voucher.entry_ids), 2)
        # The holder's wallet never sees the voucher.
        self.assertNotIn(-30.0, self.holder.loyalty_wallet_id.entry_ids.mapped("amount"))
        # Refund of the order: the voucher gets its 30.00 back.
        self._sync_voucher(
            code,
            qty=-1,
            payments=[(self.voucher_method, -30.0), (self.cash, -20.0)],
            refund_of=order,
        )
        self.assertEqual(voucher.balance, 30.0)
        self.assertEqual(voucher.state, "sold")
        refund = voucher.entry_ids.filtered(lambda e: e.entry_type == "refund")
        self.assertEqual((refund.amount, refund.commission), (30.0, -1.5))
        self.assertAlmostEqual(sum(voucher.entry_ids.mapped("amount")), 30.0)

    def test_voucher_refused_at_sync_changes_nothing(self):
        voucher = self._voucher(20.0)
        expired = self.Voucher._sell(
            self.merchant,
            20.0,
            "old",
            date=fields.Datetime.now() - relativedelta(months=13),
        ).voucher_id
        orders = self.env["pos.order"].search_count([])
        for code, amount, message in (
            (voucher.code, 25.0, "more than what is left"),
            (expired.code, 10.0, "expired on"),
            ("12345678901234567890", 10.0, "No gift voucher has this code"),
            (False, 10.0, "Scan or type the gift voucher's code"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                with self.env.cr.savepoint():
                    self._sync_voucher(
                        code, payments=[(self.voucher_method, amount), (self.cash, 50.0 - amount)]
                    )
        self.assertEqual(self.env["pos.order"].search_count([]), orders)
        self.assertEqual(voucher.balance, 20.0)
        self.assertEqual(len(voucher.entry_ids), 1)
        with self.assertRaisesRegex(UserError, "expired on"):
            self.till.loyalty_voucher_check(expired.code)

    def test_cashier_of_another_till_refused(self):
        voucher = self._voucher(20.0)
        _merchant, other_config, other_cashier = self._create_other_shop("Other Shop")
        # No open session of that till, and not this till's cashier: refused.
        with self.assertRaises(AccessError):
            other_config.with_user(other_cashier).loyalty_voucher_check(voucher.code)
        with self.assertRaises(AccessError):
            self.config.with_user(other_cashier).loyalty_voucher_check(voucher.code)
        self.assertEqual(voucher.balance, 20.0)

    def test_voucher_sold_at_the_pos(self):
        product = self.env["product.product"].create(
            {
                "name": "Bon cadeau 25",
                "list_price": 25.0,
                "taxes_id": False,
                "available_in_pos": True,
                "loyalty_is_gift_voucher": True,
            }
        )
        data = self._order_data(
            qty=2, payments=[(self.cash, 50.0)], uuid="uuid-sell", product=product
        )
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", "uuid-sell")])
        vouchers = self.Voucher.search([("merchant_id", "=", self.merchant.id)])
        self.assertEqual(len(vouchers), 2)
        self.assertEqual(vouchers.mapped("face_value"), [25.0, 25.0])
        self.assertEqual(vouchers.mapped("balance"), [25.0, 25.0])
        # Buying vouchers earns no loyalty credit.
        self.assertEqual(order.loyalty_credit, 0.0)
        for voucher in vouchers:
            self.assertIn(voucher.code[-4:], order.loyalty_voucher_receipt)
        # Sent again: no more vouchers.
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        self.assertEqual(self.Voucher.search_count([("merchant_id", "=", self.merchant.id)]), 2)
        # Refunding a sold voucher at the till is refused.
        with self.assertRaisesRegex(UserError, "cannot be refunded at the till"):
            with self.env.cr.savepoint():
                refund = self._order_data(
                    qty=-1, payments=[(self.cash, -25.0)], refund_of=order, product=product
                )
                self.env["pos.order"].with_user(self.cashier).sync_from_ui([refund])
