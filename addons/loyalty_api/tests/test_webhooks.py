import importlib.util
import json
import os
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo import fields
from odoo.modules import get_module_path
from odoo.tests import tagged
from odoo.tests.common import _super_send

from .common import LoyaltyApiCase


def _load_example(name):
    path = os.path.join(get_module_path("loyalty_api"), "examples", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"loyalty_api_example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Receiver:
    """A real HTTP endpoint in a thread: records deliveries, answers ``status``
    after ``delay`` seconds."""

    def __init__(self):
        self.received, self.status, self.delay = [], 200, 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestWebhooks(LoyaltyApiCase):
    """Outbox written with the operation, signed at-least-once delivery, retries
    with backoff, per-wallet order, manual re-send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("loyalty_api.webhook_timeout", "1")
        ICP.set_param("loyalty_api.webhook_backoff_seconds", "30")
        cls.verify = staticmethod(_load_example("webhook_receiver").verify)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # The receiver's own timeout is kept (the test base raises short ones to 10 s).
        if urlsplit(r.url).port == cls.receiver.port:
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.receiver.received.clear()
        self.receiver.status, self.receiver.delay = 200, 0.0
        answer = self.api(
            "POST",
            "/webhooks",
            {"url": self.receiver.url, "events": ["operation.posted"], "name": "Till vendor"},
        )
        self.assertEqual(answer.status_code, 201, answer.text)
        self.webhook_answer = answer.json()
        self.webhook = self.env["loyalty.api.webhook"].browse(self.webhook_answer["id"])
        self.Delivery = self.env["loyalty.api.delivery"]

    def deliver(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=100.0):
            self.Delivery._cron_deliver()
        self.Delivery.invalidate_model()

    def credit(self, reference, card=None, amount="20.00"):
        response = self.api(
            "POST",
            "/credits",
            {"card_number": (card or self.card).name, "amount": amount, "reference": reference},
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response

    def deliveries(self):
        return self.Delivery.search([("webhook_id", "=", self.webhook.id)], order="id")

    def make_due(self):
        self.deliveries().filtered(lambda d: d.state == "pending").write(
            {"next_attempt_date": fields.Datetime.now() - timedelta(seconds=1)}
        )

    def test_signed_delivery_verified_by_the_readme_code(self):
        self.assertEqual(self.webhook_answer["events"], ["operation.posted"])
        secret = self.webhook_answer["secret"]
        self.credit("W-1")
        self.assertEqual(self.deliveries().mapped("state"), ["pending"])
        self.deliver()
        self.assertEqual(self.deliveries().mapped("state"), ["done"])
        headers, body = self.receiver.received[0]
        event = json.loads(body)
        self.assertEqual(headers["X-Loyalty-Event-Id"], event["id"])
        self.assertEqual(event["type"], "operation.posted")
        self.assertEqual(event["data"]["reference"], "W-1")
        self.assertEqual(event["data"]["amount"], "0.80")
        signature = headers["X-Loyalty-Signature"]
        self.assertTrue(self.verify(secret, signature, body))
        self.assertFalse(self.verify(secret, signature, body + b" "))
        self.assertFalse(self.verify("other-secret", signature, body))
        # outside the replay window
        self.assertFalse(self.verify(secret, signature, body, now=time.time() + 301))

    def test_replay_and_refused_operations_emit_nothing(self):
        self.credit("W-2")
        self.credit("W-2")  # replay
        self.api(
            "POST", "/spends", {"card_number": self.card.name, "amount": "99", "reference": "W-3"}
        )
        self.assertEqual(len(self.deliveries()), 1)

    def test_rolled_back_operation_never_emits(self):
        Event = self.env["loyalty.api.event"]
        before = Event.search_count([])
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            entry = self.env["loyalty.network.wallet"]._credit_purchase(
                self.card, self.shop, 20.0, "api:W-rollback"
            )
            self.assertEqual(Event.search_count([("entry_id", "=", entry.id)]), 1)
            raise ZeroDivisionError
        self.assertEqual(Event.search_count([]), before)
        self.assertFalse(self.deliveries())
        self.deliver()
        self.assertEqual(self.receiver.received, [])

    def test_retries_with_backoff_after_500_down_and_timeout(self):
        self.credit("W-4")
        delivery = self.deliveries()
        # 1. the receiver answers 500
        self.receiver.status = 500
        self.deliver()
        self.assertEqual(
            (delivery.state, delivery.attempt_count, delivery.last_status),
            ("pending", 1, "HTTP 500"),
        )
        self.assertGreater(
            delivery.next_attempt_date, fields.Datetime.now() + timedelta(seconds=20)
        )
        self.deliver()  # not due yet: nothing sent
        self.assertEqual(delivery.attempt_count, 1)
        # 2. the receiver times out (the key answers after 1 s)
        self.make_due()
        self.receiver.status, self.receiver.delay = 200, 2.0
        self.deliver()
        self.assertEqual((delivery.attempt_count, delivery.last_status), (2, "ReadTimeout"))
        self.assertGreater(
            delivery.next_attempt_date, fields.Datetime.now() + timedelta(seconds=50)
        )
        # 3. the receiver is down
        url = self.webhook.url
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            port = free.getsockname()[1]
        self.webhook.url = f"http://127.0.0.1:{port}/hook"
        self.make_due()
        self.deliver()
        self.assertEqual((delivery.attempt_count, delivery.last_status), (3, "ConnectionError"))
        # 4. back up: delivered, with the same event id each time
        self.webhook.url = url
        self.receiver.delay = 0.0
        self.make_due()
        self.deliver()
        self.assertEqual((delivery.state, delivery.attempt_count), ("done", 4))
        ids = {headers["X-Loyalty-Event-Id"] for headers, _body in self.receiver.received}
        self.assertEqual(ids, {delivery.event_uid})
        self.assertEqual(len(delivery.log.splitlines()), 4)

    def test_per_wallet_order_a_failing_event_holds_back_its_wallet(self):
        other_holder = self.env["res.partner"].create({"name": "Other Holder"})
        other_card = self.env["loyalty.network.card"].create({})
        other_card._enrol(other_holder, self.shop)
        self.credit("O-1")
        self.credit("O-2")
        self.credit("O-3", card=other_card)
        self.receiver.status = 500
        first = self.deliveries()[0]
        # only the first event of each wallet is tried; O-2 waits behind O-1
        self.deliver()
        tried = [json.loads(body)["data"]["reference"] for _h, body in self.receiver.received]
        self.assertEqual(tried, ["O-1", "O-3"])
        self.receiver.received.clear()
        self.receiver.status = 200
        self.make_due()
        self.deliver()
        sent = [json.loads(body)["data"]["reference"] for _h, body in self.receiver.received]
        # O-1 then O-2 (same wallet, in order); O-3 (another wallet) whenever
        self.assertEqual([ref for ref in sent if ref != "O-3"], ["O-1", "O-2"])
        self.assertIn("O-3", sent)
        self.assertEqual(set(self.deliveries().mapped("state")), {"done"})
        self.assertEqual(first.attempt_count, 2)

    def test_manual_resend(self):
        self.credit("W-5")
        self.deliver()
        delivery = self.deliveries()
        delivery.action_resend()
        self.assertEqual(delivery.state, "pending")
        self.deliver()
        self.assertEqual(len(self.receiver.received), 2)
        self.assertEqual(delivery.state, "done")

    def test_shop_webhooks_list_delete_and_other_shop(self):
        listed = self.api("GET", "/webhooks").json()["webhooks"]
        self.assertEqual([w["id"] for w in listed], [self.webhook.id])
        self.assertNotIn("secret", listed[0])
        self.assertEqual(self.api("GET", "/webhooks", key=self.other_key).json(), {"webhooks": []})
        response = self.api("DELETE", f"/webhooks/{self.webhook.id}", key=self.other_key)
        self.assertProblem(response, 404, "not_found")
        self.assertTrue(self.webhook.active)
        # the butcher's operations never reach the bakery's endpoint
        self.api(
            "POST",
            "/credits",
            {"card_number": self.card.name, "amount": "20.00", "reference": "B-1"},
            key=self.other_key,
        )
        self.assertFalse(self.deliveries())
        self.credit("W-pending")
        self.assertEqual(self.deliveries().mapped("state"), ["pending"])
        self.assertEqual(self.api("DELETE", f"/webhooks/{self.webhook.id}").status_code, 204)
        self.assertFalse(self.webhook.active)
        self.assertEqual(self.deliveries().mapped("state"), ["cancelled"])
        self.credit("W-6")
        self.assertEqual(len(self.deliveries()), 1)

    def test_network_events_card_settlement_forfeit(self):
        network = self.env["loyalty.api.webhook"].create(
            {
                "name": "Association",
                "url": self.receiver.url,
                "event_type_ids": [(6, 0, self.env["loyalty.api.event.type"].search([]).ids)],
            }
        )
        Event = self.env["loyalty.api.event"]

        def types():
            return Event.search([("delivery_ids.webhook_id", "=", network.id)]).mapped("event_type")

        holder = self.env["res.partner"].create({"name": "Event Holder"})
        card = self.env["loyalty.network.card"].create({})
        card._enrol(holder, self.shop)
        card.action_block()
        card._replace_with(self.env["loyalty.network.card"].create({}))
        self.assertEqual(sorted(types()), ["card.blocked", "card.enrolled", "card.replaced"])
        self.env["loyalty.network.settlement"].create(
            {
                "merchant_id": self.shop.id,
                "date_from": "2020-01-01",
                "date_to": "2020-01-31",
            }
        )
        self.assertIn("settlement.posted", types())
        wallet = self.holder.loyalty_wallet_id
        self.env.cr.execute(
            "UPDATE loyalty_network_wallet SET last_activity_date = '2000-01-01' WHERE id = %s",
            [wallet.id],
        )
        self.env["loyalty.network.wallet"].invalidate_model()
        self.assertGreaterEqual(
            self.env["loyalty.network.wallet"]._forfeit_inactive_wallets(self.env.company), 1
        )
        self.assertIn("wallet.forfeited", types())
        # the shop's endpoint got none of the network-only events
        self.assertEqual(
            Event.search([("delivery_ids.webhook_id", "=", self.webhook.id)]).mapped("event_type"),
            [],
        )
