from odoo import Command, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_settlement_cadence = fields.Selection(
        [("monthly", "Monthly"), ("weekly", "Weekly")],
        string="Settlement Cadence",
        default="monthly",
        required=True,
        help="Weekly: every week from Monday to Sunday, in the network's local days.",
    )
    loyalty_sepa_prenotification_days = fields.Integer(
        string="Direct Debit Pre-notification (days)",
        default=14,
        help="Calendar days between the end of the period and the direct debit: the "
        "statement email announces the amount and the date at least this long before.",
    )
    loyalty_pending_credit = fields.Boolean(
        string="Credit Spendable Once the Shop's Settlement Is Paid",
        help="Credit a holder earns in a shop stays pending until the settlement of that "
        "shop covering it is paid: the network never advances money. Network-funded "
        "credit (birthday bonus paid by the network, sponsored credit) is spendable at once.",
    )
    loyalty_sepa_debit_mode_id = fields.Many2one(
        "account.payment.mode",
        string="Direct Debit Payment Mode",
        domain="[('payment_method_id.code', '=', 'sepa_direct_debit')]",
        help="Collects what shops owe (pain.008).",
    )
    loyalty_sepa_transfer_mode_id = fields.Many2one(
        "account.payment.mode",
        string="Credit Transfer Payment Mode",
        domain="[('payment_method_id.code', '=', 'sepa_credit_transfer')]",
        help="Pays what shops are owed (pain.001).",
    )

    def _loyalty_sepa_mode(self, payment_type):
        """The payment mode of the network's direct debits (``inbound``) or credit
        transfers (``outbound``), created on the first bank journal holding the
        association's IBAN when not set."""
        self.ensure_one()
        fname, xmlid, name = {
            "inbound": (
                "loyalty_sepa_debit_mode_id",
                "account_banking_sepa_direct_debit.sepa_direct_debit",
                self.env._("Loyalty: SEPA direct debit of the shops"),
            ),
            "outbound": (
                "loyalty_sepa_transfer_mode_id",
                "account_banking_sepa_credit_transfer.sepa_credit_transfer",
                self.env._("Loyalty: SEPA credit transfer to the shops"),
            ),
        }[payment_type]
        if self[fname]:
            return self[fname]
        journal = (
            self.env["account.journal"]
            .search([("type", "=", "bank"), ("company_id", "=", self.id)])
            .filtered(lambda j: j.bank_account_id.acc_type == "iban")[:1]
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Enter the association's IBAN on a bank journal first: the payment "
                    "files debit and credit that account."
                )
            )
        method = self.env.ref(xmlid)
        lines_field = f"{payment_type}_payment_method_line_ids"
        if method not in journal[lines_field].payment_method_id:
            journal.write({lines_field: [Command.create({"payment_method_id": method.id})]})
        mode = self.env["account.payment.mode"].create(
            {
                "name": name,
                "company_id": self.id,
                "payment_method_id": method.id,
                "bank_account_link": "fixed",
                "fixed_journal_id": journal.id,
                "default_date_prefered": "due",
                # A debit never before the pre-notified date (the invoice's due date)
                "no_debit_before_maturity": payment_type == "inbound",
            }
        )
        self[fname] = mode
        return mode
