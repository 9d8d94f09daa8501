"""Audit item 8: operation references are scoped to the shop, with idempotency-key semantics.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAuditOperationReferences(HttpCase):
    """Two shops with a till each on the JSON API; the butcher's till sends
    references the bakery already used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"loyalty_opening_fee": 0.0, "loyalty_min_spend_balance": 0.0})
        standard = cls.env.ref("annonay_loyalty.loyalty_network_plan_standard")
        cls.reduced = cls.env.ref("annonay_loyalty.loyalty_network_plan_reduced")
        Merchant = cls.env["loyalty.network.merchant"]
        cls.bakery = Merchant.create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Ref Bakery"}).id,
                "plan_id": standard.id,
                "allowed_plan_ids": [Command.set(cls.reduced.ids)],
            }
        )
        cls.butcher = Merchant.create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Ref Butcher"}).id,
                "plan_id": standard.id,
            }
        )
        for login, shop in (("ref-baker", cls.bakery), ("ref-butcher", cls.butcher)):
            user = cls.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    "password": f"{login}-pw",
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
            shop.user_ids = user
        Card = cls.env["loyalty.network.card"]
        cls.anna = cls.env["res.partner"].create({"name": "Anna Bakerclient"})
        cls.anna_card = Card.create({})
        cls.anna_card._enrol(cls.anna, cls.bakery)
        cls.ben = cls.env["res.partner"].create({"name": "Ben Butcherclient"})
        cls.ben_card = Card.create({})
        cls.ben_card._enrol(cls.ben, cls.butcher)

    def _post(self, route, **params):
        """The raw JSON-RPC answer of a terminal API route."""
        return self.url_open(
            f"/loyalty/api/{route}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        ).json()

    def _call(self, route, **params):
        answer = self._post(route, **params)
        self.assertIn("result", answer, answer.get("error", {}).get("data", {}).get("message"))
        return answer["result"]

    def _error(self, route, **params):
        with mute_logger("odoo.http"):
            answer = self._post(route, **params)
        self.assertIn("error", answer, f"{route} {params} was accepted")
        return answer["error"]["data"]["message"]

    def _state(self):
        self.env.invalidate_all()
        Entry = self.env["loyalty.network.entry"]
        return (
            Entry.search_count([]),
            self.anna.loyalty_wallet_id.balance,
            self.ben.loyalty_wallet_id.balance,
        )

    def test_other_shop_reusing_a_reference_gets_its_own_operation(self):
        self.authenticate("ref-baker", "ref-baker-pw")
        first = self._call("credit", card_number=self.anna_card.name, amount=100.0, source_ref="S1")
        self.assertEqual((first["amount"], first["balance"]), (4.0, 4.0))
        self.authenticate("ref-butcher", "ref-butcher-pw")
        count = self._state()[0]
        answer = self._call("credit", card_number=self.ben_card.name, amount=50.0, source_ref="S1")
        # The butcher's own sale is credited, to its own customer...
        self.assertNotEqual(answer["entry_id"], first["entry_id"])
        self.assertEqual((answer["amount"], answer["balance"]), (2.0, 2.0))
        entry = self.env["loyalty.network.entry"].browse(answer["entry_id"])
        self.assertEqual(
            (entry.merchant_id, entry.card_id, entry.purchase_amount, entry.source_ref),
            (self.butcher, self.ben_card, 50.0, "api:S1"),
        )
        self.assertEqual(self._state(), (count + 1, 4.0, 2.0))
        # ... and nothing of the bakery's operation comes back, even on a replay
        # or a refund naming the bakery's reference.
        again = self._call("credit", card_number=self.ben_card.name, amount=50.0, source_ref="S1")
        self.assertEqual(again, answer)
        refund = self._call("refund", origin_source_ref="S1", amount=50.0, source_ref="S1-r")
        self.assertEqual((refund["amount"], refund["balance"]), (-2.0, 0.0))
        self.assertEqual(self._state(), (count + 2, 4.0, 0.0))
        self.assertEqual(self.anna.loyalty_wallet_id.entry_ids.mapped("source_ref"), ["api:S1"])
        self.assertEqual(
            self.env["loyalty.network.entry"].search_count([("source_ref", "=", "api:S1")]), 2
        )

    def test_replay_with_the_same_content_returns_the_first_answer(self):
        self.authenticate("ref-baker", "ref-baker-pw")
        card = self.anna_card.name
        first = self._call("credit", card_number=card, amount=100.0, source_ref="R1")
        spend = self._call("spend", card_number=card, amount=1.5, source_ref="R2")
        refund = self._call("refund", origin_source_ref="R1", amount=25.0, source_ref="R3")
        state = self._state()
        self.assertEqual(state[1:], (1.5, 0.0))
        self.assertEqual(
            self._call("credit", card_number=card, amount=100, source_ref="R1"),
            {
                **first,
                "balance": 1.5,
            },
        )
        self.assertEqual(
            self._call("spend", card_number=card, amount=1.5, source_ref="R2")["entry_id"],
            spend["entry_id"],
        )
        self.assertEqual(
            self._call("refund", origin_source_ref="R1", amount=25.0, source_ref="R3")["entry_id"],
            refund["entry_id"],
        )
        self.assertEqual(self._state(), state)

    def test_reference_reused_for_another_operation_is_refused(self):
        self.authenticate("ref-baker", "ref-baker-pw")
        card = self.anna_card.name
        other_card = self.ben_card.name
        self._call("credit", card_number=card, amount=100.0, source_ref="K1")
        self._call("refund", origin_source_ref="K1", amount=10.0, source_ref="K2")
        state = self._state()
        cases = [
            ("credit", {"card_number": other_card, "amount": 100.0, "source_ref": "K1"}),
            ("credit", {"card_number": card, "amount": 100.01, "source_ref": "K1"}),
            (
                "credit",
                {
                    "card_number": card,
                    "amount": 100.0,
                    "source_ref": "K1",
                    "plan_id": self.reduced.id,
                },
            ),
            ("spend", {"card_number": card, "amount": 1.0, "source_ref": "K1"}),
            ("spend", {"card_number": card, "amount": 1.0, "source_ref": "K2"}),
            ("credit", {"card_number": card, "amount": 10.0, "source_ref": "K2"}),
            ("refund", {"origin_source_ref": "K1", "amount": 20.0, "source_ref": "K2"}),
            ("refund", {"origin_source_ref": "K1", "amount": 10.0, "source_ref": "K1"}),
        ]
        for route, params in cases:
            with self.subTest(route=route, params=params):
                message = self._error(route, **params)
                self.assertIn("This reference was already used for another operation", message)
        self.assertEqual(self._state(), state)

    def test_empty_reference_is_refused_on_every_route(self):
        self.authenticate("ref-baker", "ref-baker-pw")
        card = self.anna_card.name
        self._call("credit", card_number=card, amount=100.0, source_ref="E1")
        state = self._state()
        for blank in ("", "   ", None):
            for route, params in (
                ("credit", {"card_number": card, "amount": 10.0}),
                ("spend", {"card_number": card, "amount": 1.0}),
                ("refund", {"origin_source_ref": "E1", "amount": 10.0}),
            ):
                with self.subTest(route=route, blank=blank):
                    message = self._error(route, source_ref=blank, **params)
                    self.assertIn("The operation has no reference", message)
        self.assertEqual(self._state(), state)
