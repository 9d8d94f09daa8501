import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.annonay_loyalty.tests.common import RETRYABLE, RealTransactionCase

from .common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestApiIdempotency(LoyaltyApiCase):
    """One reference (or Idempotency-Key), one operation, in the shop's scope."""

    def test_same_key_same_body_replays_the_first_answer(self):
        body = {"card_number": self.card.name, "amount": "30.00"}
        headers = {"Idempotency-Key": "K-1"}
        first = self.api("POST", "/credits", body, headers=headers)
        self.assertEqual(first.status_code, 200, first.text)
        count = self.entry_count()
        again = self.api("POST", "/credits", body, headers=headers)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        self.assertEqual(again.json(), first.json())
        # the reference in the body is the same key
        same = self.api("POST", "/credits", {**body, "reference": "K-1"})
        self.assertEqual(same.json(), first.json())
        self.assertEqual(self.entry_count(), count)

    def test_same_key_other_body_is_a_replay_mismatch(self):
        body = {"card_number": self.card.name, "amount": "30.00", "reference": "K-2"}
        self.api("POST", "/credits", body)
        count = self.entry_count()
        for other in (
            {**body, "amount": "31.00"},
            {**body, "card_number": self.blocked.name},
        ):
            response = self.api("POST", "/credits", other)
            self.assertProblem(response, 409, "replay_mismatch")
        # a spend under a credit's reference
        response = self.api("POST", "/spends", {**body, "amount": "1.00"})
        self.assertProblem(response, 409, "replay_mismatch")
        self.assertEqual(self.entry_count(), count)

    def test_key_and_reference_must_agree(self):
        body = {"card_number": self.card.name, "amount": "30.00", "reference": "K-3"}
        response = self.api("POST", "/credits", body, headers={"Idempotency-Key": "K-4"})
        self.assertProblem(response, 400, "invalid_request")

    def test_keys_are_scoped_to_the_shop(self):
        """Another shop may use the same reference for its own operation."""
        body = {"card_number": self.card.name, "amount": "30.00", "reference": "SHARED-1"}
        mine = self.api("POST", "/credits", body)
        theirs = self.api("POST", "/credits", {**body, "amount": "40.00"}, key=self.other_key)
        self.assertEqual((mine.status_code, theirs.status_code), (200, 200), theirs.text)
        self.assertNotIn("Idempotent-Replayed", theirs.headers)

    def test_concurrent_requests_with_one_key_make_one_operation(self):
        body = {"card_number": self.card.name, "amount": "30.00", "reference": "K-conc"}
        count = self.entry_count()
        answers, barrier = [], threading.Barrier(4)

        def send():
            barrier.wait(10)
            answers.append(self.raw_api("POST", "/credits", body))

        threads = [threading.Thread(target=send) for _i in range(4)]
        self.env.cr.flush()
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual([a.status_code for a in answers], [200] * 4)
        self.assertEqual(len({a.text for a in answers}), 1)
        self.assertEqual(sum("Idempotent-Replayed" in a.headers for a in answers), 3)
        self.assertEqual(self.entry_count(), count + 1)


@tagged("post_install", "-at_install")
class TestApiIdempotencyConcurrency(RealTransactionCase):
    """Real concurrent transactions (separate connections) crediting with one key."""

    @mute_logger("odoo.sql_db")
    def test_parallel_same_key_posts_once(self):
        def setup(env):
            partner = env["res.partner"].create({"name": f"Shop {self.run_id}"})
            shop = env["loyalty.network.merchant"].create({"partner_id": partner.id})
            holder = env["res.partner"].create({"name": f"Holder {self.run_id}"})
            card = env["loyalty.network.card"].create({})
            card._enrol(holder, shop)
            return shop.id, card.name

        shop_id, card_number = self._run(setup)
        body = {"card_number": card_number, "amount": "80.00", "reference": f"C-{self.run_id}"}
        results, barrier = [], threading.Barrier(4)

        def credit():
            barrier.wait(10)
            with self._cursor() as cr:
                for _attempt in range(40):
                    try:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        shop = env["loyalty.network.merchant"].browse(shop_id)
                        results.append(env["loyalty.api.service"]._api_credit(shop, dict(body)))
                        cr.commit()
                        return
                    except RETRYABLE:
                        cr.rollback()

        threads = [threading.Thread(target=credit) for _i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        def check(env):
            return env["loyalty.network.entry"].search_count(
                [("source_ref", "=", f"api:C-{self.run_id}")]
            )

        self.assertEqual(self._run(check), 1)
        self.assertEqual(len(results), 4)
        self.assertEqual(len({str(answer) for answer, _replayed in results}), 1)
        self.assertEqual(
            sorted(replayed for _answer, replayed in results), [False, True, True, True]
        )


@tagged("post_install", "-at_install")
class TestApiRateCounterConcurrency(RealTransactionCase):
    """The per-key counter is atomic across concurrent requests (own transactions,
    as each request counts in a short transaction of its own)."""

    @mute_logger("odoo.sql_db")
    def test_parallel_increments_lose_no_count(self):
        def setup(env):
            partner = env["res.partner"].create({"name": f"Counter shop {self.run_id}"})
            shop = env["loyalty.network.merchant"].create({"partner_id": partner.id})
            key = env["loyalty.api.key"].create(
                {"name": "t", "merchant_id": shop.id, "user_id": env.ref("base.user_admin").id}
            )
            return key.id

        key_id = self._run(setup)
        counts, barrier = [], threading.Barrier(4)

        def count():
            barrier.wait(10)
            with self._cursor() as cr:
                Counter = api.Environment(cr, SUPERUSER_ID, {})["loyalty.api.rate.counter"]
                for _i in range(10):
                    counts.append(Counter._increment(key_id, cursor=self._cursor()))

        threads = [threading.Thread(target=count) for _i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(sorted(counts)[-1], 40)
        self.assertEqual(len(set(counts)), 40)  # every request got its own number
