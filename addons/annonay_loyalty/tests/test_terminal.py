from odoo.exceptions import UserError
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
