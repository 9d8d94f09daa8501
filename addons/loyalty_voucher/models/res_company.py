from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

# code, name, account type: created once per company when missing (editable after)
VOUCHER_ACCOUNTS = {
    "loyalty_voucher_liability_account_id": (
        "467910",
        "Gift vouchers (holders)",
        "liability_current",
    ),
    "loyalty_voucher_commission_account_id": ("706910", "Gift voucher commissions", "income"),
    "loyalty_voucher_expiry_account_id": ("758910", "Expired gift vouchers", "income_other"),
    "loyalty_voucher_refund_account_id": (
        "467920",
        "Cancelled gift vouchers to pay back",
        "liability_current",
    ),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_voucher_validity_months = fields.Integer(
        string="Voucher Validity (months)",
        default=12,
        help="A voucher can be spent until this many months after its sale (local date), "
        "printed on it.",
    )
    loyalty_voucher_commission_rate = fields.Float(
        string="Voucher Commission (%)",
        default=5.0,
        help="Taken by the network on every voucher redemption: the shop is paid the value "
        "less this commission.",
    )
    loyalty_voucher_expiry_policy = fields.Selection(
        [
            ("income", "The network keeps it (income)"),
            ("refundable", "It stays owed to the holder"),
        ],
        string="Balance of Expired Vouchers",
        default="income",
        required=True,
    )
    loyalty_voucher_liability_account_id = fields.Many2one(
        "account.account", string="Voucher Liability"
    )
    loyalty_voucher_commission_account_id = fields.Many2one(
        "account.account", string="Voucher Commission Income"
    )
    loyalty_voucher_expiry_account_id = fields.Many2one(
        "account.account", string="Expired Voucher Income"
    )
    loyalty_voucher_refund_account_id = fields.Many2one(
        "account.account", string="Cancelled Vouchers to Pay Back"
    )
    loyalty_voucher_journal_id = fields.Many2one(
        "account.journal",
        string="Voucher Sales Journal",
        help="Invoices of vouchers sold by the association.",
    )

    def _loyalty_voucher_ensure_accounting(self):
        """Create the voucher accounts and journal this company lacks."""
        self.ensure_one()
        self._loyalty_ensure_accounting()
        # Accounts and journals are configuration the association's staff need
        # without being accountants: created once, by the system.
        Account = self.env["account.account"].sudo().with_company(self)
        vals = {}
        for fname, (code, name, account_type) in VOUCHER_ACCOUNTS.items():
            if self[fname]:
                continue
            account = Account.search(
                [("code", "=", code), ("company_ids", "in", self.id)], limit=1
            ) or Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": False,
                    "company_ids": [(6, 0, self.ids)],
                }
            )
            vals[fname] = account.id
        if not self.loyalty_voucher_journal_id:
            Journal = self.env["account.journal"].sudo().with_company(self)
            vals["loyalty_voucher_journal_id"] = (
                Journal.search([("code", "=", "LOYV"), ("company_id", "=", self.id)], limit=1)
                or Journal.create(
                    {
                        "name": "Gift Vouchers",
                        "code": "LOYV",
                        "type": "sale",
                        "company_id": self.id,
                    }
                )
            ).id
        if vals:
            self.sudo().write(vals)

    def _legal_limit_other_payment_totals(self, date_from, date_to):
        """Voucher payments in member shops between two local days count towards
        the limited network's legal limit, voucher payments given back deducted
        (one set-based sum over the voucher ledger)."""
        total = super()._legal_limit_other_payment_totals(date_from, date_to)
        start, end = NetworkRules.of(self).utc_bounds(date_from, date_to)
        self.env["loyalty.network.voucher.entry"].flush_model(
            ["amount", "entry_type", "date", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT -COALESCE(SUM(amount), 0)
                  FROM loyalty_network_voucher_entry
                 WHERE company_id = %s AND entry_type IN ('redemption', 'refund')
                   AND date >= %s AND date < %s
                """,
                self.id,
                start,
                end,
            )
        )
        return total + self.env.cr.fetchone()[0]


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _post_load_data(self, template_code, company, template_data):
        result = super()._post_load_data(template_code, company, template_data)
        company._loyalty_voucher_ensure_accounting()
        return result
