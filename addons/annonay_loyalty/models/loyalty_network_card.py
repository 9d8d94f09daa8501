import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.barcode import check_barcode_encoding, get_barcode_check_digit

from ..services.money_engine import NetworkRules

CARD_NUMBER_LENGTH = 13  # EAN-13, so that any shop scanner reads the card
NUMBER_ATTEMPTS = 20  # draws per number before the range is deemed full


class LoyaltyNetworkCard(models.Model):
    _name = "loyalty.network.card"
    _description = "Loyalty Network Card"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Card Number",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self._get_next_number(),
    )
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    state = fields.Selection(
        selection=[
            ("stock", "Blank"),
            ("active", "Active"),
            ("blocked", "Blocked"),
            ("replaced", "Replaced"),
        ],
        default="stock",
        required=True,
        tracking=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Holder", index=True, tracking=True, ondelete="restrict"
    )
    wallet_id = fields.Many2one(related="partner_id.loyalty_wallet_id")
    balance = fields.Monetary(related="wallet_id.balance")
    currency_id = fields.Many2one(related="company_id.currency_id")
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        string="Issued By",
        tracking=True,
        index=True,
        check_company=True,
    )
    issue_date = fields.Date(tracking=True)
    replaced_by_id = fields.Many2one("loyalty.network.card", readonly=True, copy=False)
    masked_number = fields.Char(compute="_compute_masked_number")

    _name_unique = models.Constraint("UNIQUE(name)", "This card number already exists.")
    _holder_when_issued = models.Constraint(
        "CHECK(state = 'stock' OR partner_id IS NOT NULL)",
        "A card that is not blank must have a holder.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("name")
    def _compute_masked_number(self):
        for card in self:
            number = card.name or ""
            card.masked_number = "•••• " + number[-4:] if len(number) > 4 else number

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("name")
    def _check_number(self):
        for card in self:
            if not self._is_valid_number(card.name):
                raise ValidationError(
                    self.env._("%s is not a valid card number (EAN-13).", card.name)
                )

    @api.constrains("partner_id", "state")
    def _check_one_active_card(self):
        holders = self.filtered(lambda c: c.state == "active").partner_id
        if not holders:
            return
        groups = self._read_group(
            [("partner_id", "in", holders.ids), ("state", "=", "active")],
            ["partner_id"],
            having=[("__count", ">", 1)],
        )
        if groups:
            raise ValidationError(
                self.env._(
                    "%s already has an active card: block or replace it first.", groups[0][0].name
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Copies: callers may pass the same dict for every card ([{}] * quantity).
        vals_list = [dict(vals) for vals in vals_list]
        missing = [vals for vals in vals_list if not vals.get("name")]
        if missing:
            companies = {vals.get("company_id") for vals in missing}
            for company_id in companies:
                batch = [vals for vals in missing if vals.get("company_id") == company_id]
                company = self.env["res.company"].browse(company_id) if company_id else None
                for vals, number in zip(
                    batch, self._generate_numbers(len(batch), company), strict=True
                ):
                    vals["name"] = number
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        # Counting entries of these cards only: the history must keep its card.
        has_history = (
            self.env["loyalty.network.entry"]
            .sudo()
            .search_count([("card_id", "in", self.ids)], limit=1)
        )
        if has_history or any(card.state != "stock" for card in self):
            raise UserError(
                self.env._("Only blank cards can be deleted; block an issued card instead.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_block(self):
        self.filtered(lambda c: c.state == "active").write({"state": "blocked"})

    def action_unblock(self):
        self.filtered(lambda c: c.state == "blocked").write({"state": "active"})

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _find_by_number(self, number):
        """Find a card by its exact number, whoever the holder is.

        Holding the physical card is what lets a merchant serve a holder it
        has never seen, so the lookup bypasses the customer record rules;
        callers get only this card.
        """
        number = (number or "").strip().replace(" ", "")
        if not number:
            return self.browse()
        # Found and read in one query: the operation checks its state and holder next.
        return (
            self.sudo()
            .search_fetch(
                [("name", "=", number)], ["name", "state", "partner_id", "company_id"], limit=1
            )
            .sudo(False)
        )

    def _check_usable(self):
        """Raise a cashier-readable error unless the card can be used now."""
        self.ensure_one()
        if self.state == "stock":
            raise UserError(
                self.env._(
                    "Card %s has not been handed to a holder yet: enrol it first.", self.name
                )
            )
        if self.state == "blocked":
            raise UserError(self.env._("Card %s is blocked.", self.name))
        if self.state == "replaced":
            raise UserError(
                self.env._(
                    "Card %s was replaced: use the holder's new card.",
                    self.name,
                )
            )

    def _enrol(self, partner, merchant):
        """Hand this blank card to ``partner`` at ``merchant``."""
        self.ensure_one()
        merchant.with_env(self.env)._check_can_operate()
        if self.sudo().state != "stock":
            raise UserError(self.env._("Card %s is already in use.", self.name))
        # A merchant may enrol any blank card it holds; the card and the new
        # customer link are written with elevated rights on these records only.
        card = self.sudo()
        card.write(
            {
                "state": "active",
                "partner_id": partner.id,
                "merchant_id": merchant.id,
                # the network's local day, as every day rule (statistics count it)
                "issue_date": NetworkRules.of(card.company_id).today(),
            }
        )
        partner.sudo()._ensure_loyalty_holder(merchant)
        return self

    @api.model
    def _enrol_new_holder(self, card_number, merchant, holder):
        """Create a holder from ``holder`` (name, birth_date, phone, email,
        email_consent, sms_consent) and hand them the blank card ``card_number``
        at ``merchant``. Used by the merchant terminal and the POS."""
        merchant = merchant.with_env(self.env)
        merchant._check_can_operate()
        card = self._find_by_number(card_number)
        if not card:
            raise UserError(self.env._("No card has the number %s.", card_number or ""))
        if card.sudo().state != "stock":
            raise UserError(self.env._("Card %s is already in use.", card.sudo().name))
        name = (holder.get("name") or "").strip()
        if not name:
            raise UserError(self.env._("Type the new holder's name."))
        country = merchant.company_id.country_id or self.env.company.country_id
        phone = False
        if holder.get("phone"):
            phone = self.env["res.partner"]._phone_format(
                number=holder["phone"], country=country, force_format="INTERNATIONAL"
            )
            if not phone:
                raise UserError(self.env._("%s is not a valid phone number.", holder["phone"]))
        # Cashiers enrol holders without being contact managers: only this
        # checked creation runs with elevated rights.
        partner = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "loyalty_birth_date": holder.get("birth_date") or False,
                    "phone": phone,
                    "email": (holder.get("email") or "").strip() or False,
                    "country_id": country.id,
                    "loyalty_email_consent": bool(holder.get("email_consent")),
                    "loyalty_sms_consent": bool(holder.get("sms_consent")),
                }
            )
            .sudo(False)
        )
        # Enrol with the rights this method was called with (the card was found
        # in a plain environment by _find_by_number).
        return card.with_env(self.env)._enrol(partner, merchant)

    def _replace_with(self, new_card):
        """Move the holder to ``new_card``; the wallet follows the holder."""
        self.ensure_one()
        if self.state not in ("active", "blocked"):
            raise UserError(self.env._("Only an active or blocked card can be replaced."))
        if new_card.state != "stock":
            raise UserError(self.env._("The replacement card %s is not blank.", new_card.name))
        holder = self.partner_id
        self.write({"state": "replaced", "replaced_by_id": new_card.id})
        new_card.write(
            {
                "state": "active",
                "partner_id": holder.id,
                "merchant_id": self.merchant_id.id,
                "issue_date": NetworkRules.of(new_card.company_id).today(),
            }
        )
        self.message_post(body=self.env._("Replaced by card %s.", new_card.name))
        return new_card

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    @api.model
    def _get_next_number(self):
        """A new card number that no card has, drawn at random (see _generate_numbers)."""
        return self._generate_numbers(1)[0]

    @api.model
    def _generate_numbers(self, count, company=None):
        """``count`` new EAN-13 numbers: the network's prefix, random digits, check digit.

        The digits between the prefix and the check digit are drawn with
        ``secrets``, so no number can be inferred from another card's; a number
        already taken (or drawn twice) is drawn again.
        """
        prefix = (company or self.env.company).loyalty_card_prefix or ""
        random_digits = CARD_NUMBER_LENGTH - 1 - len(prefix)
        if (prefix and not prefix.isdigit()) or random_digits < 6:
            raise UserError(
                self.env._(
                    "The card number prefix must be digits only, at most %s of them.",
                    CARD_NUMBER_LENGTH - 7,
                )
            )
        numbers = set()
        for _attempt in range(NUMBER_ATTEMPTS):
            drawn = set()
            while len(numbers) + len(drawn) < count:
                body = prefix + str(secrets.randbelow(10**random_digits)).zfill(random_digits)
                drawn.add(body + str(get_barcode_check_digit(body + "0")))
            # Counting existing numbers whoever the caller is: only "taken or not"
            # is learnt, to draw again.
            taken = self.sudo().search([("name", "in", list(drawn))]).mapped("name")
            numbers |= drawn - set(taken) - numbers
            if len(numbers) >= count:
                return list(numbers)
        raise UserError(
            self.env._(
                "No free card number could be drawn: the numbering range of prefix %s is "
                "nearly full. Choose a shorter prefix.",
                prefix,
            )
        )

    @api.model
    def _is_valid_number(self, number):
        return bool(
            number
            and number.isdigit()
            and len(number) == CARD_NUMBER_LENGTH
            and check_barcode_encoding(number, "ean13")
        )
