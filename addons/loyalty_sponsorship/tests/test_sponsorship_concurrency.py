import threading

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.annonay_loyalty.tests.common import RealTransactionCase

from .common import MID_NOVEMBER, NOVEMBER


@tagged("post_install", "-at_install")
class TestSponsorshipConcurrency(RealTransactionCase):
    """Purchases of different holders credited in parallel transactions (separate
    connections, committed) against one campaign: the budget is never overspent."""

    THREADS = 4
    PURCHASES = 4

    def _create_network(self, env):
        partner = env["res.partner"].create({"name": f"Sponsored shop {self.run_id}"})
        merchant = env["loyalty.network.merchant"].create({"partner_id": partner.id})
        cards = []
        for n in range(self.THREADS):
            holder = env["res.partner"].create({"name": f"Holder {self.run_id}/{n}"})
            card = env["loyalty.network.card"].create({})
            card._enrol(holder, merchant)
            cards.append((card.id, holder.id))
        sponsor = env["res.partner"].create({"name": f"Sponsor {self.run_id}"})
        campaign = env["loyalty.network.sponsorship"].create(
            {
                "name": f"Concurrent {self.run_id}",
                "sponsor_id": sponsor.id,
                "kind": "fixed",
                "fixed_amount": 3.0,
                "budget_amount": 25.0,
                "date_from": NOVEMBER[0],
                "date_to": NOVEMBER[1],
                # Only this test's shop: other tests share the committed database.
                "merchant_ids": [merchant.id],
            }
        )
        campaign.action_start()
        return merchant.id, cards, campaign.id

    def _close(self, campaign_id):
        def close(env):
            env["loyalty.network.sponsorship"].browse(campaign_id).action_close()

        self._run(close)

    @mute_logger("odoo.sql_db")  # serialization failures are retried, as Odoo's RPC does
    def test_parallel_purchases_never_overspend_the_budget(self):
        merchant_id, cards, campaign_id = self._run(self._create_network)
        self.addCleanup(self._close, campaign_id)

        def purchases(card_id, thread):
            for n in range(self.PURCHASES):

                def credit(env, n=n):
                    env["loyalty.network.wallet"]._credit_purchase(
                        env["loyalty.network.card"].browse(card_id),
                        env["loyalty.network.merchant"].browse(merchant_id),
                        40.0,
                        f"sponsored/{self.run_id}/{thread}/{n}",
                        date=MID_NOVEMBER,
                    )

                self._run(credit)

        threads = [
            threading.Thread(target=purchases, args=(card_id, t))
            for t, (card_id, _holder_id) in enumerate(cards)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertFalse(any(thread.is_alive() for thread in threads))

        def check(env):
            campaign = env["loyalty.network.sponsorship"].browse(campaign_id)
            entries = env["loyalty.network.entry"].search([("sponsorship_id", "=", campaign_id)])
            earnings = env["loyalty.network.entry"].search(
                [("merchant_id", "=", merchant_id), ("entry_type", "=", "earn")]
            )
            wallets_tie = all(
                round(wallet.balance - sum(wallet.entry_ids.mapped("amount")), 2) == 0
                for wallet in env["res.partner"].browse([h for _c, h in cards]).loyalty_wallet_id
            )
            return (
                campaign.consumed_amount,
                round(sum(entries.mapped("amount")), 2),
                sorted(entries.mapped("amount")),
                len(earnings),
                wallets_tie,
            )

        consumed, total, amounts, earning_count, wallets_tie = self._run(check)
        self.assertEqual(earning_count, self.THREADS * self.PURCHASES)
        # 8 credits of 3.00 and the last one cut to the 1.00 left: 25.00, not a cent more.
        self.assertEqual((consumed, total), (25.0, 25.0))
        self.assertEqual(amounts, [1.0] + [3.0] * 8)
        self.assertTrue(wallets_tie)
