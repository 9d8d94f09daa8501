from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import pos_fields_without

# Fields that link a till to a member shop: only association staff set them.
LOYALTY_LINK_FIELDS = ("loyalty_merchant_id", "loyalty_plan_id")


class PosConfig(models.Model):
    _inherit = "pos.config"

    loyalty_merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        string="Loyalty Merchant",
        copy=False,
        help="The member shop this point of sale credits and accepts wallet payments for.",
    )
    loyalty_plan_id = fields.Many2one(
        "loyalty.network.plan",
        string="Loyalty Rate Plan",
        copy=False,
        domain="[('id', 'in', loyalty_allowed_plan_ids)]",
        help="Empty: the merchant's default plan.",
    )
    loyalty_allowed_plan_ids = fields.Many2many(
        "loyalty.network.plan", compute="_compute_loyalty_allowed_plan_ids", compute_sudo=True
    )
    loyalty_is_enabled = fields.Boolean(
        compute="_compute_loyalty_is_enabled", compute_sudo=True, string="Loyalty Card Enabled"
    )

    @api.depends("loyalty_merchant_id")
    def _compute_loyalty_allowed_plan_ids(self):
        for config in self:
            config.loyalty_allowed_plan_ids = config.loyalty_merchant_id._get_allowed_plans()

    @api.depends("loyalty_merchant_id")
    def _compute_loyalty_is_enabled(self):
        for config in self:
            config.loyalty_is_enabled = bool(config.loyalty_merchant_id)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(fname) for vals in vals_list for fname in LOYALTY_LINK_FIELDS):
            self._loyalty_check_link_access()
        return super().create(vals_list)

    def write(self, vals):
        # Point of sale users may write their till (core); the link to a member
        # shop decides whose customers they see and who pays the credit.
        # Settings write every field back, so only a change is refused.
        if any(
            config[fname].id != (vals[fname] or False)
            for config in self
            for fname in LOYALTY_LINK_FIELDS
            if fname in vals
        ):
            self._loyalty_check_link_access()
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _load_pos_data_fields(self, config):
        # The POS loads every field of its config; the loyalty records it does
        # not load stay out (it needs only to know whether the card is on).
        return pos_fields_without(
            self,
            super()._load_pos_data_fields(config),
            {"loyalty_merchant_id", "loyalty_plan_id", "loyalty_allowed_plan_ids"},
        )

    def loyalty_lookup_card(self, query):
        """Find a holder for this point of sale, as the merchant terminal does.

        An exact card number finds any card; a name or phone finds only this
        shop's customers. Returns what the cashier may see.
        """
        self.ensure_one()
        merchant = self._loyalty_check_till_access()
        # Cashiers have no rights on the network's records: the link of this
        # point of sale to its merchant, set by the association, is the authority
        # (the caller works on an open session of this till, checked above).
        config = self.sudo()
        query = (query or "").strip()
        Card = self.env["loyalty.network.card"]
        compact = query.replace(" ", "")
        if compact.isdigit() and len(compact) == 13:
            card = Card._find_by_number(compact).sudo()
        else:
            # Cashiers are not merchant users: this till operates ``merchant``
            # (checked above), whose own customers only are searched.
            holders = self.env["loyalty.network.customer"]._find_holders(merchant, query, limit=2)
            card = holders.sudo().loyalty_card_ids.filtered(lambda c: c.state == "active")
            if len(card) > 1:
                raise UserError(self.env._("Several customers match: type more or scan the card."))
        if not card:
            raise UserError(self.env._("No card or customer matches “%s”.", query))
        card._check_usable()
        wallet = card.partner_id._get_loyalty_wallet(merchant.company_id)
        plan = config.loyalty_plan_id or merchant.plan_id
        return {
            "number": card.name,
            "masked_number": card.masked_number,
            "holder": card.partner_id.name,
            "balance": wallet.balance,
            "can_spend": wallet.can_spend,
            "min_spend": merchant.company_id.loyalty_min_spend_balance,
            "rate": plan.cardholder_rate,
            **self._loyalty_holder_pos_data(card.partner_id),
        }

    def loyalty_enrol_card(self, card_number, holder):
        """Enrol a new holder on a blank card from this point of sale."""
        self.ensure_one()
        merchant = self._loyalty_check_till_access()
        # Same authority as above: the point of sale's merchant, set by the
        # association, for a caller working on an open session of this till.
        self.env["loyalty.network.card"].sudo()._enrol_new_holder(card_number, merchant, holder)
        return self.loyalty_lookup_card(card_number)

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    @api.model
    def _loyalty_check_link_access(self):
        if self.env.is_superuser() or self.env.user.has_group(
            "annonay_loyalty.annonay_loyalty_group_manager"
        ):
            return
        raise AccessError(
            self.env._(
                "Only the association's staff can link a point of sale to a loyalty merchant "
                "or change its rate plan."
            )
        )

    def _loyalty_check_till_access(self, session=None):
        """Return the merchant of this till if the current user may operate the
        card on it, else raise.

        The till must have an open session (``session`` if given, else any open
        session of this till), and the caller must work for the till's shop: the
        user of that session, one of the merchant's users, or association staff
        (the point of sale shares a session between the users who join it: they
        are the merchant's users).
        """
        self.ensure_one()
        self.check_access("read")
        # The merchant link is set by staff only (see write); reading it is no loan.
        merchant = self.sudo().loyalty_merchant_id
        if not merchant:
            raise UserError(self.env._("This point of sale is not linked to a loyalty merchant."))
        if self.env.is_superuser():
            return merchant
        # Sessions of a till are visible to its point of sale users; sudo only
        # to see the state and user whatever the record rules of other addons.
        domain = [("config_id", "=", self.id), ("state", "=", "opened")]
        if session:
            domain.append(("id", "=", session.id))
        sessions = self.env["pos.session"].sudo().search(domain)
        if not sessions:
            raise AccessError(
                self.env._("Open a session of %s to use the loyalty card.", self.name)
            )
        user = self.env.user
        if (
            user not in sessions.user_id
            and user not in merchant.sudo().user_ids
            and not user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
        ):
            raise AccessError(
                self.env._(
                    "You do not work on this point of sale's session: you cannot use the "
                    "loyalty card of %s here.",
                    merchant.sudo().name,
                )
            )
        return merchant

    @api.model
    def _loyalty_setup_demo(self, wallet_method_id):
        """Demo: the bakery's till, linked to the bakery, with the wallet method."""
        bakery = self.env["loyalty.network.merchant"].search(
            [("name", "=", "Boulangerie du Champ de Mars")], limit=1
        )
        config = self.search([], limit=1)
        if bakery and config:
            config.write(
                {
                    "loyalty_merchant_id": bakery.id,
                    "payment_method_ids": [(4, wallet_method_id)],
                }
            )

    def loyalty_preview(self, card_number, amount_total, wallet_amount=0.0):
        """What the order would do to the wallet if it synced now, as the money
        engine computes it: ``amount_total`` of the order, ``wallet_amount`` of it
        paid from the wallet (the rest earns). Nothing is posted; the server
        decides again at sync. Same checks as the card lookup."""
        self.ensure_one()
        merchant = self._loyalty_check_till_access()
        # Cashiers have no rights on the network's records: the till's link to its
        # merchant, set by the association, is the authority (as for the lookup).
        config = self.sudo()
        for value in (amount_total, wallet_amount):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or value != value  # NaN
                or abs(value) == float("inf")
            ):
                raise UserError(self.env._("The amount must be a number."))
        # The caller holds the card (its exact number); it gets this card's figures only.
        card = self.env["loyalty.network.card"]._find_by_number(card_number).sudo()
        if not card:
            raise UserError(self.env._("No card or customer matches “%s”.", card_number or ""))
        currency = merchant.company_id.currency_id
        wallet_amount = max(currency.round(wallet_amount), 0.0)
        earning_base = max(currency.round(amount_total - wallet_amount), 0.0)
        return (
            self.env["loyalty.network.wallet"]
            .sudo()
            ._preview_operation(
                card,
                merchant,
                amount=earning_base,
                spend_amount=wallet_amount,
                plan=config.loyalty_plan_id or None,
            )
        )

    def _loyalty_holder_pos_data(self, holder):
        """The holder as the POS loads a customer, to set it on the order."""
        # The cashier has just presented this holder's card (or found them among
        # the shop's customers): it may see them as any POS customer, and only them.
        return {
            "partner_id": holder.id,
            "pos_data": {
                "res.partner": self.env["res.partner"]._load_pos_data_read(holder.sudo(), self)
            },
        }
