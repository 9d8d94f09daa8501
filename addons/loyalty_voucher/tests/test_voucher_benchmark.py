import time

from odoo.tests import tagged

from .common import VoucherCase

OPERATIONS = 100


@tagged("post_install", "-at_install", "loyalty_benchmark", "-standard")
class TestVoucherBenchmark(VoucherCase):
    """Server time of a voucher payment next to a wallet payment (run by `make bench`).

    Both as the shop's user, through the services the counter, the POS and the
    API call: one row lock, one entry, the balance moved in SQL.
    """

    def _time(self, label, operation):
        operation(-1)  # warm-up, not counted
        start = time.perf_counter()
        for index in range(OPERATIONS):
            operation(index)
        elapsed = (time.perf_counter() - start) * 1000 / OPERATIONS
        print(f"BENCH {label}: {elapsed:.2f} ms/operation over {OPERATIONS} operations")
        return elapsed

    def test_benchmark_voucher_payment_next_to_wallet_payment(self):
        user = self.baker_user
        bakery = self.bakery.with_user(user)
        holder = self.env["res.partner"].create({"name": "Bench Holder"})
        card = self.env["loyalty.network.card"].create({})
        card._enrol(holder, self.bakery)
        Wallet = self.env["loyalty.network.wallet"]
        Wallet._credit_purchase(card, self.bakery, 5000.0, "bench/seed")  # 200.00 - 4.00 fee
        voucher = self._sell(500.0, "bench/voucher")
        code = voucher.sudo().code
        Voucher = self.Voucher.with_user(user)
        WalletAsShop = Wallet.with_user(user)
        card = card.with_user(user)
        voucher_ms = self._time(
            "voucher payment (redemption)",
            lambda i: Voucher._redeem(code, bakery, 1.0, f"bench/v/{i}"),
        )
        wallet_ms = self._time(
            "wallet payment (spend)",
            lambda i: WalletAsShop._spend(card, bakery, 1.0, f"bench/w/{i}"),
        )
        print(f"BENCH voucher / wallet payment time ratio: {voucher_ms / wallet_ms:.2f}")
        self.assertEqual(voucher.balance, 500.0 - OPERATIONS - 1)
        self.assertEqual(len(voucher.entry_ids), OPERATIONS + 2)
