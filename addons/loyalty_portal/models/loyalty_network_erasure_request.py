from odoo import api, fields, models
from odoo.exceptions import UserError


class LoyaltyNetworkErasureRequest(models.Model):
    """A holder's request to be forgotten, handled by association staff.

    Anonymising keeps every ledger entry and amount (the accounts must still
    tie) but removes who the holder was, blocks the cards and closes the
    portal account.
    """

    _name = "loyalty.network.erasure.request"
    _description = "Loyalty Holder Erasure Request"
    _inherit = ["mail.thread"]
    _order = "id desc"

    partner_id = fields.Many2one("res.partner", string="Holder", required=True, index=True)
    request_date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    state = fields.Selection(
        [("new", "To Do"), ("done", "Anonymised"), ("refused", "Refused")],
        default="new",
        required=True,
        tracking=True,
    )
    note = fields.Text()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handled(self):
        if any(request.state != "new" for request in self):
            raise UserError(self.env._("A handled erasure request is kept as a record."))

    def action_anonymise(self):
        for request in self.filtered(lambda r: r.state == "new"):
            partner = request.partner_id
            partner.loyalty_card_ids.filtered(lambda c: c.state == "active").action_block()
            partner.user_ids.sudo().write({"active": False})
            partner.write(
                {
                    "name": self.env._("Anonymised holder %s", partner.id),
                    "email": False,
                    "phone": False,
                    "street": False,
                    "street2": False,
                    "zip": False,
                    "city": False,
                    "loyalty_birth_date": False,
                    "loyalty_email_consent": False,
                    "loyalty_sms_consent": False,
                    "comment": False,
                }
            )
            request.state = "done"

    def action_refuse(self):
        self.filtered(lambda r: r.state == "new").state = "refused"
