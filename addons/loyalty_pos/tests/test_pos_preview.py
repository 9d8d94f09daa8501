from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.annonay_loyalty.services import money_engine as engine

from .common import LoyaltyPosCase


@tagged("post_install", "-at_install")
class TestPosPreview(LoyaltyPosCase):
    """The till shows the money engine's preview; the receipt prints what was posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opening_product = cls.create_product("Opening basket", cls.categ_basic, 120.5)
        cls.plain_cashier = new_test_user(
            cls.env,
            login="preview_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            name="Preview Cashier",
        )

    def setUp(self):
        super().setUp()
        # The till is run by a plain point of sale user (no merchant, no staff rights)
        self.pos_session.user_id = self.plain_cashier

    def _preview(self, amount_total, wallet_amount=0.0, user=None, card=None):
        config = self.config.with_user(user or self.plain_cashier)
        return config.loyalty_preview(card or self.card.name, amount_total, wallet_amount)

    def _sync_basket(self, product, qty=1, payments=None):
        """Sync an order of ``product`` and return it with the data the POS gets back."""
        uuid = self.create_random_uid()
        data = self.create_ui_order_data([(product, qty)], payments=payments, uuid=uuid)
        data["loyalty_card_number"] = self.card.name
        result = self.env["pos.order"].sync_from_ui([data])
        order = self.env["pos.order"].search([("uuid", "=", uuid)])
        loaded = next(vals for vals in result["pos.order"] if vals["id"] == order.id)
        return order, loaded

    def test_preview_of_a_new_holder_takes_the_opening_fee(self):
        preview = self._preview(120.5)
        self.assertEqual(
            {
                name: preview[name]
                for name in ("balance", "credit", "opening_fee", "balance_after", "spend")
            },
            {
                "balance": 0.0,
                "credit": 4.82,
                "opening_fee": 4.0,
                "balance_after": 0.82,
                "spend": 0.0,
            },
        )
        self.assertFalse(preview["can_spend_after"])
        self.assertFalse(self._wallet().entry_ids, "a preview posts nothing")

    def test_preview_earns_only_what_the_wallet_does_not_pay(self):
        self._sync(qty=5, uuid="uuid-preview-seed")  # 10.00 - 4.00: 6.00 to spend
        preview = self._preview(50.0, 6.0)
        self.assertEqual(
            (preview["balance"], preview["spend"], preview["credit"], preview["opening_fee"]),
            (6.0, 6.0, 1.76, 0.0),
        )
        self.assertEqual((preview["balance_after"], preview["spend_error"]), (1.76, False))
        # The wallet cannot pay more than it holds: said, not refused, and earns on the rest
        too_much = self._preview(50.0, 7.0)
        self.assertEqual((too_much["spend"], too_much["credit"]), (0.0, 1.72))
        self.assertIn("more than the wallet balance", too_much["spend_error"])
        # A refund earns nothing here: the server reverses it at sync
        refund = self._preview(-50.0)
        self.assertEqual((refund["credit"], refund["balance_after"]), (0.0, 6.0))

    def test_preview_under_the_spending_threshold(self):
        self._sync(qty=2, uuid="uuid-preview-small")  # 4.00 - 4.00: 0.00
        preview = self._preview(50.0, 5.0)
        self.assertEqual((preview["spend"], preview["credit"]), (0.0, 1.8))
        self.assertIn("can be spent from", preview["spend_error"])

    def test_preview_in_the_birthday_month(self):
        today = engine.NetworkRules.of(self.company).today()
        self.holder.loyalty_birth_date = today.replace(year=1990, day=1)
        preview = self._preview(50.0)
        self.assertEqual(
            (
                preview["credit"],
                preview["base_credit"],
                preview["birthday_bonus"],
                preview["cardholder_rate"],
            ),
            (5.0, 2.0, 3.0, 10.0),
        )
        self.assertEqual((preview["opening_fee"], preview["balance_after"]), (4.0, 1.0))

    def test_preview_refusals_change_nothing(self):
        entries_before = self.env["loyalty.network.entry"].search_count([])
        with self.assertRaisesRegex(UserError, "No card or customer matches"):
            self._preview(50.0, card="2990999999990")
        for bad in ("50", None, True, float("nan"), float("inf")):
            with self.assertRaisesRegex(UserError, "must be a number"):
                self._preview(bad)
        with self.assertRaisesRegex(UserError, "must be a number"):
            self._preview(50.0, "6")
        self.card.action_block()
        with self.assertRaisesRegex(UserError, "is blocked"):
            self._preview(50.0)
        # A user without point of sale rights reads no till, hence no card
        stranger = new_test_user(
            self.env, login="preview_stranger", groups="base.group_user", name="Stranger"
        )
        with self.assertRaises(AccessError):
            self._preview(50.0, user=stranger)
        # A till not linked to a member shop shows no card
        self.config.loyalty_merchant_id = False
        with self.assertRaisesRegex(UserError, "not linked to a loyalty merchant"):
            self._preview(50.0)
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entries_before)

    def test_lookup_returns_the_holder_as_a_pos_customer(self):
        info = self.config.with_user(self.plain_cashier).loyalty_lookup_card(self.card.name)
        self.assertEqual(info["partner_id"], self.holder.id)
        self.assertEqual(
            [(vals["id"], vals["name"]) for vals in info["pos_data"]["res.partner"]],
            [(self.holder.id, "Pauline POS")],
        )

    def test_receipt_prints_the_posted_entries(self):
        # A new holder's first order: 4.82 credited, then the 4.00 opening fee
        first, loaded = self._sync_basket(self.opening_product)
        receipt = (
            first.loyalty_receipt_credit,
            first.loyalty_receipt_opening_fee,
            first.loyalty_receipt_wallet_paid,
            first.loyalty_receipt_balance_after,
        )
        self.assertEqual(receipt, (4.82, 4.0, 0.0, 0.82))
        # The POS gets the figures back with the synchronised order
        self.assertEqual(
            (
                loaded["loyalty_receipt_credit"],
                loaded["loyalty_receipt_opening_fee"],
                loaded["loyalty_receipt_wallet_paid"],
                loaded["loyalty_receipt_balance_after"],
            ),
            receipt,
        )
        # The next orders do not take the fee again, nor show it
        self._sync(qty=5, uuid="uuid-receipt-seed")  # balance 0.82 + 10.00
        second, loaded = self._sync_basket(
            self.product, payments=[(self.wallet_method, 6.0), (self.cash, 44.0)]
        )
        self.assertEqual(
            (
                loaded["loyalty_receipt_credit"],
                loaded["loyalty_receipt_opening_fee"],
                loaded["loyalty_receipt_wallet_paid"],
                loaded["loyalty_receipt_balance_after"],
            ),
            (1.76, 0.0, 6.0, 6.58),
        )
        self.assertEqual(self._wallet().balance, 6.58)
        self.assertEqual(first.loyalty_receipt_opening_fee, 4.0)

    def test_receipt_of_an_order_without_card(self):
        order = self._sync(qty=2, card=False)
        self.assertEqual(
            (
                order.loyalty_receipt_credit,
                order.loyalty_receipt_opening_fee,
                order.loyalty_receipt_wallet_paid,
                order.loyalty_receipt_balance_after,
            ),
            (0.0, 0.0, 0.0, 0.0),
        )

    def test_preview_refused_to_another_till_and_without_session(self):
        _merchant, other_config, other_cashier = self._create_other_shop("Other Shop")
        self._open_session(other_config, other_cashier)
        entries_before = self.env["loyalty.network.entry"].search_count([])
        with self.assertRaises(AccessError):
            self._preview(50.0, user=other_cashier)
        self.pos_session.state = "closed"
        with self.assertRaisesRegex(AccessError, "Open a session"):
            self._preview(50.0)
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entries_before)
