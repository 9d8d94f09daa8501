import io

import xlsxwriter

from odoo import fields
from odoo.http import Controller, request, route

COLUMNS = [
    ("Date", 18),
    ("Operation", 22),
    ("Card", 16),
    ("Purchase", 12),
    ("Rate %", 8),
    ("Credit", 12),
    ("Contribution", 13),
    ("Network fee", 12),
    ("Wallet payment", 14),
    ("Reference", 30),
]


class LoyaltySettlementStatement(Controller):
    @route("/loyalty/settlement/<int:settlement_id>/statement.xlsx", type="http", auth="user")
    def statement_xlsx(self, settlement_id, **kw):
        settlement = request.env["loyalty.network.settlement"].browse(settlement_id).exists()
        if not settlement or not settlement.has_access("read"):
            return request.not_found()
        content = self._build_statement(settlement)
        filename = f"{settlement.name.replace('/', '-')}.xlsx"
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
            ],
        )

    def _build_statement(self, settlement):
        # The rights were checked on the settlement; its entries are read with it.
        entries = settlement.sudo().entry_ids.sorted("date")
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("Statement")
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write(0, 0, settlement.name, bold)
        sheet.write(1, 0, settlement.merchant_id.name or "Network")
        sheet.write(
            2,
            0,
            f"{fields.Date.to_string(settlement.date_from)} - "
            f"{fields.Date.to_string(settlement.date_to)}",
        )
        for col, (title, width) in enumerate(COLUMNS):
            sheet.write(4, col, title, bold)
            sheet.set_column(col, col, width)
        row = 5
        labels = dict(entries._fields["entry_type"].selection)
        for entry in entries:
            is_spend = entry.entry_type in ("spend", "spend_reversal")
            values = [
                fields.Datetime.to_string(entry.date),
                labels[entry.entry_type],
                entry.card_id.masked_number or "",
                entry.purchase_amount,
                entry.cardholder_rate,
                0.0 if is_spend else entry.amount,
                entry.merchant_contribution,
                entry.network_fee,
                -entry.amount if is_spend else 0.0,
                entry.source_ref,
            ]
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(row, col, value, money)
                else:
                    sheet.write(row, col, value)
            row += 1
        row += 1
        totals = [
            ("Contributions", settlement.contribution_amount),
            ("of which credits", settlement.credit_amount),
            ("of which network fee", settlement.fee_amount),
            ("Wallet payments reimbursed", settlement.reimbursement_amount),
            ("Net owed by the merchant", settlement.net_amount),
        ]
        for label, amount in totals:
            sheet.write(row, 0, label, bold)
            sheet.write_number(row, 6, amount, money)
            row += 1
        workbook.close()
        return output.getvalue()
