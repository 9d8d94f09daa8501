import io
from datetime import timedelta

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero, format_date

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

# Families of the entries made in a shop: settled with that merchant
MERCHANT_FAMILIES = ("earning", "spending")
# First key of the advisory lock that keeps settlement runs of a company apart
SETTLEMENT_LOCK = 7281
# Merchant invoices created and committed together by the monthly cron
INVOICE_BATCH_SIZE = 100
# Merchant settlements whose invoice is still to be created by the cron
NOT_INVOICED_DOMAIN = [("merchant_id", "!=", False), ("move_id", "=", False)]


class LoyaltyNetworkSettlement(models.Model):
    """What one merchant and the network owe each other for a period.

    A run settles every ledger entry not settled yet up to the end of the
    period, each exactly once: an entry carries the settlement it belongs to.
    Merchant settlements are invoiced (contributions minus wallet payments,
    netted); the network settlement books opening fees, forfeits,
    network-funded top-ups and adjustments in a miscellaneous entry.
    """

    _name = "loyalty.network.settlement"
    _description = "Loyalty Network Settlement"
    _inherit = ["mail.thread"]
    _order = "date_to desc, merchant_id"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="Empty for the network's own settlement (fees, forfeits, top-ups).",
    )
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True)
    entry_ids = fields.Many2many(
        "loyalty.network.entry",
        "loyalty_network_settlement_entry_rel",
        "settlement_id",
        "entry_id",
        readonly=True,
        copy=False,
    )
    entry_count = fields.Integer(compute="_compute_entry_count")
    # Frozen at creation from the entries (they never change afterwards)
    contribution_amount = fields.Monetary(readonly=True, help="Owed by the merchant.")
    credit_amount = fields.Monetary(
        string="Credits Funded",
        readonly=True,
        help="Part of the contributions credited to wallets.",
    )
    fee_amount = fields.Monetary(string="Network Fee", readonly=True)
    reimbursement_amount = fields.Monetary(
        readonly=True, help="Wallet payments made in the shop, owed to the merchant."
    )
    net_amount = fields.Monetary(readonly=True, help="Contributions minus reimbursements.")
    network_expense_amount = fields.Monetary(string="Network-funded Credits", readonly=True)
    uncovered_amount = fields.Monetary(
        string="Refunded Credits Borne by the Network",
        readonly=True,
        help="Credits of refunded purchases already spent from the wallet, that the wallet "
        "could not give back: the network's expense (negative balance policy).",
    )
    opening_fee_amount = fields.Monetary(readonly=True)
    forfeit_amount = fields.Monetary(readonly=True)
    adjustment_amount = fields.Monetary(readonly=True)
    move_id = fields.Many2one("account.move", string="Accounting Document", readonly=True)
    payment_state = fields.Selection(related="move_id.payment_state")

    _period_check = models.Constraint(
        "CHECK(date_from <= date_to)", "A settlement period cannot end before it starts."
    )
    # One settlement per merchant and period; the network's own row (no merchant)
    # is unique per period too, hence NULLS NOT DISTINCT.
    _merchant_period_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (merchant_id, company_id, date_from, date_to)",
        "This period is already settled for this merchant.",
    )

    def init(self):
        # An entry is settled once, whatever runs overlap.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS loyalty_network_settlement_entry_rel_entry_uniq
                ON loyalty_network_settlement_entry_rel (entry_id)
            """
        )

    def _compute_entry_count(self):
        counts = {}
        if self.ids:
            self.flush_model(["entry_ids"])
            self.env.cr.execute(
                SQL(
                    "SELECT settlement_id, COUNT(*) FROM loyalty_network_settlement_entry_rel"
                    " WHERE settlement_id IN %s GROUP BY settlement_id",
                    tuple(self.ids),
                )
            )
            counts = dict(self.env.cr.fetchall())
        for settlement in self:
            settlement.entry_count = counts.get(settlement.id, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        raise UserError(self.env._("A settlement is a record of what was billed: it is kept."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "annonay_loyalty.loyalty_network_entry_action"
        )
        action["domain"] = [("settlement_ids", "in", self.ids)]
        action["context"] = {}
        return action

    def action_send_statement(self):
        """Email the statement (PDF and XLSX) with the invoice to the merchant."""
        user = self.env.user
        if not (
            user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only the association's staff and accountants can send statements.")
            )
        self.check_access("read")
        template = self._get_statement_template()
        # Staff and accountants read settlements but never write them (their amounts are
        # frozen), and staff need not read invoices. The statement, the invoice PDF, their
        # attachments and the message are all made by the server from settlements checked
        # readable above, nothing from the caller: hence sudo, the author stays the caller.
        for settlement in self.sudo().filtered("merchant_id"):
            name = settlement.name.replace("/", "-")
            Report = settlement.env["ir.actions.report"]
            statement_pdf, _format = Report._render_qweb_pdf(
                "loyalty_settlement.loyalty_network_settlement_report", settlement.ids
            )
            invoice_pdf, _format = Report._render_qweb_pdf(
                "account.account_invoices", settlement.move_id.ids
            )
            attachments = settlement.env["ir.attachment"].create(
                [
                    {
                        "name": self.env._("Statement %s.pdf", name),
                        "raw": statement_pdf,
                        "res_model": settlement._name,
                        "res_id": settlement.id,
                    },
                    {
                        "name": f"{name}.xlsx",
                        "raw": settlement._get_statement_xlsx(),
                        "res_model": settlement._name,
                        "res_id": settlement.id,
                    },
                    {
                        "name": f"{settlement.move_id.name.replace('/', '-')}.pdf",
                        "raw": invoice_pdf,
                        "res_model": settlement._name,
                        "res_id": settlement.id,
                    },
                ]
            )
            settlement.message_post_with_source(
                template,
                attachment_ids=attachments.ids,
                partner_ids=settlement.merchant_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _get_statement_template(self):
        """The email template of the statement (hook: loyalty_sepa adds the payment date)."""
        return self.env.ref("loyalty_settlement.mail_template_loyalty_settlement")

    def action_download_statement(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._get_statement_url(), "target": "self"}

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _run_period(self, company, date_from, date_to, invoice=True):
        """Settle every unsettled entry of ``company`` dated up to ``date_to``.

        The period is made of the network's local days (``loyalty_tz``): a sale
        at 00:30 on 1 November in Paris belongs to November. Entries of earlier
        periods not settled yet are settled too (the statement lists them as
        carried over). A merchant is settled once per period: a second run of
        the same period finding new entries is refused.

        Set-based, for networks with millions of entries: the entries to
        settle are copied once into a temporary table, summed per merchant in
        SQL, and linked to their settlement by inserting into the link table
        (entries themselves are never rewritten). Idempotent: a second run
        finds nothing left to settle; an entry can be linked only once.
        With ``invoice=False`` the merchant invoices are left to
        :meth:`_invoice_pending` (the network's entry is booked at once).
        """
        _start, until = NetworkRules.of(company).utc_bounds(date_from, date_to)
        self.env["loyalty.network.entry"].flush_model()
        self.flush_model(["entry_ids"])
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", SETTLEMENT_LOCK, company.id))
        if not cr.fetchone()[0]:
            raise UserError(
                self.env._("A settlement run is already in progress for %s.", company.name)
            )
        cr.execute(
            SQL(
                """
                DROP TABLE IF EXISTS loyalty_settling;
                CREATE TEMP TABLE loyalty_settling ON COMMIT DROP AS
                SELECT e.id,
                       COALESCE(CASE WHEN e.family IN %(merchant_families)s
                                     THEN e.merchant_id END, 0) AS merchant_key,
                       e.family, e.amount, e.merchant_contribution, e.network_fee,
                       e.network_expense, e.uncovered_amount
                  FROM loyalty_network_entry e
                 WHERE e.company_id = %(company)s AND e.date < %(until)s
                   AND NOT EXISTS (SELECT 1 FROM loyalty_network_settlement_entry_rel r
                                    WHERE r.entry_id = e.id);
                """,
                merchant_families=MERCHANT_FAMILIES,
                company=company.id,
                until=until,
            )
        )
        cr.execute(
            """
            SELECT NULLIF(merchant_key, 0),
                   SUM(merchant_contribution) FILTER (WHERE family = 'earning'),
                   SUM(network_fee) FILTER (WHERE family = 'earning'),
                   -SUM(amount) FILTER (WHERE family = 'spending'),
                   SUM(network_expense),
                   -SUM(amount) FILTER (WHERE family = 'fee'),
                   -SUM(amount) FILTER (WHERE family = 'forfeit'),
                   SUM(amount) FILTER (WHERE family = 'adjustment'),
                   SUM(uncovered_amount) FILTER (WHERE family = 'earning')
              FROM loyalty_settling
             GROUP BY merchant_key
            """
        )
        rows = cr.fetchall()
        if not rows:
            return self.browse()
        self._check_not_settled(company, date_from, date_to, [row[0] for row in rows])
        company._loyalty_ensure_accounting()
        rnd = company.currency_id.round
        expense = rnd(sum(row[4] or 0.0 for row in rows))
        uncovered = rnd(sum(row[8] or 0.0 for row in rows))
        vals_list = []
        for merchant_id, contribution, fee, spent, _e, opening, forfeit, adjust, _u in rows:
            contribution, fee, spent = rnd(contribution or 0), rnd(fee or 0), rnd(spent or 0)
            vals_list.append(
                {
                    "company_id": company.id,
                    "merchant_id": merchant_id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "contribution_amount": contribution,
                    "fee_amount": fee,
                    "credit_amount": rnd(contribution - fee),
                    "reimbursement_amount": spent,
                    "net_amount": rnd(contribution - spent),
                    "opening_fee_amount": rnd(opening or 0),
                    "forfeit_amount": rnd(forfeit or 0),
                    "adjustment_amount": rnd(adjust or 0),
                    "network_expense_amount": 0.0 if merchant_id else expense,
                    "uncovered_amount": 0.0 if merchant_id else uncovered,
                }
            )
        rounding = company.currency_id.rounding
        if not any(not vals["merchant_id"] for vals in vals_list) and not (
            float_is_zero(expense, precision_rounding=rounding)
            and float_is_zero(uncovered, precision_rounding=rounding)
        ):
            self._check_not_settled(company, date_from, date_to, [None])
            vals_list.append(
                {
                    "company_id": company.id,
                    "merchant_id": False,
                    "date_from": date_from,
                    "date_to": date_to,
                    "network_expense_amount": expense,
                    "uncovered_amount": uncovered,
                }
            )
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            vals["name"] = Sequence.next_by_code("loyalty.network.settlement")
        settlements = self.sudo().create(vals_list)
        # One set-based link; the unique entry_id refuses a second settlement.
        cr.execute(
            SQL(
                """
                INSERT INTO loyalty_network_settlement_entry_rel (settlement_id, entry_id)
                SELECT st.id, s.id
                  FROM loyalty_settling s
                  JOIN loyalty_network_settlement st
                    ON COALESCE(st.merchant_id, 0) = s.merchant_key
                 WHERE st.id IN %s
                 -- in index order: the link's indexes and foreign key are then read
                 -- and written page after page instead of at random
                 ORDER BY s.id
                """,
                tuple(settlements.ids),
            )
        )
        self.env["loyalty.network.entry"].invalidate_model(["settlement_ids", "settlement_id"])
        settlements.invalidate_recordset(["entry_ids", "entry_count"])
        (
            settlements if invoice else settlements.filtered(lambda s: not s.merchant_id)
        )._create_moves()
        return settlements

    @api.model
    def _period_domain(self, company, date_from, date_to, merchant_ids=None):
        """Settlements of ``company`` for exactly this period (of these merchants;
        ``None`` in ``merchant_ids`` is the network's own row)."""
        domain = [
            ("company_id", "=", company.id),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
        ]
        if merchant_ids is not None:
            ids = [mid for mid in merchant_ids if mid]
            merchant_domain = [("merchant_id", "in", ids)]
            if len(ids) < len(merchant_ids):
                merchant_domain = ["|", ("merchant_id", "=", False), *merchant_domain]
            domain += merchant_domain
        return domain

    @api.model
    def _check_not_settled(self, company, date_from, date_to, merchant_ids):
        """Refuse a second settlement of a merchant for the same period."""
        # Runs are made by the accountants' wizard and the cron (the method is not
        # callable over RPC); the check must see every merchant's settlement of the
        # period, whatever rules restrict the caller's reading: hence sudo.
        done = self.sudo().search(self._period_domain(company, date_from, date_to, merchant_ids))
        if done:
            names = ", ".join(
                done.mapped(lambda s: s.merchant_id.name or self.env._("the network"))
            )
            raise UserError(
                self.env._(
                    "The period from %(date_from)s to %(date_to)s is already settled for "
                    "%(names)s. Operations recorded since then are settled with the next "
                    "period.",
                    date_from=format_date(self.env, date_from),
                    date_to=format_date(self.env, date_to),
                    names=names,
                )
            )

    @api.model
    def _cron_settle_last_month(self):
        """Close last month's ledger, then invoice merchants batch by batch.

        Each step is committed: invoices cost Odoo's accounting about 20 ms
        each, so thousands of them would outlast a cron's time limit in one
        transaction; when time runs out the cron is run again at once, finds
        the month already settled and goes on with the invoices left.
        """
        IrCron = self.env["ir.cron"]
        for company in self._get_monthly_companies():
            # Last month of the network's calendar, whatever the server's zone
            first_of_month = NetworkRules.of(company).today().replace(day=1)
            date_from = first_of_month - relativedelta(months=1)
            date_to = first_of_month - timedelta(days=1)
            if self.search_count(self._period_domain(company, date_from, date_to), limit=1):
                # Already closed (a run cut off while invoicing): what was recorded
                # since in that month is settled with the next one.
                continue
            self._run_period(company, date_from, date_to, invoice=False)
            IrCron._commit_progress()
        self._invoice_pending()

    @api.model
    def _get_monthly_companies(self):
        """Companies settled by the monthly cron (hook: loyalty_sepa settles some weekly)."""
        return self.env["res.company"].search([])

    @api.model
    def _generate_demo_settlements(self, months):
        """Demo: settle and invoice the last ``months`` whole months, one run a month as
        the cron does; the first run also settles the older demo activity."""
        company = self.env.company
        first_of_month = NetworkRules.of(company).today().replace(day=1)
        for n in range(months, 0, -1):
            date_from = first_of_month - relativedelta(months=n)
            self._run_period(company, date_from, date_from + relativedelta(months=1, days=-1))
        return True

    @api.model
    def _invoice_pending(self):
        """Invoice the merchant settlements that have no invoice yet."""
        Settlement = self.sudo()
        IrCron = self.env["ir.cron"]
        IrCron._commit_progress(remaining=Settlement.search_count(NOT_INVOICED_DOMAIN))
        while settlements := Settlement.search(
            NOT_INVOICED_DOMAIN, order="id", limit=INVOICE_BATCH_SIZE
        ):
            settlements._create_moves()
            if not IrCron._commit_progress(len(settlements)):
                break

    def _create_moves(self):
        """Invoice every merchant settlement in one batch; book the network's."""
        merchant_settlements = self.filtered("merchant_id")
        invoice_vals = [
            settlement._prepare_merchant_invoice() for settlement in merchant_settlements
        ]
        # Generated by the run, linked to their settlement: no creation message nor
        # field tracking (a thousand of each per run); posting is still logged.
        moves = (
            self.env["account.move"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_notrack=True)
            .create(invoice_vals)
        )
        for settlement, move in zip(merchant_settlements, moves, strict=True):
            settlement.move_id = move
        moves.filtered("invoice_line_ids").action_post()
        for settlement in self - merchant_settlements:
            settlement.move_id = settlement._create_network_move()

    def _prepare_merchant_invoice(self):
        self.ensure_one()
        company = self.company_id
        sign = 1 if self.net_amount >= 0 else -1
        contribution = company.loyalty_contribution_product_id
        reimbursement = company.loyalty_reimbursement_product_id
        lines = [
            (
                self.env._("Cardholder credits given"),
                company.loyalty_liability_account_id,
                self.credit_amount,
                [],
                contribution,
            ),
            (
                self.env._("Network fee"),
                company.loyalty_fee_income_account_id,
                self.fee_amount,
                company.loyalty_fee_tax_ids.ids,
                contribution,
            ),
            (
                self.env._("Wallet payments received in your shop"),
                company.loyalty_liability_account_id,
                -self.reimbursement_amount,
                [],
                reimbursement,
            ),
        ]
        return {
            "move_type": "out_invoice" if sign > 0 else "out_refund",
            "partner_id": self.merchant_id.partner_id.id,
            "journal_id": company.loyalty_settlement_journal_id.id,
            "invoice_date": self.date_to,
            "company_id": company.id,
            "ref": self.name,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": label,
                        "product_id": product.id,
                        "account_id": account.id,
                        "quantity": 1.0,
                        "price_unit": sign * amount,
                        "tax_ids": [(6, 0, taxes)],
                    },
                )
                for label, account, amount, taxes, product in lines
                if not self.currency_id.is_zero(amount)
            ],
        }

    def _create_network_move(self):
        company = self.company_id
        liability = company.loyalty_liability_account_id
        pairs = [
            # label, debit account, credit account, amount
            (
                self.env._("Opening fees"),
                liability,
                company.loyalty_opening_fee_income_account_id,
                self.opening_fee_amount,
            ),
            (
                self.env._("Forfeited wallets"),
                liability,
                company.loyalty_forfeit_income_account_id,
                self.forfeit_amount,
            ),
            (
                self.env._("Network-funded credits"),
                company.loyalty_bonus_expense_account_id,
                liability,
                self.network_expense_amount,
            ),
            (
                self.env._("Refunded credits already spent, borne by the network"),
                company.loyalty_uncovered_expense_account_id,
                liability,
                self.uncovered_amount,
            ),
            (
                self.env._("Wallet adjustments"),
                company.loyalty_adjustment_account_id,
                liability,
                self.adjustment_amount,
            ),
        ]
        return self._post_journal_entry(pairs)

    def _post_journal_entry(self, pairs):
        """Post one miscellaneous entry of the settlement in the network's journal,
        dated on its last day; ``pairs`` are ``(label, debit account, credit account,
        amount)``, a negative amount swapping the accounts, zero amounts left out.
        Returns the posted move, or an empty recordset when nothing is to be booked."""
        self.ensure_one()
        company = self.company_id
        line_vals = []
        for label, debit_account, credit_account, amount in pairs:
            if self.currency_id.is_zero(amount):
                continue
            if amount < 0:
                debit_account, credit_account, amount = credit_account, debit_account, -amount
            line_vals += [
                (0, 0, {"name": label, "account_id": debit_account.id, "debit": amount}),
                (0, 0, {"name": label, "account_id": credit_account.id, "credit": amount}),
            ]
        if not line_vals:
            return self.env["account.move"]
        # Booked by the settlement run (accountants' wizard or cron, not callable
        # over RPC) for the settlement it has just made.
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.loyalty_network_journal_id.id,
                    "date": self.date_to,
                    "company_id": company.id,
                    "ref": self.name,
                    "line_ids": line_vals,
                }
            )
        )
        move.action_post()
        return move

    def _get_statement_url(self):
        return f"/loyalty/settlement/{self.id}/statement.xlsx"

    def _get_statement_lines(self):
        """The settled entries as the statement shows them, oldest first: the
        local date and time, and whether the entry is carried over from an
        earlier period (recorded before this period, not settled then)."""
        self.ensure_one()
        rules = NetworkRules.of(self.company_id)
        # The rights were checked on the settlement; its entries are read with it.
        entries = self.sudo().entry_ids.sorted(lambda e: (e.date, e.id))
        lines = []
        for entry in entries:
            local = rules.local_datetime(entry.date)
            lines.append(
                {
                    "entry": entry,
                    "local_date": local.date(),
                    "local_datetime": local.strftime("%Y-%m-%d %H:%M"),
                    "carried_over": local.date() < self.date_from,
                }
            )
        return lines

    def _get_carried_over_lines(self):
        return [line for line in self._get_statement_lines() if line["carried_over"]]

    def _get_statement_columns(self):
        """Titles and widths of the XLSX statement's columns, in the user's language."""
        _ = self.env._
        return [
            (_("Date"), 18),
            (_("Period"), 14),
            (_("Operation"), 22),
            (_("Card"), 16),
            (_("Purchase"), 12),
            (_("Rate %"), 8),
            (_("Credit"), 12),
            (_("Contribution"), 13),
            (_("Network fee"), 12),
            (_("Wallet payment"), 14),
            (_("Reference"), 30),
        ]

    def _get_statement_xlsx(self):
        """The statement of this settlement as an XLSX file (bytes)."""
        self.ensure_one()
        settlement = self
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Statement"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write(0, 0, settlement.name, bold)
        sheet.write(1, 0, settlement.merchant_id.name or self.env._("Network"))
        sheet.write(
            2,
            0,
            f"{fields.Date.to_string(settlement.date_from)} - "
            f"{fields.Date.to_string(settlement.date_to)}",
        )
        for col, (title, width) in enumerate(self._get_statement_columns()):
            sheet.write(4, col, title, bold)
            sheet.set_column(col, col, width)
        row = 5
        Entry = self.env["loyalty.network.entry"]
        carried, this_period = self.env._("Carried over"), self.env._("This period")
        labels = dict(Entry._fields["entry_type"]._description_selection(self.env))
        for line in settlement._get_statement_lines():
            entry = line["entry"]
            is_spend = entry.family == "spending"
            # The credit given or taken back: for a refund whose credit was already
            # spent, the wallet's movement plus the part the network bears.
            credit = 0.0 if is_spend else entry.amount
            if entry.family == "earning":
                credit = entry.amount - entry.uncovered_amount
            values = [
                line["local_datetime"],
                carried if line["carried_over"] else this_period,
                labels[entry.entry_type],
                entry.card_id.masked_number or "",
                entry.purchase_amount,
                entry.cardholder_rate,
                credit,
                entry.merchant_contribution,
                entry.network_fee,
                -entry.amount if is_spend else 0.0,
                entry.source_ref,
            ]
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(row, col, value, money)
                else:
                    sheet.write(row, col, value)
            row += 1
        row += 1
        totals = [
            (self.env._("Contributions"), settlement.contribution_amount),
            (self.env._("of which credits"), settlement.credit_amount),
            (self.env._("of which network fee"), settlement.fee_amount),
            (self.env._("Wallet payments reimbursed"), settlement.reimbursement_amount),
            (self.env._("Net owed by the merchant"), settlement.net_amount),
        ]
        for label, amount in totals:
            sheet.write(row, 0, label, bold)
            sheet.write_number(row, 7, amount, money)
            row += 1
        workbook.close()
        return output.getvalue()
