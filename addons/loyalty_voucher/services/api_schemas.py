"""JSON Schemas of the till API's gift voucher bodies and answers."""

from odoo.addons.loyalty_api.services.api_schemas import AMOUNT, MONEY, NULLABLE_STRING, REFERENCE

VOUCHER_CODE = {
    "type": "string",
    "description": "The 20-digit code printed on the voucher (spaces allowed); it is the "
    "bearer's right to spend it: send it in the body, never in a URL.",
    "examples": ["12345678901234567890"],
}

SCHEMAS = {
    "VoucherCheckRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code"],
        "properties": {"code": VOUCHER_CODE},
    },
    "VoucherStatus": {
        "type": "object",
        "description": "What the code's bearer may know: no holder nor buyer.",
        "required": ["voucher", "state", "balance", "expiry_date", "can_redeem"],
        "properties": {
            "voucher": {"type": "string", "description": "Masked code: last 4 digits"},
            "state": {
                "type": "string",
                "enum": ["sold", "partly_used", "used", "expired", "cancelled"],
            },
            "face_value": MONEY,
            "balance": MONEY,
            "expiry_date": {"type": "string", "format": "date", "description": "Last local day"},
            "categories": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Kinds of shops where it is valid (empty: every shop)",
            },
            "currency": {"type": "string"},
            "can_redeem": {"type": "boolean", "description": "Can pay in this shop now"},
            "refusal": {
                "type": ["object", "null"],
                "description": "Why it cannot pay in this shop now (a problem code)",
                "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
    "VoucherRedeemRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "amount"],
        "properties": {
            "code": VOUCHER_CODE,
            "amount": {**AMOUNT, "description": "Part of the purchase paid with the voucher"},
            "reference": REFERENCE,
        },
    },
    "VoucherRefundRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["original_reference", "amount"],
        "properties": {
            "original_reference": {
                **REFERENCE,
                "description": "Reference of the shop's voucher payment to give back",
            },
            "amount": AMOUNT,
            "reference": REFERENCE,
        },
    },
    "VoucherOperation": {
        "type": "object",
        "required": ["reference", "operation", "voucher", "amount", "balance_after", "date"],
        "properties": {
            "reference": {"type": "string"},
            "operation": {"type": "string", "enum": ["redemption", "refund"]},
            "voucher": {"type": "string", "description": "Masked code: last 4 digits"},
            "amount": {
                **MONEY,
                "description": "Movement of the voucher: negative for a payment, positive "
                "for value given back",
            },
            "balance_after": MONEY,
            "expiry_date": {"type": "string", "format": "date"},
            "date": {"type": "string", "format": "date-time"},
            "currency": {"type": "string"},
            "original_reference": NULLABLE_STRING,
        },
    },
}
