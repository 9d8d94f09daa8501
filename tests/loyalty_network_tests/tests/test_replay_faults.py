import threading

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.annonay_loyalty.tests.common import RealTransactionCase


@tagged("post_install", "-at_install")
class TestReplayAndFaults(RealTransactionCase):
    """Replays and faults with real connections and committed data."""

    def setUp(self):
        super().setUp()
        self.merchant_id, self.card_id, self.holder_id = self._run(self._create_network)

    def _create_network(self, env):
        partner = env["res.partner"].create({"name": f"Replay shop {self.run_id}"})
        merchant = env["loyalty.network.merchant"].create({"partner_id": partner.id})
        holder = env["res.partner"].create({"name": f"Replay holder {self.run_id}"})
        card = env["loyalty.network.card"].create({})
        card._enrol(holder, merchant)
        return merchant.id, card.id, holder.id

    def _credit(self, env, ref, amount=100.0):
        return (
            env["loyalty.network.wallet"]
            ._credit_purchase(
                env["loyalty.network.card"].browse(self.card_id),
                env["loyalty.network.merchant"].browse(self.merchant_id),
                amount,
                ref,
            )
            .id
        )

    def _wallet_state(self, env):
        wallet = env["res.partner"].browse(self.holder_id)._get_loyalty_wallet()
        entries = wallet.entry_ids
        return wallet.balance, sum(entries.mapped("amount")), len(entries)

    @mute_logger("odoo.sql_db")
    def test_same_sale_sent_concurrently_credits_once(self):
        ref = f"replay/{self.run_id}"
        answers = []
        threads = [
            threading.Thread(
                target=lambda: answers.append(
                    # A till told that the wallet is busy sends the same sale again.
                    self._run_until_accepted(lambda env: self._credit(env, ref))
                )
            )
            for _i in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(len(answers), 6)
        self.assertEqual(len(set(answers)), 1, "every sender gets the same entry back")
        # 4.00 credited once, then the opening fee: two entries, balance 0
        self.assertEqual(self._run(self._wallet_state), (0.0, 0.0, 2))

    def test_killed_connection_mid_operation_leaves_nothing(self):
        cr = self._cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._credit(env, f"killed/{self.run_id}")  # entry and balance written, not committed
            env.flush_all()
            with self._cursor() as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", (cr._cnx.get_backend_pid(),))
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.Error):
                cr.commit()
        finally:
            try:
                cr.close()
            except psycopg2.Error:
                pass
        self.assertEqual(self._run(self._wallet_state), (0.0, 0, 0))
        # The same sale sent again after the fault (server restarted) credits once.
        self._run(lambda env: self._credit(env, f"killed/{self.run_id}"))
        self._run(lambda env: self._credit(env, f"killed/{self.run_id}"))
        self.assertEqual(self._run(self._wallet_state), (0.0, 0.0, 2))
