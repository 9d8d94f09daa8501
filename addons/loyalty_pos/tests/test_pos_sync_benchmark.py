import time

from odoo.tests import tagged

from .common import LoyaltyPosCase

ORDERS = 40


@tagged("post_install", "-at_install", "loyalty_benchmark", "-standard")
class TestPosSyncBenchmark(LoyaltyPosCase):
    """Server time that the card adds to order sync (run by `make bench`).

    Prints ms per order for the same one-line cash order without and with a
    card, and with a wallet payment. With Odoo's pos_loyalty installed in the
    same database, compare with its own loyalty-card order tests' timings.
    """

    def _time_orders(self, label, **kwargs):
        start = time.perf_counter()
        for _i in range(ORDERS):
            self._sync(qty=2, **kwargs)
        elapsed = (time.perf_counter() - start) * 1000 / ORDERS
        print(f"BENCH pos sync {label}: {elapsed:.1f} ms/order over {ORDERS} orders")
        return elapsed

    def test_benchmark_sync_with_and_without_card(self):
        without = self._time_orders("without card", card=False)
        with_card = self._time_orders("with card")
        print(f"BENCH pos sync card overhead: {with_card - without:+.1f} ms/order")
        self.assertGreater(len(self._wallet().entry_ids), ORDERS)
