from odoo import api, fields, models
from odoo.tools import SQL, float_compare

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules


class LoyaltyNetworkSettlementCheck(models.TransientModel):
    """The accountant's tie-out of the loyalty money against accounting."""

    _name = "loyalty.network.settlement.check"
    _description = "Loyalty Settlement Checks"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    wallet_total = fields.Monetary(string="Sum of Wallet Balances", compute="_compute_checks")
    unsettled_total = fields.Monetary(
        string="Wallet Movements not Settled Yet", compute="_compute_checks"
    )
    liability_balance = fields.Monetary(
        string="Wallet Liability Account Balance", compute="_compute_checks"
    )
    is_liability_ok = fields.Boolean(string="Liability Ties", compute="_compute_checks")
    settlement_mismatch_count = fields.Integer(
        string="Settlements not Matching their Entries", compute="_compute_checks"
    )
    stale_entry_count = fields.Integer(
        string="Unsettled Entries Older than the Last Closed Period", compute="_compute_checks"
    )

    @api.depends("company_id")
    def _compute_checks(self):
        for check in self:
            values = check.company_id._loyalty_settlement_checks()
            check.update(values)


class ResCompany(models.Model):
    _inherit = "res.company"

    def _loyalty_settlement_checks(self):
        """The three tie-outs: liability, settlement lines, stale entries.

        In SQL, as they read the whole ledger (millions of entries).
        """
        self.ensure_one()
        currency = self.currency_id
        self.env["loyalty.network.wallet"].flush_model()
        self.env["loyalty.network.entry"].flush_model()
        self.env["loyalty.network.settlement"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT COALESCE(SUM(balance), 0) FROM loyalty_network_wallet WHERE company_id = %s",
                self.id,
            )
        )
        wallet_total = cr.fetchone()[0]
        cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(e.amount), 0)
                  FROM loyalty_network_entry e
                 WHERE e.company_id = %s
                   AND NOT EXISTS (SELECT 1 FROM loyalty_network_settlement_entry_rel r
                                    WHERE r.entry_id = e.id)
                """,
                self.id,
            )
        )
        unsettled_total = cr.fetchone()[0]
        liability_balance = 0.0
        if self.loyalty_liability_account_id:
            [[balance]] = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "=", self.loyalty_liability_account_id.id),
                        ("parent_state", "=", "posted"),
                        ("company_id", "=", self.id),
                    ],
                    aggregates=["balance:sum"],
                )
            )
            liability_balance = -(balance or 0.0)
        # A merchant settlement matches its entries and its invoice (untaxed).
        cr.execute(
            SQL(
                """
                SELECT st.id, st.net_amount,
                       COALESCE(SUM(e.merchant_contribution) FILTER (
                           WHERE e.family = 'earning'), 0)
                     + COALESCE(SUM(e.amount) FILTER (WHERE e.family = 'spending'), 0),
                       m.amount_untaxed_signed
                  FROM loyalty_network_settlement st
                  LEFT JOIN account_move m ON m.id = st.move_id
                  LEFT JOIN loyalty_network_settlement_entry_rel r ON r.settlement_id = st.id
                  LEFT JOIN loyalty_network_entry e ON e.id = r.entry_id
                 WHERE st.company_id = %s AND st.merchant_id IS NOT NULL
                 GROUP BY st.id, m.amount_untaxed_signed
                """,
                self.id,
            )
        )
        mismatches = sum(
            1
            for _id, net, from_entries, invoiced in cr.fetchall()
            if currency.compare_amounts(net, from_entries)
            or currency.compare_amounts(invoiced or 0.0, net)
        )
        cr.execute(
            SQL(
                "SELECT MAX(date_to) FROM loyalty_network_settlement"
                " WHERE company_id = %s AND merchant_id IS NOT NULL",
                self.id,
            )
        )
        last_closed = cr.fetchone()[0]
        stale = 0
        if last_closed:
            # The end of the last closed period, in the network's local days
            _start, until = NetworkRules.of(self).utc_bounds(last_closed, last_closed)
            cr.execute(
                SQL(
                    """
                    SELECT COUNT(*)
                      FROM loyalty_network_entry e
                     WHERE e.company_id = %(company)s AND e.date < %(until)s
                       AND NOT EXISTS (SELECT 1 FROM loyalty_network_settlement_entry_rel r
                                        WHERE r.entry_id = e.id)
                    """,
                    company=self.id,
                    until=until,
                )
            )
            stale = cr.fetchone()[0]
        return {
            "wallet_total": currency.round(wallet_total),
            "unsettled_total": currency.round(unsettled_total),
            "liability_balance": currency.round(liability_balance),
            "is_liability_ok": float_compare(
                liability_balance + unsettled_total,
                wallet_total,
                precision_rounding=currency.rounding,
            )
            == 0,
            "settlement_mismatch_count": mismatches,
            "stale_entry_count": stale,
        }
