import secrets

from odoo import fields, models
from odoo.exceptions import UserError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the till


class LoyaltyNetworkDealReservation(models.Model):
    _name = "loyalty.network.deal.reservation"
    _description = "Loyalty Network Deal Reservation"
    _order = "id desc"
    _rec_name = "code"

    deal_id = fields.Many2one("loyalty.network.deal", required=True, index=True, ondelete="cascade")
    merchant_id = fields.Many2one(related="deal_id.merchant_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Holder", required=True, index=True)
    code = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: "".join(secrets.choice(CODE_ALPHABET) for _i in range(8)),
    )
    state = fields.Selection(
        [("reserved", "Reserved"), ("used", "Used"), ("cancelled", "Cancelled")],
        default="reserved",
        required=True,
    )
    used_date = fields.Datetime(readonly=True)

    _code_unique = models.Constraint("UNIQUE(code)", "This reservation code already exists.")

    def action_mark_used(self):
        if any(reservation.state != "reserved" for reservation in self):
            raise UserError(self.env._("Only a reserved deal can be marked as used."))
        self.write({"state": "used", "used_date": fields.Datetime.now()})

    def action_cancel(self):
        self.filtered(lambda r: r.state == "reserved").write({"state": "cancelled"})
