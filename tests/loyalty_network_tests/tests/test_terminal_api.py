import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTerminalApiBadInput(HttpCase):
    """Every bad input through the JSON API is refused in plain words and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_opening_fee = 4.0
        Merchant = cls.env["loyalty.network.merchant"]
        cls.shop = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "API Shop"}).id}
        )
        cls.other_shop = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Other Shop"}).id}
        )
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "API Cashier",
                "login": "api-cashier",
                "password": "api-cashier-pw",
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
        cls.holder = cls.env["res.partner"].create({"name": "API Holder"})
        cls.card = Card.create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.blocked = Card.create({})
        cls.blocked._enrol(cls.env["res.partner"].create({"name": "Blocked"}), cls.shop)
        cls.blocked.action_block()
        cls.replaced = Card.create({})
        cls.replaced._enrol(cls.env["res.partner"].create({"name": "Lost"}), cls.shop)
        cls.replaced._replace_with(Card.create({}))
        cls.env["loyalty.network.wallet"]._credit_purchase(cls.card, cls.shop, 150.0, "api:seed")

    def _call(self, route, **params):
        return self.make_jsonrpc_request(f"/loyalty/api/{route}", params)

    def _error_of(self, route, **params):
        """The message a terminal shows for a refused call."""
        response = self.url_open(
            f"/loyalty/api/{route}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", response, f"{route} {params} was accepted")
        return response["error"]["data"]["message"]

    def _state(self):
        Entry = self.env["loyalty.network.entry"]
        Entry.invalidate_model()
        self.holder.loyalty_wallet_id.invalidate_recordset()
        return Entry.search_count([]), self.holder.loyalty_wallet_id.balance

    def test_credit_spend_refund_and_replay(self):
        self.authenticate("api-cashier", "api-cashier-pw")
        first = self._call("credit", card_number=self.card.name, amount=100.0, source_ref="t1")
        self.assertEqual((first["amount"], first["balance"]), (4.0, 6.0))
        again = self._call("credit", card_number=self.card.name, amount=100.0, source_ref="t1")
        self.assertEqual(again, first)
        spent = self._call("spend", card_number=self.card.name, amount=5.5, source_ref="t2")
        self.assertEqual(spent["balance"], 0.5)
        refund = self._call("refund", origin_source_ref="t1", amount=50.0, source_ref="t3")
        self.assertEqual(refund["amount"], -2.0)
        info = self._call("card", card_number=self.card.name)
        self.assertEqual((info["holder"], info["balance"]), ("API Holder", -1.5))

    @mute_logger("odoo.http")
    def test_bad_input_is_refused_and_changes_nothing(self):
        self.authenticate("api-cashier", "api-cashier-pw")
        before = self._state()
        cases = [
            ("credit", {"card_number": self.card.name, "amount": -5}, "greater than zero"),
            ("credit", {"card_number": self.card.name, "amount": 0}, "greater than zero"),
            ("credit", {"card_number": self.card.name, "amount": 10**9}, "largest amount"),
            ("credit", {"card_number": self.card.name, "amount": "12,50"}, "must be a number"),
            ("credit", {"card_number": self.card.name, "amount": None}, "must be a number"),
            ("credit", {"card_number": self.card.name, "amount": True}, "must be a number"),
            ("credit", {"card_number": self.card.name, "amount": 10.005}, "decimals"),
            ("credit", {"card_number": "2990999999990", "amount": 10}, "No card has the number"),
            ("credit", {"card_number": self.blocked.name, "amount": 10}, "is blocked"),
            ("credit", {"card_number": self.replaced.name, "amount": 10}, "was replaced"),
            (
                "credit",
                {"card_number": self.card.name, "amount": 10, "source_ref": ""},
                "no reference",
            ),
            ("spend", {"card_number": self.card.name, "amount": 1.0}, "can be spent from"),
            ("spend", {"card_number": self.card.name, "amount": 500.0}, "can be spent from"),
            (
                "credit",
                {"card_number": self.card.name, "amount": 10, "merchant_id": self.other_shop.id},
                "only for your own shop",
            ),
            ("refund", {"origin_source_ref": "unknown", "amount": 1.0}, "No operation"),
        ]
        for n, (route, params, message) in enumerate(cases):
            params.setdefault("source_ref", f"bad-{n}")
            with self.subTest(route=route, params=params):
                self.assertIn(message, self._error_of(route, **params))
        self.assertEqual(self._state(), before)

    def test_other_users_cannot_use_the_api(self):
        self.authenticate("admin", "admin")  # staff, but not the cashier of a shop
        with mute_logger("odoo.http"):
            message = self._error_of(
                "credit", card_number=self.card.name, amount=10, source_ref="x"
            )
        self.assertIn("does not operate a member shop", message)
