import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..services import money_engine as engine


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
    # Set only by action_find and action_enrol (written with elevated rights,
    # refused from any client): the profile below is shown for this card only.
    card_id = fields.Many2one("loyalty.network.card", string="Card", readonly=True)
    # Profile of the holder, read with elevated rights in _compute_profile:
    # finding the card is what entitles the shop to see this profile.
    partner_id = fields.Many2one("res.partner", string="Holder", compute="_compute_profile")
    card_state = fields.Selection(
        selection=lambda self: self.env["loyalty.network.card"]._fields["state"].selection,
        compute="_compute_profile",
    )
    birth_date = fields.Date(compute="_compute_profile")
    address = fields.Char(compute="_compute_profile")
    phone = fields.Char(compute="_compute_profile")
    email = fields.Char(compute="_compute_profile")
    member_since = fields.Date(compute="_compute_profile")
    last_visit_date = fields.Date(compute="_compute_profile")
    balance = fields.Monetary(compute="_compute_profile")
    total_turnover = fields.Monetary(string="Card Turnover", compute="_compute_profile")
    can_spend = fields.Boolean(compute="_compute_profile")
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
        f"('entry_type', 'in', {list(engine.REFUNDABLE_TYPES)!r})]",
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

    @api.depends("card_id")
    def _compute_profile(self):
        for terminal in self:
            # Only the card stored by action_find/action_enrol counts: a card put in
            # an unsaved record (onchange values sent by a client) shows nothing.
            card = terminal.card_id
            if card != terminal._origin.card_id:
                card = card.browse()
            # The card was found by its number or among the shop's own customers
            # (see _find_card): reading its holder's profile is what the terminal is for.
            card = card.sudo()
            holder = card.partner_id
            wallet = holder.loyalty_wallet_id
            terminal.update(
                {
                    "partner_id": holder.id,
                    "card_state": card.state,
                    "birth_date": holder.loyalty_birth_date,
                    "address": holder.contact_address if holder else False,
                    "phone": holder.phone,
                    "email": holder.email,
                    "member_since": holder.loyalty_member_since,
                    "last_visit_date": holder.loyalty_last_visit_date,
                    "balance": wallet.balance,
                    "total_turnover": wallet.total_turnover,
                    "can_spend": wallet.can_spend,
                }
            )

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
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("refund_entry_id", "card_id", "merchant_id")
    def _check_refund_entry(self):
        for terminal in self.filtered("refund_entry_id"):
            # Read the chosen entry as the system, to compare it with this terminal
            # only: nothing of it is returned.
            entry = terminal.refund_entry_id.sudo()
            if (
                entry.entry_type not in engine.REFUNDABLE_TYPES
                or entry.merchant_id != terminal.merchant_id
                or not terminal.card_id
                or entry.card_id != terminal.card_id
            ):
                raise ValidationError(
                    self.env._(
                        "Choose a purchase or a wallet payment of this card made in your shop."
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_find(self):
        self.ensure_one()
        self.merchant_id._check_operator_access()
        card = self._find_card((self.query or "").strip())
        # The card was just found by this terminal's own search: the only way in.
        self.sudo().write(
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
        # The card was just handed to the new holder by this shop: the only way in.
        self.sudo().write(
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
        holders = self.env["loyalty.network.customer"]._find_holders(self.merchant_id, query)
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

    def _check_protected_vals(self, vals):
        """Refuse a card or operation set by a client: only the actions set them;
        and a shop the user does not operate (constraints run as superuser, so
        this is checked here, with the caller's rights)."""
        if self.env.su:
            return
        if vals.get("merchant_id"):
            # A cashier operates only for its own shop(s); staff for any shop.
            merchant = self.env["loyalty.network.merchant"].browse(vals["merchant_id"])
            merchant._check_operator_access()
        for fname in ("card_id", "last_entry_id"):
            value = vals.get(fname)
            if value and (not self or any(terminal[fname].id != value for terminal in self)):
                raise AccessError(
                    self.env._(
                        "Find the card with the terminal's search: it cannot be set directly."
                    )
                    if fname == "card_id"
                    else self.env._("The last operation is recorded by the terminal itself.")
                )

    def _check_card(self):
        if not self.card_id:
            raise UserError(self.env._("Find the holder's card first."))
        self.card_id.sudo()._check_usable()

    def _done(self, entry, **reset):
        # The entry was just posted by this terminal: recording it is no client's say.
        self.sudo().write({**reset, "last_entry_id": entry.id, "token": _new_token()})
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
