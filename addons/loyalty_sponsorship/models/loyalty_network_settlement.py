from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules
from odoo.addons.loyalty_settlement.models.loyalty_network_settlement import SETTLEMENT_LOCK


class LoyaltyNetworkSettlement(models.Model):
    """A sponsored campaign is settled like a merchant: once per period, its
    entries linked to one settlement, the sponsor invoiced what the campaign
    credited (refunds deducted) to the wallet liability account."""

    _inherit = "loyalty.network.settlement"

    sponsorship_id = fields.Many2one(
        "loyalty.network.sponsorship",
        string="Sponsored Campaign",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Set on the settlement of a sponsored campaign, invoiced to its sponsor.",
    )
    sponsor_id = fields.Many2one(related="sponsorship_id.sponsor_id", string="Sponsor")
    sponsored_amount = fields.Monetary(
        string="Sponsored Credits",
        readonly=True,
        help="Credited to wallets by the campaign in the period, refunds deducted: invoiced "
        "to the sponsor.",
    )
    sponsored_turnover_amount = fields.Monetary(
        string="Turnover Generated",
        readonly=True,
        help="Purchases in the shops that received the campaign's credit, refunds deducted.",
    )
    sponsor_impact_ratio = fields.Float(
        string="Purchases per Euro of Subsidy",
        compute="_compute_sponsor_impact_ratio",
        digits=(16, 2),
    )
    sponsor_expense_move_id = fields.Many2one(
        "account.move",
        string="Network Expense Entry",
        readonly=True,
        help="Refunded sponsored credits already spent, borne by the network.",
    )

    # A merchant, a campaign and the network each have one settlement per period.
    _merchant_period_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (merchant_id, sponsorship_id, company_id, date_from, date_to)",
        "This period is already settled for this merchant.",
    )

    @api.depends("sponsored_amount", "sponsored_turnover_amount")
    def _compute_sponsor_impact_ratio(self):
        for settlement in self:
            credited = settlement.sponsored_amount
            settlement.sponsor_impact_ratio = (
                settlement.sponsored_turnover_amount / credited
                if settlement.currency_id.compare_amounts(credited, 0) > 0
                else 0.0
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _run_period(self, company, date_from, date_to, invoice=True):
        """Settle the sponsored campaigns first (their entries are then settled),
        then the merchants and the network as before."""
        sponsored = self._run_sponsorship_period(company, date_from, date_to)
        return sponsored | super()._run_period(company, date_from, date_to, invoice=invoice)

    @api.model
    def _run_sponsorship_period(self, company, date_from, date_to):
        """One settlement per campaign with unsettled entries dated up to
        ``date_to`` (local days), set-based, each entry linked once."""
        _start, until = NetworkRules.of(company).utc_bounds(date_from, date_to)
        self.env["loyalty.network.entry"].flush_model()
        self.flush_model()
        cr = self.env.cr
        # The lock of settlement runs (re-entrant: the merchants' run takes it again).
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", SETTLEMENT_LOCK, company.id))
        if not cr.fetchone()[0]:
            raise UserError(
                self.env._("A settlement run is already in progress for %s.", company.name)
            )
        unsettled = SQL(
            """
                 e.company_id = %(company)s AND e.date < %(until)s
             AND e.family = 'sponsorship'
             AND NOT EXISTS (SELECT 1 FROM loyalty_network_settlement_entry_rel r
                              WHERE r.entry_id = e.id)
            """,
            company=company.id,
            until=until,
        )
        cr.execute(
            SQL(
                """
                SELECT e.sponsorship_id, SUM(e.amount - COALESCE(e.uncovered_amount, 0)),
                       SUM(e.sponsored_purchase_amount), SUM(e.uncovered_amount)
                  FROM loyalty_network_entry e
                 WHERE %s
                 GROUP BY e.sponsorship_id
                """,
                unsettled,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return self.browse()
        self._check_sponsorship_not_settled(company, date_from, date_to, [r[0] for r in rows])
        company._loyalty_ensure_accounting()
        rnd = company.currency_id.round
        Sequence = self.env["ir.sequence"].sudo()
        # Created by the accountants' run (or the cron), from the ledger only.
        settlements = self.sudo().create(
            [
                {
                    "name": Sequence.next_by_code("loyalty.network.settlement"),
                    "company_id": company.id,
                    "sponsorship_id": sponsorship_id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "sponsored_amount": rnd(credited or 0.0),
                    "sponsored_turnover_amount": rnd(turnover or 0.0),
                    "uncovered_amount": rnd(uncovered or 0.0),
                }
                for sponsorship_id, credited, turnover, uncovered in rows
            ]
        )
        cr.execute(
            SQL(
                """
                INSERT INTO loyalty_network_settlement_entry_rel (settlement_id, entry_id)
                SELECT st.id, e.id
                  FROM loyalty_network_entry e
                  JOIN loyalty_network_settlement st ON st.sponsorship_id = e.sponsorship_id
                 WHERE st.id IN %s AND %s
                 ORDER BY e.id
                """,
                tuple(settlements.ids),
                unsettled,
            )
        )
        self.env["loyalty.network.entry"].invalidate_model(["settlement_ids", "settlement_id"])
        settlements.invalidate_recordset(["entry_ids", "entry_count"])
        settlements._create_moves()
        return settlements

    @api.model
    def _check_sponsorship_not_settled(self, company, date_from, date_to, sponsorship_ids):
        """Refuse a second settlement of a campaign for the same period."""
        # As _check_not_settled: the run must see every settlement of the period.
        done = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("sponsorship_id", "in", sponsorship_ids),
            ]
        )
        if done:
            raise UserError(
                self.env._(
                    "The period from %(date_from)s to %(date_to)s is already settled for "
                    "%(names)s. Operations recorded since then are settled with the next "
                    "period.",
                    date_from=format_date(self.env, date_from),
                    date_to=format_date(self.env, date_to),
                    names=", ".join(done.sponsorship_id.mapped("name")),
                )
            )

    @api.model
    def _period_domain(self, company, date_from, date_to, merchant_ids=None):
        domain = super()._period_domain(company, date_from, date_to, merchant_ids)
        if merchant_ids is not None:
            # Merchants and the network: the campaigns' settlements are checked apart.
            domain = [*domain, ("sponsorship_id", "=", False)]
        return domain

    def _create_moves(self):
        sponsored = self.filtered("sponsorship_id")
        for settlement in sponsored:
            settlement.move_id = settlement._create_sponsor_invoice()
            settlement.sponsor_expense_move_id = settlement._create_network_move()
        return super(LoyaltyNetworkSettlement, self - sponsored)._create_moves()

    def _create_sponsor_invoice(self):
        """The sponsor's invoice: what its campaign credited in the period, booked
        to the wallet liability (a credit note when refunds exceed credits)."""
        self.ensure_one()
        company = self.company_id
        amount = self.sponsored_amount
        if self.currency_id.is_zero(amount):
            return self.env["account.move"]
        campaign = self.sponsorship_id
        move = (
            self.env["account.move"]
            .sudo()
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "move_type": "out_invoice" if amount > 0 else "out_refund",
                    "partner_id": campaign.sponsor_id.id,
                    "journal_id": company.loyalty_settlement_journal_id.id,
                    "invoice_date": self.date_to,
                    "company_id": company.id,
                    "ref": self.name,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": self.env._(
                                    "Credits of the campaign %(campaign)s to cardholders, "
                                    "%(date_from)s to %(date_to)s",
                                    campaign=campaign.name,
                                    date_from=format_date(self.env, self.date_from),
                                    date_to=format_date(self.env, self.date_to),
                                ),
                                "account_id": company.loyalty_liability_account_id.id,
                                "quantity": 1.0,
                                "price_unit": abs(amount),
                                "tax_ids": [(6, 0, [])],
                            },
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _get_sponsor_shop_lines(self):
        """The campaign's figures of the period by shop: purchases credited (net
        of refunds), turnover generated and credits, largest turnover first."""
        self.ensure_one()
        # The rights were checked on the settlement; its entries are read with it.
        groups = (
            self.env["loyalty.network.entry"]
            .sudo()
            ._read_group(
                [("settlement_ids", "in", self.ids), ("family", "=", "sponsorship")],
                ["merchant_id"],
                [
                    "sponsored_purchase_amount:sum",
                    "amount:sum",
                    "uncovered_amount:sum",
                    "__count",
                ],
            )
        )
        credits = dict(
            self.env["loyalty.network.entry"]
            .sudo()
            ._read_group(
                [("settlement_ids", "in", self.ids), ("entry_type", "=", "sponsor_credit")],
                ["merchant_id"],
                ["__count"],
            )
        )
        lines = [
            {
                "shop": merchant.name,
                "count": credits.get(merchant, 0),
                "turnover": turnover,
                "credited": self.currency_id.round(amount - uncovered),
            }
            for merchant, turnover, amount, uncovered, _count in groups
        ]
        return sorted(lines, key=lambda line: -line["turnover"])
