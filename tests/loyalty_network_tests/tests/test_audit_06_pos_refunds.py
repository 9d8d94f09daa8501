"""Audit item 6: a POS refund reverses only its own shop's entries.

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
class TestAudit06PosRefunds(LoyaltyPosCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop_b, cls.config_b, cls.cashier_b = cls._create_other_shop("Shop B")
        cls.other_holder = cls.env["res.partner"].create({"name": "Oscar Other"})
        cls.other_card = cls.env["loyalty.network.card"].create({})
        cls.other_card._enrol(cls.other_holder, cls.merchant)

    def _ledger(self):
        Entry = self.env["loyalty.network.entry"]
        Entry.invalidate_model()
        self.env["loyalty.network.wallet"].invalidate_model()
        return (
            Entry.search([]).mapped(lambda e: (e.source_ref, e.entry_type, e.amount)),
            self._wallet().balance,
            self.env["pos.order"].search_count([]),
        )

    def test_refund_of_another_shops_sale_is_refused(self):
        self._open_session(self.config_b, self.cashier_b)
        sale_b = self._sync(qty=5, payments=[(self.bank_pm1, 250.0)], config=self.config_b)
        self.assertEqual(sale_b.loyalty_credit, 10.0)
        self.assertEqual(self._wallet().balance, 6.0)  # 10.00 less the 4.00 opening fee
        before = self._ledger()
        # Shop A's cashier syncs a refund of shop B's line through the POS RPC.
        data = self._order_data(qty=-1, payments=[(self.cash, -50.0)], refund_of=sale_b)
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
        self.assertEqual(self._ledger(), before)
        # The same with the ORM call, and without a card on the refund.
        data = self._order_data(qty=-1, payments=[(self.cash, -50.0)], card=False)
        data["lines"][0][2]["refunded_orderline_id"] = sale_b.lines[0].id
        with (
            self.assertRaisesRegex(UserError, "was sold in another shop"),
            self.env.cr.savepoint(),
        ):
            self.env["pos.order"].with_user(self.cashier).sync_from_ui([data])
        self.assertEqual(self._ledger(), before)
        self.assertEqual(sale_b.loyalty_entry_ids.merchant_id, self.shop_b)

    def test_refund_reverses_the_card_of_the_sale_not_a_scanned_one(self):
        sale = self._sync(qty=5)  # 250.00 cash: 10.00 credit, less the 4.00 fee
        self.assertEqual(self._wallet().balance, 6.0)
        refund = self._sync(
            qty=-1, payments=[(self.cash, -50.0)], refund_of=sale, card=self.other_card.name
        )
        self.assertEqual(refund.loyalty_credit, -2.0)  # 4 % of 50.00
        self.assertEqual(refund.loyalty_entry_ids.card_id, self.card)
        self.assertEqual(refund.loyalty_card_number, self.card.name)
        self.assertEqual(self._wallet().balance, 4.0)
        self.assertFalse(self.other_holder.loyalty_wallet_id.entry_ids)
        # A refund without a card scanned reverses the sale's card all the same.
        refund2 = self._sync(qty=-1, payments=[(self.cash, -50.0)], refund_of=sale, card=False)
        self.assertEqual(refund2.loyalty_credit, -2.0)
        self.assertEqual(self._wallet().balance, 2.0)
        self.assertEqual(sum(self._wallet().entry_ids.mapped("amount")), 2.0)

    def test_refund_of_lines_of_two_sales_reverses_each(self):
        sale_1 = self._sync(qty=5)  # 250.00: credit 10.00, fee 4.00 -> 6.00
        sale_2 = self._sync(
            qty=4, payments=[(self.wallet_method, 5.0), (self.cash, 195.0)]
        )  # 200.00: 5.00 spent, credit 7.80 -> 8.80
        self.assertEqual(self._wallet().balance, 8.8)
        # The POS saves the refund as a draft with one sale's line, then adds the
        # other sale's line when it is paid: each sync refers to one sale.
        uuid = self.create_random_uid()
        draft = self._order_data(qty=-1, payments=[], uuid=uuid, refund_of=sale_1)
        draft.update(state="draft", amount_paid=0.0)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([draft])
        token = self.env["pos.order"].search([("uuid", "=", uuid)]).access_token
        paid = self._order_data(
            qty=-2,
            payments=[(self.wallet_method, -2.5), (self.cash, -147.5)],
            uuid=uuid,
            refund_of=sale_2,
        )
        paid.update(amount_total=-150.0, amount_tax=0.0, amount_paid=-150.0, access_token=token)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([paid])
        refund = self.env["pos.order"].search([("uuid", "=", uuid)])
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.lines.refunded_orderline_id.order_id, sale_1 | sale_2)
        # Sale 1: 50.00 of 250.00 refunded, 2.00 credit reversed.
        # Sale 2: 100.00 of 200.00 refunded: 2.50 of the wallet payment given
        # back, credit of 97.50 of the 195.00 paid in cash reversed (3.90).
        reversals = refund.loyalty_entry_ids
        self.assertEqual(
            sorted(reversals.mapped(lambda e: (e.origin_entry_id.source_ref, e.amount))),
            sorted(
                [
                    (f"pos:{sale_1.uuid}", -2.0),
                    (f"pos:{sale_2.uuid}", -3.9),
                    (f"pos:{sale_2.uuid}:spend", 2.5),
                ]
            ),
        )
        self.assertEqual((refund.loyalty_credit, refund.loyalty_wallet_paid), (-5.9, -2.5))
        self.assertEqual(self._wallet().balance, 5.4)
        self.assertAlmostEqual(sum(self._wallet().entry_ids.mapped("amount")), 5.4)
