from ast import literal_eval

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    loyalty_locked_domain = fields.Char(
        readonly=True,
        copy=False,
        help="Audience of a loyalty campaign: consent and shop restrictions, applied again "
        "at sending time whatever the mailing's own filter says.",
    )

    def write(self, vals):
        if "loyalty_locked_domain" in vals and not self.env.su:
            raise AccessError(self.env._("The audience of a loyalty campaign cannot be changed."))
        return super().write(vals)

    def _get_recipients_domain(self):
        domain = super()._get_recipients_domain()
        if self.loyalty_locked_domain:
            domain &= Domain(literal_eval(self.loyalty_locked_domain))
        return domain
