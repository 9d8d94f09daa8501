"""Audit item 2: the terminal shows a holder's profile only for a card found through its find action.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.

The counter terminal is the ``annonay_loyalty.terminal`` client action on the
``/loyalty/terminal/*`` routes: ``find`` answers a signed proof binding the
user, the shop and the card, every other route requires it. The former form
terminal (the ``loyalty.network.terminal`` transient model) is gone.
"""

import base64
import json
import uuid

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import hash_sign

PASSWORD = "profile-cashier-pw"
REFUSED = "Find the card again (scan it or type its number)."
# What the terminal must never show of a holder whose card the shop did not find.
VICTIM_SECRETS = (
    "Victor",
    "98 76 54 32",
    "98765432",
    "victor.secret",
    "rue Cach",
    "1971-07-14",
    "07/14/1971",
    '"balance"',
    '"birth_date"',
    '"total_turnover"',
)


@tagged("post_install", "-at_install")
class TestAuditTerminalProfile(HttpCase):
    """A cashier of the bakery attacks the terminal's routes to read the
    profile of a holder of the butcher's, or to operate his wallet, without
    having found his card."""

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
        merchant_groups = [
            Command.set(
                [
                    cls.env.ref("base.group_user").id,
                    cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                ]
            )
        ]
        Users = cls.env["res.users"]
        cls.cashier, cls.colleague, cls.butcher_user = (
            Users.create(
                {"name": name, "login": login, "password": PASSWORD, "group_ids": merchant_groups}
            )
            for name, login in (
                ("Profile Cashier", "profile-cashier"),
                ("Profile Colleague", "profile-colleague"),
                ("Profile Butcher User", "profile-butcher"),
            )
        )
        cls.bakery.user_ids = cls.cashier | cls.colleague
        cls.butcher.user_ids = cls.butcher_user
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

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _post(self, route, params):
        """The raw JSON-RPC answer of ``route`` (result or error) and its text."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json(), response.text

    def _call(self, route, **params):
        answer, text = self._post(f"/loyalty/terminal/{route}", params)
        if "error" in answer:
            self.assertNotIn("Traceback", answer["error"]["data"]["message"])
        return answer, text

    def _result(self, route, **params):
        answer, _text = self._call(route, **params)
        self.assertIn("result", answer, answer.get("error"))
        return answer["result"]

    def _find(self, query, **params):
        return self._result("find", query=query, **params)["card"]["token"]

    def assertRefusedWithoutVictimData(self, route, error, message, **params):
        answer, text = self._call(route, **params)
        self.assertNotIn("result", answer)
        data = answer["error"]["data"]
        self.assertEqual((data["name"], data["message"]), (f"odoo.exceptions.{error}", message))
        # A query the attacker typed may come back in the message, nothing else.
        self.assertNoVictimData(text.replace(str(params.get("query", "")), ""))

    def assertNoVictimData(self, text):
        for secret in VICTIM_SECRETS:
            self.assertNotIn(secret, text)

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.env["loyalty.network.entry"].search_count([]),
            self.victim.loyalty_wallet_id.balance,
            self.customer.loyalty_wallet_id.balance,
            self.env["loyalty.network.card"].search_count([("state", "=", "active")]),
            self.env["res.partner"].search_count([]),
            self.env["mail.mail"].search_count([]),
            self.env["sms.sms"].search_count([]),
        )

    def _tampered(self, token, card):
        """The proof ``token`` with another card id written in its signed message."""
        raw = base64.urlsafe_b64decode(token.encode() + b"===")
        message = json.loads(raw[41:].decode())
        message["card"] = card.id
        raw = raw[:41] + json.dumps(message).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _attacks(self, token):
        """Every route that takes a proof, called with ``token`` on the victim."""
        return (
            ("profile", {"card_token": token}),
            ("preview", {"card_token": token, "amount": 10.0}),
            (
                "credit",
                {"card_token": token, "amount": 10.0, "operation_ref": str(uuid.uuid4())},
            ),
            ("refund_choices", {"card_token": token}),
            (
                "refund_preview",
                {"card_token": token, "entry_id": self.victim_entry.id, "amount": 10.0},
            ),
            (
                "refund",
                {
                    "card_token": token,
                    "entry_id": self.victim_entry.id,
                    "amount": 10.0,
                    "operation_ref": str(uuid.uuid4()),
                },
            ),
        )

    # ------------------------------------------------------------
    # (a) no proof, or a proof that is not this user's for this shop and card
    # ------------------------------------------------------------

    def test_profile_and_operations_refused_without_a_proof_of_find(self):
        # Proofs made by others: a colleague of the same shop, the butcher's user.
        self.authenticate("profile-colleague", PASSWORD)
        colleague_token = self._find(self.victim_card.name)
        self.authenticate("profile-butcher", PASSWORD)
        butcher_token = self._find(self.victim_card.name)
        # The cashier's own proof for its shop's customer, turned to the victim's card.
        self.authenticate("profile-cashier", PASSWORD)
        customer_token = self._find(self.customer_card.name)
        su_env = self.env(su=True)
        payload = {"uid": self.cashier.id, "merchant": self.bakery.id, "card": self.victim_card.id}
        forged = {
            "no proof": None,
            "empty proof": "",
            "card id as proof": str(self.victim_card.id),
            "card number as proof": self.victim_card.name,
            "payload as proof": json.dumps(payload),
            "proof of another scope": hash_sign(su_env, "annonay_loyalty.other", payload),
            "expired proof": hash_sign(
                su_env, "annonay_loyalty.terminal_card", payload, expiration_hours=-1
            ),
            "proof of a colleague": colleague_token,
            "proof of another shop": butcher_token,
            "proof of card A with the id of card B": self._tampered(
                customer_token, self.victim_card
            ),
        }
        before = self._snapshot()
        for attack, token in forged.items():
            for route, params in self._attacks(token):
                with self.subTest(attack=attack, route=route):
                    self.assertRefusedWithoutVictimData(route, "AccessError", REFUSED, **params)
        # An id slipped in beside a missing proof is ignored, and refused.
        with mute_logger("odoo.http"):
            self.assertRefusedWithoutVictimData(
                "profile",
                "AccessError",
                REFUSED,
                card_token=None,
                card_id=self.victim_card.id,
            )
        self.assertEqual(self._snapshot(), before)
        # The cashier's genuine proof of its customer still works.
        self.assertEqual(
            self._result("profile", card_token=customer_token)["name"], "Claire Customer"
        )

    def test_proof_is_bound_to_the_shop_it_was_found_for(self):
        # Association staff may operate any shop, but a proof found for the
        # butcher does not open the card at the bakery.
        self.authenticate("admin", "admin")
        token = self._find(self.victim_card.name, merchant_id=self.butcher.id)
        before = self._snapshot()
        for route, params in self._attacks(token):
            with self.subTest(route=route):
                self.assertRefusedWithoutVictimData(
                    route, "AccessError", REFUSED, merchant_id=self.bakery.id, **params
                )
        self.assertEqual(self._snapshot(), before)
        profile = self._result("profile", card_token=token, merchant_id=self.butcher.id)
        self.assertEqual(profile["name"], "Victor Secret")

    # ------------------------------------------------------------
    # (b) the find action by exact card number
    # ------------------------------------------------------------

    def test_find_by_exact_card_number_shows_the_profile(self):
        self.authenticate("profile-cashier", PASSWORD)
        found = self._result("find", query=self.victim_card.name)
        self.assertEqual(set(found["card"]), {"token", "name", "masked"})
        self.assertEqual(found["card"]["masked"], self.victim_card.masked_number)
        profile = self._result("profile", card_token=found["card"]["token"])
        self.assertEqual(
            (profile["name"], profile["birth_date"], profile["phone"], profile["email"]),
            ("Victor Secret", "07/14/1971", "+33 6 98 76 54 32", "victor.secret@example.com"),
        )
        self.assertEqual(profile["address"], "12 rue Cachée")
        self.assertEqual((profile["balance"], profile["total_turnover"]), (20.0, 500.0))
        # The name search finds only the shop's own customers.
        before = self._snapshot()
        for query in ("Victor Secret", "Victor", "06 98 76 54 32"):
            with self.subTest(query=query):
                self.assertRefusedWithoutVictimData(
                    "find",
                    "UserError",
                    f"No customer of your shop matches “{query}”: scan the card.",
                    query=query,
                )
        self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------------------
    # (c) refunds
    # ------------------------------------------------------------

    def test_refund_choice_is_an_operation_of_this_shop_on_this_card(self):
        self.authenticate("profile-cashier", PASSWORD)
        token = self._find(self.victim_card.name)
        # The butcher's sale of this card is not the bakery's to list or refund.
        self.assertEqual(self._result("refund_choices", card_token=token), [])
        before = self._snapshot()
        message = "This operation is not one of your shop's for this card."
        for entry in (self.victim_entry, self.customer_entry):  # other shop; other card
            for route, params in (
                ("refund_preview", {"amount": 10.0}),
                ("refund", {"amount": 10.0, "operation_ref": str(uuid.uuid4())}),
                ("send_recap", {"recap_id": entry.id, "channel": "email"}),
            ):
                with self.subTest(entry=entry.source_ref, route=route):
                    if route != "send_recap":
                        params["entry_id"] = entry.id
                    answer, _text = self._call(route, card_token=token, **params)
                    data = answer["error"]["data"]
                    self.assertEqual(
                        (data["name"], data["message"]), ("odoo.exceptions.UserError", message)
                    )
                    self.assertNotIn("result", answer)
        self.assertEqual(self._snapshot(), before)
        # The bakery's own purchase on this card is listed, alone, and refunds.
        credit = self._result(
            "credit", card_token=token, amount=50.0, operation_ref=str(uuid.uuid4())
        )
        own_entry = self.env["loyalty.network.entry"].browse(credit["recap_id"])
        self.assertEqual(
            (own_entry.merchant_id, own_entry.card_id), (self.bakery, self.victim_card)
        )
        choices = self._result("refund_choices", card_token=token)
        self.assertEqual(
            [(c["id"], c["kind"], c["amount"]) for c in choices], [(own_entry.id, "earn", 50.0)]
        )
        entry_count = self.env["loyalty.network.entry"].search_count([])
        refunded = self._result(
            "refund",
            card_token=token,
            entry_id=own_entry.id,
            amount=10.0,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertEqual(refunded["amount"], -0.4)
        self.env.invalidate_all()
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entry_count + 1)
        self.assertEqual(own_entry.reversal_ids.purchase_amount, -10.0)
        self.assertEqual(self.victim_entry.reversal_ids.ids, [])

    # ------------------------------------------------------------
    # (d) another shop
    # ------------------------------------------------------------

    def test_merchant_cannot_be_switched_to_another_shop(self):
        self.authenticate("profile-cashier", PASSWORD)
        token = self._find(self.victim_card.name)
        before = self._snapshot()
        message = "You can operate only for your own shop."
        for route, params in (
            ("init", {}),
            ("find", {"query": self.victim_card.name}),
            ("find", {"query": "Victor Secret"}),
            *self._attacks(token),
        ):
            with self.subTest(route=route, params=params):
                self.assertRefusedWithoutVictimData(
                    route, "AccessError", message, merchant_id=self.butcher.id, **params
                )
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self._result("init")["merchant"]["id"], self.bakery.id)

    # ------------------------------------------------------------
    # (e) the former form terminal
    # ------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_former_form_terminal_model_is_gone(self):
        self.assertNotIn("loyalty.network.terminal", self.env)
        self.assertFalse(
            self.env["ir.model"].search_count([("model", "=", "loyalty.network.terminal")])
        )
        self.assertFalse(
            self.env.ref(
                "annonay_loyalty.loyalty_network_terminal_action", raise_if_not_found=False
            )
        )
        self.authenticate("profile-cashier", PASSWORD)
        before = self._snapshot()
        for method, args, kwargs in (
            ("create", [{"card_id": self.victim_card.id}], {}),
            ("web_save", [[], {"card_id": self.victim_card.id}], {"specification": {}}),
            ("onchange", [[], {"card_id": self.victim_card.id}, ["card_id"], {}], {}),
            ("web_read", [[1]], {"specification": {"phone": {}}}),
        ):
            with self.subTest(method=method):
                answer, text = self._post(
                    f"/web/dataset/call_kw/loyalty.network.terminal/{method}",
                    {
                        "model": "loyalty.network.terminal",
                        "method": method,
                        "args": args,
                        "kwargs": kwargs,
                    },
                )
                self.assertNotIn("result", answer)
                # The model is not in the registry: the RPC route does not even match.
                self.assertEqual(answer["error"]["data"]["message"].split(":")[0], "404 Not Found")
                self.assertNoVictimData(text)
        self.assertEqual(self._snapshot(), before)
