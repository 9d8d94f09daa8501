from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.tools import SQL, format_amount, format_date
from odoo.tools.misc import formatLang

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_legal_limit_amount = fields.Monetary(
        string="Legal Limit of Payments",
        default=1_000_000.0,
        help="Payment transactions over 12 months past which a limited network must declare "
        "itself to the regulator (French monetary code L.521-3: 1,000,000 €).",
    )
    loyalty_legal_limit_warning_rate = fields.Float(
        string="Legal Limit Warning (%)",
        default=80.0,
        help="Staff are warned when the rolling 12-month total reaches this share of the limit.",
    )
    loyalty_legal_limit_warning_date = fields.Date(
        string="Legal Limit Last Warning",
        readonly=True,
        help="Staff are warned again at most every 30 days while above the warning level.",
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _legal_limit_period(self, today=None):
        """The 12 rolling months ending ``today`` (local days, both included)."""
        self.ensure_one()
        today = today or NetworkRules.of(self).today()
        return today - relativedelta(months=12) + relativedelta(days=1), today

    def _legal_limit_totals(self, today=None):
        """Payment transactions of the limited network over the 12 months ending
        ``today``: wallet payments (net of refunds) and the other payment means."""
        self.ensure_one()
        rules = NetworkRules.of(self)
        date_from, date_to = self._legal_limit_period(today)
        wallet = rules.round(self._legal_limit_wallet_payments(date_from, date_to))
        other = rules.round(self._legal_limit_other_payment_totals(date_from, date_to))
        total = rules.round(wallet + other)
        limit = self.loyalty_legal_limit_amount
        usage = total / limit * 100.0 if rules.compare(limit, 0) > 0 else 0.0
        return {
            "date_from": date_from,
            "date_to": date_to,
            "wallet_payment_amount": wallet,
            "other_payment_amount": other,
            "total_amount": total,
            "limit_amount": limit,
            "usage_rate": usage,
            "is_warning": usage >= self.loyalty_legal_limit_warning_rate,
            "is_exceeded": usage >= 100.0,
        }

    def _legal_limit_wallet_payments(self, date_from, date_to):
        """Wallet payments made in member shops between two local days, refunds
        of wallet payments deducted (one set-based sum over the ledger)."""
        self.ensure_one()
        start, end = NetworkRules.of(self).utc_bounds(date_from, date_to)
        self.env["loyalty.network.entry"].flush_model(["amount", "family", "date", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT -COALESCE(SUM(amount), 0)
                  FROM loyalty_network_entry
                 WHERE company_id = %s AND family = 'spending' AND date >= %s AND date < %s
                """,
                self.id,
                start,
                end,
            )
        )
        return self.env.cr.fetchone()[0]

    def _legal_limit_other_payment_totals(self, date_from, date_to):
        """Payments by other means of the limited network (e.g. network vouchers)
        between two local days: 0 here; each payment means adds its own total."""
        self.ensure_one()
        return 0.0

    def _legal_limit_notify(self, today=None):
        """Tell the association's staff when the total reaches the warning level,
        at most every 30 days. Returns the message posted, if any."""
        self.ensure_one()
        totals = self._legal_limit_totals(today)
        today = totals["date_to"]
        last = self.loyalty_legal_limit_warning_date
        if not totals["is_warning"] or (last and last > today - relativedelta(days=30)):
            return self.env["mail.message"]
        # who is staff is read as the system (a cron or a merchant's operation may call this)
        staff = self.env.ref("annonay_loyalty.annonay_loyalty_group_manager").sudo().user_ids
        staff = staff.filtered(lambda u: self in u.company_ids and u.active and not u.share)
        rules = NetworkRules.of(self)
        body = self.env._(
            "Payments in the limited network reached %(total)s over the 12 months from "
            "%(date_from)s to %(date_to)s: %(rate)s %% of the legal limit of %(limit)s. Past "
            "the limit the association must declare itself to the regulator (French monetary "
            "code L.521-3).",
            total=rules.fmt(totals["total_amount"]),
            date_from=format_date(self.env, totals["date_from"]),
            date_to=format_date(self.env, totals["date_to"]),
            rate=formatLang(self.env, totals["usage_rate"], digits=1),
            limit=format_amount(self.env, totals["limit_amount"], self.currency_id),
        )
        # A notification to staff inboxes, from the cron or a staff user's check.
        message = (
            self.env["mail.thread"]
            .sudo()
            .message_notify(
                model=self._name,
                res_id=self.id,
                partner_ids=staff.partner_id.ids,
                subject=self.env._("Limited network: legal limit approaching"),
                body=body,
            )
        )
        self.sudo().loyalty_legal_limit_warning_date = today
        return message

    def _cron_notify_legal_limit(self):
        for company in self.search([]):
            company._legal_limit_notify()

    def _loyalty_settlement_checks(self):
        """The campaigns' settlements also match their entries and their invoice."""
        values = super()._loyalty_settlement_checks()
        currency = self.currency_id
        self.env.cr.execute(
            SQL(
                """
                SELECT st.sponsored_amount,
                       COALESCE(SUM(e.amount - COALESCE(e.uncovered_amount, 0)), 0),
                       m.amount_untaxed_signed
                  FROM loyalty_network_settlement st
                  LEFT JOIN account_move m ON m.id = st.move_id
                  LEFT JOIN loyalty_network_settlement_entry_rel r ON r.settlement_id = st.id
                  LEFT JOIN loyalty_network_entry e ON e.id = r.entry_id
                 WHERE st.company_id = %s AND st.sponsorship_id IS NOT NULL
                 GROUP BY st.id, m.amount_untaxed_signed
                """,
                self.id,
            )
        )
        values["settlement_mismatch_count"] += sum(
            1
            for amount, from_entries, invoiced in self.env.cr.fetchall()
            if currency.compare_amounts(amount, from_entries)
            or currency.compare_amounts(invoiced or 0.0, amount)
        )
        return values
