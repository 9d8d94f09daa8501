from odoo import models


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    def _create_bank_statements(self, stmts_vals, result):
        """Imported lines carrying a settlement's end-to-end id are reconciled at once."""
        res = super()._create_bank_statements(stmts_vals, result)
        statements = self.env["account.bank.statement"].browse(result["statement_ids"])
        statements.line_ids._loyalty_sepa_reconcile()
        return res
