import re
from datetime import date as date_type
from decimal import Decimal, InvalidOperation

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.annonay_loyalty.services import money_engine as engine

from ..services.api_errors import ApiError

REFERENCE_PREFIX = "api:"  # the terminal API's namespace: one reference, one operation
REFERENCE_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
AMOUNT_RE = re.compile(r"^[0-9]{1,12}(\.[0-9]+)?$")
OPERATION_OF_TYPE = {
    "earn": "credit",
    "spend": "spend",
    "earn_reversal": "refund",
    "spend_reversal": "refund",
}


class LoyaltyApiService(models.AbstractModel):
    """What each endpoint of the till API does, independent of HTTP.

    Called with the environment of the key's technical user: the wallet
    service checks that this user operates the shop, exactly as for a cashier
    at the terminal. Refusals are :class:`ApiError` with a stable code and the
    wallet's own sentence as detail.
    """

    _name = "loyalty.api.service"
    _description = "Loyalty Network Till API"

    # ------------------------------------------------------------
    # Endpoints
    # ------------------------------------------------------------

    @api.model
    def _api_card(self, shop, number, presented=False):
        card = self._api_find_card(number)
        # The card is found by its exact number (holding the card, as at the
        # terminal); only its status and a masked name are read as the system.
        card = card.sudo()
        answer = {
            "card_number": card.masked_number,
            "status": card.state,
            "holder": self._api_masked_name(card.partner_id.name) if card.partner_id else None,
        }
        if presented and card.state == "active":
            rules = engine.NetworkRules.of(shop.company_id)
            wallet = card.partner_id._get_loyalty_wallet(shop.company_id)
            answer.update(
                balance=self._api_fmt(rules, wallet.balance),
                can_spend=engine.can_spend(rules, wallet.balance),
                min_spend_balance=self._api_fmt(rules, rules.min_spend_balance),
                currency=rules.currency.name,
            )
        return answer

    @api.model
    def _api_preview(self, shop, body):
        self._api_check_fields(body, {"card_number"}, {"amount", "spend_amount", "plan_id"})
        rules = engine.NetworkRules.of(shop.company_id)
        amount = self._api_parse_amount(rules, body["amount"]) if body.get("amount") else 0.0
        spend = (
            self._api_parse_amount(rules, body["spend_amount"]) if body.get("spend_amount") else 0.0
        )
        card = self._api_find_card(body["card_number"])
        plan = self._api_plan(shop, body.get("plan_id"))
        try:
            preview = self.env["loyalty.network.wallet"]._preview_operation(
                card, shop, amount=amount, spend_amount=spend, plan=plan
            )
        except (UserError, AccessError) as error:
            raise self._api_error_of(error, shop, card) from None
        answer = {
            key: self._api_fmt(rules, preview[key])
            for key in (
                "balance",
                "spend",
                "credit",
                "base_credit",
                "birthday_bonus",
                "boost_bonus",
                "capped_amount",
                "opening_fee",
                "balance_after",
                "min_spend_balance",
            )
        }
        answer.update(
            can_spend=preview["can_spend"],
            can_spend_after=preview["can_spend_after"],
            cardholder_rate=preview["cardholder_rate"],
            currency=rules.currency.name,
            spend_error=None,
        )
        if preview["spend_error"]:
            code = "below_threshold" if not preview["can_spend"] else "above_balance"
            answer["spend_error"] = {"code": code, "detail": preview["spend_error"]}
        return answer

    @api.model
    def _api_credit(self, shop, body, idempotency_key=None):
        """Credit a purchase; returns ``(answer, replayed)``."""
        self._api_check_fields(body, {"card_number", "amount"}, {"reference", "plan_id"})
        rules = engine.NetworkRules.of(shop.company_id)
        reference = self._api_reference(body, idempotency_key)
        amount = self._api_parse_amount(rules, body["amount"])
        card = self._api_find_card(body["card_number"])
        plan = self._api_plan(shop, body.get("plan_id"))
        try:
            entry = self.env["loyalty.network.wallet"]._credit_purchase(
                card, shop, amount, reference, plan=plan
            )
        except (UserError, AccessError) as error:
            raise self._api_error_of(error, shop, card) from None
        return self._api_operation(entry), self._api_is_replay(entry)

    @api.model
    def _api_spend(self, shop, body, idempotency_key=None):
        self._api_check_fields(body, {"card_number", "amount"}, {"reference"})
        rules = engine.NetworkRules.of(shop.company_id)
        reference = self._api_reference(body, idempotency_key)
        amount = self._api_parse_amount(rules, body["amount"])
        card = self._api_find_card(body["card_number"])
        try:
            entry = self.env["loyalty.network.wallet"]._spend(card, shop, amount, reference)
        except (UserError, AccessError) as error:
            raise self._api_error_of(error, shop, card, spend=amount) from None
        return self._api_operation(entry), self._api_is_replay(entry)

    @api.model
    def _api_refund(self, shop, body, idempotency_key=None):
        self._api_check_fields(body, {"original_reference", "amount"}, {"reference"})
        rules = engine.NetworkRules.of(shop.company_id)
        reference = self._api_reference(body, idempotency_key)
        amount = self._api_parse_amount(rules, body["amount"])
        origin = self._api_find_operation(shop, body["original_reference"])
        if origin.entry_type not in engine.REFUNDABLE_TYPES:
            raise ApiError(
                "not_refundable",
                self.env._("Only a purchase or a wallet payment can be refunded."),
            )
        try:
            entry = self.env["loyalty.network.wallet"]._refund(origin, amount, reference)
        except (UserError, AccessError) as error:
            raise self._api_error_of(error, shop, None, origin=origin) from None
        return self._api_operation(entry), self._api_is_replay(entry)

    @api.model
    def _api_get_operation(self, shop, reference):
        return self._api_operation(self._api_find_operation(shop, reference))

    @api.model
    def _api_summary(self, shop, day=None):
        rules = engine.NetworkRules.of(shop.company_id)
        if day:
            try:
                day = date_type.fromisoformat(day)
            except ValueError:
                raise ApiError(
                    "invalid_request", self.env._("Give the day as YYYY-MM-DD.")
                ) from None
        else:
            day = rules.today()
        start, end = rules.utc_bounds(day, day)
        # The shop's own entries of that local day (record rules of the merchant group).
        groups = self.env["loyalty.network.entry"]._read_group(
            [("merchant_id", "=", shop.id), ("date", ">=", start), ("date", "<", end)],
            ["entry_type"],
            ["__count", "purchase_amount:sum", "amount:sum", "merchant_contribution:sum"],
        )
        totals = {
            operation: {"count": 0, "purchase_amount": 0.0, "amount": 0.0}
            for operation in ("credit", "spend", "refund")
        }
        contribution = 0.0
        for entry_type, count, purchase, amount, shop_contribution in groups:
            operation = OPERATION_OF_TYPE.get(entry_type)
            if not operation:
                continue
            totals[operation]["count"] += count
            totals[operation]["purchase_amount"] += purchase
            totals[operation]["amount"] += amount
            contribution += shop_contribution
        return {
            "date": day.isoformat(),
            "timezone": rules.tz,
            "currency": rules.currency.name,
            "operations": {
                operation: {
                    "count": values["count"],
                    "purchase_amount": self._api_fmt(rules, values["purchase_amount"]),
                    "amount": self._api_fmt(rules, values["amount"]),
                }
                for operation, values in totals.items()
            },
            "merchant_contribution": self._api_fmt(rules, contribution),
        }

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    @api.model
    def _api_check_fields(self, body, required, optional):
        if not isinstance(body, dict):
            raise ApiError("invalid_request", self.env._("The request body must be a JSON object."))
        unknown = sorted(set(body) - required - optional)
        if unknown:
            raise ApiError("invalid_request", self.env._("Unknown fields: %s.", ", ".join(unknown)))
        missing = sorted(name for name in required if body.get(name) in (None, ""))
        if missing:
            raise ApiError("invalid_request", self.env._("Missing fields: %s.", ", ".join(missing)))

    @api.model
    def _api_reference(self, body, idempotency_key):
        """The ledger reference of the operation: the body's ``reference`` or the
        Idempotency-Key header (equal if both are given), in the shop's scope."""
        reference = body.get("reference")
        if reference and idempotency_key and reference != idempotency_key:
            raise ApiError(
                "invalid_request",
                self.env._("The Idempotency-Key header and the reference differ."),
            )
        reference = reference or idempotency_key
        if not isinstance(reference, str) or not REFERENCE_RE.match(reference):
            raise ApiError(
                "invalid_request",
                self.env._(
                    "Give the operation a reference (reference field or Idempotency-Key "
                    "header): 1 to 64 letters, digits or . _ : / -"
                ),
            )
        return REFERENCE_PREFIX + reference

    @api.model
    def _api_parse_amount(self, rules, value):
        """An amount given as a decimal string or a JSON number, with at most the
        currency's decimals; anything else is refused with ``amount_invalid``."""
        digits = rules.currency.decimal_places
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise ApiError("amount_invalid", self.env._("The amount must be a number, like 12.50."))
        if isinstance(value, str) and not AMOUNT_RE.match(value.strip()):
            raise ApiError("amount_invalid", self.env._("The amount must be a number, like 12.50."))
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise ApiError(
                "amount_invalid", self.env._("The amount must be a number, like 12.50.")
            ) from None
        if not amount.is_finite():
            raise ApiError("amount_invalid", self.env._("The amount must be a number, like 12.50."))
        if -amount.as_tuple().exponent > digits:
            raise ApiError(
                "amount_invalid", self.env._("The amount has more than %s decimals.", digits)
            )
        try:
            return engine.check_amount(rules, float(amount))
        except UserError as error:
            raise ApiError("amount_invalid", error.args[0]) from None

    @api.model
    def _api_find_card(self, number):
        if not isinstance(number, str) or not number.strip():
            raise ApiError("invalid_request", self.env._("Give the card number as text."))
        card = self.env["loyalty.network.card"]._find_by_number(number)
        if not card:
            raise ApiError("card_unknown", self.env._("No card has the number %s.", number))
        return card

    @api.model
    def _api_find_operation(self, shop, reference):
        if not isinstance(reference, str) or not REFERENCE_RE.match(reference):
            raise ApiError("not_found", self.env._("No operation %s in your shop.", reference))
        # The shop's own entries only (record rules of the merchant group, and
        # the explicit shop below: a reference of another shop is not found).
        entry = self.env["loyalty.network.entry"].search(
            [("source_ref", "=", REFERENCE_PREFIX + reference), ("merchant_id", "=", shop.id)],
            limit=1,
        )
        if not entry:
            raise ApiError("not_found", self.env._("No operation %s in your shop.", reference))
        return entry

    @api.model
    def _api_plan(self, shop, plan_id):
        if plan_id in (None, ""):
            return None
        if isinstance(plan_id, bool) or not isinstance(plan_id, int):
            raise ApiError(
                "invalid_request", self.env._("The rate plan must be given by its number.")
            )
        # The shop's plans, read as the system: only their ids are compared.
        plan = shop.sudo()._get_allowed_plans().filtered(lambda p: p.id == plan_id)
        if not plan:
            raise ApiError(
                "plan_not_allowed", self.env._("This rate plan is not one of your shop's plans.")
            )
        return plan.sudo(False)

    @api.model
    def _api_error_of(self, error, shop, card, spend=None, origin=None):
        """The API refusal for an error of the wallet service: the sentence is the
        wallet's, the code is read from the state that made it refuse."""
        common = self._api_common_error_of(error, shop)
        if common.code != "operation_refused":
            return common
        message = common.detail
        # the state of the key's card only chooses the error code (sudo: read only)
        state = card.sudo().state if card else "active"
        if state != "active":
            code = {"blocked": "card_blocked", "replaced": "card_replaced"}.get(
                state, "card_not_enrolled"
            )
            return ApiError(code, message)
        rules = engine.NetworkRules.of(shop.company_id)
        if spend is not None:
            wallet = card.sudo().partner_id._get_loyalty_wallet(shop.company_id)
            if not engine.can_spend(rules, wallet.balance):
                return ApiError("below_threshold", message)
            if rules.compare(spend, wallet.balance) > 0:
                return ApiError("above_balance", message)
        if origin is not None and not isinstance(error, ValidationError):
            return ApiError("above_refundable", message)
        return ApiError("operation_refused", message)

    @api.model
    def _api_common_error_of(self, error, shop):
        """The refusal codes every operation shares: ``forbidden``,
        ``replay_mismatch``, ``shop_inactive``; else ``operation_refused``, for
        the caller to refine from the state of what it operated on."""
        message = error.args[0] if error.args else str(error)
        if isinstance(error, AccessError):
            return ApiError("forbidden", message)
        replay = self.env._(
            "This reference was already used for another operation: send the new operation "
            "with a new reference."
        )
        if message == replay:
            return ApiError("replay_mismatch", message)
        # the state of the key's shop only chooses the error code (sudo: read only)
        if shop.sudo().state != "active":
            return ApiError("shop_inactive", message)
        return ApiError("operation_refused", message)

    @api.model
    def _api_is_replay(self, entry):
        """Whether ``entry`` was posted by an earlier transaction (a replay),
        rather than appended by this one."""
        return not self.env["loyalty.network.wallet"]._is_posted_now(entry)

    @api.model
    def _api_operation(self, entry):
        """The answer describing an operation: the same for its first request and
        every replay (figures of the entry, not of the wallet now)."""
        # The shop's own entry (checked by the caller): its card and origin are read
        # as the system, only the masked number and the reference come out.
        entry = entry.sudo()
        rules = engine.NetworkRules.of(entry.company_id)
        answer = {
            "reference": entry.source_ref.removeprefix(REFERENCE_PREFIX),
            "operation": OPERATION_OF_TYPE.get(entry.entry_type, entry.entry_type),
            "entry_type": entry.entry_type,
            "card_number": entry.card_id.masked_number,
            "date": rules.local_datetime(entry.date).isoformat(),
            "amount": self._api_fmt(rules, entry.amount),
            "purchase_amount": self._api_fmt(rules, entry.purchase_amount),
            "balance_after": self._api_fmt(rules, entry.balance_after),
            "opening_fee": self._api_fmt(rules, 0.0),
            "currency": rules.currency.name,
            "original_reference": None,
        }
        if entry.origin_entry_id:
            answer["original_reference"] = entry.origin_entry_id.source_ref.removeprefix(
                REFERENCE_PREFIX
            )
        fee = rules.opening_fee
        if (
            entry.amount > 0
            and not rules.is_zero(fee)
            and rules.compare(entry.balance_after, fee) >= 0
            and rules.compare(entry.balance_after - entry.amount, fee) < 0
        ):
            # The opening fee may have been taken by this very operation: the
            # network's entry of the same wallet and time, read as the system.
            fee_entry = (
                self.env["loyalty.network.entry"]
                .sudo()
                .search(
                    [
                        ("source_ref", "=", f"opening-fee/{entry.wallet_id.id}"),
                        ("date", "=", entry.date),
                    ],
                    limit=1,
                )
            )
            if fee_entry:
                answer["opening_fee"] = self._api_fmt(rules, -fee_entry.amount)
                answer["balance_after"] = self._api_fmt(rules, fee_entry.balance_after)
        return answer

    @api.model
    def _api_fmt(self, rules, amount):
        return f"{rules.round(amount or 0.0):.{rules.currency.decimal_places}f}"

    @api.model
    def _api_masked_name(self, name):
        """ "Marie Dupont" -> "Marie D.": enough to greet, not to identify."""
        parts = (name or "").split()
        if not parts:
            return None
        return " ".join([parts[0]] + [part[0] + "." for part in parts[1:]])
