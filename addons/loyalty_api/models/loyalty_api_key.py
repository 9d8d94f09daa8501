from odoo import fields, models
from odoo.exceptions import AccessError


class LoyaltyApiKey(models.Model):
    """An API key of a shop's till: Odoo's own user API key of the shop's
    technical user, with the shop it serves and its revocation.

    The secret itself lives only (hashed) in Odoo's ``res.users.apikeys``; it
    is shown once, when made (wizard ``loyalty.api.key.generate``).
    """

    _name = "loyalty.api.key"
    _description = "Loyalty Till API Key"
    _order = "create_date desc"

    name = fields.Char(required=True, readonly=True)
    merchant_id = fields.Many2one(
        "loyalty.network.merchant", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="merchant_id.company_id")
    user_id = fields.Many2one(
        "res.users", string="Technical User", required=True, readonly=True, ondelete="cascade"
    )
    apikey_id = fields.Integer(string="Odoo API Key", readonly=True, index=True)
    expiration_date = fields.Datetime(readonly=True)
    revoked_date = fields.Datetime(readonly=True)
    revoked_uid = fields.Many2one("res.users", string="Revoked By", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    def action_revoke(self):
        """Revoke the keys: the till is refused from its next request on."""
        is_staff = self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
        for key in self:
            if not is_staff and key.merchant_id not in self.env.user.loyalty_merchant_ids:
                raise AccessError(self.env._("Only the shop or the association can revoke it."))
        # The caller is staff or operates the key's shop (checked above): Odoo's
        # key row of the shop's technical user is removed as the system.
        for key in self.sudo():
            key.env["res.users.apikeys"].browse(key.apikey_id).exists()._remove()
        self.sudo().write(
            {"active": False, "revoked_date": fields.Datetime.now(), "revoked_uid": self.env.uid}
        )
        return True
