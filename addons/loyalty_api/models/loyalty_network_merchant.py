from odoo import Command, fields, models


class LoyaltyNetworkMerchant(models.Model):
    _inherit = "loyalty.network.merchant"

    api_user_id = fields.Many2one(
        "res.users",
        string="Till API User",
        readonly=True,
        copy=False,
        help="Technical user of the shop's till: its API keys act as this user, for this "
        "shop only.",
    )
    api_key_ids = fields.One2many("loyalty.api.key", "merchant_id", string="Till API Keys")
    api_webhook_ids = fields.One2many("loyalty.api.webhook", "merchant_id", string="Webhooks")

    def action_open_api_key_generate(self):
        self.ensure_one()
        self._check_operator_access()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Till API Key"),
            "res_model": "loyalty.api.key.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_merchant_id": self.id},
        }

    def _get_api_user(self):
        """The shop's technical user (created on first use): a merchant-group user
        of this shop only, without password, who acts only through API keys."""
        self.ensure_one()
        self._check_operator_access()
        # The caller operates this shop (checked above): the shop's technical user
        # is read and created as the system, with the merchant group and this
        # shop only.
        merchant = self.sudo()
        if merchant.api_user_id:
            return merchant.api_user_id
        user = (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": self.env._("Till API of %s", merchant.name),
                    "login": f"loyalty-api-shop-{merchant.id}",
                    "company_id": merchant.company_id.id,
                    "company_ids": [Command.set(merchant.company_id.ids)],
                    "group_ids": [
                        Command.set(
                            [
                                self.env.ref("base.group_user").id,
                                self.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                            ]
                        )
                    ],
                    "lang": self.env.user.lang or "fr_FR",
                    "loyalty_merchant_ids": [Command.set(merchant.ids)],
                }
            )
        )
        merchant.api_user_id = user
        return user
