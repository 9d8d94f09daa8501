from odoo.http import Controller, request, route


class LoyaltySettlementStatement(Controller):
    @route("/loyalty/settlement/<int:settlement_id>/statement.xlsx", type="http", auth="user")
    def statement_xlsx(self, settlement_id, **kw):
        settlement = request.env["loyalty.network.settlement"].browse(settlement_id).exists()
        if not settlement or not settlement.has_access("read"):
            return request.not_found()
        content = settlement._get_statement_xlsx()
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
