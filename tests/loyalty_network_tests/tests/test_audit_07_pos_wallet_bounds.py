"""Audit item 7: POS wallet payments are bounded by the order total and the balance.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.loyalty_pos.tests.common import LoyaltyPosCase


@tagged("post_install", "-at_install")
class TestAudit07PosWalletBounds(LoyaltyPosCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roll = cls.create_product("Roll", cls.categ_basic, 10.0)

    def setUp(self):
        super().setUp()
        self._sync(qty=20, uuid="uuid-seed")  # 1000.00 cash: 40.00 less the 4.00 fee
        self.assertEqual(self._wallet().balance, 36.0)

    def _state(self):
        self.env["loyalty.network.entry"].invalidate_model()
        self.env["loyalty.network.wallet"].invalidate_model()
        return (
            self.env["loyalty.network.entry"].search_count([]),
            self._wallet().balance,
            self.env["pos.order"].search_count([]),
            self.env["pos.payment"].search_count([]),
        )

    def _refused(self, payments, message, change=0.0):
        before = self._state()
        data = self._order_data(product=self.roll, payments=payments)
        data["amount_return"] = change
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        self.assertEqual(self._state(), before)

    def test_wallet_above_the_total_with_negative_cash_is_refused(self):
        before = self._state()
        data = self._order_data(
            product=self.roll, payments=[(self.wallet_method, 30.0), (self.cash, -20.0)]
        )
        self.authenticate(self.cashier.login, self.cashier.login)
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/pos.order/sync_from_ui",
                {
                    "model": "pos.order",
                    "method": "sync_from_ui",
                    "args": [[json.loads(json.dumps(data, default=str))]],
                    "kwargs": {},
                },
            )
        self.assertEqual(self._state(), before)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]))
        # The same payment with ORM calls: each rule on its own.
        self._refused(
            [(self.wallet_method, 30.0), (self.cash, -20.0)],
            "negative amount \\(\\D*20\\.00\\D* by ",
        )
        self._refused([(self.wallet_method, 30.0), (self.wallet_method, -20.0)], "negative amount")

    def test_wallet_above_the_total_is_refused(self):
        # 10.00 order, 12.00 from the wallet and 2.00 of change in cash: a cash-out.
        self._refused(
            [(self.wallet_method, 12.0)],
            "at most the order total \\(\\D*10\\.00\\D*\\)",
            change=-2.0,
        )

    def test_negative_wallet_line_is_refused(self):
        # Cash 15.00, wallet -5.00: earning on more than was paid.
        self._refused([(self.cash, 15.0), (self.wallet_method, -5.0)], "negative amount")
        self._refused([(self.bank_pm1, 15.0), (self.cash, -5.0)], "negative amount")

    def test_legal_mixed_payment_exact_amounts(self):
        # 50.00: 6.00 from the wallet, 30.00 cash, 14.00 card.
        order = self._sync(
            qty=5,
            product=self.roll,
            payments=[(self.wallet_method, 6.0), (self.cash, 30.0), (self.bank_pm1, 14.0)],
        )
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.loyalty_wallet_paid, 6.0)
        self.assertEqual(order.loyalty_credit, 1.76)  # 4 % of the 44.00 paid otherwise
        earning = order.loyalty_entry_ids.filtered(lambda e: e.entry_type == "earn")
        self.assertEqual(earning.purchase_amount, 44.0)
        self.assertEqual(self._wallet().balance, 31.76)
        self.assertAlmostEqual(sum(self._wallet().entry_ids.mapped("amount")), 31.76)
        # The whole order from the wallet: nothing earned.
        order = self._sync(product=self.roll, payments=[(self.wallet_method, 10.0)])
        self.assertEqual((order.loyalty_wallet_paid, order.loyalty_credit), (10.0, 0.0))
        self.assertEqual(self._wallet().balance, 21.76)
        # 60.00 cash for 50.00, 10.00 change given: 50.00 earns.
        data = self._order_data(qty=5, product=self.roll, payments=[(self.cash, 60.0)])
        data["amount_return"] = -10.0
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(sorted(order.payment_ids.mapped("amount")), [-10.0, 60.0])
        self.assertEqual(order.loyalty_credit, 2.0)
        self.assertEqual(self._wallet().balance, 23.76)
