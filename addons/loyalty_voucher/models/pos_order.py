from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.annonay_loyalty.services import money_engine as engine


class PosOrder(models.Model):
    _inherit = "pos.order"

    # Printed on the receipt: the vouchers this order sold (the buyer's codes),
    # loaded with the synchronised order.
    loyalty_voucher_receipt = fields.Text(
        string="Gift Vouchers Sold",
        compute="_compute_loyalty_voucher_receipt",
        compute_sudo=True,
    )

    @api.depends("uuid", "state")
    def _compute_loyalty_voucher_receipt(self):
        Entry = self.env["loyalty.network.voucher.entry"]
        for order in self:
            entries = Entry.search(
                [
                    ("entry_type", "=", "sale"),
                    ("source_ref", "=like", f"pos:{order.uuid}:voucher-sale:%"),
                ],
                order="id",
            )
            order.loyalty_voucher_receipt = "\n".join(
                self.env._(
                    "%(name)s: %(code)s, %(value)s, valid until %(date)s",
                    name=entry.voucher_id.name,
                    code=" ".join(
                        entry.voucher_id.code[i : i + 4]
                        for i in range(0, len(entry.voucher_id.code), 4)
                    ),
                    value=engine.NetworkRules.of(entry.company_id).fmt(entry.amount),
                    date=format_date(self.env, entry.voucher_id.expiry_date),
                )
                for entry in entries
            )

    def _loyalty_check_sale_payments(self):
        """A gift voucher payment never earns loyalty credit, nor does buying a
        voucher: both are taken off the earning base (the rest, paid by other
        means for goods, still earns)."""
        wallet_paid, base = super()._loyalty_check_sale_payments()
        rules = engine.NetworkRules.of(self.company_id)
        sold = sum(self._loyalty_voucher_sale_lines().mapped("price_subtotal_incl"))
        return wallet_paid, max(rules.round(base - self._loyalty_voucher_paid() - sold), 0.0)

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if draft or self.state not in ("paid", "done", "invoiced"):
            return order_id
        if self.lines.refunded_orderline_id:
            if self.lines.refunded_orderline_id.product_id.product_tmpl_id.loyalty_is_gift_voucher:
                raise UserError(
                    self.env._(
                        "A gift voucher sold cannot be refunded at the till: its buyer asks the "
                        "association."
                    )
                )
            self._loyalty_voucher_post_refund()
        else:
            self._loyalty_voucher_post_redemptions()
            self._loyalty_voucher_post_sales()
        return order_id

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _loyalty_voucher_lines(self):
        return self.payment_ids.filtered("payment_method_id.is_loyalty_voucher")

    def _loyalty_voucher_paid(self):
        return self.currency_id.round(sum(self._loyalty_voucher_lines().mapped("amount")))

    def _loyalty_voucher_ref(self, payment):
        return f"pos:{self.uuid}:voucher:{payment.uuid}"

    def _loyalty_voucher_post_redemptions(self):
        """Take each voucher payment from its voucher. References derive from the
        order's and the payment's uuids: a sync sent again records nothing more."""
        self.ensure_one()
        lines = self._loyalty_voucher_lines()
        if not lines:
            return
        currency = self.currency_id
        if any(currency.compare_amounts(line.amount, 0) < 0 for line in lines):
            raise UserError(
                self.env._("A sale cannot be paid with a negative gift voucher amount.")
            )
        if currency.compare_amounts(self._loyalty_voucher_paid(), self.amount_total) > 0:
            raise UserError(self.env._("Gift vouchers can pay at most the order total."))
        merchant = self.config_id._loyalty_check_till_access(session=self.session_id)
        # The cashier is not a merchant user: the till's link to its merchant, set
        # by the association, is the authority (the caller works on this till's
        # open session, checked above), so the voucher service runs as the system.
        Voucher = self.env["loyalty.network.voucher"].sudo()
        for line in lines.filtered(lambda p: not currency.is_zero(p.amount)):
            if not line.loyalty_voucher_code:
                raise UserError(self.env._("Scan or type the gift voucher's code to pay with it."))
            Voucher._redeem(
                line.loyalty_voucher_code,
                merchant,
                line.amount,
                self._loyalty_voucher_ref(line),
                date=self.date_order,
            )

    def _loyalty_voucher_sale_lines(self):
        return self.lines.filtered("product_id.product_tmpl_id.loyalty_is_gift_voucher")

    def _loyalty_voucher_post_sales(self):
        """Each unit of a gift voucher product is a voucher of its unit price, sold
        by this till's shop. References derive from the order's and the line's
        uuids: a sync sent again sells nothing more."""
        self.ensure_one()
        lines = self._loyalty_voucher_sale_lines()
        if not lines:
            return
        merchant = self.config_id._loyalty_check_till_access(session=self.session_id)
        currency = self.currency_id
        for line in lines:
            if line.tax_ids:
                raise UserError(
                    self.env._(
                        "A gift voucher is sold without tax: take the taxes off %s.",
                        line.product_id.display_name,
                    )
                )
            if line.qty <= 0 or line.qty != int(line.qty):
                raise UserError(self.env._("Sell gift vouchers by whole units."))
        # Same authority as for a voucher payment: the till's merchant, for its
        # session's user (checked above); the voucher service runs as the system.
        Voucher = self.env["loyalty.network.voucher"].sudo()
        for line in lines:
            value = currency.round(line.price_subtotal_incl / line.qty)
            for index in range(int(line.qty)):
                Voucher._sell(
                    merchant,
                    value,
                    f"pos:{self.uuid}:voucher-sale:{line.uuid}:{index}",
                    date=self.date_order,
                )
        self.invalidate_recordset(["loyalty_voucher_receipt"])

    def _loyalty_voucher_post_refund(self):
        """A refund paid back with the gift voucher method gives the value back to
        the vouchers that paid the refunded orders, oldest payment first."""
        self.ensure_one()
        lines = self._loyalty_voucher_lines()
        if not lines:
            return
        currency = self.currency_id
        if any(currency.compare_amounts(line.amount, 0) > 0 for line in lines):
            raise UserError(self.env._("A refund cannot be paid with a gift voucher."))
        given_back = -self._loyalty_voucher_paid()
        merchant = self.config_id._loyalty_check_till_access(session=self.session_id)
        origins = self.lines.refunded_orderline_id.order_id
        # The voucher payments of the refunded orders, in this till's shop only.
        redemptions = (
            self.env["loyalty.network.voucher.entry"]
            .sudo()
            .search(
                [
                    ("merchant_id", "=", merchant.id),
                    ("entry_type", "=", "redemption"),
                    ("source_ref", "in", self._loyalty_voucher_origin_refs(origins)),
                ],
                order="id",
            )
        )
        refundable = currency.round(sum(r._get_refundable() for r in redemptions))
        if currency.compare_amounts(given_back, refundable) > 0:
            raise UserError(
                self.env._(
                    "Only %s can go back to the gift vouchers that paid these orders: give "
                    "the rest back by other means.",
                    engine.NetworkRules.of(self.company_id).fmt(refundable),
                )
            )
        # Same authority as for the sale: the till's merchant, for its session's user.
        Voucher = self.env["loyalty.network.voucher"].sudo()
        left = given_back
        for redemption in redemptions:
            if currency.is_zero(left):
                break
            part = min(redemption._get_refundable(), left)
            if currency.is_zero(part):
                continue
            Voucher._refund_redemption(
                redemption, part, f"pos:{self.uuid}:voucher-refund:{redemption.id}", self.date_order
            )
            left = currency.round(left - part)

    def _loyalty_voucher_origin_refs(self, origins):
        """References of the voucher payments of ``origins`` (their payment lines)."""
        return [
            origin._loyalty_voucher_ref(payment)
            for origin in origins.sudo()
            for payment in origin._loyalty_voucher_lines()
        ]
