import contextlib
import os
import uuid
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

# Round trips to PostgreSQL of one purchase credit (the 2nd credit of a wallet,
# caches warm): through the terminal's JSON API (session of a cashier), and
# through the wallet's service method alone. annonay_loyalty's own path takes 7
# in both (8 in production through the API: Odoo's registry signaling check);
# the budget leaves room for the addons that ride on a credit when installed
# (loyalty_sponsorship: 2, its replay check and the running campaigns).
API_CREDIT_QUERY_BUDGET = 10
SERVICE_CREDIT_QUERY_BUDGET = 9


@tagged("post_install", "-at_install")
class TestCreditQueryBudget(HttpCase):
    """A credit is on every sale of every shop: it stays within a fixed number of
    SQL queries, whatever it keeps guaranteeing (row lock, replay check, caps)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"loyalty_opening_fee": 4.0, "loyalty_max_daily_purchase": 500.0})
        cls.shop = cls.env["loyalty.network.merchant"].create(
            {"partner_id": cls.env["res.partner"].create({"name": "Budget Shop"}).id}
        )
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Budget Cashier",
                "login": "budget-cashier",
                "password": "budget-cashier-pw",
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
        cls.shop.user_ids = cls.cashier
        cls.holder = cls.env["res.partner"].create({"name": "Budget Holder"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.card_number = cls.card.name

    @contextlib.contextmanager
    def _recorded_queries(self):
        """The SQL the test cursor runs in the block (requests included)."""
        queries, test_cr, execute = [], self.cr, Cursor.execute

        def recording_execute(cr, query, params=None, log_exceptions=True):
            if cr is test_cr:
                queries.append(str(query.code if hasattr(query, "code") else query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", recording_execute):
            yield queries

    def _assert_budget(self, queries, budget, label):
        listing = "\n".join(
            f"  {i + 1}. {' '.join(q.split())[:200]}" for i, q in enumerate(queries)
        )
        if os.environ.get("LOYALTY_SHOW_QUERIES"):
            print(f"BENCH queries of {label}: {len(queries)}\n{listing}", flush=True)
        self.assertLessEqual(len(queries), budget, f"{label}: {len(queries)} queries\n{listing}")

    def _credit(self, amount, ref):
        return self.make_jsonrpc_request(
            "/loyalty/api/credit",
            {"card_number": self.card_number, "amount": amount, "source_ref": ref},
        )

    def test_credit_through_the_api(self):
        self.authenticate("budget-cashier", "budget-cashier-pw")
        self._credit(150.0, "warm-up")  # routing map, caches, opening fee taken
        with self.assertQueryCount(API_CREDIT_QUERY_BUDGET), self._recorded_queries() as queries:
            answer = self._credit(25.0, uuid.uuid4().hex)
        self._assert_budget(
            queries, API_CREDIT_QUERY_BUDGET, "a credit through /loyalty/api/credit"
        )
        self.assertEqual((answer["amount"], answer["balance"]), (1.0, 3.0))

    def test_credit_through_the_service(self):
        Wallet = self.env["loyalty.network.wallet"].with_user(self.cashier)
        shop, card = self.shop.with_user(self.cashier), self.card.with_user(self.cashier)
        Wallet._credit_purchase(card, shop, 150.0, "warm-up")
        self.env.invalidate_all()
        with (
            self.assertQueryCount(SERVICE_CREDIT_QUERY_BUDGET),
            self._recorded_queries() as queries,
        ):
            entry = Wallet._credit_purchase(card, shop, 25.0, uuid.uuid4().hex)
            self.env.flush_all()
        self._assert_budget(queries, SERVICE_CREDIT_QUERY_BUDGET, "a credit through the service")
        self.assertEqual(entry.sudo().amount, 1.0)
        wallet = self.holder.sudo().loyalty_wallet_id
        self.assertEqual(wallet.balance, 3.0)
        self.assertEqual(wallet.balance, sum(wallet.entry_ids.mapped("amount")))
