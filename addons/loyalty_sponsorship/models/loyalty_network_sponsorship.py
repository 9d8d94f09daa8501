from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

# Terms a sponsor agreed to: frozen once the campaign runs (the budget and the
# last day may still be extended).
FROZEN_TERMS = {
    "sponsor_id",
    "company_id",
    "kind",
    "bonus_rate",
    "fixed_amount",
    "min_purchase_amount",
    "date_from",
    "merchant_ids",
    "holder_cap_amount",
}


class LoyaltyNetworkSponsorship(models.Model):
    """A campaign funded by a sponsor: a bonus credited to the holder's wallet on
    purchases in member shops, between two local days, within a budget.

    The wallet posts the bonus as a ledger entry of its own (``sponsor_credit``)
    next to the purchase credit, under the wallet's row lock; the campaign row
    is locked while its budget is consumed, so that concurrent purchases never
    spend more than the budget: the last credit is cut to what remains. The
    sponsor is invoiced what the campaign credited at the monthly settlement.
    """

    _name = "loyalty.network.sponsorship"
    _description = "Loyalty Network Sponsored Campaign"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sponsor_id = fields.Many2one(
        "res.partner",
        string="Sponsor",
        required=True,
        tracking=True,
        help="Who funds the campaign and is invoiced what it credited (town council, company).",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("rate", "Bonus rate on purchases"), ("fixed", "Fixed amount per purchase")],
        required=True,
        default="rate",
        tracking=True,
    )
    bonus_rate = fields.Float(
        string="Bonus Rate (%)",
        tracking=True,
        help="Share of the purchase (paid by other means than the wallet) credited to the "
        "holder's wallet, funded by the sponsor.",
    )
    fixed_amount = fields.Monetary(
        string="Amount per Purchase", tracking=True, help="Credited on each eligible purchase."
    )
    min_purchase_amount = fields.Monetary(
        string="Minimum Purchase",
        tracking=True,
        help="Purchases below this amount get no sponsored credit. 0: every purchase.",
    )
    date_from = fields.Date(
        string="First Day", required=True, tracking=True, help="Local day of the network."
    )
    date_to = fields.Date(
        string="Last Day",
        required=True,
        tracking=True,
        help="Local day of the network: a purchase until midnight that day counts.",
    )
    merchant_ids = fields.Many2many(
        "loyalty.network.merchant",
        string="Shops",
        check_company=True,
        help="Shops where the campaign applies. Empty: every member shop.",
    )
    budget_amount = fields.Monetary(
        string="Budget",
        required=True,
        tracking=True,
        help="Credits stop exactly when the campaign has credited this amount.",
    )
    holder_cap_amount = fields.Monetary(
        string="Cap per Holder",
        tracking=True,
        help="Most a holder can receive from this campaign. 0: no cap.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    consumed_amount = fields.Monetary(
        string="Credited",
        readonly=True,
        copy=False,
        default=0.0,
        help="Credited to wallets so far, refunds deducted: what the sponsor is invoiced.",
    )
    remaining_amount = fields.Monetary(string="Budget Left", compute="_compute_remaining_amount")
    entry_ids = fields.One2many("loyalty.network.entry", "sponsorship_id", readonly=True)
    turnover_amount = fields.Monetary(
        string="Turnover Generated",
        compute="_compute_impact",
        help="Purchases in the shops that received the sponsored credit, refunds deducted.",
    )
    impact_ratio = fields.Float(
        string="Purchases per Euro of Subsidy",
        compute="_compute_impact",
        digits=(16, 2),
        help="Turnover generated divided by the amount credited.",
    )
    settlement_ids = fields.One2many("loyalty.network.settlement", "sponsorship_id", readonly=True)
    settlement_count = fields.Integer(compute="_compute_settlement_count")

    _budget_positive = models.Constraint(
        "CHECK(budget_amount > 0)", "The budget of a campaign must be greater than zero."
    )
    _consumed_within_budget = models.Constraint(
        "CHECK(consumed_amount <= budget_amount)",
        "A campaign cannot credit more than its budget.",
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_from <= date_to)", "A campaign cannot end before it starts."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("budget_amount", "consumed_amount")
    def _compute_remaining_amount(self):
        for campaign in self:
            campaign.remaining_amount = campaign.currency_id.round(
                campaign.budget_amount - campaign.consumed_amount
            )

    def _compute_impact(self):
        groups = dict.fromkeys(self.ids, (0.0, 0.0))
        if self.ids:
            # Staff read the campaign; its entries are summed with it.
            for campaign, turnover, amount, uncovered in (
                self.env["loyalty.network.entry"]
                .sudo()
                ._read_group(
                    [("sponsorship_id", "in", self.ids)],
                    ["sponsorship_id"],
                    ["sponsored_purchase_amount:sum", "amount:sum", "uncovered_amount:sum"],
                )
            ):
                groups[campaign.id] = (turnover, amount - uncovered)
        for campaign in self:
            turnover, credited = groups.get(campaign.id, (0.0, 0.0))
            campaign.turnover_amount = turnover
            campaign.impact_ratio = (
                turnover / credited if campaign.currency_id.compare_amounts(credited, 0) > 0 else 0
            )

    def _compute_settlement_count(self):
        counts = dict(
            self.env["loyalty.network.settlement"]._read_group(
                [("sponsorship_id", "in", self.ids)], ["sponsorship_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.settlement_count = counts.get(campaign, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "kind", "bonus_rate", "fixed_amount", "min_purchase_amount", "holder_cap_amount"
    )
    def _check_terms(self):
        for campaign in self:
            currency = campaign.currency_id
            if campaign.kind == "rate" and not 0 < campaign.bonus_rate <= 100:
                raise ValidationError(
                    self.env._("The bonus rate must be greater than 0 and at most 100.")
                )
            if campaign.kind == "fixed" and currency.compare_amounts(campaign.fixed_amount, 0) <= 0:
                raise ValidationError(
                    self.env._("The amount per purchase must be greater than zero.")
                )
            if (
                currency.compare_amounts(campaign.min_purchase_amount, 0) < 0
                or currency.compare_amounts(campaign.holder_cap_amount, 0) < 0
            ):
                raise ValidationError(
                    self.env._("The minimum purchase and the cap per holder cannot be negative.")
                )

    @api.constrains("budget_amount")
    def _check_budget(self):
        for campaign in self:
            if (
                campaign.currency_id.compare_amounts(
                    campaign.budget_amount, campaign.consumed_amount
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The budget cannot be lower than what the campaign already credited "
                        "(%s).",
                        NetworkRules.of(campaign.company_id).fmt(campaign.consumed_amount),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "consumed_amount" in vals:
            raise UserError(
                self.env._("What a campaign credited changes only through wallet entries.")
            )
        if FROZEN_TERMS & set(vals) and self.filtered(lambda c: c.state != "draft"):
            raise UserError(
                self.env._(
                    "The terms of a campaign that started cannot be changed (only its budget and "
                    "last day can): close it and start a new one."
                )
            )
        if {"state", "company_id"} & set(vals):
            self.env.registry.clear_cache()  # _get_running_campaign_ids
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        if any(c.state == "running" for c in campaigns):
            self.env.registry.clear_cache()  # _get_running_campaign_ids
        return campaigns

    @api.ondelete(at_uninstall=False)
    def _unlink_except_credited(self):
        if self.filtered(lambda c: c.state != "draft" or c.entry_ids):
            raise UserError(
                self.env._("A campaign that started is kept: close it instead of deleting it.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_start(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("Only a draft campaign can be started."))
        self.write({"state": "running"})

    def action_close(self):
        if self.filtered(lambda c: c.state != "running"):
            raise UserError(self.env._("Only a running campaign can be closed."))
        self.write({"state": "closed"})

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "annonay_loyalty.loyalty_network_entry_action"
        )
        action["domain"] = [("sponsorship_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "loyalty_settlement.loyalty_network_settlement_action"
        )
        action["domain"] = [("sponsorship_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_close_ended(self):
        """Close the running campaigns whose last (local) day is over."""
        for company in self.env["res.company"].search([]):
            today = NetworkRules.of(company).today()
            self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "running"),
                    ("date_to", "<", today),
                ]
            ).action_close()

    @api.model
    def _get_applicable(self, earning):
        """Running campaigns that fund a bonus on the purchase credited by ``earning``."""
        running_ids = self._get_running_campaign_ids(earning.company_id.id)
        if not running_ids:
            return self.browse()
        rules = NetworkRules.of(earning.company_id)
        day = rules.local_date(earning.date)
        campaigns = self.search(
            [
                ("id", "in", running_ids),
                ("company_id", "=", earning.company_id.id),
                ("state", "=", "running"),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
                "|",
                ("merchant_ids", "=", False),
                ("merchant_ids", "in", earning.merchant_id.ids),
            ],
            order="id",
        )
        return campaigns.filtered(
            lambda c: rules.compare(earning.purchase_amount, c.min_purchase_amount) >= 0
        )

    @api.model
    @tools.ormcache("company_id")
    def _get_running_campaign_ids(self, company_id):
        """The company's running campaigns, kept in the registry's cache so that a
        purchase credit costs no query when no campaign runs (the common case)."""
        return tuple(
            self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", company_id), ("state", "=", "running")])
            .ids
        )

    def _get_bonus(self, purchase_amount):
        """What the campaign offers on a purchase of ``purchase_amount`` (before caps)."""
        self.ensure_one()
        if self.kind == "fixed":
            return self.currency_id.round(self.fixed_amount)
        return self.currency_id.round(purchase_amount * self.bonus_rate / 100.0)

    def _get_holder_credited(self, partner):
        """What ``partner`` received from this campaign so far, refunds deducted."""
        self.ensure_one()
        [[amount, uncovered]] = (
            self.env["loyalty.network.entry"]
            .sudo()
            ._read_group(
                [("sponsorship_id", "=", self.id), ("partner_id", "=", partner.id)],
                aggregates=["amount:sum", "uncovered_amount:sum"],
            )
        )
        return self.currency_id.round((amount or 0.0) - (uncovered or 0.0))

    def _lock(self):
        """Lock the campaign row until the end of the transaction; return its
        budget, what it credited and its state, as committed.

        Two purchases crediting one campaign serialise here (Odoo's transactions
        are REPEATABLE READ: a concurrent commit since this one began is a
        serialization failure, and Odoo retries the whole request), so the
        budget read is the last one and is never overspent by a cent.
        """
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT budget_amount, consumed_amount, state FROM loyalty_network_sponsorship"
                " WHERE id = %s FOR UPDATE",
                self.id,
            )
        )
        return self.env.cr.fetchone()

    def _consume_budget(self, wanted):
        """Take up to ``wanted`` from the budget (row locked); return what was
        granted: the last credit is cut to what remains."""
        self.ensure_one()
        budget, consumed, state = self._lock()
        currency = self.currency_id
        granted = currency.round(max(0.0, min(wanted, budget - consumed)))
        if state != "running" or currency.is_zero(granted):
            return 0.0
        self._move_consumed(granted)
        if currency.is_zero(budget - consumed - granted):
            # Staff follow the campaign: its last credit is worth a line in its chatter.
            self.sudo().message_post(
                body=self.env._(
                    "The budget of %s is spent: purchases get no sponsored credit any more "
                    "(raise the budget to go on).",
                    NetworkRules.of(self.company_id).fmt(budget),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return granted

    def _move_consumed(self, amount):
        """Add ``amount`` (negative: a refund) to what the campaign credited (row locked)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_network_sponsorship
                   SET consumed_amount = COALESCE(consumed_amount, 0) + %(amount)s::numeric,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = %(uid)s
                 WHERE id = %(id)s
                """,
                amount=amount,
                uid=self.env.uid,
                id=self.id,
            )
        )
        self.invalidate_recordset(["consumed_amount"])
        self.modified(["consumed_amount"])

    def _credit_earning(self, earning):
        """Post this campaign's bonus on the purchase credited by ``earning``
        (wallet already locked by the purchase credit). Returns the entry or
        an empty recordset when nothing is due (budget spent, cap reached)."""
        self.ensure_one()
        Entry = self.env["loyalty.network.entry"]
        wallet = earning.wallet_id
        rules = wallet._get_rules()
        wanted = self._get_bonus(earning.purchase_amount)
        if rules.compare(self.holder_cap_amount, 0) > 0:
            room = self.holder_cap_amount - self._get_holder_credited(earning.partner_id)
            wanted = rules.round(max(0.0, min(wanted, room)))
        if rules.is_zero(wanted):
            return Entry
        granted = self._consume_budget(wanted)
        if rules.is_zero(granted):
            return Entry
        return wallet._post(
            {
                "entry_type": "sponsor_credit",
                "source_ref": f"sponsorship/{self.id}/{earning.id}",
                "sponsorship_id": self.id,
                "sponsored_entry_id": earning.id,
                "sponsored_purchase_amount": earning.purchase_amount,
                "card_id": earning.card_id.id,
                "merchant_id": earning.merchant_id.id,
                "date": earning.date,
                "amount": granted,
            }
        )
