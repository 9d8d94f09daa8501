from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..models.loyalty_api_service import LoyaltyApiService
from ..services.api_errors import CODES
from .common import LoyaltyApiCase

TESTED = set()


@tagged("post_install", "-at_install")
class TestApiErrors(LoyaltyApiCase):
    """Every error code, with its status, as problem+json, and nothing recorded."""

    def refused(self, status, code, method, path, body=None, **kw):
        before = self.entry_count()
        problem = self.assertProblem(self.api(method, path, body, **kw), status, code)
        self.assertEqual(self.entry_count(), before, f"{code}: something was recorded")
        TESTED.add(code)
        return problem

    def credit(self, **body):
        return {"card_number": self.card.name, "amount": "10.00", "reference": "E-1", **body}

    def test_invalid_request(self):
        self.refused(400, "invalid_request", "POST", "/credits", raw="{not json")
        self.refused(400, "invalid_request", "POST", "/credits", self.credit(tip="1"))
        self.refused(400, "invalid_request", "POST", "/credits", self.credit(reference=""))
        self.refused(400, "invalid_request", "POST", "/credits", {"amount": "1.00"})
        self.refused(400, "invalid_request", "GET", "/summary?date=yesterday")

    def test_amount_invalid(self):
        for amount in ("12.345", 12.345, "-5", "abc", 0, "0.00", "1e3", True, "20000.00", "NaN"):
            with self.subTest(amount=amount):
                self.refused(422, "amount_invalid", "POST", "/credits", self.credit(amount=amount))
        # the currency's precision, as string or number, is accepted
        for amount, ref in (("12.34", "ok-1"), (12.5, "ok-2"), (7, "ok-3")):
            response = self.api("POST", "/credits", self.credit(amount=amount, reference=ref))
            self.assertEqual(response.status_code, 200, response.text)

    def test_card_errors(self):
        self.refused(404, "card_unknown", "GET", "/cards/2990000000000")
        self.refused(
            404, "card_unknown", "POST", "/credits", self.credit(card_number="2990000000000")
        )
        self.refused(
            422, "card_blocked", "POST", "/credits", self.credit(card_number=self.blocked.name)
        )
        self.refused(
            422, "card_replaced", "POST", "/spends", self.credit(card_number=self.replaced.name)
        )
        self.refused(
            422, "card_not_enrolled", "POST", "/credits", self.credit(card_number=self.blank.name)
        )

    def test_spend_errors(self):
        self.refused(422, "above_balance", "POST", "/spends", self.credit(amount="6.01"))
        holder = self.env["res.partner"].create({"name": "Poor Holder"})
        card = self.env["loyalty.network.card"].create({})
        card._enrol(holder, self.shop)
        self.refused(
            422,
            "below_threshold",
            "POST",
            "/spends",
            self.credit(card_number=card.name, amount="1"),
        )
        preview = self.api("POST", "/preview", {"card_number": card.name, "spend_amount": "1"})
        self.assertEqual(preview.json()["spend_error"]["code"], "below_threshold")

    def test_refund_errors(self):
        body = {"original_reference": "seed", "amount": "250.01", "reference": "R-1"}
        self.refused(422, "above_refundable", "POST", "/refunds", body)
        self.refused(404, "not_found", "POST", "/refunds", {**body, "original_reference": "nope"})
        self.api("POST", "/refunds", {**body, "amount": "10.00", "reference": "R-ok"})
        self.refused(
            422, "not_refundable", "POST", "/refunds", {**body, "original_reference": "R-ok"}
        )
        # the card blocked since: a refund is still possible, and its refusal says why
        self.card.action_block()
        self.refused(422, "above_refundable", "POST", "/refunds", {**body, "reference": "R-2"})
        response = self.api("POST", "/refunds", {**body, "amount": "5.00", "reference": "R-3"})
        self.assertEqual(response.status_code, 200, response.text)

    def test_not_found_and_method(self):
        self.refused(404, "not_found", "GET", "/operations/never-sent")
        self.refused(404, "not_found", "GET", "/nowhere")
        self.refused(405, "method_not_allowed", "DELETE", "/credits")

    def test_plan_not_allowed_and_shop_inactive(self):
        reduced = self.env.ref("annonay_loyalty.loyalty_network_plan_reduced")
        self.refused(422, "plan_not_allowed", "POST", "/credits", self.credit(plan_id=reduced.id))
        self.shop.state = "suspended"
        self.refused(403, "shop_inactive", "POST", "/credits", self.credit())

    def test_operation_refused_when_no_rule_names_it(self):
        with patch.object(
            type(self.env["loyalty.network.wallet"]),
            "_get_operation_plan",
            side_effect=UserError("Refused for a reason."),
        ):
            problem = self.refused(422, "operation_refused", "POST", "/credits", self.credit())
        self.assertEqual(problem["detail"], "Refused for a reason.")

    def test_webhook_invalid(self):
        body = {"url": "http://example.com/hook", "events": ["operation.posted"]}
        self.refused(422, "webhook_invalid", "POST", "/webhooks", body)
        self.refused(422, "webhook_invalid", "POST", "/webhooks", {**body, "events": ["nope"]})

    def test_rate_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("loyalty_api.rate_limit_per_minute", "3")
        key = self._make_key(self.shop_user, self.shop, "Busy till")
        statuses = [self.api("GET", "/summary", key=key).status_code for _i in range(3)]
        self.assertEqual(statuses, [200, 200, 200])
        response = self.api("GET", "/summary", key=key)
        self.refused(429, "rate_limited", "GET", "/summary", key=key)
        self.assertEqual(response.headers["Retry-After"], "60")
        # the limit is per key: the other key still works
        self.assertEqual(self.api("GET", "/summary").status_code, 200)

    @mute_logger("odoo.http", "odoo.addons.loyalty_api.controllers.api_v1")
    def test_internal_error_without_traceback(self):
        with patch.object(LoyaltyApiService, "_api_summary", side_effect=ZeroDivisionError("x")):
            problem = self.refused(500, "internal_error", "GET", "/summary")
        self.assertNotIn("ZeroDivision", problem["detail"])

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.service.model")
    def test_busy_try_again(self):
        """A database conflict Odoo does not retry (here a unique violation, as two
        different operations racing for one reference) asks to try again."""

        def conflict(service, shop, body, idempotency_key=None):
            for _i in range(2):
                service.env.cr.execute(
                    SQL(
                        "INSERT INTO loyalty_api_rate_counter (key_id, minute, count)"
                        " VALUES (%s, '2000-01-01', 1)",
                        service.env["loyalty.api.key"].sudo().search([], limit=1).id,
                    )
                )

        with patch.object(LoyaltyApiService, "_api_credit", conflict):
            response = self.api("POST", "/credits", self.credit())
        self.assertProblem(response, 503, "busy_try_again")
        self.assertEqual(response.headers["Retry-After"], "1")
        TESTED.add("busy_try_again")

    def test_zz_every_code_is_tested(self):
        """Runs last (alphabetical order): each published code was produced above,
        except those of the other test classes (auth, idempotency) and the gift
        voucher codes (loyalty_voucher's endpoints: its TestVoucherTillApi)."""
        elsewhere = {"unauthorized", "forbidden", "replay_mismatch"}
        elsewhere |= {code for code in CODES if code.startswith("voucher_")}
        self.assertEqual(set(CODES) - TESTED - elsewhere, set())


@tagged("post_install", "-at_install")
class TestWebhookAddresses(LoyaltyApiCase):
    """Webhooks reach public HTTPS addresses only (no internal services)."""

    def test_private_and_plain_addresses_are_refused(self):
        Webhook = self.env["loyalty.api.webhook"]
        for url in (
            "http://example.com/hook",
            "https://10.0.0.5/hook",
            "https://192.168.1.10/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://user:pw@example.com/hook",
            "ftp://example.com/hook",
        ):
            with self.subTest(url=url):
                self.assertFalse(Webhook._is_valid_url(url))
        self.assertTrue(Webhook._is_valid_url("https://till-vendor.example/hook"))
        self.assertTrue(Webhook._is_valid_url("https://93.184.216.34/hook"))
