from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

# States of a payment order still holding its payment lines
ORDER_LIVE_STATES = ("draft", "open", "generated", "uploaded")
# ... and of one whose payments are not booked yet (an uploaded order's payments are
# reconciled with the invoices: what is left to pay is their residual)
ORDER_PENDING_STATES = ("draft", "open", "generated")


def last_week(company):
    """Last whole week (Monday to Sunday) of the network's local calendar."""
    today = NetworkRules.of(company).today()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


class LoyaltyNetworkSettlement(models.Model):
    _inherit = "loyalty.network.settlement"

    sepa_date = fields.Date(
        string="Payment Date",
        compute="_compute_sepa_date",
        store=True,
        help="Direct debit date announced to the shop (end of the period plus the "
        "pre-notification delay), or date of the credit transfer to the shop.",
    )
    sepa_state = fields.Selection(
        [
            ("none", "Nothing to Pay"),
            ("to_order", "To Order"),
            ("ordered", "In a Payment Order"),
            ("paid", "Paid"),
            ("returned", "Returned by the Bank"),
        ],
        string="SEPA Status",
        compute="_compute_sepa_state",
    )
    sepa_return_ids = fields.One2many("loyalty.sepa.return", "settlement_id", string="Bank Returns")

    # Frozen once computed: the date announced to a shop never moves when the
    # pre-notification setting changes afterwards.
    @api.depends("date_to")
    def _compute_sepa_date(self):
        for settlement in self:
            days = settlement.company_id.loyalty_sepa_prenotification_days
            settlement.sepa_date = settlement.date_to and settlement.date_to + timedelta(
                days=1 + max(days, 0)
            )

    def _get_sepa_payment_lines(self, states=ORDER_LIVE_STATES):
        """Payment lines of this settlement's invoice in orders of these states."""
        return (
            self.env["account.payment.line"]
            .sudo()
            .search(
                [
                    ("move_line_id.move_id", "in", self.move_id.ids),
                    ("order_id.state", "in", states),
                ]
            )
        )

    @api.depends("move_id.payment_state", "sepa_return_ids.state")
    def _compute_sepa_state(self):
        # Payment lines belong to the accountants; staff and merchants only see the
        # status computed from them: hence sudo (nothing is returned but the status).
        lines = self._get_sepa_payment_lines(ORDER_PENDING_STATES)
        ordered_moves = lines.move_line_id.move_id
        for settlement in self:
            move = settlement.move_id.sudo()
            if (
                not settlement.merchant_id
                or not move
                or move.currency_id.is_zero(move.amount_total)
            ):
                settlement.sepa_state = "none"
            elif settlement.sudo().sepa_return_ids.filtered(lambda r: r.state == "open"):
                settlement.sepa_state = "returned"
            elif move.payment_state in ("paid", "in_payment", "reversed"):
                settlement.sepa_state = "paid"
            elif move in ordered_moves:
                settlement.sepa_state = "ordered"
            else:
                settlement.sepa_state = "to_order"

    # ------------------------------------------------------------
    # STATEMENT
    # ------------------------------------------------------------

    def _get_statement_template(self):
        return self.env.ref("loyalty_sepa.mail_template_loyalty_sepa_settlement")

    def _get_sepa_notice(self):
        """The sentence of the statement email saying how and when the money moves."""
        self.ensure_one()
        if not self.merchant_id or self.currency_id.is_zero(self.net_amount):
            return ""
        amount = format_amount(self.env, abs(self.net_amount), self.currency_id)
        date = format_date(self.env, self.sepa_date)
        membership = (
            self.env["loyalty.network.membership"]
            ._for_merchants(self.merchant_id)
            .get(self.merchant_id.id)
        )
        if self.net_amount > 0:
            if membership and membership.mandate_id.state == "valid":
                return self.env._(
                    "%(amount)s will be collected by SEPA direct debit (mandate %(mandate)s) "
                    "on %(date)s or later.",
                    amount=amount,
                    mandate=membership.mandate_reference,
                    date=date,
                )
            return self.env._("Please pay %(amount)s by %(date)s.", amount=amount, date=date)
        return self.env._(
            "%(amount)s will be sent to your bank account by SEPA credit transfer from %(date)s.",
            amount=amount,
            date=date,
        )

    def _prepare_merchant_invoice(self):
        vals = super()._prepare_merchant_invoice()
        # The due date is the announced debit (or transfer) date: payment orders made
        # "on the due date" never debit before the pre-notified day.
        vals["invoice_date_due"] = self.sepa_date
        return vals

    # ------------------------------------------------------------
    # PAYMENT FILES
    # ------------------------------------------------------------

    def _get_sepa_remittance(self):
        self.ensure_one()
        return self.env._(
            "Loyalty card settlement %(name)s %(date_from)s-%(date_to)s",
            name=self.name,
            date_from=self.date_from.strftime("%d/%m/%Y"),
            date_to=self.date_to.strftime("%d/%m/%Y"),
        )

    def action_generate_sepa_orders(self):
        """One click after a run: a direct-debit order (pain.008) for the shops that
        owe and a credit-transfer order (pain.001) for the shops that are owed,
        files generated. Shops that cannot be debited are left out and listed."""
        if not self.env.user.has_group("account_payment_order.group_account_payment"):
            raise AccessError(
                self.env._("Only the accountants in charge of payments can make payment files.")
            )
        settlements = self.filtered("merchant_id") or self.search(
            [("merchant_id", "!=", False), ("move_id", "!=", False)]
        )
        company = self.env.company
        already = settlements._get_sepa_payment_lines(ORDER_PENDING_STATES).move_line_id.move_id
        memberships = self.env["loyalty.network.membership"]._for_merchants(settlements.merchant_id)
        debits, transfers, skipped = [], [], []
        for settlement in settlements.sorted(lambda s: (s.date_to, s.name)):
            move = settlement.move_id
            lines = move.line_ids.filtered(
                lambda ml: ml.account_id.account_type == "asset_receivable" and not ml.reconciled
            )
            if move.state != "posted" or not lines or move in already:
                continue
            membership = memberships.get(settlement.merchant_id.id)
            if move.move_type == "out_invoice":
                refusal = (
                    membership._get_debit_refusal()
                    if membership
                    else self.env._("no active membership agreement")
                )
                if refusal:
                    skipped.append(
                        self.env._(
                            "%(shop)s: %(reason)s", shop=settlement.merchant_id.name, reason=refusal
                        )
                    )
                    continue
                debits.append((settlement, lines, membership))
            else:
                if not membership or not membership.partner_bank_id:
                    skipped.append(
                        self.env._(
                            "%s: no IBAN on an active agreement", settlement.merchant_id.name
                        )
                    )
                    continue
                partner = settlement.merchant_id.partner_id
                if partner.country_id and not partner.city:
                    skipped.append(
                        self.env._(
                            "%s: the town of the shop is missing (required in credit transfers)",
                            settlement.merchant_id.name,
                        )
                    )
                    continue
                transfers.append((settlement, lines, membership))
        orders = self.env["account.payment.order"]
        if debits:
            orders |= self._make_sepa_order(company._loyalty_sepa_mode("inbound"), debits)
        if transfers:
            orders |= self._make_sepa_order(company._loyalty_sepa_mode("outbound"), transfers)
        settlements.invalidate_recordset(["sepa_state"])
        message = ""
        if skipped:
            message = self.env._("Left out of the payment files:") + "\n" + "\n".join(skipped)
        if not orders:
            raise UserError(message or self.env._("No settlement is waiting for a payment file."))
        for order in orders:
            if message:
                order.message_post(body=message)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Orders"),
            "res_model": "account.payment.order",
            "view_mode": "list,form",
            "domain": [("id", "in", orders.ids)],
        }

    @api.model
    def _make_sepa_order(self, mode, items):
        order = self.env["account.payment.order"].create(
            {
                "payment_mode_id": mode.id,
                "payment_type": mode.payment_type,
                "date_prefered": "due",
                "description": self.env._("Loyalty card settlements"),
            }
        )
        vals_list = []
        for settlement, lines, membership in items:
            for line in lines:
                vals = line._prepare_payment_line_vals(order)
                vals.update(
                    {
                        "partner_bank_id": membership.partner_bank_id.id,
                        "communication": settlement._get_sepa_remittance(),
                        "communication_type": "normal",
                    }
                )
                if order.payment_type == "inbound":
                    vals["mandate_id"] = membership.mandate_id.id
                vals_list.append(vals)
        self.env["account.payment.line"].create(vals_list)
        order.draft2open()
        order.open2generated()
        return order

    # ------------------------------------------------------------
    # BANK RETURNS
    # ------------------------------------------------------------

    def _sepa_reopen(self, st_line, reason):
        """The bank returned this settlement's payment: the invoice is open again
        (its payment is matched with the return instead), the return is listed on
        the dashboard and the shop's mandate blocked until the staff clear it."""
        self.ensure_one()
        receivable = self.move_id.line_ids.filtered(
            lambda ml: ml.account_id.account_type == "asset_receivable"
        )
        paying = receivable.matched_debit_ids.debit_move_id | (
            receivable.matched_credit_ids.credit_move_id
        )
        receivable.remove_move_reconcile()
        st_line._loyalty_reconcile_with(paying, receivable.account_id)
        membership = (
            self.env["loyalty.network.membership"]
            ._for_merchants(self.merchant_id)
            .get(self.merchant_id.id)
        )
        sepa_return = self.env["loyalty.sepa.return"].create(
            {
                "settlement_id": self.id,
                "membership_id": membership.id if membership else False,
                "statement_line_id": st_line.id,
                "amount": abs(st_line.amount),
                "reason_code": reason,
                "date": st_line.date,
            }
        )
        # Bank statements are imported by accountants, who read settlements but do not
        # write them; the note is made by the server from the imported line, the
        # author stays the caller: hence sudo.
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=self.env._(
                "The bank returned the payment of %(amount)s (reason %(reason)s): the "
                "settlement is open again.",
                amount=format_amount(self.env, abs(st_line.amount), self.currency_id),
                reason=reason,
            ),
        )
        return sepa_return

    @api.model
    def _sepa_settlement_of(self, reference):
        if not reference:
            return self.browse()
        return self.search(
            [("name", "=", reference.strip()), ("merchant_id", "!=", False)], limit=1
        )

    # ------------------------------------------------------------
    # CADENCE
    # ------------------------------------------------------------

    @api.model
    def _get_monthly_companies(self):
        return (
            super()
            ._get_monthly_companies()
            .filtered(lambda c: c.loyalty_settlement_cadence != "weekly")
        )

    @api.model
    def _cron_settle_last_week(self):
        """Weekly networks: close last week (local Monday to Sunday), then invoice."""
        companies = self.env["res.company"].search([("loyalty_settlement_cadence", "=", "weekly")])
        for company in companies:
            date_from, date_to = last_week(company)
            if self.search_count(self._period_domain(company, date_from, date_to), limit=1):
                continue
            self._run_period(company, date_from, date_to, invoice=False)
            self.env["ir.cron"]._commit_progress()
        self._invoice_pending()


class AccountMove(models.Model):
    _inherit = "account.move"

    def _loyalty_sepa_payments(self):
        """Posted payments made from payment orders for these invoices."""
        return (
            self.env["account.payment.line"]
            .search([("move_line_id.move_id", "in", self.ids)])
            .payment_ids.filtered(lambda p: p.state not in ("draft", "canceled"))
        )
