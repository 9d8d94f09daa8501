import uuid

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..services import money_engine as engine
from .common import LoyaltyNetworkCase


class RouteError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


@tagged("post_install", "-at_install")
class TestTerminalScreen(HttpCase, LoyaltyNetworkCase):
    """The routes of the counter terminal, through HTTP as the shops use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.baker_user, cls.butcher_user, cls.alice_user):
            user.password = user.login  # start_tour logs in with the login as password
        cls.Entry = cls.env["loyalty.network.entry"]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _call(self, route, **params):
        response = self.opener.post(
            f"{self.base_url()}/loyalty/terminal/{route}",
            json={"jsonrpc": "2.0", "method": "call", "id": 0, "params": params},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"]["data"]
            self.assertNotIn("Traceback", data["message"])
            raise RouteError(data["name"], data["message"])
        return body["result"]

    def assertRefused(self, route, error, message=None, **params):
        with self.assertRaises(RouteError) as caught:
            self._call(route, **params)
        self.assertEqual(caught.exception.name, f"odoo.exceptions.{error}")
        if message:
            self.assertEqual(caught.exception.message, message)
        return caught.exception

    def _snapshot(self):
        self.env.invalidate_all()
        return (
            self.Entry.search_count([]),
            self.env["res.partner"].search_count([]),
            self.env["loyalty.network.card"].search_count([("state", "=", "active")]),
            self.env["mail.mail"].search_count([]),
            self.env["sms.sms"].search_count([]),
        )

    def _fmt(self, amount):
        return engine.NetworkRules.of(self.env.company).fmt(amount)

    def _find(self, query):
        return self._call("find", query=query)["card"]["token"]

    # ------------------------------------------------------------
    # find and profile
    # ------------------------------------------------------------

    def test_find_by_number_any_card_then_profile(self):
        self.bob.write(
            {
                "street": "1 rue Boissy d'Anglas",
                "zip": "07100",
                "city": "Annonay",
                "email": "bob@example.com",
                "phone": "+33 6 12 34 56 78",
                "loyalty_birth_date": "1980-02-29",
            }
        )
        self._login(self.baker_user)
        # Bob is the butcher's customer: his card number alone lets the bakery serve him.
        found = self._call("find", query=" ".join([self.bob_card.name[:6], self.bob_card.name[6:]]))
        self.assertEqual(set(found), {"card"})
        self.assertEqual(found["card"]["name"], "Bob")
        self.assertEqual(found["card"]["masked"], "•••• " + self.bob_card.name[-4:])
        self.assertEqual(set(found["card"]), {"token", "name", "masked"})
        profile = self._call("profile", card_token=found["card"]["token"])
        self.assertEqual(profile["name"], "Bob")
        self.assertEqual(profile["address"], "1 rue Boissy d'Anglas, 07100 Annonay")
        self.assertEqual(profile["email"], "bob@example.com")
        self.assertEqual(profile["phone"], "+33 6 12 34 56 78")
        self.assertEqual(profile["birth_date"], "02/29/1980")
        self.assertEqual(profile["balance"], 0.0)
        self.assertIs(profile["can_spend"], False)
        self.assertEqual(profile["min_spend_balance"], 5.0)
        self.assertEqual(profile["total_turnover"], 0.0)
        self.assertNotIn("id", profile)

    def test_find_by_name_only_among_own_customers(self):
        self._create_holder("Roberta Vialette", self.butcher)
        self.alicia = self._create_holder("Alicia Vialatte", self.bakery)[0]
        before = self._snapshot()
        self._login(self.baker_user)
        # The bakery's customer is found by name...
        found = self._call("find", query="Alicia")
        self.assertEqual(found["card"]["name"], "Alicia Vialatte")
        # ... and by the mobile as people say it.
        self.alicia.phone = "+33 6 98 76 54 32"
        self.assertEqual(
            self._call("find", query="06 98 76 54 32")["card"]["name"], "Alicia Vialatte"
        )
        self.assertRefused(
            "find",
            "UserError",
            "Type at least 5 characters of the name or phone, or scan the card.",
            query="5432",
        )
        # ... the butcher's customer is not, even by their full name.
        self.assertRefused(
            "find",
            "UserError",
            "No customer of your shop matches “Roberta Vialette”: scan the card.",
            query="Roberta Vialette",
        )
        # A fragment shorter than 5 characters never picks a holder.
        self.assertRefused(
            "find",
            "UserError",
            "Type at least 5 characters of the name or phone, or scan the card.",
            query="Alic",
        )
        self.assertEqual(self._snapshot(), before)

    def test_find_several_matches_gives_a_short_list(self):
        _martin, martin_card = self._create_holder("Martin Durand", self.bakery)
        _martine, martine_card = self._create_holder("Martine Durand", self.bakery)
        self._login(self.baker_user)
        found = self._call("find", query="durand")
        self.assertEqual(set(found), {"choices"})
        self.assertEqual(
            sorted((c["name"], c["masked"]) for c in found["choices"]),
            [
                ("Martin Durand", martin_card.masked_number),
                ("Martine Durand", martine_card.masked_number),
            ],
        )
        for choice in found["choices"]:
            self.assertEqual(set(choice), {"token", "name", "masked"})
        # Each choice carries its own proof: picking one opens that profile.
        chosen = next(c for c in found["choices"] if c["name"] == "Martine Durand")
        self.assertEqual(
            self._call("profile", card_token=chosen["token"])["name"], "Martine Durand"
        )

    def test_find_unknown_number_and_blocked_card(self):
        self._login(self.baker_user)
        self.assertRefused(
            "find", "UserError", "No card has the number 2000000000008.", query="2000000000008"
        )
        self.bob_card.action_block()
        self.assertRefused(
            "find", "UserError", f"Card {self.bob_card.name} is blocked.", query=self.bob_card.name
        )

    # ------------------------------------------------------------
    # the proof of a find
    # ------------------------------------------------------------

    def test_routes_refuse_a_missing_or_forged_card_token(self):
        self._login(self.butcher_user)
        butcher_token = self._find(self.alice_card.name)
        self._login(self.baker_user)
        bakery_token = self._find(self.alice_card.name)
        before = self._snapshot()
        forged = bakery_token[:-4] + ("AAAA" if not bakery_token.endswith("AAAA") else "BBBB")
        message = "Find the card again (scan it or type its number)."
        for token in (None, "", "garbage", "1", forged, butcher_token):
            self.assertRefused("profile", "AccessError", message, card_token=token)
            self.assertRefused("preview", "AccessError", message, card_token=token, amount=10.0)
            self.assertRefused(
                "credit",
                "AccessError",
                message,
                card_token=token,
                amount=10.0,
                operation_ref=str(uuid.uuid4()),
            )
            self.assertRefused("refund_choices", "AccessError", message, card_token=token)
        self.assertEqual(self._snapshot(), before)
        # The genuine token still works.
        self.assertEqual(self._call("profile", card_token=bakery_token)["name"], "Alice")

    def test_portal_user_and_shopless_user_are_refused(self):
        before = self._snapshot()
        self._login(self.alice_user)
        message = "The terminal is for member shops only."
        self.assertRefused("init", "AccessError", message)
        self.assertRefused("find", "AccessError", message, query=self.alice_card.name)
        self.assertRefused(
            "enrol",
            "AccessError",
            message,
            card_number=self.env["loyalty.network.card"].create({}).name,
            holder={"name": "Intruder"},
        )
        self.assertEqual(self._snapshot()[0:3], (before[0], before[1], before[2]))

    def test_merchant_cannot_pick_another_shop(self):
        self._login(self.baker_user)
        self.assertRefused(
            "find",
            "AccessError",
            "You can operate only for your own shop.",
            query=self.alice_card.name,
            merchant_id=self.butcher.id,
        )
        self.assertEqual(self._call("init")["merchant"]["name"], "Bakery")

    def test_staff_choose_the_shop(self):
        self.authenticate("admin", "admin")
        init = self._call("init")
        self.assertIs(init["is_staff"], True)
        self.assertIs(init["merchant"], False)
        self.assertIn({"id": self.butcher.id, "name": "Butcher"}, init["merchants"])
        self.assertRefused("find", "UserError", "Choose the shop first.", query=self.bob_card.name)
        init = self._call("init", merchant_id=self.butcher.id)
        self.assertEqual(init["merchant"]["plans"][0]["name"], self.reduced.name)
        found = self._call("find", query=self.bob_card.name, merchant_id=self.butcher.id)
        # A token is bound to the shop it was found for.
        self.assertRefused(
            "profile",
            "AccessError",
            card_token=found["card"]["token"],
            merchant_id=self.bakery.id,
        )
        profile = self._call(
            "profile", card_token=found["card"]["token"], merchant_id=self.butcher.id
        )
        self.assertEqual(profile["name"], "Bob")

    # ------------------------------------------------------------
    # operations
    # ------------------------------------------------------------

    def test_preview_credit_spend_refund(self):
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        preview = self._call("preview", card_token=token, amount="250,00")
        self.assertEqual(
            {k: preview[k] for k in ("balance", "credit", "opening_fee", "balance_after")},
            {"balance": 0.0, "credit": 10.0, "opening_fee": 4.0, "balance_after": 6.0},
        )
        self.assertIs(preview["can_spend_after"], True)
        self.assertEqual(self.Entry.search_count([("partner_id", "=", self.alice.id)]), 0)

        ref = str(uuid.uuid4())
        result = self._call("credit", card_token=token, amount=250.0, operation_ref=ref)
        self.assertEqual(
            {k: result[k] for k in ("amount", "purchase_amount", "opening_fee", "new_balance")},
            {"amount": 10.0, "purchase_amount": 250.0, "opening_fee": 4.0, "new_balance": 6.0},
        )
        self.assertEqual(result["label"], "Purchase Credit")
        # A double click (same one-shot reference) records once and answers the same.
        again = self._call("credit", card_token=token, amount=250.0, operation_ref=ref)
        self.assertEqual(again, result)
        self.assertEqual(
            self.Entry.search_count(
                [("partner_id", "=", self.alice.id), ("entry_type", "=", "earn")]
            ),
            1,
        )
        # The reference names one operation: other figures under it are refused.
        bob_token = self._find(self.bob_card.name)
        before = self._snapshot()
        # (the wallet refuses a known reference with other figures, since the
        # shop-scoped references of the core)
        # The refusal names no reference: the cashier never sees technical keys.
        message = (
            "This reference was already used for another operation: send the new "
            "operation with a new reference."
        )
        self.assertRefused(
            "credit", "UserError", message, card_token=token, amount=25.0, operation_ref=ref
        )
        self.assertRefused(
            "credit", "UserError", message, card_token=bob_token, amount=250.0, operation_ref=ref
        )
        self.assertEqual(self._snapshot(), before)
        # A reference is per kind of operation: the same one can name a wallet payment.
        spent = self._call("spend", card_token=token, amount=5.5, operation_ref=ref)
        self.assertEqual((spent["amount"], spent["new_balance"]), (-5.5, 0.5))

        choices = self._call("refund_choices", card_token=token)
        self.assertEqual(
            [(c["kind"], c["amount"], c["refundable"]) for c in choices],
            [("spend", 5.5, 5.5), ("earn", 250.0, 250.0)],
        )
        for choice in choices:
            self.assertRegex(choice["ticket"], r"^Terminal \d\d:\d\d$")
        earning = next(c for c in choices if c["kind"] == "earn")
        preview = self._call(
            "refund_preview", card_token=token, entry_id=earning["id"], amount=25.0
        )
        self.assertEqual(
            preview, {"amount": 25.0, "wallet": -1.0, "balance": 0.5, "balance_after": -0.5}
        )
        refunded = self._call(
            "refund",
            card_token=token,
            entry_id=earning["id"],
            amount=25.0,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertEqual((refunded["amount"], refunded["new_balance"]), (-1.0, -0.5))
        choices = self._call("refund_choices", card_token=token)
        self.assertEqual([c["refundable"] for c in choices if c["kind"] == "earn"], [225.0])
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_shop_plan_choice_credits_at_the_chosen_rate(self):
        self.bakery.allowed_plan_ids = self.reduced
        self._login(self.baker_user)
        merchant = self._call("init")["merchant"]
        # The shop's own plan comes first and is the default; the other is a choice.
        self.assertEqual(
            [plan["id"] for plan in merchant["plans"]], [self.standard.id, self.reduced.id]
        )
        self.assertEqual(merchant["default_plan_id"], self.standard.id)
        token = self._find(self.alice_card.name)
        result = self._call(
            "credit",
            card_token=token,
            amount=100.0,
            plan_id=self.reduced.id,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertEqual((result["amount"], result["new_balance"]), (2.0, 2.0))
        self.assertEqual(result["cardholder_rate"], self.reduced.cardholder_rate)
        entry = self.Entry.browse(result["recap_id"])
        self.assertEqual((entry.plan_id, entry.merchant_id), (self.reduced, self.bakery))
        profile = self._call("profile", card_token=token)
        self.assertEqual((profile["total_turnover"], profile["balance"]), (100.0, 2.0))

    def test_card_blocked_after_its_find_is_refused(self):
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        self.alice_card.action_block()
        before = self._snapshot()
        message = f"Card {self.alice_card.name} is blocked."
        self.assertRefused("profile", "UserError", message, card_token=token)
        self.assertRefused(
            "credit",
            "UserError",
            message,
            card_token=token,
            amount=10.0,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertEqual(self._snapshot(), before)

    def test_bad_amounts_change_nothing(self):
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        before = self._snapshot()
        for amount, message in (
            ("abc", "Type an amount such as 12.50."),
            (-5.0, "The amount must be greater than zero."),
            (0, "The amount must be greater than zero."),
            (1.234, "The amount has more than 2 decimals."),
            (None, "The amount must be a number."),
            ([], "The amount must be a number."),
        ):
            self.assertRefused(
                "credit",
                "UserError",
                message,
                card_token=token,
                amount=amount,
                operation_ref=str(uuid.uuid4()),
            )
        self.assertRefused("preview", "UserError", "Type the amount.", card_token=token, amount=0)
        self.assertRefused(
            "spend",
            "UserError",
            f"The wallet can be spent from {self._fmt(5.0)} on; its balance is {self._fmt(0.0)}.",
            card_token=token,
            amount=3.0,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertRefused(
            "credit",
            "UserError",
            "The operation has no reference: it cannot be recorded.",
            card_token=token,
            amount=10.0,
            operation_ref="",
        )
        self.assertRefused(
            "credit",
            "UserError",
            "Choose one of the shop's rate plans.",
            card_token=token,
            amount=10.0,
            plan_id=999999,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertRefused(
            "credit",
            "UserError",
            f"The rate plan {self.reduced.name} is not allowed at Bakery.",
            card_token=token,
            amount=10.0,
            plan_id=self.reduced.id,
            operation_ref=str(uuid.uuid4()),
        )
        self.assertEqual(self._snapshot(), before)

    def test_refund_only_this_shops_sales_of_this_card(self):
        bob_sale = self.Wallet.with_user(self.butcher_user)._credit_purchase(
            self.bob_card, self.butcher, 100.0, "test:bob-butcher"
        )
        alice_sale = self.Wallet.with_user(self.butcher_user)._credit_purchase(
            self.alice_card, self.butcher, 100.0, "test:alice-butcher"
        )
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        self.assertEqual(self._call("refund_choices", card_token=token), [])
        before = self._snapshot()
        for entry in (bob_sale, alice_sale):
            self.assertRefused(
                "refund",
                "UserError",
                "This operation is not one of your shop's for this card.",
                card_token=token,
                entry_id=entry.id,
                amount=10.0,
                operation_ref=str(uuid.uuid4()),
            )
        self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------------------
    # enrolment and recap
    # ------------------------------------------------------------

    def test_enrol_a_new_holder_on_a_blank_card(self):
        blank = self.env["loyalty.network.card"].create({})
        self._login(self.baker_user)
        self.assertEqual(self._call("find", query=blank.name), {"blank_card": blank.name})
        found = self._call(
            "enrol",
            card_number=blank.name,
            holder={
                "name": "Chloé Martin",
                "birth_date": "1990-05-17",
                "phone": "06 12 34 56 78",
                "email": "chloe@example.com",
                "email_consent": True,
                "sms_consent": False,
            },
        )
        self.assertEqual(found["card"]["name"], "Chloé Martin")
        profile = self._call("profile", card_token=found["card"]["token"])
        self.assertEqual(profile["phone"], "+33 6 12 34 56 78")
        self.assertIs(profile["email_consent"], True)
        self.assertIs(profile["sms_consent"], False)
        blank.invalidate_recordset()
        self.assertEqual((blank.state, blank.partner_id.name), ("active", "Chloé Martin"))
        before = self._snapshot()
        self.assertRefused(
            "enrol",
            "UserError",
            f"Card {blank.name} is already in use.",
            card_number=blank.name,
            holder={"name": "Someone Else"},
        )
        self.assertEqual(self._snapshot(), before)
        # A phone that is not one is refused, and the blank card stays blank.
        other = self.env["loyalty.network.card"].create({})
        before = self._snapshot()
        self.assertRefused(
            "enrol",
            "UserError",
            "12 is not a valid phone number.",
            card_number=other.name,
            holder={"name": "Someone Else", "phone": "12"},
        )
        self.assertEqual(self._snapshot(), before)
        other.invalidate_recordset()
        self.assertEqual(other.state, "stock")

    def test_send_recap_by_email_and_sms(self):
        self.alice.write({"email": "alice@example.com", "phone": "+33 6 11 22 33 44"})
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        result = self._call(
            "credit", card_token=token, amount=250.0, operation_ref=str(uuid.uuid4())
        )
        sent = self._call(
            "send_recap", card_token=token, recap_id=result["recap_id"], channel="email"
        )
        self.assertEqual(sent, {"sent_to": "alice@example.com"})
        mail = self.env["mail.mail"].search([("model", "=", "loyalty.network.entry")], limit=1)
        self.assertEqual(mail.recipient_ids, self.alice)
        body = str(mail.body_html)
        for figure in ("250.00", "10.00", "4.00", "6.00", "Card opening fee"):
            self.assertIn(figure, body)
        sent = self._call(
            "send_recap", card_token=token, recap_id=result["recap_id"], channel="sms"
        )
        self.assertEqual(sent, {"sent_to": "+33 6 11 22 33 44"})
        sms = self.env["sms.sms"].search([("partner_id", "=", self.alice.id)])
        self.assertEqual(sms.number, "+33611223344")
        self.assertEqual(
            sms.body,
            f"Bakery: Purchase Credit {self._fmt(10.0)}. Your loyalty wallet: {self._fmt(6.0)}.",
        )

        # Another shop's operation is not the bakery's to send.
        other = self.Wallet.with_user(self.butcher_user)._credit_purchase(
            self.alice_card, self.butcher, 10.0, "test:alice-at-butcher"
        )
        before = self._snapshot()
        self.assertRefused(
            "send_recap",
            "UserError",
            "This operation is not one of your shop's for this card.",
            card_token=token,
            recap_id=other.id,
            channel="email",
        )
        self.assertEqual(self._snapshot(), before)

    def test_printed_recap_shows_the_ticket_not_the_reference(self):
        self._login(self.baker_user)
        token = self._find(self.alice_card.name)
        ref = str(uuid.uuid4())
        result = self._call("credit", card_token=token, amount=250.0, operation_ref=ref)
        self._call("spend", card_token=token, amount=5.5, operation_ref=str(uuid.uuid4()))
        entry = self.Entry.browse(result["recap_id"])
        # The label is the one the refund picker shows for this sale.
        ticket = next(
            c["ticket"]
            for c in self._call("refund_choices", card_token=token)
            if c["id"] == entry.id
        )
        self.assertRegex(ticket, r"^Terminal \d\d:\d\d$")
        self.assertEqual(entry.with_user(self.baker_user)._get_ticket_label(), ticket)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.baker_user)
            ._render_qweb_html("annonay_loyalty.loyalty_network_entry_recap_report", entry.ids)[0]
            .decode()
        )
        self.assertIn(f"Ticket <span>{ticket}</span>", html)
        self.assertNotIn(ref, html)
        self.assertNotIn("terminal:", html)
        # The recap of the purchase shows the credit, the opening fee taken with
        # it and the balance just after it, not today's balance.
        self.assertIn("Card opening fee", html)
        for figure in ("250.00", "10.00", "4.00", "6.00"):
            self.assertIn(figure, html)
        self.assertNotIn("0.50", html)
        report = self.env.ref("annonay_loyalty.loyalty_network_entry_recap_report")
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": entry.with_user(self.baker_user)}),
            f"Recap {ticket}",
        )

    def test_recap_prints_on_80mm_paper(self):
        report = self.env.ref("annonay_loyalty.loyalty_network_entry_recap_report")
        paper = report.paperformat_id
        self.assertEqual((paper.format, paper.page_width), ("custom", 80))

    # ------------------------------------------------------------
    # the screen
    # ------------------------------------------------------------

    def test_terminal_tour(self):
        camille = self.env["res.partner"].create({"name": "Camille Terminal"})
        card = self.Card.create({"name": "2998765432106"})
        card._enrol(camille, self.bakery)
        self.start_tour(
            "/odoo/action-annonay_loyalty.loyalty_network_terminal_action_screen",
            "annonay_loyalty_terminal_tour",
            login=self.baker_user.login,
        )
        entries = self.Entry.search([("partner_id", "=", camille.id)], order="id")
        self.assertEqual(
            entries.mapped(lambda e: (e.entry_type, e.amount)),
            [("earn", 10.0), ("opening_fee", -4.0), ("spend", -5.5), ("spend_reversal", 5.5)],
        )
        self.assertEqual(camille.loyalty_wallet_id.balance, 6.0)
        self.assertBalanceIsSumOfEntries(camille)
