from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_loyalty_holder = fields.Boolean(
        string="Cardholder", index=True, copy=False, readonly=True, tracking=True
    )
    loyalty_birth_date = fields.Date(string="Birth Date", tracking=True, copy=False)
    loyalty_member_since = fields.Date(string="Member Since", readonly=True, copy=False)
    loyalty_email_consent = fields.Boolean(
        string="Accepts Emails",
        tracking=True,
        copy=False,
        help="The holder agreed to receive the network's and its merchants' emails.",
    )
    loyalty_sms_consent = fields.Boolean(
        string="Accepts SMS",
        tracking=True,
        copy=False,
        help="The holder agreed to receive the network's and its merchants' text messages.",
    )
    loyalty_card_ids = fields.One2many("loyalty.network.card", "partner_id", string="Cards")
    loyalty_wallet_ids = fields.One2many("loyalty.network.wallet", "partner_id")
    loyalty_wallet_id = fields.Many2one(
        "loyalty.network.wallet",
        string="Wallet",
        compute="_compute_loyalty_wallet_id",
        search="_search_loyalty_wallet_id",
    )
    loyalty_currency_id = fields.Many2one(
        related="loyalty_wallet_id.currency_id", string="Wallet Currency"
    )
    loyalty_balance = fields.Monetary(
        string="Wallet Balance",
        related="loyalty_wallet_id.balance",
        currency_field="loyalty_currency_id",
    )
    loyalty_total_turnover = fields.Monetary(
        string="Card Turnover",
        related="loyalty_wallet_id.total_turnover",
        currency_field="loyalty_currency_id",
    )
    loyalty_last_visit_date = fields.Date(
        string="Last Visit", related="loyalty_wallet_id.last_activity_date"
    )
    loyalty_entry_ids = fields.One2many(
        "loyalty.network.entry", "partner_id", string="Wallet History", readonly=True
    )
    loyalty_customer_ids = fields.One2many(
        "loyalty.network.customer",
        "partner_id",
        string="Shops Visited",
        domain=lambda self: self._get_loyalty_customer_link_domain(),
        help="For a merchant user, only the link to its own shop.",
    )
    loyalty_card_number = fields.Char(
        string="Card Number",
        compute="_compute_loyalty_card_number",
        search="_search_loyalty_card_number",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("loyalty_wallet_ids")
    def _compute_loyalty_wallet_id(self):
        for partner in self:
            partner.loyalty_wallet_id = (
                partner.loyalty_wallet_ids.filtered(lambda w: w.company_id == self.env.company)[:1]
                or partner.loyalty_wallet_ids[:1]
            )

    def _search_loyalty_wallet_id(self, operator, value):
        return [("loyalty_wallet_ids", operator, value)]

    @api.depends("loyalty_card_ids.state")
    def _compute_loyalty_card_number(self):
        for partner in self:
            card = partner.loyalty_card_ids.filtered(lambda c: c.state == "active")[:1]
            partner.loyalty_card_number = card.name

    def _search_loyalty_card_number(self, operator, value):
        return [("loyalty_card_ids.name", operator, value)]

    @api.model
    def _get_loyalty_customer_link_domain(self):
        """Links a user may see among a holder's shops.

        A merchant user gets only its own shop's link to a holder, whatever the
        environment (record rules alone do not cover values read in sudo, e.g.
        while its own record rules are checked); searches by
        ``loyalty_customer_ids.merchant_id`` keep working on its own shop.
        Staff, the superuser and other users (portal pages read in sudo) get all.
        """
        user = self.env.user
        if user.has_group("annonay_loyalty.annonay_loyalty_group_manager") or not user.has_group(
            "annonay_loyalty.annonay_loyalty_group_merchant"
        ):
            return []
        return [("merchant_id.user_ids", "in", user.id)]

    # ------------------------------------------------------------
    # CONSTRAINTS / ONCHANGE
    # ------------------------------------------------------------

    @api.constrains("loyalty_birth_date")
    def _check_loyalty_birth_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.loyalty_birth_date and partner.loyalty_birth_date > today:
                raise ValidationError(
                    self.env._("The birth date of %s is in the future.", partner.name)
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _loyalty_segment_domain(
        self,
        channel,
        merchant=None,
        inactive_days=0,
        is_birthday_month=False,
        min_balance=0.0,
        forfeit_within_days=0,
        category_ids=(),
    ):
        """Holders of a campaign or export segment, consent always enforced.

        ``channel`` is 'email', 'sms' or 'any' (at least one consent). With a
        ``merchant``, only that shop's customers are reachable. The domain holds
        only literals (dates as 'YYYY-MM-DD' strings): a mailing stores it as text
        and reads it back with ``literal_eval``.
        """
        today = fields.Date.context_today(self)
        domain = [("is_loyalty_holder", "=", True)]
        consent = {
            "email": [("loyalty_email_consent", "=", True), ("email", "!=", False)],
            "sms": [("loyalty_sms_consent", "=", True), ("phone_sanitized", "!=", False)],
            "any": [
                "|",
                ("loyalty_email_consent", "=", True),
                ("loyalty_sms_consent", "=", True),
            ],
        }
        domain += consent[channel]
        if merchant:
            domain.append(("loyalty_customer_ids.merchant_id", "=", merchant.id))
        if inactive_days:
            domain.append(
                (
                    "loyalty_wallet_ids.last_activity_date",
                    "<",
                    fields.Date.to_string(today - timedelta(days=inactive_days)),
                )
            )
        if is_birthday_month:
            holders = self.sudo().search(domain + [("loyalty_birth_date", "!=", False)])
            domain.append(
                (
                    "id",
                    "in",
                    holders.filtered(lambda p: p.loyalty_birth_date.month == today.month).ids,
                )
            )
        if min_balance:
            domain.append(("loyalty_wallet_ids.balance", ">=", min_balance))
        if forfeit_within_days:
            company = self.env.company
            period_start = today - relativedelta(months=company.loyalty_inactivity_months)
            domain += [
                ("loyalty_wallet_ids.balance", ">", 0),
                (
                    "loyalty_wallet_ids.last_activity_date",
                    "<=",
                    fields.Date.to_string(period_start + timedelta(days=forfeit_within_days)),
                ),
            ]
        if category_ids:
            # Links to every shop, whoever asks: a merchant's view of
            # loyalty_customer_ids holds only its own shop's link, the count it
            # sees must match the audience the mailing job reaches.
            links = (
                self.env["loyalty.network.customer"]
                .sudo()
                .search([("merchant_id.category_id", "in", list(category_ids))])
            )
            domain.append(("id", "in", links.partner_id.ids))
        return domain

    @api.model
    def _cron_send_birthday_messages(self):
        """On the 1st of each month, greet the holders born this month who consented."""
        template = self.env.ref("annonay_loyalty.mail_template_loyalty_birthday")
        holders = self.search(self._loyalty_segment_domain("email", is_birthday_month=True))
        if holders:
            template.send_mail_batch(holders.ids)
        sms_holders = self.search(self._loyalty_segment_domain("sms", is_birthday_month=True))
        self.env["sms.sms"].sudo().create(
            [
                {
                    "partner_id": holder.id,
                    "number": holder.phone_sanitized,
                    "body": self.env._(
                        "Happy birthday month! Your purchases in member shops earn %s%% "
                        "this month.",
                        self.env.company.loyalty_birthday_rate,
                    ),
                }
                for holder in sms_holders
            ]
        )
        return holders | sms_holders

    def _get_loyalty_wallet(self, company=None, lock=False):
        """The holder's wallet in ``company``'s network, created on first use;
        with ``lock``, locked until the end of the transaction (found and
        locked in one query, as this is on every operation)."""
        self.ensure_one()
        company = company or self.env.company
        Wallet = self.env["loyalty.network.wallet"].sudo()
        if lock:
            # Bounded wait on a busy wallet (WalletBusyError), values read under the lock.
            return Wallet._lock_wallet_of(self, company)[0]
        wallet = Wallet.search(
            [("partner_id", "=", self.id), ("company_id", "=", company.id)], limit=1
        )
        return wallet or Wallet.create({"partner_id": self.id, "company_id": company.id})

    def _ensure_loyalty_holder(self, merchant):
        """Mark the partner as a holder with a wallet and a customer of ``merchant``."""
        self.ensure_one()
        if not self.is_loyalty_holder:
            self.write(
                {
                    "is_loyalty_holder": True,
                    "loyalty_member_since": fields.Date.context_today(self),
                }
            )
        self._get_loyalty_wallet(merchant.company_id)
        self.env["loyalty.network.customer"]._register_visit(self, merchant)
