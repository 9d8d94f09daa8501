from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import email_normalize


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
        self._check_staff()
        for request in self.filtered(lambda r: r.state == "new"):
            # sudo: the caller is association staff (checked above), who handle
            # erasures; anonymising writes contacts, users and chatter tracking,
            # which Odoo reserves to Contact Creation and Settings rights.
            request.sudo()._anonymise_holder()
            request.state = "done"

    def action_refuse(self):
        self._check_staff()
        self.filtered(lambda r: r.state == "new").state = "refused"

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    def _check_staff(self):
        if not self.env.su and not self.env.user.has_group(
            "annonay_loyalty.annonay_loyalty_group_manager"
        ):
            raise AccessError(self.env._("Only the association's staff handle erasure requests."))
        self.check_access("write")

    def _anonymise_holder(self):
        """Erase who the holder was: contact, logins and the chatter's tracked values.

        The ledger (entries, amounts, wallet) is kept untouched. Run in sudo by
        ``action_anonymise`` once the caller is known to be staff.
        """
        self.ensure_one()
        partner = self.partner_id.with_context(tracking_disable=True, active_test=False)
        partner.loyalty_card_ids.filtered(lambda c: c.state == "active").action_block()
        users = partner.env["res.users"].search([("partner_id", "=", partner.id)])
        users.write({"active": False})
        for user in users:
            user.login = f"anonymised-{partner.id}-{user.id}"
        messages = partner.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        # values tracked on the holder's own record, and on any record whose
        # tracked link (e.g. a card's holder) pointed to them, hold their name
        # Every address the holder had (the current one and those tracked before):
        # opt-outs and queued mails may name any of them.
        addresses = {partner.email_normalized} | {
            email_normalize(value)
            for tracking in partner.env["mail.tracking.value"].search(
                [("mail_message_id", "in", messages.ids), ("field_id.name", "=", "email")]
            )
            for value in (tracking.old_value_char, tracking.new_value_char)
        }
        addresses.discard(False)
        addresses.discard(None)
        holder_links = partner.env["ir.model.fields"].search(
            [("ttype", "=", "many2one"), ("relation", "=", "res.partner")]
        )
        Tracking = partner.env["mail.tracking.value"]
        Tracking.search([("mail_message_id", "in", messages.ids)]).write(
            {
                "old_value_integer": 0,
                "new_value_integer": 0,
                "old_value_float": 0.0,
                "new_value_float": 0.0,
            }
        )
        Tracking.search(
            [
                "|",
                ("mail_message_id", "in", messages.ids),
                "&",
                ("field_id", "in", holder_links.ids),
                "|",
                ("old_value_integer", "=", partner.id),
                ("new_value_integer", "=", partner.id),
            ]
        ).write(
            {
                "old_value_char": False,
                "new_value_char": False,
                "old_value_text": False,
                "new_value_text": False,
                "old_value_datetime": False,
                "new_value_datetime": False,
            }
        )
        # the holder's own chatter is about them (e.g. "Portal Access Granted (email)")
        messages.write({"body": False, "subject": False})
        partner.env["mail.message"].search([("author_id", "=", partner.id)]).write(
            {"email_from": False}
        )
        # Opt-outs and messages still waiting to leave name the holder too.
        partner.env["mail.blacklist"].with_context(active_test=False).search(
            [("email", "in", list(addresses))]
        ).unlink()
        number = partner.phone and partner._phone_format(number=partner.phone, force_format="E164")
        if number:
            partner.env["phone.blacklist"].with_context(active_test=False).search(
                [("number", "=", number)]
            ).unlink()
        partner.env["sms.sms"].search(
            [("partner_id", "=", partner.id), ("state", "in", ("outgoing", "error"))]
        ).unlink()
        self.note = False
        partner.write(
            {
                "name": self.env._("Anonymised holder %s", partner.id),
                "email": False,
                "phone": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "state_id": False,
                "function": False,
                "website": False,
                "vat": False,
                "ref": False,
                "image_1920": False,
                "loyalty_birth_date": False,
                "loyalty_email_consent": False,
                "loyalty_sms_consent": False,
                "comment": False,
            }
        )
        # Queued mails to any of the holder's addresses, the notices that the login
        # and contact changes above queued included.
        outbox = Domain("recipient_ids", "in", partner.ids) | Domain.OR(
            Domain("email_to", "ilike", address) for address in addresses
        )
        partner.env["mail.mail"].search(outbox).unlink()
