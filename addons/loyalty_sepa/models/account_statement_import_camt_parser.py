from odoo import models


class AccountStatementImportCamtParser(models.AbstractModel):
    _inherit = "account.statement.import.camt.parser"

    def parse_transaction_details(self, ns, node, transaction):
        """Keep the end-to-end id and the return reason of each transaction apart:
        they match the settlement and tell a returned debit (R-transaction)."""
        result = super().parse_transaction_details(ns, node, transaction)
        self.add_value_from_node(
            ns, node, ["./ns:Refs/ns:EndToEndId"], transaction, "loyalty_end_to_end_id"
        )
        self.add_value_from_node(
            ns,
            node,
            ["./ns:RtrInf/ns:Rsn/ns:Cd", "./ns:RtrInf/ns:Rsn/ns:Prtry"],
            transaction,
            "loyalty_return_reason",
        )
        return result
