from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from odoo.addons.annonay_loyalty.services import money_engine as engine

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

    @api.depends("loyalty_entry_ids", "loyalty_card_number", "state")
    def _compute_loyalty_receipt(self):
        """Figures of the entries this order posted at sync. The opening fee is
        posted under the wallet lock right after the entry that raised the
        balance to it: it belongs to this order when the entry just before it in
        the wallet's history is one of the order's."""
        Entry = self.env["loyalty.network.entry"]
        entries = self.loyalty_entry_ids
        fees = Entry.search(
            [
                ("family", "=", "fee"),
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
            mine = order.loyalty_entry_ids
            fee = fees.filtered(lambda f, mine=mine: fee_trigger[f] in mine)
            posted = (mine | fee).sorted("id")
            order.loyalty_receipt_credit = order.loyalty_credit
            order.loyalty_receipt_wallet_paid = order.loyalty_wallet_paid
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

    @api.depends("uuid", "lines.refunded_orderline_id")
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
                mine.filtered(lambda e: e.family == "earning").mapped("amount")
            )
            order.loyalty_wallet_paid = -sum(
                mine.filtered(lambda e: e.family == "spending").mapped("amount")
            )

    def _process_saved_order(self, draft):
        # Refused before anything is posted: the whole sync then rolls back.
        self._loyalty_check_refunded_orders()
        order_id = super()._process_saved_order(draft)
        if draft or self.state not in ("paid", "done", "invoiced"):
            return order_id
        wallet_lines = self.payment_ids.filtered("payment_method_id.is_loyalty_wallet")
        if self.lines.refunded_orderline_id:
            self._loyalty_post_refund()
        elif self.loyalty_card_number:
            self._loyalty_post_entries()
        elif wallet_lines:
            raise UserError(self.env._("Scan the holder's card to pay with the loyalty wallet."))
        return order_id

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _loyalty_refs(self):
        """Source references of this order's entries (a refund's per refunded order)."""
        self.ensure_one()
        refs = self._loyalty_sale_refs()
        for origin in self.lines.refunded_orderline_id.order_id:
            refs += self._loyalty_refund_refs(origin)
        return refs

    def _loyalty_sale_refs(self):
        self.ensure_one()
        return [f"pos:{self.uuid}", f"pos:{self.uuid}:spend"]

    def _loyalty_refund_refs(self, origin):
        """References of this refund's reversals of ``origin``: (earning, spend)."""
        self.ensure_one()
        return [
            f"pos:{self.uuid}:refund:{origin.uuid}",
            f"pos:{self.uuid}:refund:{origin.uuid}:spend",
        ]

    def _loyalty_get_sale_entries(self):
        """Earnings and wallet payments posted for these orders, as sales."""
        refs = [ref for order in self for ref in order._loyalty_sale_refs()]
        # Reading the ledger is no loan: callers check the merchant of what they find.
        return (
            self.env["loyalty.network.entry"]
            .sudo()
            .search([("source_ref", "in", refs), ("entry_type", "in", engine.REFUNDABLE_TYPES)])
        )

    def _loyalty_check_refunded_orders(self):
        """Refuse a refund of another shop's sale: its entries belong to that shop
        and to the card used there."""
        self.ensure_one()
        # The cashier may not read other tills' settings; only their merchant is compared.
        origins = self.lines.refunded_orderline_id.order_id.sudo()
        if not origins:
            return
        merchant = self.config_id.sudo().loyalty_merchant_id
        for origin in origins:
            merchants = origin.config_id.loyalty_merchant_id | (
                origin._loyalty_get_sale_entries().merchant_id
            )
            if merchants - merchant:
                raise UserError(
                    self.env._(
                        "Order %s was sold in another shop: refund it at that shop's "
                        "point of sale.",
                        origin.name,
                    )
                )

    def _loyalty_check_sale_payments(self):
        """The wallet pays between nothing and the order total, and a sale has no
        negative payment but the change given in cash.

        :return: (wallet part, earning base)
        """
        self.ensure_one()
        currency = self.currency_id
        for payment in self.payment_ids:
            if currency.compare_amounts(payment.amount, 0) >= 0:
                continue
            method = payment.payment_method_id
            if not (payment.is_change and method.is_cash_count and not method.is_loyalty_wallet):
                raise UserError(
                    self.env._(
                        "A sale cannot be paid with a negative amount (%(amount)s by "
                        "%(method)s): take the payment off.",
                        amount=format_amount(self.env, payment.amount, currency),
                        method=method.name,
                    )
                )
        wallet_lines = self.payment_ids.filtered("payment_method_id.is_loyalty_wallet")
        wallet_paid = currency.round(sum(wallet_lines.mapped("amount")))
        total = currency.round(self.amount_total)
        if wallet_lines and currency.compare_amounts(wallet_paid, max(total, 0.0)) > 0:
            raise UserError(
                self.env._(
                    "The loyalty wallet can pay at most the order total (%(total)s), "
                    "not %(amount)s.",
                    total=format_amount(self.env, total, currency),
                    amount=format_amount(self.env, wallet_paid, currency),
                )
            )
        other_means = currency.round(sum((self.payment_ids - wallet_lines).mapped("amount")))
        rules = engine.NetworkRules.of(self.company_id)
        return wallet_paid, engine.earning_base(rules, total, wallet_paid, other_means)

    def _loyalty_post_entries(self):
        """Post the wallet payment and the earning of this sale. References derive
        from the order's uuid, so a sync sent again (offline retry, double click)
        records nothing more."""
        self.ensure_one()
        merchant = self.config_id._loyalty_check_till_access(session=self.session_id)
        wallet_paid, base = self._loyalty_check_sale_payments()
        card = self.env["loyalty.network.card"]._find_by_number(self.loyalty_card_number).sudo()
        if not card:
            raise UserError(self.env._("Unknown loyalty card %s.", self.loyalty_card_number))
        # The cashier is not necessarily a merchant user of the back office: the
        # point of sale's link to its merchant, set by the association, is the
        # authority here (the caller works on this till's open session, checked
        # above), so the wallet service runs with elevated rights.
        Wallet = self.env["loyalty.network.wallet"].sudo()
        currency = self.currency_id
        sale_ref, spend_ref = self._loyalty_sale_refs()
        if currency.compare_amounts(wallet_paid, 0) > 0:
            Wallet._spend(card, merchant, wallet_paid, spend_ref, date=self.date_order)
        if currency.compare_amounts(base, 0) > 0:
            Wallet._credit_purchase(
                card,
                merchant,
                base,
                sale_ref,
                plan=self.config_id.sudo().loyalty_plan_id or None,
                date=self.date_order,
            )

    def _loyalty_refunded_amount(self, origin):
        """Goods of ``origin`` this refund order takes back (incl. taxes)."""
        lines = self.lines.filtered(lambda line: line.refunded_orderline_id.order_id == origin)
        return self.currency_id.round(-sum(lines.mapped("price_subtotal_incl")))

    def _loyalty_wallet_share(self, origin, spend, refunded):
        """Part of ``refunded`` (of ``origin``) that was paid with the wallet."""
        if not spend:
            return 0.0
        return engine.wallet_share_of_refund(
            spend.wallet_id._get_rules(),
            origin.amount_total,
            -spend.amount,
            refunded,
            spend._get_refundable_spend(),
        )

    def _loyalty_check_wallet_given_back(self, origins, entries):
        """The wallet gets back exactly its share of the refunded goods, through the
        refund's wallet payment lines: paying it out by other means would turn
        wallet credit into cash, and giving it back on top of a full cash refund
        would create money."""
        currency = self.currency_id
        expected = 0.0
        for origin in origins:
            _sale_ref, spend_ref = origin._loyalty_sale_refs()
            spend = entries.filtered(lambda e, ref=spend_ref: e.source_ref == ref)
            expected += self._loyalty_wallet_share(
                origin, spend, self._loyalty_refunded_amount(origin)
            )
        given_back = -sum(
            self.payment_ids.filtered("payment_method_id.is_loyalty_wallet").mapped("amount")
        )
        if currency.compare_amounts(given_back, expected) != 0:
            rules = entries[:1].wallet_id._get_rules()
            raise UserError(
                self.env._(
                    "%(expected)s of these goods were paid with the loyalty wallet: give "
                    "exactly that back with the Loyalty Wallet payment method (now "
                    "%(given)s) and the rest by other means.",
                    expected=rules.fmt(expected),
                    given=rules.fmt(given_back),
                )
            )

    def _loyalty_post_refund(self):
        """Refund order: for each refunded order, reverse the credit of the
        refunded part and give back its wallet payment in proportion, on the card
        of that order (a card scanned on the refund plays no part)."""
        self.ensure_one()
        currency = self.currency_id
        if any(
            currency.compare_amounts(payment.amount, 0) > 0
            for payment in self.payment_ids.filtered("payment_method_id.is_loyalty_wallet")
        ):
            raise UserError(self.env._("A refund cannot be paid with the loyalty wallet."))
        origins = self.lines.refunded_orderline_id.order_id
        entries = origins._loyalty_get_sale_entries()
        if not entries:
            return
        # Entries are of this till's merchant (_loyalty_check_refunded_orders).
        self.config_id._loyalty_check_till_access(session=self.session_id)
        # Same authority as for a sale: the till's merchant, for its session's user.
        Wallet = self.env["loyalty.network.wallet"].sudo()
        self._loyalty_check_wallet_given_back(origins, entries)
        for origin in origins:
            earning_ref, spend_ref = self._loyalty_refund_refs(origin)
            sale_ref, sale_spend_ref = origin._loyalty_sale_refs()
            earning = entries.filtered(lambda e, ref=sale_ref: e.source_ref == ref)
            spend = entries.filtered(lambda e, ref=sale_spend_ref: e.source_ref == ref)
            refunded = self._loyalty_refunded_amount(origin)
            if currency.compare_amounts(refunded, 0) <= 0:
                continue
            give_back = self._loyalty_wallet_share(origin, spend, refunded)
            if currency.compare_amounts(give_back, 0) > 0:
                Wallet._refund(spend, give_back, spend_ref, date=self.date_order)
            if earning:
                purchase_part = min(
                    currency.round(refunded - give_back), earning._get_refundable_purchase()
                )
                if currency.compare_amounts(purchase_part, 0) > 0:
                    Wallet._refund(earning, purchase_part, earning_ref, date=self.date_order)
        if len(entries.card_id) == 1 and self.loyalty_card_number != entries.card_id.name:
            # The refund is on the card of the sale, whatever was scanned.
            self.loyalty_card_number = entries.card_id.name
