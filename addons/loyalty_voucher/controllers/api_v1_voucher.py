from odoo.http import request

from odoo.addons.loyalty_api.controllers.api_v1 import OPERATION_ERRORS, LoyaltyApiV1
from odoo.addons.loyalty_api.services.api_registry import add_schemas, api_route

from ..services import api_schemas

add_schemas(api_schemas.SCHEMAS, "loyalty_voucher")

VOUCHER_ERRORS = (
    "voucher_unknown",
    "voucher_expired",
    "voucher_used",
    "voucher_cancelled",
    "voucher_restricted",
)


class LoyaltyApiV1Voucher(LoyaltyApiV1):
    """Gift vouchers in version 1 of the till API (see loyalty_api's README)."""

    @api_route(
        "/vouchers/check",
        "POST",
        operation_id="checkVoucher",
        summary="A gift voucher's balance, expiry and state, and whether it can pay here",
        tag="vouchers",
        request="VoucherCheckRequest",
        response="VoucherStatus",
        errors=("invalid_request", "voucher_unknown"),
    )
    def voucher_check(self, shop, body):
        return request.env["loyalty.api.service"]._api_voucher_check(shop, body)

    @api_route(
        "/vouchers/redemptions",
        "POST",
        operation_id="redeemVoucher",
        summary="Pay part of a purchase with a gift voucher",
        tag="vouchers",
        request="VoucherRedeemRequest",
        response="VoucherOperation",
        errors=(*OPERATION_ERRORS, *VOUCHER_ERRORS, "above_balance"),
    )
    def voucher_redeem(self, shop, body):
        return self._loyalty_api_operation("_api_voucher_redeem", shop, body)

    @api_route(
        "/vouchers/refunds",
        "POST",
        operation_id="refundVoucherPayment",
        summary="Give back part of a gift voucher payment to the voucher (purchase refunded)",
        tag="vouchers",
        request="VoucherRefundRequest",
        response="VoucherOperation",
        errors=(*OPERATION_ERRORS, "not_found", "above_refundable"),
    )
    def voucher_refund(self, shop, body):
        return self._loyalty_api_operation("_api_voucher_refund", shop, body)
