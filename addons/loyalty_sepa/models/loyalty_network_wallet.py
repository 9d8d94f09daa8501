from odoo import models
from odoo.tools import SQL


class LoyaltyNetworkWallet(models.Model):
    _inherit = "loyalty.network.wallet"

    def _get_pending_amount(self):
        """Credit earned in shops whose settlement covering it is not paid yet.

        Only when the network holds credit back (``loyalty_pending_credit``):
        otherwise the core rule (``None``, spendable at once) and no query.
        Pending is, per purchase credit (``earn``) not settled yet or settled
        in a settlement whose invoice is not ``paid`` (registered and bank
        reconciled; ``in_payment`` is a debit sent but not collected, and a
        returned debit re-opens the invoice): the part the shop funds (the
        credit minus the network-funded birthday bonus), net of its refunds,
        never below zero. Network-funded credit (birthday bonus paid by the
        network, sponsored credit, adjustments) is spendable at once.
        """
        self.ensure_one()
        if not self.company_id.loyalty_pending_credit:
            return super()._get_pending_amount()
        self.env["loyalty.network.entry"].flush_model()
        self.env["loyalty.network.settlement"].flush_model(["move_id"])
        self.env["account.move"].flush_model(["payment_state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(GREATEST(held.amount, 0)), 0)
                  FROM (
                    SELECT e.amount - COALESCE(e.network_expense, 0)
                           + COALESCE((
                               SELECT SUM(r.amount - COALESCE(r.uncovered_amount, 0)
                                          - COALESCE(r.network_expense, 0))
                                 FROM loyalty_network_entry r
                                WHERE r.origin_entry_id = e.id
                                  AND r.entry_type = 'earn_reversal'), 0) AS amount
                      FROM loyalty_network_entry e
                      LEFT JOIN loyalty_network_settlement_entry_rel rel ON rel.entry_id = e.id
                      LEFT JOIN loyalty_network_settlement s ON s.id = rel.settlement_id
                      LEFT JOIN account_move m ON m.id = s.move_id
                     WHERE e.wallet_id = %(wallet)s
                       AND e.entry_type = 'earn'
                       AND e.merchant_id IS NOT NULL
                       AND m.payment_state IS DISTINCT FROM 'paid'
                  ) held
                """,
                wallet=self.id,
            )
        )
        pending = self.env.cr.fetchone()[0]
        return self._get_rules().round(pending)
