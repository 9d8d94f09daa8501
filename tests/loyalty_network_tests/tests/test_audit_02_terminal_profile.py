"""Audit item 2: the terminal shows a holder's profile only for a card found through its find action.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

PROFILE_FIELDS = [
    "partner_id",
    "card_state",
    "birth_date",
    "address",
    "phone",
    "email",
    "member_since",
    "last_visit_date",
    "balance",
    "total_turnover",
    "can_spend",
]


@tagged("post_install", "-at_install")
class TestAuditTerminalProfile(HttpCase):
    """A cashier of the bakery attacks the terminal to read the profile of a
    holder of the butcher's (whose card it never saw)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_opening_fee = 0.0
        Merchant = cls.env["loyalty.network.merchant"]
        cls.bakery = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Profile Bakery"}).id}
        )
        cls.butcher = Merchant.create(
            {"partner_id": cls.env["res.partner"].create({"name": "Profile Butcher"}).id}
        )
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Profile Cashier",
                "login": "profile-cashier",
                "password": "profile-cashier-pw",
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
        cls.bakery.user_ids = cls.cashier
        Card = cls.env["loyalty.network.card"]
        cls.victim = cls.env["res.partner"].create(
            {
                "name": "Victor Secret",
                "phone": "+33 6 98 76 54 32",
                "email": "victor.secret@example.com",
                "street": "12 rue Cachée",
                "loyalty_birth_date": "1971-07-14",
            }
        )
        cls.victim_card = Card.create({})
        cls.victim_card._enrol(cls.victim, cls.butcher)
        Wallet = cls.env["loyalty.network.wallet"]
        cls.victim_entry = Wallet._credit_purchase(
            cls.victim_card, cls.butcher, 500.0, "profile/victim"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Claire Customer"})
        cls.customer_card = Card.create({})
        cls.customer_card._enrol(cls.customer, cls.bakery)
        cls.customer_entry = Wallet._credit_purchase(
            cls.customer_card, cls.bakery, 100.0, "profile/customer"
        )

    def _call_kw(self, model, method, args, kwargs=None):
        """The raw JSON-RPC answer of /web/dataset/call_kw (result or error)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def assertNoVictimData(self, answer):
        text = json.dumps(answer)
        for secret in ("Victor", "98 76 54 32", "victor.secret", "Cachée", "1971-07-14"):
            self.assertNotIn(secret, text)

    def _terminal_state(self, terminal_id):
        self.env.invalidate_all()
        terminal = self.env["loyalty.network.terminal"].browse(terminal_id)
        return terminal.merchant_id, terminal.card_id, terminal.refund_entry_id

    @mute_logger("odoo.http")
    def test_card_cannot_be_set_over_rpc(self):
        self.authenticate("profile-cashier", "profile-cashier-pw")
        Terminal = self.env["loyalty.network.terminal"]
        count = Terminal.search_count([])
        answer = self._call_kw(
            "loyalty.network.terminal", "create", [{"card_id": self.victim_card.id}]
        )
        self.assertIn("cannot be set directly", answer["error"]["data"]["message"])
        self.assertNoVictimData(answer)
        self.assertEqual(Terminal.search_count([]), count)
        answer = self._call_kw(
            "loyalty.network.terminal",
            "web_save",
            [[], {"card_id": self.victim_card.id}],
            {"specification": {fname: {} for fname in PROFILE_FIELDS}},
        )
        self.assertIn("cannot be set directly", answer["error"]["data"]["message"])
        self.assertNoVictimData(answer)
        self.assertEqual(Terminal.search_count([]), count)

        terminal_id = self._call_kw("loyalty.network.terminal", "create", [{}])["result"]
        before = self._terminal_state(terminal_id)
        for method, args in (
            ("write", [[terminal_id], {"card_id": self.victim_card.id}]),
            ("write", [[terminal_id], {"last_entry_id": self.victim_entry.id}]),
            ("web_save", [[terminal_id], {"card_id": self.victim_card.id}]),
        ):
            with self.subTest(method=method, args=args):
                answer = self._call_kw(
                    "loyalty.network.terminal",
                    method,
                    args,
                    {"specification": {"phone": {}}} if method == "web_save" else {},
                )
                self.assertIn("error", answer)
                self.assertNoVictimData(answer)
        self.assertEqual(self._terminal_state(terminal_id), before)
        self.assertFalse(before[1])
        # Reading the profile fields gives nothing: no card was found.
        for method, args, kwargs in (
            ("read", [[terminal_id], PROFILE_FIELDS], {}),
            (
                "web_read",
                [[terminal_id]],
                {
                    "specification": {
                        **{fname: {} for fname in PROFILE_FIELDS},
                        "partner_id": {"fields": {"display_name": {}}},
                    }
                },
            ),
        ):
            answer = self._call_kw("loyalty.network.terminal", method, args, kwargs)
            self.assertIn("result", answer)
            self.assertFalse(answer["result"][0]["birth_date"])
            self.assertFalse(answer["result"][0]["phone"])
            self.assertEqual(answer["result"][0]["balance"], 0.0)
            self.assertNoVictimData(answer)

    def test_unsaved_card_in_onchange_shows_nothing(self):
        self.authenticate("profile-cashier", "profile-cashier-pw")
        terminal_id = self._call_kw("loyalty.network.terminal", "create", [{}])["result"]
        spec = {fname: {} for fname in PROFILE_FIELDS + ["card_id"]}
        spec["partner_id"] = {"fields": {"display_name": {}}}
        for ids in ([], [terminal_id]):
            with self.subTest(ids=ids):
                answer = self._call_kw(
                    "loyalty.network.terminal",
                    "onchange",
                    [ids, {"card_id": self.victim_card.id}, ["card_id"], spec],
                )
                self.assertIn("result", answer)
                self.assertNoVictimData(answer)
                self.assertFalse(answer["result"]["value"].get("phone"))

    @mute_logger("odoo.http")
    def test_merchant_cannot_be_switched_to_another_shop(self):
        self.authenticate("profile-cashier", "profile-cashier-pw")
        Terminal = self.env["loyalty.network.terminal"]
        count = Terminal.search_count([])
        answer = self._call_kw(
            "loyalty.network.terminal", "create", [{"merchant_id": self.butcher.id}]
        )
        self.assertIn("not allowed to operate the card", answer["error"]["data"]["message"])
        self.assertEqual(Terminal.search_count([]), count)
        terminal_id = self._call_kw("loyalty.network.terminal", "create", [{}])["result"]
        before = self._terminal_state(terminal_id)
        self.assertEqual(before[0], self.bakery)
        answer = self._call_kw(
            "loyalty.network.terminal",
            "write",
            [[terminal_id], {"merchant_id": self.butcher.id, "query": "Victor"}],
        )
        self.assertIn("not allowed to operate the card", answer["error"]["data"]["message"])
        self.assertEqual(self._terminal_state(terminal_id), before)

    @mute_logger("odoo.http")
    def test_refund_choice_is_an_operation_of_this_shop_on_this_card(self):
        self.authenticate("profile-cashier", "profile-cashier-pw")
        terminal_id = self._call_kw(
            "loyalty.network.terminal", "create", [{"query": self.victim_card.name}]
        )["result"]
        self._call_kw("loyalty.network.terminal", "action_find", [[terminal_id]])
        before = self._terminal_state(terminal_id)
        self.assertEqual(before[1], self.victim_card)
        entry_count = self.env["loyalty.network.entry"].search_count([])
        for entry in (self.victim_entry, self.customer_entry):  # other shop; other card
            with self.subTest(entry=entry.source_ref):
                answer = self._call_kw(
                    "loyalty.network.terminal",
                    "write",
                    [[terminal_id], {"refund_entry_id": entry.id, "refund_amount": 10.0}],
                )
                self.assertIn(
                    "Choose a purchase or a wallet payment of this card made in your shop",
                    answer["error"]["data"]["message"],
                )
                self.assertEqual(self._terminal_state(terminal_id), before)
        # The bakery's own purchase on this card is a valid choice, and refunds.
        self._call_kw("loyalty.network.terminal", "write", [[terminal_id], {"amount": 50.0}])
        self._call_kw("loyalty.network.terminal", "action_add_purchase", [[terminal_id]])
        self.env.invalidate_all()
        own_entry = self.env["loyalty.network.terminal"].browse(terminal_id).last_entry_id
        self.assertEqual(
            (own_entry.merchant_id, own_entry.card_id), (self.bakery, self.victim_card)
        )
        answer = self._call_kw(
            "loyalty.network.terminal",
            "write",
            [[terminal_id], {"refund_entry_id": own_entry.id, "refund_amount": 10}],
        )
        self.assertIs(answer["result"], True)
        self._call_kw("loyalty.network.terminal", "action_refund", [[terminal_id]])
        self.env.invalidate_all()
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entry_count + 2)
        self.assertEqual(own_entry.reversal_ids.purchase_amount, -10.0)

    def test_find_by_exact_card_number_shows_the_profile(self):
        self.authenticate("profile-cashier", "profile-cashier-pw")
        terminal_id = self._call_kw(
            "loyalty.network.terminal", "create", [{"query": self.victim_card.name}]
        )["result"]
        self._call_kw("loyalty.network.terminal", "action_find", [[terminal_id]])
        answer = self._call_kw(
            "loyalty.network.terminal",
            "web_read",
            [[terminal_id]],
            {"specification": {fname: {} for fname in PROFILE_FIELDS + ["card_id"]}},
        )
        values = answer["result"][0]
        self.assertEqual(values["card_id"], self.victim_card.id)
        self.assertEqual(values["partner_id"], self.victim.id)
        self.assertEqual(
            (values["birth_date"], values["phone"], values["email"]),
            ("1971-07-14", "+33 6 98 76 54 32", "victor.secret@example.com"),
        )
        self.assertEqual((values["balance"], values["total_turnover"]), (20.0, 500.0))
        # The name search finds only the shop's own customers.
        terminal_id = self._call_kw(
            "loyalty.network.terminal", "create", [{"query": "Victor Secret"}]
        )["result"]
        with mute_logger("odoo.http"):
            answer = self._call_kw("loyalty.network.terminal", "action_find", [[terminal_id]])
        self.assertIn("No customer of your shop", answer["error"]["data"]["message"])
        self.assertFalse(self._terminal_state(terminal_id)[1])
