from odoo import Command
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestVoucherTour(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Voucher Tour Plan", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        cls.merchant = cls.env["loyalty.network.merchant"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Voucher Tour Shop"}).id,
                "plan_id": plan.id,
            }
        )
        voucher_method = cls.env["pos.payment.method"].create(
            {
                "name": "Bon cadeau",
                "is_loyalty_voucher": True,
                "journal_id": cls.env["account.journal"]
                .create({"name": "Gift Vouchers Tour", "code": "LGVT", "type": "bank"})
                .id,
            }
        )
        cls.main_pos_config.write(
            {
                "loyalty_merchant_id": cls.merchant.id,
                "payment_method_ids": [(4, voucher_method.id)],
            }
        )
        cls.env["product.product"].create(
            [
                {
                    "name": "Voucher Basket",
                    "list_price": 50.0,
                    "taxes_id": False,
                    "available_in_pos": True,
                },
                {
                    "name": "Gift Voucher 20",
                    "list_price": 20.0,
                    "taxes_id": False,
                    "available_in_pos": True,
                    "loyalty_is_gift_voucher": True,
                },
            ]
        )
        # The shop assistant works the counter screen and the till.
        cls.pos_user.group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id)
        ]
        cls.merchant.user_ids = [Command.link(cls.pos_user.id)]

    def test_sell_at_the_counter_and_spend_at_the_pos(self):
        self.start_tour(
            "/odoo/action-loyalty_voucher.loyalty_voucher_counter_action",
            "LoyaltyVoucherCounterToPosTour",
            login="pos_user",
        )
        voucher, till_voucher = self.env["loyalty.network.voucher"].search([], order="id")
        self.assertEqual((till_voucher.face_value, till_voucher.state), (20.0, "sold"))
        self.assertEqual(till_voucher.merchant_id, self.merchant)
        self.assertEqual(voucher.merchant_id, self.merchant)
        self.assertEqual((voucher.face_value, voucher.balance, voucher.state), (30.0, 0.0, "used"))
        order, _till_sale = self.env["pos.order"].search(
            [("config_id", "=", self.main_pos_config.id)], order="id"
        )
        payment = order.payment_ids.filtered("payment_method_id.is_loyalty_voucher")
        self.assertEqual(payment.amount, 30.0)
        redemption = voucher.entry_ids.filtered(lambda e: e.entry_type == "redemption")
        self.assertEqual((redemption.amount, redemption.commission), (-30.0, 1.5))
        self.assertEqual(redemption.source_ref, f"pos:{order.uuid}:voucher:{payment.uuid}")
