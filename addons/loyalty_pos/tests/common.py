from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class LoyaltyPosCase(TestPoSCommon):
    """A point of sale linked to a merchant, a wallet payment method, a holder.

    Data is set up as an administrator; the till is run by a plain cashier (a
    point of sale user, not a merchant user nor staff) who opens the session:
    sync, lookup and enrolment calls run as that cashier (``self.till``).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            (4, cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        cls.company.loyalty_opening_fee = 4.0
        Plan = cls.env["loyalty.network.plan"]
        plan = Plan.create({"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0})
        partner = cls.env["res.partner"].create({"name": "POS Bakery", "is_company": True})
        cls.merchant = cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )
        cls.wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Loyalty Wallet",
                "is_loyalty_wallet": True,
                "journal_id": cls.env["account.journal"]
                .create({"name": "Loyalty Wallet", "code": "LWAL", "type": "bank"})
                .id,
            }
        )
        cls.config = cls.basic_config
        cls.config.write(
            {
                "loyalty_merchant_id": cls.merchant.id,
                "payment_method_ids": [(4, cls.wallet_method.id)],
            }
        )
        cls.holder = cls.env["res.partner"].create({"name": "Pauline POS"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.merchant)
        cls.product = cls.create_product("Bread basket", cls.categ_basic, 50.0)
        cls.cash = cls.cash_pm1
        cls.cashier = new_test_user(
            cls.env,
            login="pos_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            name="Cashier",
        )

    @classmethod
    def _create_other_shop(cls, name):
        """Another member shop, its till (bank and wallet payments) and its cashier."""
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        merchant = cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": cls.merchant.plan_id.id}
        )
        config = cls.env["pos.config"].create(
            {
                "name": f"{name} till",
                "invoice_journal_id": cls.invoice_journal.id,
                "available_pricelist_ids": cls.currency_pricelist.ids,
                "pricelist_id": cls.currency_pricelist.id,
                "payment_method_ids": [Command.set((cls.bank_pm1 | cls.wallet_method).ids)],
                "loyalty_merchant_id": merchant.id,
            }
        )
        cashier = new_test_user(
            cls.env,
            login=f"pos_cashier_{merchant.id}",
            groups="base.group_user,point_of_sale.group_pos_user",
            name=f"{name} cashier",
        )
        return merchant, config, cashier

    def _open_session(self, config, cashier):
        """Open a session of ``config`` run by ``cashier``."""
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        session.user_id = cashier
        return session

    def setUp(self):
        super().setUp()
        self.open_new_session()
        self.pos_session.user_id = self.cashier
        self.till = self.config.with_user(self.cashier)

    def _order_data(
        self, qty=1, payments=None, uuid=None, card=True, refund_of=None, config=None, product=None
    ):
        """Order data as the POS sends it, for the till ``config`` (default: ours)."""
        uuid = uuid or self.create_random_uid()
        saved = self.config, self.pos_session
        if config:
            self.config, self.pos_session = config, config.current_session_id
        try:
            data = self.create_ui_order_data(
                [(product or self.product, qty)],
                payments=payments,
                uuid=uuid,
            )
            data["user_id"] = self.pos_session.user_id.id
        finally:
            self.config, self.pos_session = saved
        if card:
            data["loyalty_card_number"] = card if isinstance(card, str) else self.card.name
        if refund_of:
            line = refund_of.lines[:1]
            data["lines"][0][2]["refunded_orderline_id"] = line.id
        return data

    def _sync(
        self,
        qty=1,
        payments=None,
        uuid=None,
        card=True,
        refund_of=None,
        config=None,
        product=None,
        user=None,
    ):
        """Sync one order as the till's cashier (or ``user``), the POS RPC entry point."""
        data = self._order_data(qty, payments, uuid, card, refund_of, config, product)
        user = user or (config or self.config).current_session_id.user_id
        self.env["pos.order"].with_user(user).sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def _wallet(self):
        return self.holder.loyalty_wallet_id
