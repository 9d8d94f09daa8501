from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class LoyaltyPosCase(TestPoSCommon):
    """A point of sale linked to a merchant, a wallet payment method, a holder."""

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

    def setUp(self):
        super().setUp()
        self.open_new_session()

    def _sync(self, qty=1, payments=None, uuid=None, card=True, refund_of=None):
        uuid = uuid or self.create_random_uid()
        data = self.create_ui_order_data(
            [(self.product, qty)],
            payments=payments,
            uuid=uuid,
        )
        if card:
            data["loyalty_card_number"] = self.card.name
        if refund_of:
            line = refund_of.lines[:1]
            data["lines"][0][2]["refunded_orderline_id"] = line.id
        self.env["pos.order"].sync_from_ui([data])
        return self.env["pos.order"].search([("uuid", "=", uuid)])

    def _wallet(self):
        return self.holder.loyalty_wallet_id
