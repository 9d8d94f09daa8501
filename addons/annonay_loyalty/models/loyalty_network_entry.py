from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..services import money_engine as engine
from ..services.money_engine import ENTRY_FAMILIES, ENTRY_TYPES


class LoyaltyNetworkEntry(models.Model):
    """One line of a holder's wallet history.

    The ledger is append-only: entries are created by the wallet's posting
    methods and never edited nor deleted; corrections are new entries.
    """

    _name = "loyalty.network.entry"
    _description = "Loyalty Network Wallet Entry"
    _order = "date desc, id desc"
    _rec_name = "source_ref"
    _check_company_auto = True

    wallet_id = fields.Many2one(
        "loyalty.network.wallet", required=True, readonly=True, index=True, ondelete="restrict"
    )
    # partner_id and merchant_id are indexed by the (…, date) indexes below
    partner_id = fields.Many2one("res.partner", string="Holder", required=True, readonly=True)
    company_id = fields.Many2one("res.company", string="Network", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    # History keeps its shop, plan and card: they are archived, never deleted.
    card_id = fields.Many2one(
        "loyalty.network.card", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    merchant_id = fields.Many2one(
        "loyalty.network.merchant", readonly=True, check_company=True, ondelete="restrict"
    )
    user_id = fields.Many2one(
        "res.users", string="Operator", readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    entry_type = fields.Selection(ENTRY_TYPES, string="Type", required=True, readonly=True)
    family = fields.Selection(
        ENTRY_FAMILIES,
        compute="_compute_family",
        store=True,
        index=True,
        help="What the entry is for: every report groups entries by it.",
    )
    source_ref = fields.Char(
        string="Source Reference",
        required=True,
        readonly=True,
        help="Reference of the operation (POS order, terminal operation, ...), unique per "
        "shop: the same operation sent twice is recorded once.",
    )
    amount = fields.Monetary(
        readonly=True, help="Movement of the wallet: positive credits, negative debits."
    )
    balance_after = fields.Monetary(string="Balance After", readonly=True)
    # Earnings (and their reversals, with negative amounts)
    purchase_amount = fields.Monetary(
        string="Purchase (incl. taxes)",
        readonly=True,
        help="Part of the purchase that earned credit (paid by other means than the wallet).",
    )
    eligible_amount = fields.Monetary(
        readonly=True, help="Part of the purchase that earned credit after the daily cap."
    )
    plan_id = fields.Many2one(
        "loyalty.network.plan", string="Rate Plan", readonly=True, ondelete="restrict"
    )
    cardholder_rate = fields.Float(string="Rate Applied (%)", readonly=True)
    base_credit = fields.Monetary(readonly=True, help="Credit of the merchant's plan.")
    birthday_bonus = fields.Monetary(readonly=True)
    boost_bonus = fields.Monetary(readonly=True, help="Extra credit of a merchant boost.")
    birthday_funded_by = fields.Selection(
        [("network", "Network"), ("merchant", "Merchant")], readonly=True
    )
    merchant_contribution = fields.Monetary(
        readonly=True, help="What the merchant owes the network for this entry."
    )
    network_fee = fields.Monetary(readonly=True)
    network_expense = fields.Monetary(
        readonly=True, help="Credit funded by the network (birthday top-up)."
    )
    capped_amount = fields.Monetary(
        readonly=True, help="Credit not given because of the maximum wallet balance."
    )
    uncovered_amount = fields.Monetary(
        readonly=True,
        help="Refund of a purchase whose credit was already spent: the part of the credit the "
        "wallet could not give back, borne by the network (network setting).",
    )
    origin_entry_id = fields.Many2one(
        "loyalty.network.entry",
        string="Reversed Entry",
        readonly=True,
        index="btree_not_null",
        help="For a refund: the purchase or wallet payment it reverses.",
    )
    reversal_ids = fields.One2many("loyalty.network.entry", "origin_entry_id", readonly=True)
    reason = fields.Char(readonly=True)

    # One entry per reference and shop; the network's own entries (no shop:
    # opening fee, forfeit, adjustment) share one scope, hence NULLS NOT DISTINCT.
    # source_ref first, so that lookups by reference alone use the index too.
    _source_ref_unique = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (source_ref, merchant_id)",
        "This operation has already been recorded.",
    )
    _partner_date_idx = models.Index("(partner_id, date DESC)")
    _merchant_date_idx = models.Index("(merchant_id, date)")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("entry_type")
    def _compute_family(self):
        for entry in self:
            entry.family = engine.FAMILY_OF_TYPE.get(entry.entry_type)

    @api.model
    @tools.ormcache("entry_type")
    def _get_family_of_type(self, entry_type):
        """The family of an entry of ``entry_type``, as ``_compute_family`` (and its
        overrides in other addons) decides it: the wallet posts entries in SQL."""
        return self.new({"entry_type": entry_type}).family

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "Wallet history cannot be changed. Record a correction (adjustment or refund) "
                    "instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ledger(self):
        raise UserError(
            self.env._("Wallet history cannot be deleted. Record a correction instead.")
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_refundable_purchase(self):
        """Purchase amount of this earning not refunded yet."""
        self.ensure_one()
        wallet = self.wallet_id
        return engine.refundable_purchase(
            wallet._get_rules(),
            wallet._get_entry_values(self),
            [wallet._get_entry_values(r) for r in self.reversal_ids],
        )

    def _get_refundable_spend(self):
        """Wallet payment of this spend not given back yet."""
        self.ensure_one()
        wallet = self.wallet_id
        return engine.refundable_spend(
            wallet._get_rules(),
            wallet._get_entry_values(self),
            [wallet._get_entry_values(r) for r in self.reversal_ids],
        )

    def _get_ticket_labels(self):
        """Each sale as the shop knows it: its POS order, or the terminal and the local time.

        Returns ``{entry id: label}``, for the terminal's refund picker and the
        printed recap (a raw source reference means nothing to a holder).
        """
        pos_uuids = {
            entry.id: entry.source_ref.split(":")[1]
            for entry in self
            if (entry.source_ref or "").startswith("pos:")
        }
        orders = {}
        if pos_uuids and "pos.order" in self.env:
            # Only the names of the orders behind entries the caller reads are read.
            orders = {
                order.uuid: order.name
                for order in self.env["pos.order"]
                .sudo()
                .search([("uuid", "in", list(pos_uuids.values()))])
            }
        labels = {}
        for entry in self:
            if orders.get(pos_uuids.get(entry.id)):
                labels[entry.id] = orders[pos_uuids[entry.id]]
                continue
            time = format_datetime(
                self.env,
                entry.date,
                tz=entry.company_id.loyalty_tz or engine.DEFAULT_TZ,
                dt_format="HH:mm",
            )
            source_ref = entry.source_ref or ""
            if source_ref.startswith("terminal"):
                labels[entry.id] = self.env._("Terminal %s", time)
            elif source_ref.startswith("pos:"):
                labels[entry.id] = self.env._("Till %s", time)
            else:
                labels[entry.id] = self.env._("Sale %s", time)
        return labels

    def _get_ticket_label(self):
        """The ticket label of one entry (see ``_get_ticket_labels``)."""
        self.ensure_one()
        return self._get_ticket_labels()[self.id]
