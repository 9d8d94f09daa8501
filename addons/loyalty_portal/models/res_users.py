from odoo import api, models
from odoo.tools import SQL


class ResUsers(models.Model):
    _inherit = "res.users"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "login" not in vals:
            return super().write(vals)
        holders = self.filtered(lambda u: u.partner_id.is_loyalty_holder and u._is_portal())
        before = {user: user.login for user in holders}
        result = super().write(vals)
        for user, old_login in before.items():
            if user.login != old_login:
                user.partner_id._loyalty_notify_contact_change(
                    ["login"], {"email": user.partner_id.email, "phone": user.partner_id.phone}
                )
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def signup(self, values, token=None):
        """Tell a cardholder that their account was activated (first password
        chosen through the link sent by the sign-up page or a staff invitation)."""
        # Odoo's signup page calls this as superuser already; the token is checked
        # by its signature, and only tells whether this is a holder's activation.
        partner = token and self.env["res.partner"].sudo()._get_partner_from_token(token)
        activating = bool(partner and partner.is_loyalty_holder and partner.signup_type == "signup")
        result = super().signup(values, token)
        if activating and partner.user_ids:
            partner._loyalty_notify(
                "loyalty_portal.mail_template_loyalty_account_activated",
                self.env._(
                    "Your loyalty card account is now active. If you did not open it, "
                    "contact your shop."
                ),
                email=partner.email,
                phone=partner.phone,
            )
        return result

    def _loyalty_is_pending(self):
        """True if the user never chose a password nor signed in: an account
        opened by the sign-up page and waiting for its activation link."""
        self.ensure_one()
        if self.login_date:
            return False
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(password, '') = '' FROM res_users WHERE id = %s",
                self.id,
            )
        )
        return self.env.cr.fetchone()[0]
