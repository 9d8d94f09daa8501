import json
import logging
from decimal import Decimal

from psycopg2 import Error as PsycopgError

from odoo.exceptions import AccessError, ConcurrencyError, UserError
from odoo.http import Controller, request

from ..services import api_schemas
from ..services.api_errors import ApiError
from ..services.api_registry import add_schemas, api_route, openapi_document

_logger = logging.getLogger(__name__)

add_schemas(api_schemas.SCHEMAS, "loyalty_api")

CARD_ERRORS = ("card_unknown", "card_blocked", "card_replaced", "card_not_enrolled")
OPERATION_ERRORS = (
    "invalid_request",
    "amount_invalid",
    "replay_mismatch",
    "shop_inactive",
    "operation_refused",
)


class LoyaltyApiV1(Controller):
    """Version 1 of the till API (see services/api_registry.py).

    The shop is always the API key's: a till never names its shop. Every
    answer is JSON; every refusal is ``application/problem+json`` with a stable
    code, and nothing is recorded by a refused request.
    """

    # ------------------------------------------------------------
    # Dispatch: key, shop, rate limit, body, errors
    # ------------------------------------------------------------

    def _loyalty_api_dispatch(self, spec, kwargs):
        if spec.public:
            return request.make_json_response(spec.func(self, **kwargs))
        key = getattr(request, "loyalty_api_key", None)
        try:
            if key and key.get("lang"):
                request.update_context(lang=key["lang"])
            shop = self._loyalty_api_shop(key)
            self._loyalty_api_rate_limit(key)
            body = self._loyalty_api_body() if spec.method in ("POST", "PUT", "PATCH") else None
            result = spec.func(self, shop=shop, body=body, **kwargs)
        except (PsycopgError, ConcurrencyError):
            raise  # Odoo retries the whole request; then ir.http answers busy_try_again
        except ApiError as error:
            return self._loyalty_api_refuse(error, key)
        except (UserError, AccessError) as error:
            code = "forbidden" if isinstance(error, AccessError) else "operation_refused"
            return self._loyalty_api_refuse(ApiError(code, error.args[0]), key)
        except Exception as error:  # logged with its traceback, never sent
            _logger.exception("Till API: unexpected error")
            return self._loyalty_api_refuse(
                request.env["ir.http"]._loyalty_api_error_of(error), key
            )
        data, headers, status = result if isinstance(result, tuple) else (result, {}, spec.status)
        if status == 204:
            return request.make_response("", headers=list(headers.items()), status=204)
        return request.make_json_response(data, headers=headers, status=status)

    def _loyalty_api_shop(self, key):
        if not key:
            # A browser session reached the route: the till API takes keys only.
            raise ApiError(
                "unauthorized",
                request.env._("Send the shop's API key in the header Authorization: Bearer <key>."),
            )
        if key["share"] or not key["merchant_id"] or not key["key_id"]:
            raise ApiError(
                "forbidden", request.env._("This key does not belong to a member shop's till.")
            )
        return request.env["loyalty.network.merchant"].browse(key["merchant_id"])

    def _loyalty_api_rate_limit(self, key):
        # the limit is a system parameter the key's user cannot read: sudo to read it only
        limit = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("loyalty_api.rate_limit_per_minute", "120")
        )
        # The key's own counter, written as the system (counters have no user access).
        count = request.env["loyalty.api.rate.counter"].sudo()._increment(key["key_id"])
        if limit and count > limit:
            raise ApiError(
                "rate_limited",
                request.env._(
                    "Too many requests with this key: at most %s a minute. Wait a little.", limit
                ),
                headers={"Retry-After": "60"},
            )

    def _loyalty_api_body(self):
        try:
            return json.loads(request.httprequest.get_data() or b"null", parse_float=Decimal)
        except ValueError:
            raise ApiError(
                "invalid_request", request.env._("The request body is not valid JSON.")
            ) from None

    def _loyalty_api_refuse(self, error, key):
        """Roll back whatever the refused request did (it stays counted: the
        counter has its own transaction)."""
        request.env.cr.rollback()
        return request.env["ir.http"]._loyalty_api_problem(error)

    def _loyalty_api_operation(self, method, shop, body):
        idempotency_key = request.httprequest.headers.get("Idempotency-Key")
        Service = request.env["loyalty.api.service"]
        answer, replayed = getattr(Service, method)(shop, body, idempotency_key)
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        return answer, headers, 200

    # ------------------------------------------------------------
    # Endpoints
    # ------------------------------------------------------------

    @api_route(
        "/openapi.json",
        "GET",
        operation_id="getOpenApi",
        summary="This document (OpenAPI 3.1)",
        tag="meta",
        public=True,
    )
    def openapi(self):
        modules = set(request.env.registry._init_modules)
        return openapi_document(modules, request.httprequest.host_url.rstrip("/"))

    @api_route(
        "/cards/{number}",
        "GET",
        operation_id="getCard",
        summary="A card's status and masked holder; its balance when the card is presented",
        tag="cards",
        response="Card",
        errors=("card_unknown", "invalid_request"),
        query={
            "presented": (
                {"type": "boolean"},
                "true when the holder presents the card at the till: the balance is given.",
            )
        },
    )
    def card(self, shop, body, number):
        presented = request.httprequest.args.get("presented", "").lower() in ("1", "true", "yes")
        return request.env["loyalty.api.service"]._api_card(shop, number, presented=presented)

    @api_route(
        "/preview",
        "POST",
        operation_id="previewOperation",
        summary="What a credit and/or a wallet payment would do now, without recording",
        tag="operations",
        request="PreviewRequest",
        response="Preview",
        errors=(*CARD_ERRORS, *OPERATION_ERRORS, "plan_not_allowed"),
    )
    def preview(self, shop, body):
        return request.env["loyalty.api.service"]._api_preview(shop, body)

    @api_route(
        "/credits",
        "POST",
        operation_id="creditPurchase",
        summary="Credit the holder for a purchase (the part not paid with the wallet)",
        tag="operations",
        request="CreditRequest",
        response="Operation",
        errors=(*CARD_ERRORS, *OPERATION_ERRORS, "plan_not_allowed"),
    )
    def credit(self, shop, body):
        return self._loyalty_api_operation("_api_credit", shop, body)

    @api_route(
        "/spends",
        "POST",
        operation_id="spendWallet",
        summary="Pay part of a purchase with the holder's wallet",
        tag="operations",
        request="SpendRequest",
        response="Operation",
        errors=(*CARD_ERRORS, *OPERATION_ERRORS, "below_threshold", "above_balance"),
    )
    def spend(self, shop, body):
        return self._loyalty_api_operation("_api_spend", shop, body)

    @api_route(
        "/refunds",
        "POST",
        operation_id="refundOperation",
        summary="Refund part of a credited purchase or give back part of a wallet payment",
        tag="operations",
        request="RefundRequest",
        response="Operation",
        errors=(*OPERATION_ERRORS, "not_found", "not_refundable", "above_refundable"),
    )
    def refund(self, shop, body):
        return self._loyalty_api_operation("_api_refund", shop, body)

    @api_route(
        "/operations/{reference}",
        "GET",
        operation_id="getOperation",
        summary="An operation of the shop by its reference",
        tag="operations",
        response="Operation",
        errors=("not_found",),
    )
    def operation(self, shop, body, reference):
        return request.env["loyalty.api.service"]._api_get_operation(shop, reference)

    @api_route(
        "/summary",
        "GET",
        operation_id="getDailySummary",
        summary="The shop's operations of one local day (today by default)",
        tag="reports",
        response="Summary",
        errors=("invalid_request",),
        query={"date": ({"type": "string", "format": "date"}, "Local day, YYYY-MM-DD.")},
    )
    def summary(self, shop, body):
        day = request.httprequest.args.get("date")
        return request.env["loyalty.api.service"]._api_summary(shop, day)

    @api_route(
        "/webhooks",
        "GET",
        operation_id="listWebhooks",
        summary="The shop's webhook endpoints",
        tag="webhooks",
        response="WebhookList",
    )
    def webhooks(self, shop, body):
        webhooks = request.env["loyalty.api.webhook"].search([("merchant_id", "=", shop.id)])
        return {"webhooks": [webhook._api_answer() for webhook in webhooks]}

    @api_route(
        "/webhooks",
        "POST",
        operation_id="createWebhook",
        summary="Register an HTTPS endpoint for events of the shop (the secret is " "given once)",
        tag="webhooks",
        request="WebhookRequest",
        response="Webhook",
        status=201,
        errors=("invalid_request", "webhook_invalid"),
    )
    def create_webhook(self, shop, body):
        Service = request.env["loyalty.api.service"]
        Service._api_check_fields(body, {"url", "events"}, {"name"})
        Webhook = request.env["loyalty.api.webhook"]
        events = body["events"]
        types = request.env["loyalty.api.event.type"].search(
            [("code", "in", events if isinstance(events, list) else [])]
        )
        if not isinstance(events, list) or len(types) != len(set(events)) or not types:
            raise ApiError(
                "webhook_invalid",
                request.env._(
                    "Unknown events; choose among: %s.",
                    ", ".join(request.env["loyalty.api.event.type"].search([]).mapped("code")),
                ),
            )
        if not isinstance(body["url"], str) or not Webhook._is_valid_url(body["url"]):
            raise ApiError(
                "webhook_invalid",
                request.env._("The webhook address must be an https:// address (%s).", body["url"]),
            )
        webhook = Webhook.create(
            {
                "name": str(body.get("name") or "")[:64] or request.env._("Webhook"),
                "merchant_id": shop.id,
                "company_id": shop.company_id.id,
                "url": body["url"],
                "event_type_ids": [(6, 0, types.ids)],
            }
        )
        return webhook._api_answer(with_secret=True), {}, 201

    @api_route(
        "/webhooks/{webhook_id}",
        "DELETE",
        operation_id="deleteWebhook",
        summary="Remove one of the shop's webhook endpoints",
        tag="webhooks",
        status=204,
        errors=("not_found",),
    )
    def delete_webhook(self, shop, body, webhook_id):
        webhook = request.env["loyalty.api.webhook"].search(
            [
                ("id", "=", int(webhook_id) if webhook_id.isdigit() else 0),
                ("merchant_id", "=", shop.id),
            ]
        )
        if not webhook:
            raise ApiError("not_found", request.env._("No such webhook in your shop."))
        webhook.active = False
        return None, {}, 204
