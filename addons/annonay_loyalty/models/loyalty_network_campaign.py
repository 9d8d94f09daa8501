import re

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_amount

# The only placeholders a campaign text may hold, replaced by plain values of
# each recipient (escaped in the email body). Campaign text is never given to
# a template engine: Odoo's own syntaxes are refused (see _check_plain_text).
PLACEHOLDER_RE = re.compile(r"\{(first_name|name|balance|shop)\}")
TEMPLATE_SYNTAX_RE = re.compile(r"\{\{|\}\}|\$\{|\{%|%\}")
QWEB_SYNTAX_RE = re.compile(r"<t[\s>/]|\st-[\w-]+\s*=", re.IGNORECASE)
PLACEHOLDER_HELP = (
    "Placeholders, replaced for each holder: {first_name}, {name} (full name), "
    "{balance} (wallet balance), {shop} (your shop, or the association). "
    "Nothing else is replaced: template code ({{ }}, ${ }, t-... attributes) is refused."
)


class LoyaltyNetworkCampaign(models.Model):
    """An email or SMS campaign to a segment of holders, sent by mass mailing.

    The segment (consent, and the shop's own customers for a merchant) is
    locked on the mailing and applied again when it is sent. The text is
    plain: only the placeholders of PLACEHOLDER_RE are replaced, per recipient,
    by ``_render_placeholders`` (the mailing and its composers call it instead
    of their template engine).
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
    subject = fields.Char(help=PLACEHOLDER_HELP)
    body_html = fields.Html(string="Email Body", sanitize=True, help=PLACEHOLDER_HELP)
    body_sms = fields.Text(string="SMS Text", help=PLACEHOLDER_HELP)
    recipient_count = fields.Integer(compute="_compute_recipient_count")
    operation_id = fields.Many2one(
        "loyalty.network.operation",
        readonly=True,
        index="btree_not_null",
        help="The network operation this campaign reminds holders of.",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        readonly=True,
        copy=False,
        groups="annonay_loyalty.annonay_loyalty_group_manager",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("sending", "Sending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        default="draft",
        help="Follows the mailing: queued until the mass mailing job sends it, failed when "
        "it could not be sent (the reason is on the mailing).",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "merchant_id",
        "channel",
        "inactive_days",
        "is_birthday_month",
        "min_balance",
        "forfeit_within_days",
        "category_ids",
        "operation_id",
    )
    def _compute_recipient_count(self):
        for campaign in self:
            campaign.recipient_count = (
                self.env["res.partner"].sudo().search_count(campaign._get_segment_domain())
            )

    @api.depends("mailing_id.state", "mailing_id.loyalty_send_error")
    def _compute_state(self):
        mailing_states = {"in_queue": "queued", "sending": "sending", "done": "sent"}
        for campaign in self:
            mailing = campaign.mailing_id
            if not mailing:
                campaign.state = "draft"
            elif mailing.loyalty_send_error:
                campaign.state = "failed"
            else:
                campaign.state = mailing_states.get(mailing.state, "cancelled")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("subject", "body_html", "body_sms")
    def _check_plain_text(self):
        for campaign in self:
            campaign._check_no_template_code(
                {key: campaign[key] for key in ("subject", "body_html", "body_sms")}
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_fields(vals)
            self._check_no_template_code(vals)  # before the HTML sanitizer hides it
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_fields(vals)
        self._check_no_template_code(vals)
        if not self.env.su and set(vals) - {"name"} and any(c.state != "draft" for c in self):
            raise UserError(self.env._("A campaign that was sent cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

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
        self._check_plain_text()
        email_from = self.env.user.email_formatted or self.env.company.email_formatted
        if self.channel == "email" and not email_from:
            raise UserError(
                self.env._("Set an email address on your user or on the network to send emails.")
            )
        domain = repr(self._get_segment_domain())
        # Merchants have no mass mailing rights: the mailing is created for
        # them, its audience locked to the segment checked above. Its texts
        # are the campaign's plain texts (checked above): they are rendered by
        # _render_placeholders, never by a template engine.
        mailing = (
            self.env["mailing.mailing"]
            .sudo()
            .create(
                {
                    "subject": self.subject or self.name,
                    "mailing_type": "mail" if self.channel == "email" else "sms",
                    "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "email_from": email_from,
                    "mailing_domain": domain,
                    "loyalty_locked_domain": domain,
                    "body_html": self.body_html if self.channel == "email" else False,
                    "body_plaintext": self.body_sms if self.channel == "sms" else False,
                }
            )
        )
        mailing.action_launch()
        # sudo: the link to the mailing is set only here; nobody writes it over RPC.
        self.sudo().mailing_id = mailing
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _render_placeholders(self, text, res_ids, html=False):
        """``text`` for each holder of ``res_ids``, placeholders replaced.

        A plain substitution (no template engine): the values are the holder's
        own, escaped when ``html``. Returns {res_id: text}.
        """
        self.ensure_one()
        text = str(text or "")
        # sudo: the recipients were chosen by the campaign's locked audience;
        # only their own name and balance are read, to fill their own message.
        campaign = self.sudo()
        shop = campaign.merchant_id.name or campaign.env.company.name
        result = {}
        for partner in campaign.env["res.partner"].browse(res_ids):
            currency = partner.loyalty_currency_id or campaign.env.company.currency_id
            values = {
                "first_name": (partner.name or "").split(" ")[0],
                "name": partner.name or "",
                "balance": format_amount(campaign.env, partner.loyalty_balance, currency),
                "shop": shop or "",
            }
            if html:
                values = {key: str(escape(value)) for key, value in values.items()}
            rendered = PLACEHOLDER_RE.sub(lambda match, v=values: v[match.group(1)], text)
            result[partner.id] = Markup(rendered) if html else rendered
        return result

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    def _check_no_template_code(self, vals):
        texts = [str(vals.get(key) or "") for key in ("subject", "body_html", "body_sms")]
        if any(TEMPLATE_SYNTAX_RE.search(text) for text in texts) or QWEB_SYNTAX_RE.search(
            str(vals.get("body_html") or "")
        ):
            raise ValidationError(
                self.env._(
                    "Campaign texts cannot hold template code ({{ }}, ${ }, <t> or t-... "
                    "attributes). Use only the placeholders {first_name}, {name}, "
                    "{balance} and {shop}."
                )
            )

    def _check_protected_fields(self, vals):
        if not self.env.su and {"mailing_id", "state"} & set(vals):
            raise AccessError(self.env._("The mailing of a campaign is set when it is sent."))
        if (
            "operation_id" in vals
            and not self.env.su
            and not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
        ):
            raise AccessError(self.env._("Only the association reminds holders of an operation."))

    def _get_segment_domain(self):
        self.ensure_one()
        domain = self.env["res.partner"]._loyalty_segment_domain(
            self.channel,
            merchant=self.merchant_id,
            inactive_days=self.inactive_days,
            is_birthday_month=self.is_birthday_month,
            min_balance=self.min_balance,
            forfeit_within_days=self.forfeit_within_days,
            category_ids=self.category_ids.ids,
        )
        if self.operation_id and self.channel == "sms":
            # An operation's reminder reaches each holder once: by email when
            # they accept emails, else by SMS.
            domain += ["|", ("loyalty_email_consent", "=", False), ("email", "=", False)]
        return domain
