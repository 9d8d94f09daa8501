import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import loyalty_network_wallet
from ..models.loyalty_network_wallet import WalletBusyError
from .common import RealTransactionCase


@tagged("post_install", "-at_install")
class TestWalletConcurrency(RealTransactionCase):
    """Real concurrent transactions on one wallet (separate connections)."""

    def _setup_holder(self, tag):
        def create(env):
            partner = env["res.partner"].create({"name": f"Shop {tag}", "is_company": True})
            merchant = env["loyalty.network.merchant"].create({"partner_id": partner.id})
            holder = env["res.partner"].create({"name": f"Holder {tag}"})
            card = env["loyalty.network.card"].create({})
            card._enrol(holder, merchant)
            return merchant.id, card.id, holder.id

        return self._run(create)

    @mute_logger("odoo.sql_db")  # serialization failures are retried, as Odoo's RPC does
    def test_parallel_credits_lose_no_update(self):
        merchant_id, card_id, holder_id = self._setup_holder("parallel")

        def credit(ref):
            def op(env):
                env["loyalty.network.wallet"]._credit_purchase(
                    env["loyalty.network.card"].browse(card_id),
                    env["loyalty.network.merchant"].browse(merchant_id),
                    25.0,
                    ref,
                )

            # A till told that the wallet is busy sends the same sale again.
            self._run_until_accepted(op)

        threads = [
            threading.Thread(
                target=lambda t=t: [credit(f"conc/{self.run_id}/{t}/{i}") for i in range(6)]
            )
            for t in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        def check(env):
            wallet = env["res.partner"].browse(holder_id)._get_loyalty_wallet()
            return wallet.balance, sum(wallet.entry_ids.mapped("amount")), len(wallet.entry_ids)

        balance, total, count = self._run(check)
        # 24 credits of 1.00, minus the 4.00 opening fee taken once
        self.assertEqual((balance, total, count), (20.0, 20.0, 25))

    @mute_logger("odoo.sql_db")
    def test_second_transaction_waits_for_the_wallet_lock(self):
        merchant_id, card_id, holder_id = self._setup_holder("lock")
        self._run(
            lambda env: env["loyalty.network.wallet"]._credit_purchase(
                env["loyalty.network.card"].browse(card_id),
                env["loyalty.network.merchant"].browse(merchant_id),
                250.0,
                f"lock/{self.run_id}/seed",
            )
        )  # balance 6.00
        locked, spent = threading.Event(), []
        first = self._cursor()
        try:
            env1 = api.Environment(first, SUPERUSER_ID, {})
            env1["loyalty.network.wallet"]._spend(
                env1["loyalty.network.card"].browse(card_id),
                env1["loyalty.network.merchant"].browse(merchant_id),
                6.0,
                f"lock/{self.run_id}/first",
            )
            locked.set()

            def second_spend():
                def op(env):
                    env["loyalty.network.wallet"]._spend(
                        env["loyalty.network.card"].browse(card_id),
                        env["loyalty.network.merchant"].browse(merchant_id),
                        6.0,
                        f"lock/{self.run_id}/second",
                    )
                    spent.append(True)

                try:
                    self._run(op)
                except Exception as error:
                    spent.append(error)

            # A wait well within the bounded one (WalletBusyError past it).
            with patch.object(loyalty_network_wallet, "WALLET_LOCK_TIMEOUT_MS", 20000):
                worker = threading.Thread(target=second_spend)
                worker.start()
                worker.join(2)
                self.assertTrue(worker.is_alive(), "the second spend must wait for the lock")
                first.commit()
                worker.join(30)
        finally:
            first.close()
        worker.join(30)
        # The second spend saw the committed first one: under threshold, refused.
        self.assertEqual(len(spent), 1)
        self.assertIn("can be spent from", str(spent[0]))

        def check(env):
            wallet = env["res.partner"].browse(holder_id)._get_loyalty_wallet()
            return wallet.balance, sum(wallet.entry_ids.mapped("amount"))

        self.assertEqual(self._run(check), (0.0, 0.0))

    @mute_logger("odoo.sql_db")
    def test_busy_wallet_answers_try_again_and_records_nothing(self):
        """An operation kept waiting on a wallet beyond the bounded wait is told to
        try again (WalletBusyError, not retried), records nothing, and the same
        operation sent again once the wallet is free is recorded once."""
        merchant_id, card_id, holder_id = self._setup_holder("busy")

        def credit(env):
            return (
                env["loyalty.network.wallet"]
                ._credit_purchase(
                    env["loyalty.network.card"].browse(card_id),
                    env["loyalty.network.merchant"].browse(merchant_id),
                    250.0,
                    f"busy/{self.run_id}/second",
                )
                .id
            )

        self._run(
            lambda env: env["loyalty.network.wallet"]._credit_purchase(
                env["loyalty.network.card"].browse(card_id),
                env["loyalty.network.merchant"].browse(merchant_id),
                250.0,
                f"busy/{self.run_id}/seed",
            )
        )  # balance 6.00
        answers = []
        first = self._cursor()
        try:
            env1 = api.Environment(first, SUPERUSER_ID, {})
            env1["loyalty.network.wallet"]._spend(
                env1["loyalty.network.card"].browse(card_id),
                env1["loyalty.network.merchant"].browse(merchant_id),
                6.0,
                f"busy/{self.run_id}/first",
            )  # the wallet stays locked until this transaction ends

            def second_credit():
                try:
                    answers.append(self._run(credit))
                except Exception as error:
                    answers.append(error)

            with patch.object(loyalty_network_wallet, "WALLET_LOCK_TIMEOUT_MS", 300):
                worker = threading.Thread(target=second_credit)
                worker.start()
                worker.join(30)
            self.assertFalse(worker.is_alive(), "the wait on a busy wallet is bounded")
            first.commit()
        finally:
            first.close()
        self.assertEqual(len(answers), 1)
        self.assertIsInstance(answers[0], WalletBusyError)
        self.assertIn("try again", str(answers[0]))

        def state(env):
            wallet = env["res.partner"].browse(holder_id)._get_loyalty_wallet()
            return (
                wallet.balance,
                sum(wallet.entry_ids.mapped("amount")),
                wallet.entry_ids.mapped("source_ref").count(f"busy/{self.run_id}/second"),
            )

        self.assertEqual(self._run(state), (0.0, 0.0, 0), "the busy answer recorded nothing")
        entry_id = self._run(credit)  # sent again: the wallet is free now
        self.assertEqual(self._run(credit), entry_id, "and a replay credits once")
        self.assertEqual(self._run(state), (10.0, 10.0, 1))
