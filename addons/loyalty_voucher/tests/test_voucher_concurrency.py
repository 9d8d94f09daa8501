import threading

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.annonay_loyalty.tests.common import RealTransactionCase


@tagged("post_install", "-at_install")
class TestVoucherConcurrency(RealTransactionCase):
    """Real concurrent transactions spending one voucher (separate connections):
    the row lock serialises them, the balance never goes below zero and equals
    the sum of the entries."""

    @mute_logger("odoo.sql_db")  # serialization failures are retried, as Odoo's RPC does
    def test_parallel_payments_never_overspend(self):
        def setup(env):
            partner = env["res.partner"].create({"name": f"Shop {self.run_id}", "is_company": True})
            merchant = env["loyalty.network.merchant"].create({"partner_id": partner.id})
            entry = env["loyalty.network.voucher"]._sell(merchant, 50.0, f"conc/{self.run_id}")
            return merchant.id, entry.voucher_id.id, entry.voucher_id.code

        merchant_id, voucher_id, code = self._run(setup)
        refused = []

        def pay(ref):
            def op(env):
                env["loyalty.network.voucher"]._redeem(
                    code, env["loyalty.network.merchant"].browse(merchant_id), 7.0, ref
                )

            try:
                self._run(op)
            except UserError:
                refused.append(ref)

        threads = [
            threading.Thread(
                target=lambda t=t: [pay(f"conc/{self.run_id}/{t}/{i}") for i in range(3)]
            )
            for t in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        def check(env):
            voucher = env["loyalty.network.voucher"].browse(voucher_id)
            return voucher.balance, sum(voucher.entry_ids.mapped("amount")), len(voucher.entry_ids)

        balance, total, count = self._run(check)
        # 12 payments of 7.00 on 50.00: 7 recorded (49.00), 5 refused, 1.00 left.
        self.assertEqual((balance, total, count), (1.0, 1.0, 8))
        self.assertEqual(len(refused), 5)
