from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_is_zero

MERCHANT_ENTRY_TYPES = ("earn", "earn_reversal", "spend", "spend_reversal")


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
        help="Empty for the network's own settlement (fees, forfeits, top-ups).",
    )
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True)
    entry_ids = fields.One2many("loyalty.network.entry", "settlement_id", readonly=True)
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
    opening_fee_amount = fields.Monetary(readonly=True)
    forfeit_amount = fields.Monetary(readonly=True)
    adjustment_amount = fields.Monetary(readonly=True)
    move_id = fields.Many2one("account.move", string="Accounting Document", readonly=True)
    payment_state = fields.Selection(related="move_id.payment_state")

    _period_check = models.Constraint(
        "CHECK(date_from <= date_to)", "A settlement period cannot end before it starts."
    )

    def _compute_entry_count(self):
        counts = dict(
            self.env["loyalty.network.entry"]._read_group(
                [("settlement_id", "in", self.ids)], ["settlement_id"], ["__count"]
            )
        )
        for settlement in self:
            settlement.entry_count = counts.get(settlement, 0)

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
        action["domain"] = [("settlement_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_download_statement(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._get_statement_url(), "target": "self"}

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _run_period(self, company, date_from, date_to):
        """Settle every unsettled entry of ``company`` dated up to ``date_to``.

        Idempotent: a second run finds nothing left to settle. Entries locked
        by a concurrent run are skipped by this one.
        """
        company._loyalty_ensure_accounting()
        Entry = self.env["loyalty.network.entry"].sudo()
        Entry.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM loyalty_network_entry
                 WHERE company_id = %s AND settlement_id IS NULL AND date < %s
                 ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                company.id,
                datetime.combine(date_to + timedelta(days=1), time.min),
            )
        )
        entries = Entry.browse([row[0] for row in self.env.cr.fetchall()])
        if not entries:
            return self.browse()
        settlements = self.browse()
        merchant_entries = entries.filtered(lambda e: e.entry_type in MERCHANT_ENTRY_TYPES)
        for merchant, group in merchant_entries.grouped("merchant_id").items():
            settlements |= self._create_settlement(company, date_from, date_to, group, merchant)
        network_entries = entries - merchant_entries
        expense = sum(merchant_entries.mapped("network_expense"))
        if network_entries or not float_is_zero(
            expense, precision_rounding=company.currency_id.rounding
        ):
            settlements |= self._create_settlement(
                company, date_from, date_to, network_entries, network_expense=expense
            )
        return settlements

    @api.model
    def _cron_settle_last_month(self):
        first_of_month = fields.Date.context_today(self).replace(day=1)
        date_from = first_of_month - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self._run_period(company, date_from, first_of_month - timedelta(days=1))

    def _create_settlement(self, company, date_from, date_to, entries, merchant=None, **extra):
        currency = company.currency_id
        rnd = currency.round

        def total(types, fname):
            return rnd(sum(entries.filtered(lambda e: e.entry_type in types).mapped(fname)))

        contribution = total(("earn", "earn_reversal"), "merchant_contribution")
        fee = total(("earn", "earn_reversal"), "network_fee")
        reimbursement = -total(("spend", "spend_reversal"), "amount")
        settlement = self.sudo().create(
            {
                "name": self.env["ir.sequence"].sudo().next_by_code("loyalty.network.settlement"),
                "company_id": company.id,
                "merchant_id": merchant.id if merchant else False,
                "date_from": date_from,
                "date_to": date_to,
                "contribution_amount": contribution,
                "fee_amount": fee,
                "credit_amount": rnd(contribution - fee),
                "reimbursement_amount": reimbursement,
                "net_amount": rnd(contribution - reimbursement),
                "opening_fee_amount": -total(("opening_fee",), "amount"),
                "forfeit_amount": -total(("forfeit",), "amount"),
                "adjustment_amount": total(("adjustment",), "amount"),
                "network_expense_amount": rnd(extra.get("network_expense", 0.0)),
            }
        )
        # One set-based link: each entry is settled here and nowhere else.
        entries.write({"settlement_id": settlement.id})
        move = settlement._create_move()
        settlement.move_id = move
        return settlement

    def _create_move(self):
        self.ensure_one()
        if self.merchant_id:
            return self._create_merchant_invoice()
        return self._create_network_move()

    def _create_merchant_invoice(self):
        company = self.company_id
        sign = 1 if self.net_amount >= 0 else -1
        lines = [
            (
                self.env._("Cardholder credits given"),
                company.loyalty_liability_account_id,
                self.credit_amount,
                [],
            ),
            (
                self.env._("Network fee"),
                company.loyalty_fee_income_account_id,
                self.fee_amount,
                company.loyalty_fee_tax_ids.ids,
            ),
            (
                self.env._("Wallet payments received in your shop"),
                company.loyalty_liability_account_id,
                -self.reimbursement_amount,
                [],
            ),
        ]
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
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
                                "account_id": account.id,
                                "quantity": 1.0,
                                "price_unit": sign * amount,
                                "tax_ids": [(6, 0, taxes)],
                            },
                        )
                        for label, account, amount, taxes in lines
                        if not self.currency_id.is_zero(amount)
                    ],
                }
            )
        )
        if move.invoice_line_ids:
            move.action_post()
        return move

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
                self.env._("Wallet adjustments"),
                company.loyalty_adjustment_account_id,
                liability,
                self.adjustment_amount,
            ),
        ]
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
