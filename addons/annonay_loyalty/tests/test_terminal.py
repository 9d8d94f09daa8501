from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestTerminal(LoyaltyNetworkCase):
    def _terminal(self):
        return Form(self.env["loyalty.network.terminal"].with_user(self.baker_user))

    def test_find_credit_spend_refund_flow(self):
        form = self._terminal()
        self.assertEqual(form.merchant_id, self.bakery)
        self.assertEqual(form.plan_id, self.standard)
        form.query = self.bob_card.name  # Bob is not yet a customer of the bakery
        terminal = form.save()
        terminal.action_find()
        self.assertEqual((terminal.card_id, terminal.partner_id), (self.bob_card, self.bob))

        terminal.amount = 250.0
        terminal.action_add_purchase()
        self.assertEqual(terminal.last_entry_id.amount, 10.0)
        self.assertEqual(terminal.balance, 6.0)  # 10.00 - 4.00 opening fee
        self.assertEqual(terminal.amount, 0.0)
        # A second click without a new amount records nothing.
        with self.assertRaisesRegex(UserError, "greater than zero"):
            terminal.action_add_purchase()

        terminal.spend_amount = 5.5
        terminal.action_spend()
        self.assertEqual(terminal.balance, 0.5)

        earning = self.env["loyalty.network.entry"].search(
            [("source_ref", "like", "terminal/"), ("entry_type", "=", "earn")]
        )
        terminal.refund_entry_id = earning
        terminal.refund_amount = 25.0
        terminal.action_refund()
        self.assertEqual(terminal.last_entry_id.amount, -1.0)
        self.assertEqual(terminal.balance, -0.5)
        report = terminal.action_print_recap()
        self.assertEqual(
            report["report_name"], "annonay_loyalty.report_loyalty_network_entry_recap"
        )
        # The recap of the first purchase shows the credit, the opening fee
        # taken with it and the balance just after it, not today's balance.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.baker_user)
            ._render_qweb_html("annonay_loyalty.loyalty_network_entry_recap_report", earning.ids)[0]
            .decode()
        )
        self.assertIn("Card opening fee", html)
        for figure in ("250.00", "10.00", "4.00", "6.00"):
            self.assertIn(figure, html)
        self.assertNotIn("-0.50", html)

    def test_double_click_credits_once(self):
        terminal = self._terminal().save()
        terminal.query = self.alice_card.name
        terminal.action_find()
        token = terminal.token
        terminal.amount = 100.0
        terminal.action_add_purchase()
        first = terminal.last_entry_id
        self.assertNotEqual(terminal.token, token)
        # A second click that reached the server with the same screen state
        # (same one-shot reference) returns the first operation, nothing more.
        terminal.write({"token": token, "amount": 100.0})
        terminal.action_add_purchase()
        self.assertEqual(terminal.last_entry_id, first)
        self.assertEqual(terminal.balance, 0.0)  # 4.00 credit - 4.00 opening fee
        self.assertEqual(
            self.env["loyalty.network.entry"].search_count(
                [("wallet_id", "=", self.alice.loyalty_wallet_id.id), ("entry_type", "=", "earn")]
            ),
            1,
        )

    def test_profile_plan_choice_and_staff_merchant(self):
        self.alice.write({"phone": "+33 6 12 34 56 78", "loyalty_birth_date": "1990-03-02"})
        self.bakery.allowed_plan_ids = self.reduced
        form = self._terminal()
        self.assertEqual(form.plan_id, self.standard)
        form.query = "06 12 34 56 78"  # the phone number, as people type it
        terminal = form.save()
        terminal.action_find()
        self.assertEqual(terminal.partner_id, self.alice)
        self.assertEqual(str(terminal.birth_date), "1990-03-02")
        with Form(terminal) as form:
            self.assertEqual(form.allowed_plan_ids[:], self.standard | self.reduced)
            form.plan_id = self.reduced
            form.amount = 100.0
        terminal.action_add_purchase()
        self.assertEqual(
            (terminal.last_entry_id.plan_id, terminal.last_entry_id.amount), (self.reduced, 2.0)
        )
        self.assertEqual((terminal.total_turnover, terminal.balance), (100.0, 2.0))
        # Association staff pick the shop; the shop's default plan follows.
        staff_user = self.env["res.users"].create(
            {
                "name": "Staff",
                "login": "staff-terminal",
                "group_ids": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id,
                        ]
                    )
                ],
            }
        )
        staff = Form(self.env["loyalty.network.terminal"].with_user(staff_user))
        staff.merchant_id = self.butcher
        self.assertEqual(staff.plan_id, self.reduced)
        # A cashier cannot operate for another shop by changing the merchant.
        # (refused when the shop is changed, before any search)
        other = self._terminal().save()
        with self.assertRaises(AccessError):
            other.write({"merchant_id": self.butcher.id, "query": self.bob_card.name})
        self.assertEqual(other.merchant_id, self.bakery)

    def test_search_by_name_only_among_own_customers(self):
        terminal = self._terminal().save()
        terminal.query = "Alice"
        terminal.action_find()
        self.assertEqual(terminal.card_id, self.alice_card)
        terminal.query = "Bob"
        with self.assertRaisesRegex(UserError, "No customer of your shop"):
            terminal.action_find()

    def test_plain_errors(self):
        terminal = self._terminal().save()
        terminal.query = "2990999999990"
        with self.assertRaisesRegex(UserError, "No card has the number"):
            terminal.action_find()
        with self.assertRaisesRegex(UserError, "Find the holder's card first"):
            terminal.action_add_purchase()
        self.alice_card.action_block()
        terminal.query = self.alice_card.name
        terminal.action_find()
        terminal.amount = 10.0
        with self.assertRaisesRegex(UserError, "is blocked"):
            terminal.action_add_purchase()

    def test_enrol_a_new_holder_on_a_blank_card(self):
        blank = self.Card.create({})
        form = self._terminal()
        form.new_card_number = blank.name
        form.new_name = "Chloé Durand"
        form.new_phone = "06 11 22 33 44"
        form.new_email = "chloe@example.com"
        form.new_sms_consent = True
        terminal = form.save()
        terminal.action_enrol()
        holder = blank.partner_id
        self.assertEqual((blank.state, blank.merchant_id), ("active", self.bakery))
        self.assertEqual(holder.phone, "+33 6 11 22 33 44")
        self.assertTrue(holder.is_loyalty_holder and holder.loyalty_sms_consent)
        self.assertEqual(terminal.card_id, blank)
        # The same card cannot be enrolled twice, and a bad phone is refused.
        terminal.new_card_number = blank.name
        terminal.new_name = "Someone Else"
        with self.assertRaisesRegex(UserError, "already in use"):
            terminal.action_enrol()
        other = self.Card.create({})
        terminal.write({"new_card_number": other.name, "new_phone": "12"})
        with self.assertRaisesRegex(UserError, "not a valid phone"):
            terminal.action_enrol()
        self.assertEqual(other.state, "stock")
