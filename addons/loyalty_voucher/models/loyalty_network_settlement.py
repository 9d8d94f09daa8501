import io

import openpyxl

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules

# Wallet figures of a settlement, zero on a settlement of vouchers only
WALLET_AMOUNTS = (
    "contribution_amount",
    "fee_amount",
    "credit_amount",
    "reimbursement_amount",
    "net_amount",
    "opening_fee_amount",
    "forfeit_amount",
    "adjustment_amount",
    "network_expense_amount",
    "uncovered_amount",
)


class LoyaltyNetworkSettlement(models.Model):
    """Gift vouchers in the monthly settlement.

    Per shop: the vouchers it sold (it collected the money: it owes the face
    value) and the vouchers spent in it (the network owes the value less its
    commission), as their own lines of the shop's invoice and statement. The
    network's row books expired and cancelled balances. Voucher entries are
    linked to their settlement once, from their own table, like wallet entries;
    a sale by the association is booked by its invoice and never settled.
    """

    _inherit = "loyalty.network.settlement"

    voucher_entry_ids = fields.Many2many(
        "loyalty.network.voucher.entry",
        "loyalty_network_settlement_voucher_entry_rel",
        "settlement_id",
        "entry_id",
        string="Gift Voucher Entries",
        readonly=True,
        copy=False,
    )
    voucher_sold_amount = fields.Monetary(
        string="Gift Vouchers Sold",
        readonly=True,
        help="Face value of the vouchers the shop sold: collected by the shop, owed to the "
        "network.",
    )
    voucher_redeemed_amount = fields.Monetary(
        string="Gift Vouchers Spent",
        readonly=True,
        help="Voucher payments received in the shop, less those given back: owed to the shop.",
    )
    voucher_commission_amount = fields.Monetary(
        string="Gift Voucher Commission",
        readonly=True,
        help="The network's commission on the voucher payments received in the shop.",
    )
    voucher_net_amount = fields.Monetary(
        string="Gift Vouchers Net",
        readonly=True,
        help="Owed by the shop for vouchers: sold minus spent plus commission.",
    )
    voucher_expired_amount = fields.Monetary(string="Expired Gift Vouchers", readonly=True)
    voucher_cancelled_amount = fields.Monetary(string="Cancelled Gift Vouchers", readonly=True)
    voucher_move_id = fields.Many2one(
        "account.move", string="Gift Voucher Entry", readonly=True, copy=False
    )

    def init(self):
        super().init()
        # A voucher entry is settled once, whatever runs overlap.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS loyalty_network_settlement_voucher_entry_rel_uniq
                ON loyalty_network_settlement_voucher_entry_rel (entry_id)
            """
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _run_period(self, company, date_from, date_to, invoice=True):
        settlements = super()._run_period(company, date_from, date_to, invoice=False)
        # As the core run: settlements are created and invoiced by the system for
        # the wizard of the accountants and the cron (not callable over RPC).
        settlements = settlements.sudo()
        settlements |= self._settle_vouchers(company, date_from, date_to, settlements)
        if invoice:
            settlements.filtered(lambda s: s.merchant_id and not s.move_id)._create_moves()
        # Nothing settled: an empty set in the caller's environment, as the core run.
        return settlements or self.browse()

    @api.model
    def _settle_vouchers(self, company, date_from, date_to, settlements):
        """Settle the voucher entries of ``company`` up to ``date_to`` not settled
        yet; returns the settlements created for shops that had only vouchers."""
        _start, until = NetworkRules.of(company).utc_bounds(date_from, date_to)
        # Runs are made by the accountants' wizard and the cron: they settle every
        # shop's entries, whatever the record rules of the caller.
        entries = (
            self.env["loyalty.network.voucher.entry"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("date", "<", until),
                    ("settlement_ids", "=", False),
                    ("move_id", "=", False),
                ],
                order="id",
            )
        )
        created = self.browse()
        if not entries:
            return created
        company._loyalty_voucher_ensure_accounting()
        rnd = company.currency_id.round
        by_merchant = {}
        for entry in entries:
            by_merchant.setdefault(entry.merchant_id.id or None, []).append(entry.id)
        Entry = self.env["loyalty.network.voucher.entry"].sudo()
        Sequence = self.env["ir.sequence"].sudo()
        links = []
        network_row = self.browse()
        # The settlements of these shops (and the network's row) made by this run:
        # found by the period's own domain, which other addons settling other parties
        # (sponsors) narrow to merchants and the network; one query for all shops.
        by_key = {
            s.merchant_id.id or None: s
            for s in settlements
            & self.sudo().search(
                self._period_domain(company, date_from, date_to, list(by_merchant))
            )
        }
        missing = [mid for mid in by_merchant if mid not in by_key]
        if missing:
            self._check_not_settled(company, date_from, date_to, missing)
            created = self.sudo().create(
                [
                    {
                        "name": Sequence.next_by_code("loyalty.network.settlement"),
                        "company_id": company.id,
                        "merchant_id": merchant_id or False,
                        "date_from": date_from,
                        "date_to": date_to,
                        # No wallet entry in this period: the wallet figures are zero.
                        **dict.fromkeys(WALLET_AMOUNTS, 0.0),
                    }
                    for merchant_id in missing
                ]
            )
            by_key.update(zip(missing, created, strict=True))
        for merchant_id, entry_ids in by_merchant.items():
            mine = Entry.browse(entry_ids)
            settlement = by_key[merchant_id]

            def total(types, field="amount", mine=mine):
                return rnd(sum(mine.filtered(lambda e: e.entry_type in types).mapped(field)))

            sold = total(("sale",))
            redeemed = -total(("redemption", "refund"))
            commission = total(("redemption", "refund"), "commission")
            settlement.sudo().write(
                {
                    "voucher_sold_amount": sold,
                    "voucher_redeemed_amount": redeemed,
                    "voucher_commission_amount": commission,
                    "voucher_net_amount": rnd(sold - redeemed + commission),
                    "voucher_expired_amount": -total(("expiry",)),
                    "voucher_cancelled_amount": -total(("cancel",)),
                }
            )
            links += [(settlement.id, entry_id) for entry_id in entry_ids]
            if not merchant_id:
                network_row = settlement
        self.env["loyalty.network.voucher.entry"].flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO loyalty_network_settlement_voucher_entry_rel (settlement_id, entry_id)"
                " VALUES %s",
                SQL(", ").join(SQL("(%s, %s)", sid, eid) for sid, eid in links),
            )
        )
        Entry.invalidate_model(["settlement_ids"])
        (settlements | created).invalidate_recordset(["voucher_entry_ids"])
        if network_row:
            network_row.sudo().voucher_move_id = network_row._create_voucher_network_move()
        return created

    def _create_voucher_network_move(self):
        """Book expired and cancelled voucher balances out of the liability."""
        self.ensure_one()
        company = self.company_id
        liability = company.loyalty_voucher_liability_account_id
        return self._post_journal_entry(
            [
                (
                    self.env._("Expired gift vouchers"),
                    liability,
                    company.loyalty_voucher_expiry_account_id,
                    self.voucher_expired_amount,
                ),
                (
                    self.env._("Cancelled gift vouchers to pay back"),
                    liability,
                    company.loyalty_voucher_refund_account_id,
                    self.voucher_cancelled_amount,
                ),
            ]
        )

    def _prepare_merchant_invoice(self):
        vals = super()._prepare_merchant_invoice()
        currency = self.currency_id
        company = self.company_id
        voucher_lines = [
            (
                self.env._("Gift vouchers sold in your shop"),
                company.loyalty_voucher_liability_account_id,
                self.voucher_sold_amount,
            ),
            (
                self.env._("Gift vouchers spent in your shop"),
                company.loyalty_voucher_liability_account_id,
                -self.voucher_redeemed_amount,
            ),
            (
                self.env._("Network commission on gift vouchers"),
                company.loyalty_voucher_commission_account_id,
                self.voucher_commission_amount,
            ),
        ]
        if all(currency.is_zero(amount) for _label, _account, amount in voucher_lines):
            return vals
        old_sign = 1 if self.net_amount >= 0 else -1
        sign = 1 if self.net_amount + self.voucher_net_amount >= 0 else -1
        lines = vals["invoice_line_ids"]
        for command in lines:
            command[2]["price_unit"] *= old_sign * sign
        lines += [
            (
                0,
                0,
                {
                    "name": label,
                    "account_id": account.id,
                    "quantity": 1.0,
                    "price_unit": sign * amount,
                    "tax_ids": [(6, 0, [])],
                },
            )
            for label, account, amount in voucher_lines
            if not currency.is_zero(amount)
        ]
        vals["move_type"] = "out_invoice" if sign > 0 else "out_refund"
        return vals

    def _get_statement_xlsx(self):
        """The statement with a sheet of its gift voucher lines, when it has some."""
        content = super()._get_statement_xlsx()
        # The rights were checked on the settlement; its entries are read with it.
        entries = self.sudo().voucher_entry_ids.sorted(lambda e: (e.date, e.id))
        if not entries:
            return content
        rules = NetworkRules.of(self.company_id)
        _ = self.env._
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.create_sheet(_("Gift vouchers"))
        sheet.append(
            [_("Date"), _("Operation"), _("Voucher"), _("Amount"), _("Commission"), _("Reference")]
        )
        labels = dict(entries._fields["entry_type"]._description_selection(self.env))
        for entry in entries:
            sheet.append(
                [
                    rules.local_datetime(entry.date).strftime("%Y-%m-%d %H:%M"),
                    labels[entry.entry_type],
                    entry.voucher_id.name,
                    entry.amount,
                    entry.commission,
                    entry.source_ref,
                ]
            )
        sheet.append([])
        for label, amount in (
            (_("Gift vouchers sold in your shop"), self.voucher_sold_amount),
            (_("Gift vouchers spent in your shop"), self.voucher_redeemed_amount),
            (_("Network commission on gift vouchers"), self.voucher_commission_amount),
            (_("Net owed by the shop for gift vouchers"), self.voucher_net_amount),
        ):
            sheet.append([label, None, None, amount])
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
