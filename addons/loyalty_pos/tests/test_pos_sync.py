from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyPosCase


@tagged("post_install", "-at_install")
class TestPosSync(LoyaltyPosCase):
    def test_card_order_earns_once_whatever_the_retries(self):
        order = self._sync(qty=2, uuid="uuid-earn-1")  # 100.00 paid in cash
        self.assertEqual(order.loyalty_credit, 4.0)
        self.assertEqual(self._wallet().balance, 0.0)  # 4.00 then the opening fee
        again = self._sync(qty=2, uuid="uuid-earn-1")  # the POS sends it again
        self.assertEqual(again, order)
        self.assertEqual(len(self._wallet().entry_ids), 2)

    def test_ticket_label_of_a_till_sale_is_its_order_name(self):
        order = self._sync(qty=2, uuid="uuid-ticket-1")
        earning = self._wallet().entry_ids.filtered(lambda e: e.entry_type == "earn")
        self.assertTrue(earning.source_ref.startswith("pos:uuid-ticket-1"))
        # The refund picker and the printed recap name the sale as the till did.
        self.assertEqual(earning._get_ticket_label(), order.name)
        self.assertEqual(earning._get_ticket_labels(), {earning.id: order.name})

    def test_order_without_card_earns_nothing(self):
        self._sync(qty=2, card=False)
        self.assertFalse(self.holder.loyalty_wallet_id.entry_ids)

    def test_wallet_payment_spends_and_only_the_rest_earns(self):
        self._sync(qty=5, uuid="uuid-seed")  # 250.00 -> 10.00 - 4.00 = 6.00
        order = self._sync(
            qty=1, payments=[(self.wallet_method, 6.0), (self.cash, 44.0)], uuid="uuid-pay"
        )
        self.assertEqual(order.loyalty_wallet_paid, 6.0)
        self.assertEqual(order.loyalty_credit, 1.76)  # 4 % of the 44.00 paid in cash
        self.assertEqual(self._wallet().balance, 1.76)
        self.assertAlmostEqual(sum(self._wallet().entry_ids.mapped("amount")), 1.76)

    def test_wallet_payment_refused_at_sync_changes_nothing(self):
        self._sync(qty=2, uuid="uuid-small")  # balance 0.00
        orders_before = self.env["pos.order"].search_count([])
        # A refused sync rolls back the whole request, as the savepoint does here.
        with self.assertRaisesRegex(UserError, "can be spent from"), self.env.cr.savepoint():
            self._sync(qty=1, payments=[(self.wallet_method, 5.0), (self.cash, 45.0)])
        self.assertEqual(self.env["pos.order"].search_count([]), orders_before)
        self.assertEqual(len(self._wallet().entry_ids), 2)
        with self.assertRaisesRegex(UserError, "Scan the holder's card"), self.env.cr.savepoint():
            self._sync(qty=1, payments=[(self.wallet_method, 5.0), (self.cash, 45.0)], card=False)

    def test_refund_reverses_credit_and_gives_back_wallet_in_proportion(self):
        self._sync(qty=5, uuid="uuid-seed2")  # balance 6.00
        order = self._sync(
            qty=2, payments=[(self.wallet_method, 5.0), (self.cash, 95.0)], uuid="uuid-r"
        )  # 100.00: 5.00 wallet, 3.80 credit -> balance 4.80
        self.assertEqual(self._wallet().balance, 4.8)
        # Paying the wallet's share out in cash is refused: no cash-out, no money created.
        with self.assertRaisesRegex(UserError, "paid with the loyalty wallet"):
            with self.env.cr.savepoint():
                self._sync(qty=-1, payments=[(self.cash, -50.0)], refund_of=order)
        self.assertEqual(self._wallet().balance, 4.8)
        refund = self._sync(
            qty=-1, payments=[(self.wallet_method, -2.5), (self.cash, -47.5)], refund_of=order
        )
        # Half the order: 2.50 of the wallet payment back, credit of 47.50 reversed (1.90)
        self.assertEqual(refund.loyalty_wallet_paid, -2.5)
        self.assertEqual(refund.loyalty_credit, -1.9)
        self.assertEqual(self._wallet().balance, 5.4)
        self.assertAlmostEqual(sum(self._wallet().entry_ids.mapped("amount")), 5.4)

    def test_lookup_by_number_and_refusals(self):
        info = self.till.loyalty_lookup_card(self.card.name)
        self.assertEqual((info["holder"], info["rate"]), ("Pauline POS", 4.0))
        self.assertNotIn(self.card.name[:9], info["masked_number"])
        with self.assertRaisesRegex(UserError, "No card or customer matches"):
            self.till.loyalty_lookup_card("2990999999990")
        self.card.action_block()
        with self.assertRaisesRegex(UserError, "is blocked"):
            self.till.loyalty_lookup_card(self.card.name)

    def test_enrol_a_new_holder_from_the_pos(self):
        blank = self.env["loyalty.network.card"].create({})
        info = self.till.loyalty_enrol_card(
            blank.name,
            {"name": "Nora New", "phone": "+33 6 11 22 33 44", "sms_consent": True},
        )
        self.assertEqual((info["holder"], info["balance"]), ("Nora New", 0.0))
        self.assertEqual((blank.state, blank.merchant_id), ("active", self.merchant))
        self.assertTrue(blank.partner_id.loyalty_sms_consent)
        with self.assertRaisesRegex(UserError, "already in use"):
            self.till.loyalty_enrol_card(blank.name, {"name": "Someone else"})
        with self.assertRaisesRegex(UserError, "Type the new holder's name"):
            self.till.loyalty_enrol_card(self.env["loyalty.network.card"].create({}).name, {})
