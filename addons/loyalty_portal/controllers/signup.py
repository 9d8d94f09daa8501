from odoo import Command, fields
from odoo.http import Controller, request, route


class LoyaltyNetworkSignup(Controller):
    """A holder opens a portal account with the card and a fact on file.

    Every failure gives the same answer, so the page tells nothing about which
    card numbers or holders exist, and failures are limited per address and
    per card number.
    """

    @route("/loyalty/signup", type="http", auth="public", website=True, methods=["GET"])
    def signup_form(self, **kw):
        return request.render("loyalty_portal.signup", {"values": {}})

    @route("/loyalty/signup", type="http", auth="public", website=True, methods=["POST"])
    def signup_submit(self, card_number="", birth_date="", email="", password="", **kw):
        card_number = (card_number or "").replace(" ", "")
        email = (email or "").strip().lower()
        Attempt = request.env["loyalty.network.signup.attempt"].sudo()
        ip_address = request.httprequest.remote_addr or "unknown"
        values = {"card_number": card_number, "email": email, "birth_date": birth_date}
        if Attempt._is_blocked(ip_address, card_number):
            return self._render_error(
                values,
                request.env._("Too many attempts. Please try again in an hour or ask your shop."),
            )
        if len(password or "") < 8:
            return self._render_error(
                values, request.env._("Choose a password of at least 8 characters.")
            )
        partner = self._match_holder(card_number, birth_date, email)
        Attempt.create(
            {"ip_address": ip_address, "card_number": card_number, "is_success": bool(partner)}
        )
        if not partner:
            return self._render_error(
                values,
                request.env._(
                    "We could not open an account with these details. Check your card number "
                    "and the birth date or email you gave your shop, or ask your shop."
                ),
            )
        login = partner.email or email
        # Creating the portal user needs rights the visitor does not have; the
        # holder was matched on the card and a second fact just above.
        request.env["res.users"].sudo().with_context(no_reset_password=True).create(
            {
                "login": login,
                "partner_id": partner.id,
                "password": password,
                "group_ids": [Command.set([request.env.ref("base.group_portal").id])],
            }
        )
        return request.render("loyalty_portal.signup_done", {"login": login})

    def _match_holder(self, card_number, birth_date, email):
        """The card's holder if the second fact matches and has no account yet."""
        card = request.env["loyalty.network.card"]._find_by_number(card_number).sudo()
        if not card or card.state != "active":
            return None
        partner = card.partner_id
        matched = False
        if birth_date and partner.loyalty_birth_date:
            try:
                matched = fields.Date.to_date(birth_date) == partner.loyalty_birth_date
            except ValueError:
                matched = False
        if email and partner.email:
            matched = matched or email == partner.email.strip().lower()
        if not matched or partner.with_context(active_test=False).user_ids:
            return None
        if not partner.email and not email:
            return None
        return partner

    def _render_error(self, values, message):
        return request.render("loyalty_portal.signup", {"values": values, "error": message})
