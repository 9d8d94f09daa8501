from odoo import api, models

END_TO_END_FIELD = "End to End Identification"


class AccountPaymentOrder(models.Model):
    _inherit = "account.payment.order"

    @api.model
    def _prepare_field(self, field_name, field_value, eval_ctx, max_size=0, gen_args=None):
        """The end-to-end id of a settlement's payment is the settlement's reference:
        the bank sends it back in its statements (CAMT), returns included."""
        if field_name == END_TO_END_FIELD and eval_ctx.get("line"):
            moves = eval_ctx["line"].payment_line_ids.move_line_id.move_id
            settlement = self.env["loyalty.network.settlement"].search(
                [("move_id", "in", moves.ids)], limit=1
            )
            if settlement:
                field_value = "reference"
                eval_ctx = {**eval_ctx, "reference": settlement.name}
        return super()._prepare_field(field_name, field_value, eval_ctx, max_size, gen_args)
