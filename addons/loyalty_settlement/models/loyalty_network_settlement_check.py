from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import float_compare


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
        """The three tie-outs: liability, settlement lines, stale entries."""
        self.ensure_one()
        currency = self.currency_id
        Entry = self.env["loyalty.network.entry"].sudo()
        wallet_total = sum(
            self.env["loyalty.network.wallet"]
            .sudo()
            .search([("company_id", "=", self.id)])
            .mapped("balance")
        )
        unsettled_total = sum(
            Entry.search([("company_id", "=", self.id), ("settlement_id", "=", False)]).mapped(
                "amount"
            )
        )
        liability_balance = 0.0
        if self.loyalty_liability_account_id:
            lines = (
                self.env["account.move.line"]
                .sudo()
                .search(
                    [
                        ("account_id", "=", self.loyalty_liability_account_id.id),
                        ("parent_state", "=", "posted"),
                        ("company_id", "=", self.id),
                    ]
                )
            )
            liability_balance = -sum(lines.mapped("balance"))
        mismatches = 0
        settlements = (
            self.env["loyalty.network.settlement"]
            .sudo()
            .search([("company_id", "=", self.id), ("merchant_id", "!=", False)])
        )
        for settlement in settlements:
            entries = settlement.entry_ids
            contribution = sum(
                entries.filtered(lambda e: e.entry_type in ("earn", "earn_reversal")).mapped(
                    "merchant_contribution"
                )
            )
            spent = -sum(
                entries.filtered(lambda e: e.entry_type in ("spend", "spend_reversal")).mapped(
                    "amount"
                )
            )
            invoiced = settlement.move_id.amount_untaxed_signed
            if currency.compare_amounts(
                settlement.net_amount, contribution - spent
            ) or currency.compare_amounts(invoiced, settlement.net_amount):
                mismatches += 1
        last_closed = max(settlements.mapped("date_to"), default=False)
        stale = (
            Entry.search_count(
                [
                    ("company_id", "=", self.id),
                    ("settlement_id", "=", False),
                    ("date", "<", datetime.combine(last_closed + timedelta(days=1), time.min)),
                ]
            )
            if last_closed
            else 0
        )
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
