"""JSON Schemas of the v1 bodies and answers (components of the OpenAPI document)."""

AMOUNT = {
    "oneOf": [
        {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]+)?$"},
        {"type": "number", "exclusiveMinimum": 0},
    ],
    "description": "Decimal string (preferred) or JSON number, with at most the currency's "
    "decimals (2 for euros); more decimals are refused (amount_invalid).",
    "examples": ["12.50"],
}
MONEY = {"type": "string", "description": "Decimal string in the currency", "examples": ["1.25"]}
REFERENCE = {
    "type": "string",
    "pattern": r"^[A-Za-z0-9._:/-]{1,64}$",
    "description": "The till's reference of the operation, unique in the shop; or send it "
    "as the Idempotency-Key header.",
}
CARD_NUMBER = {
    "type": "string",
    "description": "The 13-digit card number",
    "examples": ["2990001234567"],
}
NULLABLE_STRING = {"type": ["string", "null"]}

SCHEMAS = {
    "Card": {
        "type": "object",
        "required": ["card_number", "status", "holder"],
        "properties": {
            "card_number": {"type": "string", "description": "Masked: last 4 digits"},
            "status": {"type": "string", "enum": ["stock", "active", "blocked", "replaced"]},
            "holder": {**NULLABLE_STRING, "description": "First name and initials only"},
            "balance": MONEY,
            "can_spend": {"type": "boolean"},
            "min_spend_balance": MONEY,
            "currency": {"type": "string"},
        },
    },
    "PreviewRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["card_number"],
        "properties": {
            "card_number": CARD_NUMBER,
            "amount": {**AMOUNT, "description": "Purchase paid by other means (credited)"},
            "spend_amount": {**AMOUNT, "description": "Part paid with the wallet"},
            "plan_id": {"type": "integer"},
        },
    },
    "Preview": {
        "type": "object",
        "properties": {
            **{
                name: MONEY
                for name in (
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
            },
            "can_spend": {"type": "boolean"},
            "can_spend_after": {"type": "boolean"},
            "cardholder_rate": {"type": "number"},
            "currency": {"type": "string"},
            "spend_error": {
                "type": ["object", "null"],
                "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
    "CreditRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["card_number", "amount"],
        "properties": {
            "card_number": CARD_NUMBER,
            "amount": AMOUNT,
            "reference": REFERENCE,
            "plan_id": {"type": "integer", "description": "One of the shop's rate plans"},
        },
    },
    "SpendRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["card_number", "amount"],
        "properties": {"card_number": CARD_NUMBER, "amount": AMOUNT, "reference": REFERENCE},
    },
    "RefundRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["original_reference", "amount"],
        "properties": {
            "original_reference": REFERENCE,
            "amount": {
                **AMOUNT,
                "description": "For a credit: the refunded part of the purchase; for a "
                "wallet payment: the amount given back.",
            },
            "reference": REFERENCE,
        },
    },
    "Operation": {
        "type": "object",
        "required": ["reference", "operation", "date", "amount", "balance_after", "currency"],
        "properties": {
            "reference": {"type": "string"},
            "operation": {"type": "string", "enum": ["credit", "spend", "refund"]},
            "entry_type": {"type": "string"},
            "card_number": {"type": "string"},
            "date": {"type": "string", "format": "date-time"},
            "amount": {**MONEY, "description": "Movement of the wallet (signed)"},
            "purchase_amount": MONEY,
            "balance_after": MONEY,
            "opening_fee": MONEY,
            "currency": {"type": "string"},
            "original_reference": NULLABLE_STRING,
        },
    },
    "Summary": {
        "type": "object",
        "properties": {
            "date": {"type": "string", "format": "date"},
            "timezone": {"type": "string"},
            "currency": {"type": "string"},
            "operations": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "purchase_amount": MONEY,
                        "amount": MONEY,
                    },
                },
            },
            "merchant_contribution": MONEY,
        },
    },
    "WebhookRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["url", "events"],
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "events": {
                "type": "array",
                "items": {
                    "type": "string",
                    "enum": [
                        "operation.posted",
                        "card.enrolled",
                        "card.blocked",
                        "card.replaced",
                        "wallet.forfeited",
                        "settlement.posted",
                    ],
                },
            },
            "name": {"type": "string"},
        },
    },
    "Webhook": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "events": {"type": "array", "items": {"type": "string"}},
            "active": {"type": "boolean"},
            "secret": {"type": "string", "description": "Given once, at creation"},
        },
    },
    "WebhookList": {
        "type": "object",
        "properties": {
            "webhooks": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}}
        },
    },
}
