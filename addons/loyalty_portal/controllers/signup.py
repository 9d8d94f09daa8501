import logging

import psycopg2

from odoo.http import Controller, request, route

_logger = logging.getLogger(__name__)


class LoyaltyNetworkSignup(Controller):
    """A holder asks for an account with the card number only.

    The activation link goes to the email (else the mobile, by SMS) the shop
    has on file, and the holder chooses the password on Odoo's signup page
    reached through that link: knowing a card number is not enough to use an
    account. The page gives one answer whatever happened (unknown or blocked
    card, no contact, account already open...), shows no contact detail, and
    attempts are limited per client address, never per card (an attacker
    cannot lock the real holder out).
    """

    @route(
        "/loyalty/signup",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
    )
    def signup_form(self, **kw):
        return request.render("loyalty_portal.signup", {})

    @route(
        "/loyalty/signup",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
    )
    def signup_submit(self, card_number="", **kw):
        # The counters are not readable by visitors; they only bump their own.
        Attempt = request.env["loyalty.network.signup.attempt"].sudo()
        if not Attempt._register_address_attempt(request.httprequest.remote_addr):
            return request.render(
                "loyalty_portal.signup",
                {
                    "error": request.env._(
                        "Too many attempts from your connection. Please try again in an "
                        "hour or ask your shop."
                    )
                },
            )
        try:
            with request.env.cr.savepoint():
                request.env["res.partner"]._loyalty_signup_request(card_number)
        except psycopg2.errors.SerializationFailure:
            raise  # replayed by Odoo's retry loop
        except Exception:
            # Whatever failed, the visitor gets the same answer as everyone.
            _logger.exception("Loyalty sign-up: activation link not sent")
        return request.render(
            "loyalty_portal.signup",
            {
                "answer": request.env._(
                    "If this card can open an account, we have sent a link to the contact "
                    "details your shop has on file. Follow it to choose your password."
                )
            },
        )
