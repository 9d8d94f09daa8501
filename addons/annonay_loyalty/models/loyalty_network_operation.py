import logging

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import html2plaintext
from odoo.tools.misc import format_datetime

from ..services import icalendar
from ..services.money_engine import NetworkRules

_logger = logging.getLogger(__name__)

# Reminders go out on the operation's first local day, not before this hour.
REMINDER_HOUR = 8


class LoyaltyNetworkOperation(models.Model):
    """A town-wide operation of the network (shopping fortnight, late-night
    shopping, Christmas market) that holders discover and shops take part in.

    Published operations are shown on the public directory and in the
    holders' portal (loyalty_portal); consenting holders get a reminder when
    one starts, through the campaign machinery (consent enforced there).
    """

    _name = "loyalty.network.operation"
    _description = "Loyalty Network Operation"
    _inherit = ["mail.thread", "image.mixin"]
    _order = "date_begin desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    date_begin = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    description = fields.Html(sanitize=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        help="Only published operations are shown to holders and open to shops.",
    )
    merchant_ids = fields.Many2many(
        "loyalty.network.merchant",
        string="Participating Shops",
        check_company=True,
        help="Shops join or leave an open operation from their own form.",
    )
    merchant_count = fields.Integer(compute="_compute_merchant_count", string="Shops")
    boost_ids = fields.Many2many(
        "loyalty.network.boost",
        string="Shop Boosts",
        help="Boosts of participating shops running during the operation.",
    )
    deal_ids = fields.Many2many(
        "loyalty.network.deal",
        string="Deals",
        help="Deals of participating shops offered during the operation.",
    )
    is_open = fields.Boolean(
        compute="_compute_is_open",
        search="_search_is_open",
        help="Published and not ended: shops may join or leave it.",
    )
    is_participating = fields.Boolean(
        compute="_compute_is_participating",
        help="Your shop takes part in this operation.",
    )
    reminder_date = fields.Datetime(
        string="Reminder Sent On",
        readonly=True,
        copy=False,
        help="When the holders who consented were reminded of the start (once).",
    )
    reminder_campaign_ids = fields.One2many(
        "loyalty.network.campaign",
        "operation_id",
        string="Reminder Campaigns",
        readonly=True,
    )

    _dates_ordered = models.Constraint(
        "CHECK(date_end > date_begin)", "An operation must end after it starts."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("merchant_ids")
    def _compute_merchant_count(self):
        for operation in self:
            operation.merchant_count = len(operation.merchant_ids)

    @api.depends("state", "date_end")
    def _compute_is_open(self):
        now = fields.Datetime.now()
        for operation in self:
            operation.is_open = operation.state == "published" and operation.date_end > now

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = Domain([("state", "=", "published"), ("date_end", ">", fields.Datetime.now())])
        return domain if (operator == "=") == value else ~domain

    @api.depends("merchant_ids")
    @api.depends_context("uid")
    def _compute_is_participating(self):
        # sudo: the user's own shops, to compare with the operation's.
        shops = self.env.user.sudo().loyalty_merchant_ids
        for operation in self:
            operation.is_participating = bool(shops & operation.sudo().merchant_ids)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("state", "merchant_ids")
    def _check_published_shops(self):
        for operation in self:
            if operation.state == "published" and any(
                shop.state != "active" for shop in operation.merchant_ids
            ):
                raise ValidationError(
                    self.env._("Only active member shops can take part in an operation.")
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_publish(self):
        self.write({"state": "published"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reset_to_draft(self):
        self.write({"state": "draft"})

    def action_join(self, merchant_id=None):
        """Add the user's shop (or ``merchant_id``, which must be one the user
        operates) to these open operations."""
        merchant = self._get_joining_merchant(merchant_id)
        self._check_open_for_shops()
        # sudo: shops may not write operations; the shop is the caller's own
        # (checked above) and only the link to it is added.
        self.sudo().write({"merchant_ids": [Command.link(merchant.id)]})
        return True

    def action_leave(self, merchant_id=None):
        """Take the user's shop (or ``merchant_id``, one the user operates) out
        of these open operations."""
        merchant = self._get_joining_merchant(merchant_id)
        self._check_open_for_shops()
        # sudo: as in action_join, only the link to the caller's own shop.
        self.sudo().write({"merchant_ids": [Command.unlink(merchant.id)]})
        return True

    def action_send_reminder(self):
        """Staff: remind the consenting holders now (once per operation)."""
        if not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            raise AccessError(self.env._("Only the association reminds holders of an operation."))
        for operation in self:
            if operation.state != "published":
                raise UserError(self.env._("Publish the operation before reminding holders."))
            operation._send_start_reminder()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_start_reminders(self):
        """Remind consenting holders of the operations starting today (local
        day of the network), once per operation."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            rules = NetworkRules.of(company)
            if rules.local_datetime(now).hour < REMINDER_HOUR:
                continue
            end_of_today = rules.day_bounds(now)[1]
            operations = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "published"),
                    ("reminder_date", "=", False),
                    ("date_begin", "<", end_of_today),
                    ("date_end", ">", now),
                ]
            )
            for operation in operations:
                operation.with_company(company)._send_start_reminder()

    def _send_start_reminder(self):
        """One email campaign (holders who accept emails) and one SMS campaign
        (holders who accept SMS and are not reached by email): each holder is
        reminded once. A channel already sent is not sent again."""
        self.ensure_one()
        if self.reminder_date:
            return False
        sent_channels = set(self.reminder_campaign_ids.mapped("channel"))
        lang = self.company_id.partner_id.lang or self.env.lang
        texts = self.with_context(lang=lang)._get_reminder_texts()
        for channel in ("email", "sms"):
            if channel in sent_channels:
                continue
            vals = {
                "name": texts["name"],
                "merchant_id": False,
                "channel": channel,
                "operation_id": self.id,
                "subject": texts["subject"] if channel == "email" else False,
                "body_html": texts["body_html"] if channel == "email" else False,
                "body_sms": texts["body_sms"] if channel == "sms" else False,
            }
            try:
                with self.env.cr.savepoint():
                    campaign = self.env["loyalty.network.campaign"].create(vals)
                    if campaign.recipient_count:
                        campaign.action_send()
            except (UserError, ValidationError) as error:
                _logger.warning("Reminder of operation %s not sent: %s", self.id, error)
                self.message_post(
                    body=self.env._("The reminder could not be sent: %s", error.args[0])
                )
                return False
        self.reminder_date = fields.Datetime.now()
        return True

    def _get_reminder_texts(self):
        """The reminder's plain texts (the campaign's own placeholders only)."""
        self.ensure_one()
        url = self._get_public_url()
        period = self._get_local_period()
        name = self.name.replace("{", "(").replace("}", ")")
        body_html = Markup("<p>{hello}</p><p>{text}</p>").format(
            hello=self.env._("Hello {first_name},"),
            text=self.env._(
                "The network's operation %(name)s starts: %(period)s.", name=name, period=period
            ),
        )
        if url:
            body_html += Markup('<p><a href="{url}">{label}</a></p>').format(
                url=url, label=self.env._("See the participating shops")
            )
        sms = self.env._("%(name)s starts: %(period)s.", name=name, period=period)
        return {
            "name": self.env._("Reminder: %s", name),
            "subject": self.env._("%s starts", name),
            "body_html": body_html,
            "body_sms": f"{sms} {url}" if url else sms,
        }

    def _get_local_period(self):
        """ "from <start> to <end>", in the network's time zone and the user's language."""
        self.ensure_one()
        tz = NetworkRules.of(self.company_id).tz
        return self.env._(
            "from %(start)s to %(end)s",
            start=format_datetime(self.env, self.date_begin, tz=tz, dt_format="short"),
            end=format_datetime(self.env, self.date_end, tz=tz, dt_format="short"),
        )

    def _get_local_dates(self):
        """Start and end as aware datetimes of the network's time zone."""
        self.ensure_one()
        rules = NetworkRules.of(self.company_id)
        return rules.local_datetime(self.date_begin), rules.local_datetime(self.date_end)

    def _get_public_url(self):
        """The operation's public page; the public directory (loyalty_portal)
        gives it. Without it, False."""
        return False

    def _get_offer_lines(self):
        """What holders get during the operation, one label per line, for its
        public page: the linked deals and boosts. Addons that link other
        offers (e.g. a sponsored top-up) add theirs here."""
        self.ensure_one()
        # sudo: published operations are public; the linked deals and boosts
        # are shown by name only, as the directory shows them.
        operation = self.sudo()
        lines = [
            self.env._("%(shop)s: %(deal)s", shop=deal.merchant_id.name, deal=deal.name)
            for deal in operation.deal_ids.filtered("is_published")
        ]
        lines += [
            self.env._("%(shop)s: %(boost)s", shop=boost.merchant_id.name, boost=boost.name)
            for boost in operation.boost_ids.filtered("active")
        ]
        return lines

    def _get_ics(self):
        """The operation as an iCalendar file (text, CRLF line endings)."""
        self.ensure_one()
        host = (self.get_base_url() or "localhost").split("://")[-1].split("/")[0]
        description = html2plaintext(self.description or "")
        url = self._get_public_url()
        events = [
            {
                "uid": f"loyalty-operation-{self.id}@{host}",
                "start": self.date_begin,
                "end": self.date_end,
                "summary": self.name,
                "description": f"{description}\n\n{url}" if url else description,
                "location": self.company_id.city or "",
                "url": url,
            }
        ]
        return icalendar.build_calendar(events, stamp=fields.Datetime.now())

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    def _get_joining_merchant(self, merchant_id):
        if merchant_id and not isinstance(merchant_id, int):
            raise UserError(self.env._("Choose the shop that joins the operation."))
        merchant = (
            self.env["loyalty.network.merchant"].browse(merchant_id)
            if merchant_id
            else self.env.user._get_loyalty_merchant()
        )
        if not merchant:
            raise UserError(self.env._("Only a member shop can join an operation."))
        merchant._check_operator_access()
        return merchant

    def _check_open_for_shops(self):
        for operation in self:
            if not operation.is_open:
                raise UserError(
                    self.env._(
                        "%s is not open: shops join or leave an operation while it is "
                        "published and not over.",
                        operation.name,
                    )
                )
