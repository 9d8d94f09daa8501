from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

TOUR_CARD_NUMBER = "2990777777770"  # typed by the tour (static/tests/tours)


@tagged("post_install", "-at_install")
class TestLoyaltyPosTour(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            (4, cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        cls.env.company.loyalty_opening_fee = 4.0
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Tour Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        merchant = cls.env["loyalty.network.merchant"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Tour Shop"}).id,
                "plan_id": plan.id,
            }
        )
        wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Loyalty Wallet",
                "is_loyalty_wallet": True,
                "journal_id": cls.env["account.journal"]
                .create({"name": "Loyalty Wallet", "code": "LWAL", "type": "bank"})
                .id,
            }
        )
        cls.main_pos_config.write(
            {
                "loyalty_merchant_id": merchant.id,
                "payment_method_ids": [(4, wallet_method.id)],
            }
        )
        cls.env["product.product"].create(
            {
                "name": "Loyalty Basket",
                "list_price": 50.0,
                "taxes_id": False,
                "available_in_pos": True,
            }
        )
        cls.holder = cls.env["res.partner"].create({"name": "Tour Holder"})
        cls.card = cls.env["loyalty.network.card"].create({"name": TOUR_CARD_NUMBER})
        cls.card._enrol(cls.holder, merchant)
        # 250.00 earns 10.00, less the 4.00 opening fee: 6.00 to spend
        cls.env["loyalty.network.wallet"]._credit_purchase(cls.card, merchant, 250.0, "tour/seed")

    def test_scan_card_pay_part_with_wallet_and_validate(self):
        self.start_pos_tour("LoyaltyNetworkPosTour")
        order = self.env["pos.order"].search([("loyalty_card_number", "=", TOUR_CARD_NUMBER)])
        self.assertEqual(len(order), 1)
        # 6.00 from the wallet, 44.00 in cash earns 4 %
        self.assertEqual((order.loyalty_wallet_paid, order.loyalty_credit), (6.0, 1.76))
        self.assertEqual(self.holder.loyalty_wallet_id.balance, 1.76)
