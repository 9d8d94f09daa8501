from . import (
    test_api_auth,
    test_api_errors,
    test_api_idempotency,
    test_api_openapi,
    test_api_operations,
    test_api_translations,
    test_webhooks,
)
