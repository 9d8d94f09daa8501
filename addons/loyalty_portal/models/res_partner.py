import logging

from odoo import api, fields, models
from odoo.tools import email_normalize

from odoo.addons.auth_signup.models.res_partner import SignupError

_logger = logging.getLogger(__name__)

CONTACT_FIELDS = ("email", "phone")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        watched = [name for name in CONTACT_FIELDS if name in vals]
        before = {}
        if watched:
            # Holders with an account: their email and phone are where links and
            # notices go, so the contacts on file before the change are told.
            for partner in self.filtered(lambda p: p.is_loyalty_holder and p.user_ids):
                before[partner] = {name: partner[name] for name in CONTACT_FIELDS}
        result = super().write(vals)
        for partner, old in before.items():
            changed = [name for name in watched if (partner[name] or False) != (old[name] or False)]
            if changed:
                partner._loyalty_notify_contact_change(changed, old)
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _loyalty_signup_request(self, card_number):
        """Send an activation link for the holder of ``card_number`` to the
        contact on file (email, else SMS), creating the portal user without
        password if needed. Returns the user the link was sent for, or an
        empty recordset: unknown or blocked card, no contact on file, account
        already active, too many links sent lately. The caller must not tell
        these cases apart."""
        Users = self.env["res.users"]
        card = self.env["loyalty.network.card"]._find_by_number(card_number).sudo()
        if not card or card.state != "active" or not card.partner_id:
            return Users
        # The visitor is anonymous: reading the holder, creating the user and
        # sending the link need rights they do not have. Nothing read here is
        # shown to them, and the link goes only to the holder's own contact.
        partner = card.partner_id.sudo()
        email = email_normalize(partner.email or "")
        if not email and not partner.phone_sanitized:
            return Users
        users = partner.with_context(active_test=False).user_ids
        if users:
            user = users if len(users) == 1 else Users
            if not (user and user.active and user._is_portal() and user._loyalty_is_pending()):
                return Users
        else:
            user = partner._loyalty_create_pending_user(email or partner.phone_sanitized)
            if not user:
                return Users
        # Counters are staff-only; the visitor only bumps the holder's one.
        if not self.env["loyalty.network.signup.attempt"].sudo()._register_holder_link(partner):
            return Users
        partner.signup_prepare(signup_type="signup")
        if email:
            # The visitor may not render users nor send mail; the link goes to the
            # email on file only (email_to forced, no other recipient).
            self.env.ref("loyalty_portal.mail_template_loyalty_signup_link").sudo().send_mail(
                user.id, email_values={"email_to": email, "recipient_ids": []}
            )
        else:
            partner._loyalty_send_sms(
                partner.phone_sanitized,
                self.env._(
                    "Your loyalty card: open your account and choose your password here: %s "
                    "If you did not ask for it, ignore this message.",
                    partner._get_signup_url(),
                ),
            )
        return user

    def _loyalty_create_pending_user(self, login):
        """A portal user for the holder, without password, copied from Odoo's
        portal template user (as the portal invitation wizard does); it can be
        used only once the holder chose a password through the signup link."""
        self.ensure_one()
        # Any account may hold the login, archived ones too, whatever the caller sees.
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        if Users.search_count(Users._get_login_domain(login), limit=1):
            # Taken (e.g. a relative's account with the same email): no account.
            return self.env["res.users"]
        company = self.company_id or self.env.company
        try:
            # Creating users is an administrator's right; the caller asked for the
            # holder of a card, and the user gets no password (only the link can set it).
            return (
                self.env["res.users"]
                .sudo()
                .with_company(company)
                .with_context(no_reset_password=True)
                ._create_user_from_template(
                    {
                        "login": login,
                        "partner_id": self.id,
                        "company_id": company.id,
                        "company_ids": [fields.Command.set(company.ids)],
                    }
                )
            )
        except SignupError:
            # Taken meanwhile by a parallel request.
            _logger.info("Loyalty sign-up: no account opened for partner %s", self.id)
            return self.env["res.users"]

    def _loyalty_notify_contact_change(self, changed, old):
        """Tell the holder, on the contact on file before the change (email, else
        SMS), that the contact details of their account changed."""
        self.ensure_one()
        labels = {
            "email": self.env._("email"),
            "phone": self.env._("phone number"),
            "login": self.env._("login"),
        }
        what = ", ".join(labels[name] for name in changed)
        # Only a contact on file before the change is worth warning: a new one is
        # whoever made the change.
        email = email_normalize(old.get("email") or "")
        phone = old.get("phone")
        if not email and not phone:
            return
        self._loyalty_notify(
            "loyalty_portal.mail_template_loyalty_contact_changed",
            self.env._(
                "Your loyalty card account: your %s changed. If you did not ask for it, "
                "contact your shop.",
                what,
            ),
            email=email,
            phone=phone,
            template_ctx={"loyalty_changed": what},
        )

    def _loyalty_notify(self, template_xmlid, sms_body, email=None, phone=None, template_ctx=None):
        """Send a notice to the holder: by email when there is one, else by SMS."""
        self.ensure_one()
        # Notices are sent whoever made the change (a holder on the portal, a
        # cashier, the signup page): sending mail and SMS needs these rights.
        if email:
            self.env.ref(template_xmlid).sudo().with_context(**(template_ctx or {})).send_mail(
                self.id, email_values={"email_to": email, "recipient_ids": []}
            )
            return
        number = phone and (self._phone_format(number=phone) or phone)
        if number:
            self._loyalty_send_sms(number, sms_body)

    def _loyalty_send_sms(self, number, body):
        # Holders and visitors cannot create SMS; the number is one on file.
        self.env["sms.sms"].sudo().create(
            {"partner_id": self.id or False, "number": number, "body": body}
        )
