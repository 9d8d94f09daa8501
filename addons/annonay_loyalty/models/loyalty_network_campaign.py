from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltyNetworkCampaign(models.Model):
    """An email or SMS campaign to a segment of holders, sent by mass mailing.

    The segment (consent, and the shop's own customers for a merchant) is
    locked on the mailing and applied again when it is sent.
    """

    _name = "loyalty.network.campaign"
    _description = "Loyalty Network Campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True)
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        default=lambda self: self.env.user._get_loyalty_merchant(),
        index=True,
        help="Empty: a campaign of the association to all holders of the segment.",
    )
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], default="email", required=True)
    inactive_days = fields.Integer(string="Inactive for (days)")
    is_birthday_month = fields.Boolean(string="Birthday this Month")
    min_balance = fields.Float(string="Balance at Least")
    forfeit_within_days = fields.Integer(string="Wallet Forfeited within (days)")
    category_ids = fields.Many2many(
        "loyalty.network.merchant.category", string="Visited Shops of Categories"
    )
    subject = fields.Char()
    body_html = fields.Html(string="Email Body", sanitize=True)
    body_sms = fields.Text(string="SMS Text")
    recipient_count = fields.Integer(compute="_compute_recipient_count")
    mailing_id = fields.Many2one("mailing.mailing", readonly=True, copy=False)
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent")], default="draft", readonly=True)

    @api.depends(
        "merchant_id",
        "channel",
        "inactive_days",
        "is_birthday_month",
        "min_balance",
        "forfeit_within_days",
        "category_ids",
    )
    def _compute_recipient_count(self):
        for campaign in self:
            campaign.recipient_count = (
                self.env["res.partner"].sudo().search_count(campaign._get_segment_domain())
            )

    def _get_segment_domain(self):
        self.ensure_one()
        return self.env["res.partner"]._loyalty_segment_domain(
            self.channel,
            merchant=self.merchant_id,
            inactive_days=self.inactive_days,
            is_birthday_month=self.is_birthday_month,
            min_balance=self.min_balance,
            forfeit_within_days=self.forfeit_within_days,
            category_ids=self.category_ids.ids,
        )

    def action_send(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This campaign was already sent."))
        if self.merchant_id:
            self.merchant_id._check_operator_access()
        elif not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            raise UserError(self.env._("Choose your shop: you can reach only its customers."))
        if self.channel == "email" and not (self.subject and self.body_html):
            raise UserError(self.env._("Write the subject and the text of the email."))
        if self.channel == "sms" and not self.body_sms:
            raise UserError(self.env._("Write the text of the SMS."))
        domain = repr(self._get_segment_domain())
        # Merchants have no mass mailing rights: the mailing is created for
        # them, its audience locked to the segment checked above.
        mailing = (
            self.env["mailing.mailing"]
            .sudo()
            .create(
                {
                    "subject": self.subject or self.name,
                    "mailing_type": "mail" if self.channel == "email" else "sms",
                    "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "mailing_domain": domain,
                    "loyalty_locked_domain": domain,
                    "body_html": self.body_html if self.channel == "email" else False,
                    "body_plaintext": self.body_sms if self.channel == "sms" else False,
                }
            )
        )
        mailing.action_launch()
        self.write({"mailing_id": mailing.id, "state": "sent"})
        return True
