from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import pos_fields_without


class PosOrder(models.Model):
    _inherit = "pos.order"

    loyalty_card_number = fields.Char(
        copy=False, help="Card scanned on the order; earning is decided when the order syncs."
    )
    loyalty_entry_ids = fields.Many2many(
        "loyalty.network.entry",
        compute="_compute_loyalty_entry_ids",
        compute_sudo=True,
        string="Loyalty Entries",
    )
    loyalty_credit = fields.Monetary(compute="_compute_loyalty_entry_ids", compute_sudo=True)
    loyalty_wallet_paid = fields.Monetary(compute="_compute_loyalty_entry_ids", compute_sudo=True)
    # The receipt prints what was posted at sync: plain figures the POS loads
    # with the synchronised order (the ledger records stay on the server).
    loyalty_receipt_credit = fields.Monetary(
        string="Credit Posted",
        compute="_compute_loyalty_receipt",
        compute_sudo=True,
        help="Credit posted on the holder's wallet by this order (negative for a refund).",
    )
    loyalty_receipt_opening_fee = fields.Monetary(
        string="Opening Fee Taken",
        compute="_compute_loyalty_receipt",
        compute_sudo=True,
        help="Account opening fee taken from the wallet when this order's credit reached it.",
    )
    loyalty_receipt_wallet_paid = fields.Monetary(
        string="Paid from the Wallet",
        compute="_compute_loyalty_receipt",
        compute_sudo=True,
        help="Paid from the holder's wallet by this order (negative: given back by a refund).",
    )
    loyalty_receipt_balance_after = fields.Monetary(
        string="Wallet Balance After",
        compute="_compute_loyalty_receipt",
        compute_sudo=True,
        help="The holder's wallet balance once this order's entries were posted.",
    )

    @api.depends("uuid", "loyalty_card_number", "state")
    def _compute_loyalty_receipt(self):
        """Figures of the entries this order posted at sync. The opening fee is
        posted under the wallet lock right after the entry that raised the
        balance to it: it belongs to this order when the entry just before it in
        the wallet's history is one of the order's."""
        Entry = self.env["loyalty.network.entry"]
        refs_by_order = {order: order._loyalty_refs() for order in self}
        entries = Entry.search(
            [("source_ref", "in", [ref for refs in refs_by_order.values() for ref in refs])]
        )
        fees = Entry.search(
            [
                ("entry_type", "=", "opening_fee"),
                (
                    "source_ref",
                    "in",
                    [f"opening-fee/{wallet_id}" for wallet_id in entries.wallet_id.ids],
                ),
            ]
        )
        fee_trigger = {
            fee: Entry.search(
                [("wallet_id", "=", fee.wallet_id.id), ("id", "<", fee.id)],
                order="id desc",
                limit=1,
            )
            for fee in fees
        }
        for order in self:
            refs = refs_by_order[order]
            mine = entries.filtered(lambda e, refs=refs: e.source_ref in refs)
            fee = fees.filtered(lambda f, mine=mine: fee_trigger[f] in mine)
            posted = (mine | fee).sorted("id")
            order.loyalty_receipt_credit = sum(
                mine.filtered(lambda e: e.entry_type in ("earn", "earn_reversal")).mapped("amount")
            )
            order.loyalty_receipt_wallet_paid = -sum(
                mine.filtered(lambda e: e.entry_type in ("spend", "spend_reversal")).mapped(
                    "amount"
                )
            )
            order.loyalty_receipt_opening_fee = -sum(fee.mapped("amount"))
            if posted:
                order.loyalty_receipt_balance_after = posted[-1].balance_after
            else:  # nothing to post (a 0.00 order): the wallet as it stands
                order.loyalty_receipt_balance_after = order._loyalty_get_wallet().balance

    def _loyalty_get_wallet(self):
        """The wallet of the card on this order, in its till's network (or none)."""
        self.ensure_one()
        company = self.config_id.sudo().loyalty_merchant_id.company_id
        if not (self.loyalty_card_number and company):
            return self.env["loyalty.network.wallet"]
        card = self.env["loyalty.network.card"]._find_by_number(self.loyalty_card_number).sudo()
        return card.partner_id.loyalty_wallet_ids.filtered(lambda w: w.company_id == company)

    @api.model
    def _load_pos_data_fields(self, config):
        return pos_fields_without(
            self,
            super()._load_pos_data_fields(config),
            {"loyalty_entry_ids", "loyalty_credit", "loyalty_wallet_paid"},
        )

    @api.depends("uuid")
    def _compute_loyalty_entry_ids(self):
        entries = (
            self.env["loyalty.network.entry"]
            .sudo()
            .search(
                [("source_ref", "in", [ref for order in self for ref in order._loyalty_refs()])]
            )
        )
        for order in self:
            refs = order._loyalty_refs()
            mine = entries.filtered(lambda e, refs=refs: e.source_ref in refs)
            order.loyalty_entry_ids = mine
            order.loyalty_credit = sum(
                mine.filtered(lambda e: e.entry_type in ("earn", "earn_reversal")).mapped("amount")
            )
            order.loyalty_wallet_paid = -sum(
                mine.filtered(lambda e: e.entry_type in ("spend", "spend_reversal")).mapped(
                    "amount"
                )
            )

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if draft or self.state not in ("paid", "done", "invoiced"):
            return order_id
        if self.loyalty_card_number:
            self._loyalty_post_entries()
        elif self.payment_ids.filtered("payment_method_id.is_loyalty_wallet"):
            raise UserError(self.env._("Scan the holder's card to pay with the loyalty wallet."))
        return order_id

    def _loyalty_refs(self):
        self.ensure_one()
        return [f"pos:{self.uuid}", f"pos:{self.uuid}:spend"]

    def _loyalty_post_entries(self):
        """Post the wallet payment and the earning of this order, or reverse them
        for a refund. References derive from the order's uuid, so a sync sent
        again (offline retry, double click) records nothing more."""
        self.ensure_one()
        merchant = self.config_id.loyalty_merchant_id
        if not merchant:
            raise UserError(
                self.env._("This point of sale is not linked to a loyalty merchant: no card.")
            )
        # The cashier is not necessarily a merchant user of the back office: the
        # point of sale's link to its merchant, set by the association, is the
        # authority here, so the wallet service runs with elevated rights.
        Wallet = self.env["loyalty.network.wallet"].sudo()
        card = self.env["loyalty.network.card"]._find_by_number(self.loyalty_card_number).sudo()
        if not card:
            raise UserError(self.env._("Unknown loyalty card %s.", self.loyalty_card_number))
        currency = self.currency_id
        wallet_paid = currency.round(
            sum(self.payment_ids.filtered("payment_method_id.is_loyalty_wallet").mapped("amount"))
        )
        refunded_orders = self.lines.refunded_orderline_id.order_id
        if refunded_orders:
            return self._loyalty_reverse(Wallet, refunded_orders[:1], wallet_paid)
        if currency.compare_amounts(wallet_paid, 0) > 0:
            Wallet._spend(
                card, merchant, wallet_paid, f"pos:{self.uuid}:spend", date=self.date_order
            )
        other_means = currency.round(self.amount_total - wallet_paid)
        if currency.compare_amounts(other_means, 0) > 0:
            Wallet._credit_purchase(
                card,
                merchant,
                other_means,
                f"pos:{self.uuid}",
                plan=self.config_id.loyalty_plan_id or None,
                date=self.date_order,
            )

    def _loyalty_reverse(self, Wallet, origin, wallet_paid):
        """Refund order: reverse the credit of the refunded part and give back
        the wallet payment in proportion."""
        currency = self.currency_id
        Entry = self.env["loyalty.network.entry"].sudo()
        earning = Entry.search([("source_ref", "=", f"pos:{origin.uuid}")], limit=1)
        spend = Entry.search([("source_ref", "=", f"pos:{origin.uuid}:spend")], limit=1)
        refunded = currency.round(-self.amount_total)
        if spend and origin.amount_total:
            give_back = currency.round(-spend.amount * refunded / origin.amount_total)
            give_back = min(give_back, spend._get_refundable_spend())
            if currency.compare_amounts(give_back, 0) > 0:
                Wallet._refund(spend, give_back, f"pos:{self.uuid}:spend", date=self.date_order)
        else:
            give_back = 0.0
        if earning:
            purchase_part = min(
                currency.round(refunded - give_back), earning._get_refundable_purchase()
            )
            if currency.compare_amounts(purchase_part, 0) > 0:
                Wallet._refund(earning, purchase_part, f"pos:{self.uuid}", date=self.date_order)
