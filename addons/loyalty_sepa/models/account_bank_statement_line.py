from odoo import Command, fields, models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    loyalty_end_to_end_id = fields.Char(
        string="End-to-End Id", readonly=True, index="btree_not_null"
    )
    loyalty_return_reason = fields.Char(
        string="Return Reason", readonly=True, help="Reason code of a returned SEPA payment."
    )

    def _loyalty_sepa_reconcile(self):
        """Match the lines paying (or returning) a settlement, found by end-to-end id.

        A paid line is reconciled with the payment made by the payment order (or
        with the invoice when no payment was booked); a returned payment
        (R-transaction: return reason, or an amount in the other direction)
        re-opens the settlement's invoice.
        """
        Settlement = self.env["loyalty.network.settlement"]
        for st_line in self.filtered(
            lambda line: line.loyalty_end_to_end_id and not line.is_reconciled
        ):
            settlement = Settlement._sepa_settlement_of(st_line.loyalty_end_to_end_id)
            move = settlement.move_id
            if not move:
                continue
            collects = move.move_type == "out_invoice"
            returned = bool(st_line.loyalty_return_reason) or (
                (st_line.amount < 0) if collects else (st_line.amount > 0)
            )
            if returned:
                settlement._sepa_reopen(st_line, st_line.loyalty_return_reason or "")
                continue
            payments = move._loyalty_sepa_payments()
            outstanding = payments.outstanding_account_id
            targets = payments.move_id.line_ids.filtered(
                lambda ml, accounts=outstanding: ml.account_id in accounts and not ml.reconciled
            )
            if not targets:
                targets = move.line_ids.filtered(
                    lambda ml: ml.account_id.account_type == "asset_receivable"
                    and not ml.reconciled
                )
            if targets:
                st_line._loyalty_reconcile_with(targets, targets.account_id[:1])

    def _loyalty_reconcile_with(self, move_lines, account):
        """Book this line's counterpart on ``account`` and reconcile it with ``move_lines``."""
        self.ensure_one()
        partner = move_lines.partner_id[:1] or self.partner_id
        if not self.partner_id and partner:
            self.partner_id = partner
        _liquidity, suspense, _other = self._seek_for_lines()
        self.move_id.with_context(skip_readonly_check=True).write(
            {
                "line_ids": [
                    Command.update(
                        suspense.id, {"account_id": account.id, "partner_id": partner.id}
                    )
                ]
            }
        )
        if move_lines:
            (suspense + move_lines).reconcile()
