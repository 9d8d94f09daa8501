"""Audit item 10: messages and fields leak nothing of other cards or shops.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

TRACEBACK_WORDS = ("Traceback", "ValueError", "OverflowError", "TypeError", 'File "', ".py")


@tagged("post_install", "-at_install")
class TestAuditApiMessages(HttpCase):
    """Bad input on the terminal API answers a plain sentence: no traceback,
    no other card's number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_opening_fee = 0.0
        Merchant = cls.env["loyalty.network.merchant"]
        cls.reduced = cls.env.ref("annonay_loyalty.loyalty_network_plan_reduced")
        cls.shop = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Message Shop"}).id}
        )
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Message Cashier",
                "login": "message-cashier",
                "password": "message-cashier-pw",
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
        Card = cls.env["loyalty.network.card"]
        cls.holder = cls.env["res.partner"].create({"name": "Message Holder"})
        cls.card = Card.create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.lost = Card.create({})
        cls.lost._enrol(cls.env["res.partner"].create({"name": "Lost Card Holder"}), cls.shop)
        cls.new_card = cls.lost._replace_with(Card.create({}))

    def _raw(self, route, body):
        """POST ``body`` (a JSON text, so that NaN tokens can be sent) and
        return the answer's text."""
        with mute_logger("odoo.http"):
            return self.url_open(
                f"/loyalty/api/{route}",
                data=body,
                headers={"Content-Type": "application/json"},
            ).text

    def _request(self, params_text):
        return f'{{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {params_text}}}'

    def _error(self, route, params_text):
        text = self._raw(route, self._request(params_text))
        for word in TRACEBACK_WORDS:
            self.assertNotIn(word, text)
        answer = json.loads(text)
        self.assertIn("error", answer, f"{route} {params_text} was accepted")
        self.assertFalse(answer["error"]["data"]["debug"].startswith("Traceback"))
        return answer["error"]["data"]["message"]

    def _state(self):
        self.env.invalidate_all()
        return (
            self.env["loyalty.network.entry"].search_count([]),
            self.holder.loyalty_wallet_id.balance,
        )

    def test_replaced_card_message_does_not_give_the_new_number(self):
        self.authenticate("message-cashier", "message-cashier-pw")
        state = self._state()
        for route, params in (
            ("credit", {"card_number": self.lost.name, "amount": 10, "source_ref": "m1"}),
            ("spend", {"card_number": self.lost.name, "amount": 1, "source_ref": "m2"}),
            ("card", {"card_number": self.lost.name}),
        ):
            with self.subTest(route=route):
                message = self._error(route, json.dumps(params))
                self.assertIn(f"Card {self.lost.name} was replaced", message)
                self.assertNotIn(self.new_card.name, message)
                self.assertNotIn(self.new_card.name[-4:], message)
        self.assertEqual(self._state(), state)

    def test_non_finite_and_non_numeric_amounts_are_plain_errors(self):
        self.authenticate("message-cashier", "message-cashier-pw")
        state = self._state()
        card = json.dumps(self.card.name)
        for route in ("credit", "spend"):
            for amount in ("NaN", "Infinity", "-Infinity", '"nan"', '"inf"', '"abc"', "1e400"):
                with self.subTest(route=route, amount=amount):
                    message = self._error(
                        route,
                        f'{{"card_number": {card}, "amount": {amount}, "source_ref": "n-{route}"}}',
                    )
                    self.assertEqual(message, "The amount must be a number.")
            huge = "1" + "0" * 400  # an integer too large for a float
            message = self._error(
                route, f'{{"card_number": {card}, "amount": {huge}, "source_ref": "h-{route}"}}'
            )
            self.assertEqual(message, "The amount must be a number.")
        self.env["loyalty.network.wallet"]._credit_purchase(self.card, self.shop, 100.0, "api:o")
        state = self._state()
        for amount in ("NaN", "Infinity", '"nan"'):
            with self.subTest(route="refund", amount=amount):
                message = self._error(
                    "refund", f'{{"origin_source_ref": "o", "amount": {amount}, "source_ref": "r"}}'
                )
                self.assertEqual(message, "The amount must be a number.")
        self.assertEqual(self._state(), state)

    def test_bad_plan_ids_are_plain_errors(self):
        self.authenticate("message-cashier", "message-cashier-pw")
        state = self._state()
        card = json.dumps(self.card.name)
        cases = [
            ("NaN", "must be given by its number"),
            ("Infinity", "must be given by its number"),
            ('"nan"', "must be given by its number"),
            ('"abc"', "must be given by its number"),
            ("1.5", "must be given by its number"),
            ('"\\u00b2"', "must be given by its number"),  # a superscript two
            ('"' + "9" * 5000 + '"', "must be given by its number"),
            ("[1]", "must be given by its number"),
            ("true", "must be given by its number"),
            ("999999999", "not one of your shop's plans"),
            (str(self.reduced.id), "not one of your shop's plans"),  # not allowed here
        ]
        for plan, expected in cases:
            with self.subTest(plan=plan):
                message = self._error(
                    "credit",
                    f'{{"card_number": {card}, "amount": 10, "source_ref": "p", "plan_id": {plan}}}',
                )
                self.assertIn(expected, message)
        self.assertEqual(self._state(), state)
        # The shop's own plan, as a number or a numeric text, is accepted.
        answer = json.loads(
            self._raw(
                "credit",
                self._request(
                    json.dumps(
                        {
                            "card_number": self.card.name,
                            "amount": 100,
                            "source_ref": "p-ok",
                            "plan_id": str(self.shop.plan_id.id),
                        }
                    )
                ),
            )
        )
        self.assertEqual(answer["result"]["amount"], 4.0)

    def test_unexpected_errors_answer_without_traceback(self):
        self.authenticate("message-cashier", "message-cashier-pw")
        state = self._state()
        # A missing parameter fails in Python's call of the route itself.
        message = self._error("card", json.dumps({}))
        self.assertIn("nothing was recorded", message)
        self.assertEqual(self._state(), state)


@tagged("post_install", "-at_install")
class TestAuditCustomerLinks(HttpCase):
    """Audit item 10c: a merchant sees only its own shop's link to a shared customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Merchant = cls.env["loyalty.network.merchant"]
        Partner = cls.env["res.partner"]
        cls.bakery = Merchant.create({"partner_id": Partner.create({"name": "Link Bakery"}).id})
        cls.butcher = Merchant.create({"partner_id": Partner.create({"name": "Link Butcher"}).id})
        cls.baker = cls.env["res.users"].create(
            {
                "name": "Link Baker",
                "login": "link-baker",
                "password": "link-baker-password",
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
        cls.bakery.user_ids = cls.baker
        cls.shared = Partner.create({"name": "Shared Customer"})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(cls.shared, cls.bakery)
        Wallet = cls.env["loyalty.network.wallet"]
        Wallet._credit_purchase(card, cls.butcher, 20.0, "links/1")
        Customer = cls.env["loyalty.network.customer"]
        cls.own_link = Customer.search(
            [("partner_id", "=", cls.shared.id), ("merchant_id", "=", cls.bakery.id)]
        )
        cls.other_link = Customer.search(
            [("partner_id", "=", cls.shared.id), ("merchant_id", "=", cls.butcher.id)]
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_merchant_reads_only_its_own_link_to_a_shared_customer(self):
        self.assertTrue(self.own_link and self.other_link)
        self.authenticate("link-baker", "link-baker-password")
        rows = self._call_kw("res.partner", "read", [[self.shared.id], ["loyalty_customer_ids"]])
        self.assertEqual(rows[0]["loyalty_customer_ids"], self.own_link.ids)
        rows = self._call_kw(
            "res.partner",
            "web_read",
            [[self.shared.id]],
            {"specification": {"loyalty_customer_ids": {"fields": {"merchant_id": {}}}}},
        )
        self.assertEqual(
            [link["id"] for link in rows[0]["loyalty_customer_ids"]], self.own_link.ids
        )
        rows = self._call_kw(
            "res.partner",
            "search_read",
            [[("id", "=", self.shared.id)], ["loyalty_customer_ids"]],
        )
        self.assertEqual(rows[0]["loyalty_customer_ids"], self.own_link.ids)
        # searching through the links still works for the merchant, and
        # reveals nothing of the other shop's link
        found = self._call_kw(
            "res.partner",
            "search",
            [[("loyalty_customer_ids.merchant_id", "=", self.bakery.id)]],
        )
        self.assertIn(self.shared.id, found)
        found = self._call_kw(
            "res.partner", "search", [[("loyalty_customer_ids", "in", self.other_link.ids)]]
        )
        self.assertEqual(found, [])
