from dateutil.relativedelta import relativedelta

from odoo import fields, models

from ..models.res_users_apikeys import API_SCOPE


class LoyaltyApiKeyGenerate(models.TransientModel):
    """Make an API key for the shop's till (shown once, then only its name)."""

    _name = "loyalty.api.key.generate"
    _description = "New Till API Key"

    merchant_id = fields.Many2one("loyalty.network.merchant", required=True, readonly=True)
    name = fields.Char(
        string="Description", required=True, help="Which till or vendor uses it, e.g. 'Till 1'."
    )
    expiration_date = fields.Datetime(
        default=lambda self: fields.Datetime.now() + relativedelta(years=1),
        help="Leave empty for a key that does not expire (revoke it when the till goes).",
    )

    def action_generate(self):
        self.ensure_one()
        merchant = self.merchant_id
        merchant._check_operator_access()
        user = merchant._get_api_user()
        # The caller operates this shop (checked above): the key is made for the
        # shop's technical user, as that user, with the system's right to choose
        # the duration; it is scoped to the till API only.
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(API_SCOPE, self.name, self.expiration_date)
        )
        self.env.cr.execute(
            "SELECT id FROM res_users_apikeys WHERE user_id = %s ORDER BY id DESC LIMIT 1",
            [user.id],
        )
        apikey_id = self.env.cr.fetchone()[0]
        # Same check as above: the key's record is written as the system.
        self.env["loyalty.api.key"].sudo().create(
            {
                "name": self.name,
                "merchant_id": merchant.id,
                "user_id": user.id,
                "apikey_id": apikey_id,
                "expiration_date": self.expiration_date,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("Till API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }
