import logging

from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.exceptions import UserError
from odoo.http import SessionExpiredException, request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from .loyalty_network_wallet import WalletBusyError

_logger = logging.getLogger(__name__)

TERMINAL_API_PREFIX = "/loyalty/api/"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Answer the terminal API's errors with their message only.

        A JSON-RPC error carries the Python traceback in its ``debug`` field;
        a shop's terminal gets the cashier-readable message and nothing of the
        server's code. An unexpected error is logged (with its traceback, by
        the HTTP layer) and answered with a plain sentence.
        """
        if not request.httprequest.path.startswith(TERMINAL_API_PREFIX):
            return super()._handle_error(exception)
        if isinstance(exception, UserError):
            # A copy: the original keeps its traceback for the server log.
            try:
                answer = type(exception)(*exception.args)
            except TypeError:
                answer = UserError(str(exception))
        elif isinstance(exception, (HTTPException, SessionExpiredException)):
            answer = exception  # logged without traceback anyway
        elif isinstance(exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            # Still in conflict after the retries Odoo makes (a wallet kept busy
            # by other operations): rolled back, nothing recorded, try again.
            answer = WalletBusyError(cls._loyalty_busy_message())
        else:
            answer = UserError(cls._loyalty_unexpected_error_message())
        answer.__cause__ = answer.__context__ = None
        answer.__traceback__ = None
        return super()._handle_error(answer)

    @classmethod
    def _loyalty_unexpected_error_message(cls):
        message = (
            "The operation could not be completed and nothing was recorded: try again, or "
            "call the association if it happens again."
        )
        try:
            return request.env._(
                "The operation could not be completed and nothing was recorded: try again, "
                "or call the association if it happens again."
            )
        except Exception:  # the environment itself may be what failed
            return message

    @classmethod
    def _loyalty_busy_message(cls):
        try:
            return request.env._(
                "This wallet is busy with another operation: try again in a moment."
            )
        except Exception:  # the environment itself may be what failed
            return "This wallet is busy with another operation: try again in a moment."
