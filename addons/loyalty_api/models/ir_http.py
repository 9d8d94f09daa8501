import logging

from psycopg2 import errors as pg_errors
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, Unauthorized

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, ConcurrencyError
from odoo.http import SessionExpiredException, request

from ..services.api_errors import ApiError
from ..services.api_registry import API_PREFIX

_logger = logging.getLogger(__name__)


class _MethodNotAllowed(NotFound):
    """A v1 path asked with another method: served as not found by Odoo's
    routing, answered 405 method_not_allowed by the till API."""


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        try:
            return super()._match(path_info)
        except MethodNotAllowed as error:
            if path_info.startswith(API_PREFIX + "/"):
                raise _MethodNotAllowed() from error
            raise

    @classmethod
    def _handle_error(cls, exception):
        """Answer every error of the till API as ``application/problem+json``.

        Reached for what the controller does not answer itself: a missing or
        wrong key (before the controller), an unknown route, a wallet still
        busy after Odoo's retries. Never a traceback.
        """
        if not request.httprequest.path.startswith(API_PREFIX + "/"):
            return super()._handle_error(exception)
        return cls._loyalty_api_problem(cls._loyalty_api_error_of(exception))

    @classmethod
    def _loyalty_api_error_of(cls, exception):
        _ = cls._loyalty_api_translate
        if isinstance(exception, ApiError):
            return exception
        if isinstance(exception, (Unauthorized, SessionExpiredException, AccessDenied)):
            return ApiError(
                "unauthorized",
                _("Send the shop's API key in the header Authorization: Bearer <key>."),
            )
        if isinstance(exception, AccessError):
            return ApiError("forbidden", _("This key may not do this."))
        if isinstance(exception, MethodNotAllowed) or isinstance(
            exception.__context__, _MethodNotAllowed
        ):
            return ApiError("method_not_allowed", _("This method is not allowed here."))
        if isinstance(exception, NotFound):
            return ApiError("not_found", _("There is nothing at this address."))
        busy = (
            pg_errors.SerializationFailure,
            pg_errors.LockNotAvailable,
            pg_errors.DeadlockDetected,
            pg_errors.UniqueViolation,
            ConcurrencyError,
        )
        cause = exception.__cause__ or exception.__context__
        if isinstance(exception, busy) or isinstance(cause, busy):
            return ApiError(
                "busy_try_again",
                _("The wallet is busy with another operation: nothing was recorded, try again."),
                headers={"Retry-After": "1"},
            )
        if isinstance(exception, HTTPException) and exception.code and exception.code < 500:
            return ApiError("invalid_request", _("The request is not valid."))
        _logger.error("Till API: unexpected error %s", type(exception).__name__)
        return ApiError(
            "internal_error",
            _(
                "The operation could not be completed and nothing was recorded: try again, "
                "or call the association if it happens again."
            ),
        )

    @classmethod
    def _loyalty_api_translate(cls, message):
        try:
            lang = (getattr(request, "loyalty_api_key", None) or {}).get("lang")
            env = request.env(context=dict(request.env.context, lang=lang)) if lang else request.env
            return env._(message)
        except Exception:  # the environment itself may be what failed
            return message

    @classmethod
    def _loyalty_api_problem(cls, error):
        headers = {"Content-Type": "application/problem+json", **error.headers}
        if error.code == "unauthorized":
            headers["WWW-Authenticate"] = "Bearer"
        return request.make_json_response(error.to_problem(), headers=headers, status=error.status)
