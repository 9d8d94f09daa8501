import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

MAX_BATCH = 500


class LoyaltyNetworkVoucherSell(models.TransientModel):
    """The association sells one voucher or a batch (a works council's order),
    invoiced to the buyer: the invoice books the receivable against the
    voucher liability."""

    _name = "loyalty.network.voucher.sell"
    _description = "Sell Gift Vouchers"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    buyer_id = fields.Many2one(
        "res.partner", string="Invoiced to", required=True, help="A person or a company."
    )
    quantity = fields.Integer(default=1, required=True)
    face_value = fields.Monetary(required=True, default=20.0)
    partner_id = fields.Many2one(
        "res.partner", string="Holder", help="Optional, for a single voucher: who receives it."
    )
    category_ids = fields.Many2many(
        "loyalty.network.merchant.category",
        "loyalty_network_voucher_sell_category_rel",
        "wizard_id",
        "category_id",
        string="Valid in Categories",
        help="Empty: valid in every member shop.",
    )
    send_email = fields.Boolean(
        string="Email the E-voucher", help="Send the voucher to its holder's email address."
    )
    operation_ref = fields.Char(default=lambda self: uuid.uuid4().hex, readonly=True)
    total_amount = fields.Monetary(compute="_compute_total_amount")

    @api.depends("quantity", "face_value")
    def _compute_total_amount(self):
        for wizard in self:
            wizard.total_amount = wizard.currency_id.round(wizard.quantity * wizard.face_value)

    def action_sell(self):
        self.ensure_one()
        Voucher = self.env["loyalty.network.voucher"]
        Voucher._check_staff()
        if not 1 <= self.quantity <= MAX_BATCH:
            raise UserError(self.env._("Sell between 1 and %s vouchers at once.", MAX_BATCH))
        if self.partner_id and self.quantity > 1:
            raise UserError(self.env._("A holder can be given for a single voucher only."))
        if self.send_email and not (self.partner_id or self.buyer_id).email:
            raise UserError(self.env._("The holder has no email address."))
        company = self.company_id
        company._loyalty_voucher_ensure_accounting()
        # Staff sell vouchers without being accountants: the invoice is made by
        # the server from the checked figures above (never from the caller).
        invoice = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.buyer_id.id,
                    "journal_id": company.loyalty_voucher_journal_id.id,
                    "company_id": company.id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": self.env._("Network gift vouchers"),
                                "account_id": company.loyalty_voucher_liability_account_id.id,
                                "quantity": self.quantity,
                                "price_unit": self.face_value,
                                "tax_ids": [(6, 0, [])],
                            },
                        )
                    ],
                }
            )
        )
        entries = self.env["loyalty.network.voucher.entry"]
        for index in range(self.quantity):
            entries |= Voucher._sell(
                self.env["loyalty.network.merchant"],
                self.face_value,
                f"staff:{self.operation_ref}:{index}",
                partner=self.partner_id or None,
                buyer=self.buyer_id,
                categories=self.category_ids,
                move=invoice,
                company=company,
            )
        invoice.action_post()
        vouchers = entries.sudo().voucher_id.sudo(False)
        if self.send_email:
            if not self.partner_id:
                vouchers.write({"partner_id": self.buyer_id.id})
            vouchers.action_send_email()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Gift Vouchers Sold"),
            "res_model": "loyalty.network.voucher",
            "view_mode": "list,form",
            "domain": [("id", "in", vouchers.ids)],
        }
