from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltyNetworkEnrolmentForm(models.TransientModel):
    """Print a paper enrolment form for a holder without email, with the
    barcode of the card handed over (a blank card chosen, or a new one)."""

    _name = "loyalty.network.enrolment.form"
    _description = "Print a Paper Enrolment Form"

    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        string="Shop",
        required=True,
        default=lambda self: self.env.user._get_loyalty_merchant(),
    )
    card_id = fields.Many2one(
        "loyalty.network.card",
        string="Card",
        domain=[("state", "=", "stock")],
        help="A blank card given with the form. Leave empty to issue a new card number "
        "(association staff).",
    )

    @api.constrains("merchant_id", "card_id")
    def _check_shop_and_card(self):
        for wizard in self:
            wizard.merchant_id._check_operator_access()
            if wizard.card_id and wizard.card_id.state != "stock":
                raise UserError(
                    self.env._(
                        "Card %s is already in use: choose a blank card.", wizard.card_id.name
                    )
                )

    def action_print(self):
        self.ensure_one()
        if not self.card_id:
            if not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
                raise UserError(self.env._("Choose a blank card from your stock."))
            self.card_id = self.env["loyalty.network.card"].create(
                {"company_id": self.merchant_id.company_id.id}
            )
        return self.env.ref("annonay_loyalty.loyalty_network_enrolment_form_report").report_action(
            self
        )
