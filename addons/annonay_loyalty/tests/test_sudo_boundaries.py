from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestSudoBoundaries(LoyaltyNetworkCase, HttpCase):
    """The methods that post to the ledger as the system (``sudo()`` in the
    wallet's posting steps, the card lookup, the network's rules) are private:
    a shop's user cannot reach them, nor write the ledger, over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.baker_user.password = "baker-password"
        cls.bob_sale = cls.Wallet.with_user(cls.butcher_user)._credit_purchase(
            cls.bob_card, cls.butcher, 100.0, "test:bob-butcher"
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _snapshot(self):
        self.env.invalidate_all()
        wallets = self.env["loyalty.network.wallet"].search([])
        return (
            self.env["loyalty.network.entry"].search_count([]),
            sorted(wallets.mapped(lambda w: (w.id, w.balance))),
        )

    def test_merchant_cannot_post_as_the_system_over_rpc(self):
        self.authenticate("baker", "baker-password")
        wallet = self.bob.loyalty_wallet_id
        before = self._snapshot()
        self.assertTrue(before[0])
        Wallet, Entry = "loyalty.network.wallet", "loyalty.network.entry"
        attacks = [
            (
                Wallet,
                "_credit_purchase",
                [[], self.bob_card.id, self.bakery.id, 1000.0, "rpc:forged"],
            ),
            (Wallet, "_refund", [[], self.bob_sale.id, 100.0, "rpc:forged-refund"]),
            (Wallet, "_lock_wallet_of", [[], self.bob.id, self.env.company.id]),
            (Wallet, "_post", [[wallet.id], {"amount": 500.0, "entry_type": "adjust"}]),
            (Wallet, "write", [[wallet.id], {"balance": 500.0}]),
            (
                Entry,
                "create",
                [{"wallet_id": wallet.id, "amount": 500.0, "merchant_id": self.bakery.id}],
            ),
            # Refused by the record rules or by the ledger guard.
            (Entry, "write", [[self.bob_sale.id], {"amount": 500.0}]),
            ("loyalty.network.card", "_find_by_number", [[], self.bob_card.name]),
            ("res.company", "_get_loyalty_rules_values", [[self.env.company.id]]),
        ]
        for model, method, args in attacks:
            with self.subTest(model=model, method=method), mute_logger("odoo.http"):
                with self.assertRaisesRegex(JsonRpcException, "AccessError|UserError"):
                    self._call_kw(model, method, args)
            self.assertEqual(self._snapshot(), before)
