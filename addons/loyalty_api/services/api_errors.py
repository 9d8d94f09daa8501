"""The stable error codes of the till API and their HTTP status.

A till reads ``code`` (never the sentence) to decide what to do; ``detail``
is the cashier-readable sentence, in the key user's language. Codes are part
of the published contract: add new ones, never rename nor reuse one.
"""

PROBLEM_TYPE = "/loyalty/api/v1/problems#{code}"

# code: (HTTP status, title)
CODES = {
    "invalid_request": (400, "The request is malformed"),
    "unauthorized": (401, "A valid API key is required"),
    "forbidden": (403, "This key may not do this"),
    "shop_inactive": (403, "The shop is not an active member"),
    "not_found": (404, "Nothing found"),
    "card_unknown": (404, "No card has this number"),
    "voucher_unknown": (404, "No gift voucher has this code"),
    "method_not_allowed": (405, "Method not allowed"),
    "replay_mismatch": (409, "The reference was already used for another operation"),
    "amount_invalid": (422, "The amount is not valid"),
    "card_blocked": (422, "The card is blocked"),
    "card_replaced": (422, "The card was replaced"),
    "card_not_enrolled": (422, "The card has no holder yet"),
    "below_threshold": (422, "The wallet is below the spending threshold"),
    "above_balance": (422, "The amount is above the wallet balance"),
    "above_refundable": (422, "The amount is above what can still be refunded"),
    "not_refundable": (422, "This operation cannot be refunded"),
    "plan_not_allowed": (422, "This rate plan is not one of the shop's"),
    "operation_refused": (422, "The operation was refused"),
    "webhook_invalid": (422, "The webhook endpoint is not valid"),
    # gift vouchers (endpoints of loyalty_voucher)
    "voucher_expired": (422, "The gift voucher has expired"),
    "voucher_used": (422, "The gift voucher is used up"),
    "voucher_cancelled": (422, "The gift voucher was cancelled"),
    "voucher_restricted": (422, "The gift voucher is not valid in this kind of shop"),
    "rate_limited": (429, "Too many requests for this key"),
    "internal_error": (500, "The operation could not be completed"),
    "busy_try_again": (503, "The wallet is busy: try again"),
}


class ApiError(Exception):
    """A refusal of the API: a stable ``code`` and a translated ``detail``."""

    def __init__(self, code, detail, headers=None):
        assert code in CODES, code
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.headers = headers or {}

    @property
    def status(self):
        return CODES[self.code][0]

    def to_problem(self):
        status, title = CODES[self.code]
        return {
            "type": PROBLEM_TYPE.format(code=self.code),
            "title": title,
            "status": status,
            "code": self.code,
            "detail": self.detail,
        }
