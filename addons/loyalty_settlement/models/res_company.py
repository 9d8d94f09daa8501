from odoo import api, fields, models

# code, name, account type: created once per company when missing (editable after)
LOYALTY_ACCOUNTS = {
    "loyalty_liability_account_id": ("467900", "Loyalty wallets (holders)", "liability_current"),
    "loyalty_fee_income_account_id": ("706900", "Loyalty network fees", "income"),
    "loyalty_opening_fee_income_account_id": ("706800", "Loyalty opening fees", "income"),
    "loyalty_forfeit_income_account_id": ("758900", "Loyalty forfeited wallets", "income_other"),
    "loyalty_bonus_expense_account_id": ("623900", "Loyalty birthday top-ups", "expense"),
    "loyalty_adjustment_account_id": ("658900", "Loyalty wallet adjustments", "expense"),
    "loyalty_uncovered_expense_account_id": (
        "658800",
        "Loyalty refunded credits borne by the network",
        "expense",
    ),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_settlement_journal_id = fields.Many2one(
        "account.journal",
        string="Settlement Journal",
        help="Sales journal of merchant settlements.",
    )
    loyalty_network_journal_id = fields.Many2one(
        "account.journal",
        string="Loyalty Miscellaneous Journal",
        help="Opening fees, forfeits, network-funded top-ups and adjustments.",
    )
    loyalty_liability_account_id = fields.Many2one("account.account", string="Wallet Liability")
    loyalty_fee_income_account_id = fields.Many2one("account.account", string="Network Fee Income")
    loyalty_opening_fee_income_account_id = fields.Many2one(
        "account.account", string="Opening Fee Income"
    )
    loyalty_forfeit_income_account_id = fields.Many2one("account.account", string="Forfeit Income")
    loyalty_bonus_expense_account_id = fields.Many2one(
        "account.account", string="Network-funded Credit Expense"
    )
    loyalty_adjustment_account_id = fields.Many2one("account.account", string="Wallet Adjustments")
    loyalty_uncovered_expense_account_id = fields.Many2one(
        "account.account",
        string="Refunded Credits Borne by the Network",
        help="Refund of a purchase whose credit was already spent, under the policy "
        "'the network bears the rest': the credit the wallet could not give back.",
    )
    loyalty_contribution_product_id = fields.Many2one(
        "product.product", string="Contribution Product", help="Invoiced credits and fees."
    )
    loyalty_reimbursement_product_id = fields.Many2one(
        "product.product",
        string="Reimbursement Product",
        help="Wallet payments owed back to the merchant.",
    )
    loyalty_fee_tax_ids = fields.Many2many(
        "account.tax", string="Taxes on the Network Fee", help="Optional (e.g. VAT on the fee)."
    )

    def _loyalty_ensure_accounting(self):
        """Create the settlement journals and accounts this company lacks."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self)
        vals = {}
        for fname, (code, name, account_type) in LOYALTY_ACCOUNTS.items():
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
        Journal = self.env["account.journal"].sudo().with_company(self)
        for fname, name, code, journal_type in (
            ("loyalty_settlement_journal_id", "Loyalty Settlements", "LOYS", "sale"),
            ("loyalty_network_journal_id", "Loyalty Network", "LOYN", "general"),
        ):
            if not self[fname]:
                vals[fname] = (
                    Journal.search([("code", "=", code), ("company_id", "=", self.id)], limit=1)
                    or Journal.create(
                        {"name": name, "code": code, "type": journal_type, "company_id": self.id}
                    )
                ).id
        Product = self.env["product.product"].sudo()
        for fname, name in (
            ("loyalty_contribution_product_id", "Loyalty card contributions"),
            ("loyalty_reimbursement_product_id", "Loyalty wallet payments reimbursed"),
        ):
            if not self[fname]:
                vals[fname] = Product.create(
                    {
                        "name": name,
                        "type": "service",
                        "sale_ok": False,
                        "purchase_ok": False,
                        "taxes_id": False,
                        "company_id": self.id,
                    }
                ).id
        if vals:
            self.sudo().write(vals)


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _post_load_data(self, template_code, company, template_data):
        """A chart of accounts loaded after this module: its settlement accounts,
        journals and products are created with it, not at the first run."""
        result = super()._post_load_data(template_code, company, template_data)
        company._loyalty_ensure_accounting()
        return result
