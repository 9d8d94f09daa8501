from odoo import api, fields, models
from odoo.exceptions import AccessError


class LoyaltySepaReturn(models.Model):
    """A payment of a settlement returned by the bank (SEPA R-transaction).

    While it is open, the settlement's invoice is open again and the shop's
    mandate is not debited; the staff clear it once they dealt with the shop.
    """

    _name = "loyalty.sepa.return"
    _description = "Returned SEPA Payment"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="settlement_id.company_id", store=True, index=True, string="Company"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    settlement_id = fields.Many2one(
        "loyalty.network.settlement", required=True, readonly=True, ondelete="restrict"
    )
    merchant_id = fields.Many2one(
        related="settlement_id.merchant_id", store=True, index=True, string="Merchant"
    )
    membership_id = fields.Many2one(
        "loyalty.network.membership", readonly=True, index=True, ondelete="restrict"
    )
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Bank Statement Line", readonly=True
    )
    amount = fields.Monetary(readonly=True)
    reason_code = fields.Char(
        string="Return Reason", readonly=True, help="ISO 20022 code, e.g. AM04 (no funds)."
    )
    date = fields.Date(readonly=True)
    state = fields.Selection(
        [("open", "To Handle"), ("cleared", "Cleared")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    cleared_by_id = fields.Many2one("res.users", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        returns = super().create(vals_list)
        # Returns are created from bank statements imported by the accountants, who
        # need not write agreements: blocking the mandate is the only write, hence sudo.
        returns.membership_id.sudo().debit_blocked = True
        return returns

    def action_clear(self):
        """The staff dealt with the shop: its mandate may be debited again."""
        if not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            raise AccessError(self.env._("Only the association's staff can clear a bank return."))
        self.write({"state": "cleared", "cleared_by_id": self.env.uid})
        # The staff checked above; the flag follows the open returns: sudo to write it.
        for membership in self.membership_id.sudo():
            membership.debit_blocked = bool(
                membership.return_ids.filtered(lambda r: r.state == "open")
            )
        return True
