import time

from odoo import Command
from odoo.tests import tagged

from .common import LoyaltyPosCase

ORDERS = 40


@tagged("post_install", "-at_install", "loyalty_benchmark", "-standard")
class TestPosSyncBenchmark(LoyaltyPosCase):
    """Server time that a card adds to a POS order (run by `make bench`).

    The same one-line order of 100.00 is synced without any card, with the
    network card (earning; earning and a wallet payment), and with a card of
    Odoo's own pos_loyalty (`make bench` installs it), counting what its POS
    asks of the server for such an order: the sync, then
    ``confirm_coupon_programs`` (points won), plus ``validate_coupon_programs``
    before the sync when points are spent.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "loyalty.program" not in cls.env:
            raise AssertionError("pos_loyalty must be installed (make bench installs it).")
        cls.odoo_program = cls.env["loyalty.program"].create(
            {
                "name": "Odoo loyalty card",
                "program_type": "loyalty",
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [
                    Command.create(
                        {"reward_point_amount": 1, "reward_point_mode": "money", "minimum_qty": 1}
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 0.05,
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.odoo_card = cls.env["loyalty.card"].create(
            {"program_id": cls.odoo_program.id, "partner_id": cls.holder.id, "points": 1000}
        )

    def _time_orders(self, label, sync_one):
        sync_one()  # warm-up, not counted
        start = time.perf_counter()
        for _i in range(ORDERS):
            sync_one()
        elapsed = (time.perf_counter() - start) * 1000 / ORDERS
        print(f"BENCH pos sync {label}: {elapsed:.1f} ms/order over {ORDERS} orders")
        return elapsed

    def _sync_odoo_loyalty_order(self, points):
        if points < 0:
            result = self.env["pos.order"].validate_coupon_programs(
                {str(self.odoo_card.id): points}, []
            )
            self.assertTrue(result["successful"], result)
        uuid = self.create_random_uid()
        data = self.create_ui_order_data([(self.product, 2)], customer=self.holder, uuid=uuid)
        order_id = self.env["pos.order"].sync_from_ui([data])["pos.order"][0]["id"]
        self.env["pos.order"].browse(order_id).confirm_coupon_programs(
            {
                str(self.odoo_card.id): {
                    "points": points,
                    "program_id": self.odoo_program.id,
                    "coupon_id": self.odoo_card.id,
                    "barcode": False,
                }
            }
        )

    def test_benchmark_sync_with_and_without_card(self):
        wallet_payment = [(self.wallet_method, 5.0), (self.cash, 95.0)]
        figures = {
            "without card": self._time_orders(
                "without card", lambda: self._sync(qty=2, card=False)
            ),
            "network card": self._time_orders("network card", lambda: self._sync(qty=2)),
            "network card, 5.00 from the wallet": self._time_orders(
                "network card, 5.00 from the wallet",
                lambda: self._sync(qty=2, payments=wallet_payment),
            ),
            "pos_loyalty card, points won": self._time_orders(
                "pos_loyalty card, points won", lambda: self._sync_odoo_loyalty_order(100)
            ),
            "pos_loyalty card, 100 points spent": self._time_orders(
                "pos_loyalty card, 100 points spent", lambda: self._sync_odoo_loyalty_order(-100)
            ),
        }
        base = figures["without card"]
        for label, elapsed in figures.items():
            if label != "without card":
                print(f"BENCH pos sync overhead of {label}: {elapsed - base:+.1f} ms/order")
        wallet = self._wallet()
        self.assertEqual(
            len(wallet.entry_ids.filtered(lambda e: e.entry_type == "spend")), ORDERS + 1
        )
        self.assertEqual(len(self.odoo_card.history_ids), 2 * (ORDERS + 1))
        self.assertEqual(self.odoo_card.points, 1000)
