from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.annonay_loyalty.services import money_engine as engine

VOUCHER_ENTRY_TYPES = [
    ("sale", "Voucher Sold"),
    ("redemption", "Paid with a Voucher"),
    ("refund", "Voucher Payment Given Back"),
    ("expiry", "Voucher Expired"),
    ("cancel", "Voucher Cancelled"),
]


class LoyaltyNetworkVoucherEntry(models.Model):
    """One line of a voucher's history (append-only: never edited nor deleted)."""

    _name = "loyalty.network.voucher.entry"
    _description = "Loyalty Network Gift Voucher Entry"
    _order = "date desc, id desc"
    _rec_name = "source_ref"
    _check_company_auto = True

    voucher_id = fields.Many2one(
        "loyalty.network.voucher", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", string="Network", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        string="Shop",
        readonly=True,
        check_company=True,
        ondelete="restrict",
        help="Shop of the sale or of the payment; empty for the network's own operations.",
    )
    user_id = fields.Many2one("res.users", string="Operator", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    entry_type = fields.Selection(VOUCHER_ENTRY_TYPES, string="Type", required=True, readonly=True)
    source_ref = fields.Char(
        string="Source Reference",
        required=True,
        readonly=True,
        help="Reference of the operation, unique per shop: sent twice, recorded once.",
    )
    amount = fields.Monetary(
        readonly=True, help="Movement of the voucher: positive credits, negative debits."
    )
    balance_after = fields.Monetary(readonly=True)
    commission = fields.Monetary(
        readonly=True,
        help="Network commission on a voucher payment (negative when given back).",
    )
    origin_entry_id = fields.Many2one(
        "loyalty.network.voucher.entry",
        string="Voucher Payment Given Back",
        readonly=True,
        index="btree_not_null",
    )
    reversal_ids = fields.One2many("loyalty.network.voucher.entry", "origin_entry_id")
    reason = fields.Char(readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        help="Sale by the association: the invoice that booked it.",
    )
    settlement_ids = fields.Many2many(
        "loyalty.network.settlement",
        "loyalty_network_settlement_voucher_entry_rel",
        "entry_id",
        "settlement_id",
        string="Settlements",
        readonly=True,
        copy=False,
    )

    _source_ref_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (source_ref, merchant_id)",
        "This operation has already been recorded.",
    )
    _merchant_date_idx = models.Index("(merchant_id, date)")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("Voucher history cannot be changed: record a refund instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ledger(self):
        raise UserError(self.env._("Voucher history cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_refundable(self):
        """What of this voucher payment can still be given back to the voucher."""
        self.ensure_one()
        rules = engine.NetworkRules.of(self.company_id)
        return max(rules.round(-self.amount - sum(self.reversal_ids.mapped("amount"))), 0.0)
