from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.annonay_loyalty.services import money_engine as engine
from odoo.addons.loyalty_api.models.loyalty_api_service import REFERENCE_PREFIX, REFERENCE_RE
from odoo.addons.loyalty_api.services.api_errors import ApiError


class LoyaltyApiService(models.AbstractModel):
    """Gift vouchers in the till API: check, redeem, give back.

    The voucher service does the work with the key user's rights (it checks
    that this user operates the shop, as at the terminal); references are the
    shop's own, in the same ``api:`` namespace as the session voucher API, so
    one reference is one voucher operation whatever the channel.
    """

    _inherit = "loyalty.api.service"

    @api.model
    def _api_voucher_check(self, shop, body):
        self._api_check_fields(body, {"code"}, set())
        voucher = self._api_find_voucher(shop, body["code"])
        rules = engine.NetworkRules.of(shop.company_id)
        refusal = None
        try:
            # The key's own shop: only its category is compared with the voucher's.
            voucher._check_redeemable(shop.sudo())
        except UserError as error:
            refusal = self._api_voucher_error_of(error, shop, voucher).to_problem()
            refusal = {"code": refusal["code"], "detail": refusal["detail"]}
        # Holding the code is the right to know what is left on it (as on the
        # public balance page): only the voucher's own figures are read.
        voucher = voucher.sudo()
        return {
            "voucher": voucher.masked_code,
            "state": voucher.state,
            "face_value": self._api_fmt(rules, voucher.face_value),
            "balance": self._api_fmt(rules, voucher.balance),
            "expiry_date": voucher.expiry_date.isoformat(),
            "categories": voucher.category_ids.mapped("name"),
            "currency": rules.currency.name,
            "can_redeem": refusal is None,
            "refusal": refusal,
        }

    @api.model
    def _api_voucher_redeem(self, shop, body, idempotency_key=None):
        """Pay part of a purchase with a voucher; returns ``(answer, replayed)``."""
        self._api_check_fields(body, {"code", "amount"}, {"reference"})
        rules = engine.NetworkRules.of(shop.company_id)
        reference = self._api_reference(body, idempotency_key)
        amount = self._api_parse_amount(rules, body["amount"])
        if not isinstance(body["code"], str):
            raise ApiError("invalid_request", self.env._("Give the voucher code as text."))
        try:
            entry = self.env["loyalty.network.voucher"]._redeem(
                body["code"], shop, amount, reference
            )
        except (UserError, AccessError) as error:
            # The voucher is looked up again only to choose the refusal's code
            # (an unknown code is refused here with voucher_unknown).
            voucher = None
            if not isinstance(error, AccessError):
                voucher = self._api_find_voucher(shop, body["code"])
            raise self._api_voucher_error_of(error, shop, voucher, amount=amount) from None
        return self._api_voucher_operation(entry), self._api_voucher_is_replay(entry)

    @api.model
    def _api_voucher_refund(self, shop, body, idempotency_key=None):
        """Give back part of one of the shop's voucher payments (refund of the purchase)."""
        self._api_check_fields(body, {"original_reference", "amount"}, {"reference"})
        rules = engine.NetworkRules.of(shop.company_id)
        reference = self._api_reference(body, idempotency_key)
        amount = self._api_parse_amount(rules, body["amount"])
        original = body["original_reference"]
        origin = self.env["loyalty.network.voucher.entry"]
        if isinstance(original, str) and REFERENCE_RE.match(original):
            # The shop's own voucher payments only (record rules of the merchant
            # group, and the explicit shop: another shop's payment is not found).
            origin = origin.search(
                [
                    ("source_ref", "=", REFERENCE_PREFIX + original),
                    ("merchant_id", "=", shop.id),
                    ("entry_type", "=", "redemption"),
                ],
                limit=1,
            )
        if not origin:
            raise ApiError(
                "not_found", self.env._("No gift voucher payment %s in your shop.", original)
            )
        try:
            entry = self.env["loyalty.network.voucher"]._refund_redemption(
                origin, amount, reference
            )
        except (UserError, AccessError) as error:
            raise self._api_voucher_error_of(error, shop, None, refund=True) from None
        return self._api_voucher_operation(entry), self._api_voucher_is_replay(entry)

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    @api.model
    def _api_find_voucher(self, shop, code):
        if not isinstance(code, str) or not code.strip():
            raise ApiError("invalid_request", self.env._("Give the voucher code as text."))
        try:
            return self.env["loyalty.network.voucher"]._find_by_code(code, shop.company_id)
        except UserError as error:
            raise ApiError("voucher_unknown", error.args[0]) from None

    @api.model
    def _api_voucher_error_of(self, error, shop, voucher, amount=None, refund=False):
        """The API refusal for an error of the voucher service: the sentence is
        the service's, the code is read from the state that made it refuse."""
        common = self._api_common_error_of(error, shop)
        if common.code != "operation_refused":
            return common
        message = common.detail
        if refund:
            return ApiError("above_refundable", message)
        if voucher:
            # The voucher's state after the refusal (its row was locked by the service).
            voucher = voucher.sudo()
            voucher.invalidate_recordset()
            rules = engine.NetworkRules.of(voucher.company_id)
            if voucher.state == "cancelled":
                return ApiError("voucher_cancelled", message)
            if voucher.state == "expired" or voucher.expiry_date < rules.today():
                return ApiError("voucher_expired", message)
            if voucher.state == "used" or rules.is_zero(voucher.balance):
                return ApiError("voucher_used", message)
            # The key's own shop: its category only decides the code.
            if voucher.category_ids and shop.sudo().category_id not in voucher.category_ids:
                return ApiError("voucher_restricted", message)
            if amount is not None and rules.compare(amount, voucher.balance) > 0:
                return ApiError("above_balance", message)
        return ApiError("operation_refused", message)

    @api.model
    def _api_voucher_operation(self, entry):
        """The answer describing a voucher operation: the same for its first
        request and every replay (figures of the entry, not of the voucher now)."""
        # The shop's own entry (posted or found by the service for this shop):
        # only the masked code, the figures and the references come out.
        entry = entry.sudo()
        rules = engine.NetworkRules.of(entry.company_id)
        origin = entry.origin_entry_id
        return {
            "reference": entry.source_ref.removeprefix(REFERENCE_PREFIX),
            "operation": entry.entry_type,
            "voucher": entry.voucher_id.masked_code,
            "amount": self._api_fmt(rules, entry.amount),
            "balance_after": self._api_fmt(rules, entry.balance_after),
            "expiry_date": entry.voucher_id.expiry_date.isoformat(),
            "date": rules.local_datetime(entry.date).isoformat(),
            "currency": rules.currency.name,
            "original_reference": origin.source_ref.removeprefix(REFERENCE_PREFIX)
            if origin
            else None,
        }

    @api.model
    def _api_voucher_is_replay(self, entry):
        """Whether the voucher ``entry`` was posted by an earlier transaction (a
        replay): voucher entries are created by the ORM, stamped with the time of
        the transaction that created them."""
        return entry.sudo().create_date < self.env.cr.now()
