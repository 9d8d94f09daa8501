import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError


def _new_token():
    return uuid.uuid4().hex


class LoyaltyNetworkTerminal(models.TransientModel):
    """The merchant terminal: find a card, credit, spend, refund, enrol.

    Every operation goes through the wallet service with a one-shot
    reference, renewed after each success, so a repeated click records once.
    """

    _name = "loyalty.network.terminal"
    _description = "Loyalty Merchant Terminal"

    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        required=True,
        default=lambda self: self.env.user._get_loyalty_merchant(),
        domain=[("state", "=", "active")],
    )
    currency_id = fields.Many2one(related="merchant_id.currency_id")
    query = fields.Char(string="Card, Name or Phone", help="Scan or type the card number.")
    card_id = fields.Many2one("loyalty.network.card", string="Card", readonly=True)
    # Profile of the holder (related fields read with elevated rights: holding
    # the card is what entitles the shop to see this profile)
    partner_id = fields.Many2one(related="card_id.partner_id", string="Holder")
    card_state = fields.Selection(related="card_id.state")
    birth_date = fields.Date(related="card_id.partner_id.loyalty_birth_date")
    address = fields.Char(related="card_id.partner_id.contact_address", string="Address")
    phone = fields.Char(related="card_id.partner_id.phone")
    email = fields.Char(related="card_id.partner_id.email")
    member_since = fields.Date(related="card_id.partner_id.loyalty_member_since")
    last_visit_date = fields.Date(related="card_id.partner_id.loyalty_last_visit_date")
    balance = fields.Monetary(related="card_id.partner_id.loyalty_wallet_id.balance")
    total_turnover = fields.Monetary(
        related="card_id.partner_id.loyalty_wallet_id.total_turnover", string="Card Turnover"
    )
    can_spend = fields.Boolean(related="card_id.partner_id.loyalty_wallet_id.can_spend")
    # Operations
    allowed_plan_ids = fields.Many2many("loyalty.network.plan", compute="_compute_allowed_plan_ids")
    plan_id = fields.Many2one(
        "loyalty.network.plan",
        string="Rate Plan",
        compute="_compute_plan_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', allowed_plan_ids)]",
    )
    amount = fields.Monetary(string="Purchase Amount", help="Incl. taxes, paid by other means.")
    spend_amount = fields.Monetary(string="Amount to Pay with the Wallet")
    refund_entry_id = fields.Many2one(
        "loyalty.network.entry",
        string="Operation to Refund",
        domain="[('card_id', '=', card_id), ('merchant_id', '=', merchant_id), "
        "('entry_type', 'in', ('earn', 'spend'))]",
    )
    refund_amount = fields.Monetary()
    token = fields.Char(default=lambda self: _new_token(), readonly=True)
    last_entry_id = fields.Many2one("loyalty.network.entry", string="Last Operation", readonly=True)
    # Enrolment of a new holder on a blank card
    new_card_number = fields.Char(string="Blank Card Number")
    new_name = fields.Char(string="New Holder Name")
    new_birth_date = fields.Date(string="New Holder Birth Date")
    new_phone = fields.Char(string="New Holder Mobile")
    new_email = fields.Char(string="New Holder Email")
    new_email_consent = fields.Boolean(string="New Holder Accepts Emails")
    new_sms_consent = fields.Boolean(string="New Holder Accepts SMS")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("merchant_id")
    def _compute_allowed_plan_ids(self):
        for terminal in self:
            # Staff open the terminal without a shop: nothing to offer yet.
            merchant = terminal.merchant_id
            terminal.allowed_plan_ids = merchant._get_allowed_plans() if merchant else False

    @api.depends("merchant_id")
    def _compute_plan_id(self):
        for terminal in self:
            terminal.plan_id = terminal.merchant_id.plan_id

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_find(self):
        self.ensure_one()
        self.merchant_id._check_operator_access()
        card = self._find_card((self.query or "").strip())
        self.write(
            {
                "card_id": card.id,
                "query": False,
                "last_entry_id": False,
                "refund_entry_id": False,
                "token": _new_token(),
            }
        )
        return self._reopen()

    def action_add_purchase(self):
        self.ensure_one()
        self._check_card()
        entry = self.env["loyalty.network.wallet"]._credit_purchase(
            self.card_id, self.merchant_id, self.amount, f"terminal/{self.token}", plan=self.plan_id
        )
        return self._done(entry, amount=0.0)

    def action_spend(self):
        self.ensure_one()
        self._check_card()
        entry = self.env["loyalty.network.wallet"]._spend(
            self.card_id, self.merchant_id, self.spend_amount, f"terminal/{self.token}/spend"
        )
        return self._done(entry, spend_amount=0.0)

    def action_refund(self):
        self.ensure_one()
        self._check_card()
        if not self.refund_entry_id:
            raise UserError(self.env._("Choose the purchase or wallet payment to refund."))
        entry = self.env["loyalty.network.wallet"]._refund(
            self.refund_entry_id, self.refund_amount, f"terminal/{self.token}/refund"
        )
        return self._done(entry, refund_amount=0.0, refund_entry_id=False)

    def action_enrol(self):
        self.ensure_one()
        card = self.env["loyalty.network.card"]._enrol_new_holder(
            self.new_card_number,
            self.merchant_id,
            {
                "name": self.new_name,
                "birth_date": self.new_birth_date,
                "phone": self.new_phone,
                "email": self.new_email,
                "email_consent": self.new_email_consent,
                "sms_consent": self.new_sms_consent,
            },
        )
        self.write(
            {
                "card_id": card.id,
                "new_card_number": False,
                "new_name": False,
                "new_birth_date": False,
                "new_phone": False,
                "new_email": False,
                "new_email_consent": False,
                "new_sms_consent": False,
                "last_entry_id": False,
                "token": _new_token(),
            }
        )
        return self._reopen()

    def action_clear(self):
        self.ensure_one()
        self.write({"card_id": False, "last_entry_id": False, "amount": 0.0, "query": False})
        return self._reopen()

    def action_print_recap(self):
        self.ensure_one()
        if not self.last_entry_id:
            raise UserError(self.env._("There is no operation to print yet."))
        return self.env.ref("annonay_loyalty.loyalty_network_entry_recap_report").report_action(
            self.last_entry_id
        )

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    def _find_card(self, query):
        if not query:
            raise UserError(self.env._("Scan the card or type a card number, a name or a phone."))
        Card = self.env["loyalty.network.card"]
        compact = query.replace(" ", "")
        if compact.isdigit() and len(compact) == 13:
            card = Card._find_by_number(compact)
            if not card:
                raise UserError(self.env._("No card has the number %s.", compact))
            return card
        # Names and phones are searched among this shop's own customers only.
        holders = self.env["res.partner"].search(
            [
                ("is_loyalty_holder", "=", True),
                ("loyalty_customer_ids.merchant_id", "=", self.merchant_id.id),
                "|",
                ("name", "ilike", query),
                ("phone_mobile_search", "ilike", query),
            ],
            limit=6,
        )
        cards = holders.loyalty_card_ids.filtered(lambda c: c.state == "active")
        if not cards:
            raise UserError(
                self.env._("No customer of your shop matches “%s”: scan the card instead.", query)
            )
        if len(cards) > 1:
            raise UserError(
                self.env._(
                    "Several customers match: %s. Type more of the name or scan the card.",
                    ", ".join(cards[:5].partner_id.mapped("name")),
                )
            )
        return cards

    def _check_card(self):
        if not self.card_id:
            raise UserError(self.env._("Find the holder's card first."))
        self.card_id.sudo()._check_usable()

    def _done(self, entry, **reset):
        self.write({**reset, "last_entry_id": entry.id, "token": _new_token()})
        # The balance moved in SQL under the wallet lock: read the profile anew.
        self.invalidate_recordset()
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            "context": {"form_view_initial_mode": "edit"},
        }
