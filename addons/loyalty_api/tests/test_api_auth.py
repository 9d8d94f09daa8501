import json

import requests

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestApiAuth(LoyaltyApiCase):
    """Keys: the shop is the key's; no key, a wrong, revoked, portal or
    global key, or another shop's key is refused and changes nothing."""

    def test_no_key_or_wrong_key_is_unauthorized(self):
        for key in (False, "0123456789abcdef0123456789abcdef01234567"):
            response = self.api("GET", f"/cards/{self.card.name}", key=key)
            self.assertProblem(response, 401, "unauthorized")
            self.assertIn("Bearer", response.headers.get("WWW-Authenticate", ""))
        before = self.entry_count()
        response = self.api(
            "POST",
            "/credits",
            {"card_number": self.card.name, "amount": "10.00", "reference": "nokey-1"},
            key=False,
        )
        self.assertProblem(response, 401, "unauthorized")
        self.assertEqual(self.entry_count(), before)

    def test_key_works_then_is_refused_once_revoked(self):
        key = self._make_key(self.shop_user, self.shop, "Till to revoke")
        self.assertEqual(self.api("GET", f"/cards/{self.card.name}", key=key).status_code, 200)
        record = self.env["loyalty.api.key"].search([("name", "=", "Till to revoke")])
        record.with_user(self.shop_user).action_revoke()
        self.assertFalse(record.active)
        self.assertTrue(record.revoked_date)
        response = self.api("GET", f"/cards/{self.card.name}", key=key)
        self.assertProblem(response, 401, "unauthorized")

    def test_staff_revokes_a_shop_key(self):
        staff = self.env["res.users"].create(
            {
                "name": "Staff",
                "login": "api-staff",
                "group_ids": [
                    Command.set([self.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id])
                ],
            }
        )
        key = self._make_key(self.shop_user, self.shop, "Till staff revokes")
        record = self.env["loyalty.api.key"].search([("name", "=", "Till staff revokes")])
        record.with_user(staff).action_revoke()
        self.assertProblem(self.api("GET", "/summary", key=key), 401, "unauthorized")

    def test_another_shop_key_cannot_touch_this_shop(self):
        """The butcher's key sees and refunds nothing of the bakery's operations."""
        before = self.entry_count()
        response = self.api("GET", "/operations/seed", key=self.other_key)
        self.assertProblem(response, 404, "not_found")
        response = self.api(
            "POST",
            "/refunds",
            {"original_reference": "seed", "amount": "250.00", "reference": "steal-1"},
            key=self.other_key,
        )
        self.assertProblem(response, 404, "not_found")
        self.assertEqual(self.entry_count(), before)
        # A shop cannot be chosen in the request: the body field is refused.
        response = self.api(
            "POST",
            "/credits",
            {
                "card_number": self.card.name,
                "amount": "10.00",
                "reference": "x-1",
                "merchant_id": self.shop.id,
            },
            key=self.other_key,
        )
        self.assertProblem(response, 400, "invalid_request")
        self.assertEqual(self.entry_count(), before)

    def test_portal_user_key_is_forbidden(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Holder",
                "login": "api-portal",
                "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        # A key of the till API's scope held by a portal user (made as the system).
        key = (
            self.env["res.users.apikeys"]
            .with_user(portal)
            .sudo()
            ._generate("loyalty_api", "portal key", None)
        )
        before = self.entry_count()
        response = self.api(
            "POST",
            "/credits",
            {"card_number": self.card.name, "amount": "10.00", "reference": "portal-1"},
            key=key,
        )
        self.assertProblem(response, 403, "forbidden")
        self.assertEqual(self.entry_count(), before)

    def test_global_key_refused_and_till_key_only_for_the_till_api(self):
        # The merchant user's own (global) Odoo key does not open the till API...
        global_key = (
            self.env["res.users.apikeys"]
            .with_user(self.shop_user)
            .sudo()
            ._generate(None, "personal", None)
        )
        self.assertProblem(self.api("GET", "/summary", key=global_key), 401, "unauthorized")
        # ... and the till key opens nothing else (JSON-2 RPC).
        with self.allow_requests(all_requests=True):
            response = requests.post(
                f"{self.base_url()}/json/2/res.partner/search_read",
                data=json.dumps({"domain": [], "fields": ["name"]}),
                headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
                timeout=30,
            )
        self.assertEqual(response.status_code, 401)

    def test_browser_session_without_key_is_refused(self):
        self.authenticate(self.shop_user.login, f"{self.shop_user.login}-password")
        response = self.url_open(
            "/loyalty/api/v1/summary",
            headers={
                "Sec-Fetch-Dest": "document",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Site": "same-origin",
                "Sec-Fetch-User": "?1",
            },
        )
        self.assertProblem(response, 401, "unauthorized")

    def test_other_merchant_cannot_make_or_revoke_this_shop_keys_by_rpc(self):
        """Through the web client's JSON-RPC, as the butcher's merchant user."""
        keys = self.env["loyalty.api.key"].search([("merchant_id", "=", self.shop.id)])
        self.authenticate(self.other_user.login, f"{self.other_user.login}-password")
        for model, method, args in (
            ("loyalty.api.key.generate", "create", [{"merchant_id": self.shop.id, "name": "x"}]),
            ("loyalty.network.merchant", "action_open_api_key_generate", [[self.shop.id]]),
            ("loyalty.api.key", "action_revoke", [keys.ids]),
            ("loyalty.api.key", "write", [keys.ids, {"active": False}]),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {"model": model, "method": method, "args": args, "kwargs": {}},
                )
        keys.invalidate_recordset()
        self.assertTrue(all(keys.mapped("active")))
        self.assertEqual(
            self.env["loyalty.api.key"].search_count([("merchant_id", "=", self.shop.id)]),
            len(keys),
        )
        self.assertEqual(self.api("GET", "/summary").status_code, 200)

    def test_other_merchant_cannot_reach_this_shop_webhooks_by_rpc(self):
        webhook = self.env["loyalty.api.webhook"].create(
            {
                "merchant_id": self.shop.id,
                "url": "https://bakery-till.example/hook",
                "event_type_ids": [
                    (6, 0, self.env.ref("loyalty_api.event_type_operation_posted").ids)
                ],
            }
        )
        secret, count = webhook.secret, self.env["loyalty.api.webhook"].search_count([])
        self.authenticate(self.other_user.login, f"{self.other_user.login}-password")
        event_types = self.env["loyalty.api.event.type"].search([]).ids
        for method, args in (
            (
                "create",
                [
                    {
                        "merchant_id": self.shop.id,
                        "url": "https://evil.example/h",
                        "event_type_ids": [(6, 0, event_types)],
                    }
                ],
            ),
            (
                "create",
                [
                    {
                        "merchant_id": False,
                        "url": "https://evil.example/h",
                        "event_type_ids": [(6, 0, event_types)],
                    }
                ],
            ),
            ("read", [webhook.ids, ["secret"]]),
            ("write", [webhook.ids, {"url": "https://evil.example/h"}]),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {"model": "loyalty.api.webhook", "method": method, "args": args, "kwargs": {}},
                )
        webhook.invalidate_recordset()
        self.assertEqual(
            (webhook.url, webhook.secret), ("https://bakery-till.example/hook", secret)
        )
        self.assertEqual(self.env["loyalty.api.webhook"].search_count([]), count)
