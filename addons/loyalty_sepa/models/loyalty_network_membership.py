from stdnum import luhn
from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.annonay_loyalty.services.money_engine import NetworkRules


class LoyaltyNetworkMembership(models.Model):
    """A merchant's membership agreement with the network.

    It holds what the association needs to move money with the shop: the bank
    account (a validated IBAN) and the SEPA direct-debit mandate (OCA's
    ``account.banking.mandate``) the shop signed, and the checks of its legal
    identity (VAT number against VIES through ``base_vat``, SIRET).
    """

    _name = "loyalty.network.membership"
    _description = "Membership Agreement"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="merchant_id.partner_id", store=True, string="Merchant Company"
    )
    plan_id = fields.Many2one("loyalty.network.plan", tracking=True)
    date_start = fields.Date(
        string="Start Date", required=True, tracking=True, default=fields.Date.context_today
    )
    date_end = fields.Date(string="End Date", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("ended", "Ended")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    vat = fields.Char(related="partner_id.vat", readonly=False, string="VAT Number")
    vies_valid = fields.Boolean(related="partner_id.vies_valid", string="VAT Checked with VIES")
    siret = fields.Char(
        related="partner_id.company_registry", readonly=False, string="SIRET", store=True
    )
    partner_bank_id = fields.Many2one(
        "res.partner.bank",
        string="Bank Account",
        tracking=True,
        domain="[('partner_id', '=', partner_id)]",
        help="Debited and credited by the network: an IBAN of the merchant.",
    )
    mandate_id = fields.Many2one(
        "account.banking.mandate",
        string="SEPA Direct Debit Mandate",
        tracking=True,
        domain="[('partner_bank_id', '=', partner_bank_id)]",
    )
    mandate_reference = fields.Char(related="mandate_id.unique_mandate_reference")
    mandate_signature_date = fields.Date(related="mandate_id.signature_date")
    mandate_scheme = fields.Selection(related="mandate_id.scheme")
    mandate_sequence_type = fields.Selection(related="mandate_id.recurrent_sequence_type")
    mandate_state = fields.Selection(related="mandate_id.state", string="Mandate Status")
    debit_blocked = fields.Boolean(
        readonly=True,
        tracking=True,
        copy=False,
        help="A direct debit was returned by the bank: no new debit on this mandate "
        "until the staff clear the return.",
    )
    return_ids = fields.One2many("loyalty.sepa.return", "membership_id", string="Bank Returns")

    _merchant_start_unique = models.Constraint(
        "UNIQUE (merchant_id, date_start)",
        "This merchant already has an agreement starting on that date.",
    )
    _dates_check = models.Constraint(
        "CHECK (date_end IS NULL OR date_start <= date_end)",
        "An agreement cannot end before it starts.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The sequence is the association's, readable by no merchant: sudo to draw a number.
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("loyalty.network.membership") or "/"
        return super().create(vals_list)

    @api.constrains("siret")
    def _check_siret(self):
        for membership in self:
            if membership.siret and not stdnum_siret.is_valid(membership.siret):
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(shop)s is not valid: it has 14 digits and "
                        "a check digit (Luhn).",
                        siret=membership.siret,
                        shop=membership.merchant_id.name,
                    )
                )

    @api.constrains("partner_bank_id", "mandate_id", "merchant_id")
    def _check_bank_account(self):
        for membership in self:
            bank = membership.partner_bank_id
            if bank and bank.acc_type != "iban":
                raise ValidationError(
                    self.env._(
                        "The bank account %(account)s is not a valid IBAN.",
                        account=bank.acc_number,
                    )
                )
            if bank and bank.partner_id.commercial_partner_id != (
                membership.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._("The bank account must belong to %s.", membership.merchant_id.name)
                )
            if membership.mandate_id and membership.mandate_id.partner_bank_id != bank:
                raise ValidationError(
                    self.env._("The mandate must be signed for the agreement's bank account.")
                )

    @api.constrains("merchant_id", "state")
    def _check_one_active(self):
        for membership in self.filtered(lambda m: m.state == "active"):
            if self.search_count(
                [
                    ("merchant_id", "=", membership.merchant_id.id),
                    ("state", "=", "active"),
                    ("id", "!=", membership.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._("%s already has an active agreement.", membership.merchant_id.name)
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _check_staff(self):
        if not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            raise AccessError(self.env._("Only the association's staff manage agreements."))

    def action_check_vies(self):
        """Ask VIES again (through base_vat) whether the merchant's VAT number exists."""
        self._check_staff()
        for membership in self:
            if not membership.vat:
                raise UserError(
                    self.env._("Enter the VAT number of %s first.", membership.merchant_id.name)
                )
            if not membership.company_id.vat_check_vies:
                raise UserError(
                    self.env._(
                        "Turn on 'Verify VAT Numbers' (VIES) in the accounting settings first."
                    )
                )
            membership.partner_id._compute_vies_valid()
        return True

    def action_activate(self):
        self._check_staff()
        for membership in self:
            if membership.state != "draft":
                raise UserError(self.env._("Only a draft agreement can be activated."))
            if not membership.siret:
                raise UserError(
                    self.env._("Enter the SIRET of %s first.", membership.merchant_id.name)
                )
            if (
                membership.vat
                and membership.company_id.vat_check_vies
                and not (membership.vies_valid)
            ):
                raise UserError(
                    self.env._(
                        "VIES does not know the VAT number %(vat)s of %(shop)s: check it "
                        "with the merchant.",
                        vat=membership.vat,
                        shop=membership.merchant_id.name,
                    )
                )
            if not membership.partner_bank_id:
                raise UserError(
                    self.env._("Enter the IBAN of %s first.", membership.merchant_id.name)
                )
        self.write({"state": "active"})
        return True

    def action_end(self):
        self._check_staff()
        today = NetworkRules.of(self.env.company).today()
        for membership in self:
            if membership.state != "active":
                raise UserError(self.env._("Only an active agreement can be ended."))
            membership.write({"state": "ended", "date_end": membership.date_end or today})
        return True

    def action_revoke_mandate(self):
        """The merchant revoked its mandate: no direct debit any more."""
        self._check_staff()
        for membership in self:
            if membership.mandate_id.state in ("draft", "valid"):
                membership.mandate_id.cancel()
                membership.message_post(
                    body=self.env._(
                        "Mandate %s revoked: the shop's debts are no longer collected by "
                        "direct debit.",
                        membership.mandate_reference,
                    )
                )
        return True

    def action_clear_debit_block(self):
        """The staff dealt with the returned debit: the mandate may be debited again."""
        self._check_staff()
        self.return_ids.filtered(lambda r: r.state == "open").action_clear()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _get_debit_refusal(self):
        """Why this agreement's mandate cannot be debited now (False if it can)."""
        self.ensure_one()
        if self.state != "active":
            return self.env._("the agreement is not active")
        if not self.mandate_id:
            return self.env._("no direct debit mandate")
        if self.mandate_id.state != "valid":
            return self.env._(
                "the mandate %s is not valid (revoked or expired)", self.mandate_reference
            )
        if self.debit_blocked:
            return self.env._("a returned debit is waiting for the staff")
        return False

    @api.model
    def _for_merchants(self, merchants):
        """The active agreement of each merchant, as a dict merchant id -> agreement."""
        memberships = self.search([("merchant_id", "in", merchants.ids), ("state", "=", "active")])
        return {membership.merchant_id.id: membership for membership in memberships}

    # ------------------------------------------------------------
    # DEMO
    # ------------------------------------------------------------

    @api.model
    def _generate_demo_agreements(self):
        """Demo: the association's IBAN on its bank journal, its SEPA creditor id,
        and an active agreement with a signed mandate for every shop."""
        company = self.env.company
        partner_bank = self.env["res.partner.bank"]

        def demo_iban(number):
            bban = f"3000400001{number:011d}00"
            check = 98 - int("".join(str(int(c, 36)) for c in bban + "FR00")) % 97
            return f"FR{check:02d}{bban}"

        if not company.sepa_creditor_identifier:
            company.sepa_creditor_identifier = "FR78ZZZ424242"
        if not company.partner_id.city:
            company.partner_id.write({"city": "Annonay", "zip": "07100"})
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        if journal and not journal.bank_account_id:
            journal.bank_account_id = partner_bank.create(
                {"acc_number": demo_iban(1), "partner_id": company.partner_id.id}
            )
        merchants = self.env["loyalty.network.merchant"].search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        )
        existing = self.search([("merchant_id", "in", merchants.ids)]).merchant_id
        for merchant in merchants - existing:
            partner = merchant.partner_id
            siren = f"{73282932 + merchant.id:08d}"
            siren += luhn.calc_check_digit(siren)
            siret = f"{siren}0001"
            if not partner.company_registry:
                partner.company_registry = siret + luhn.calc_check_digit(siret)
            if not partner.city:
                partner.city = "Annonay"
            bank = partner_bank.create(
                {"acc_number": demo_iban(1000 + merchant.id), "partner_id": partner.id}
            )
            mandate = self.env["account.banking.mandate"].create(
                {
                    "format": "sepa",
                    "type": "recurrent",
                    "recurrent_sequence_type": "first",
                    "scheme": "CORE",
                    "signature_date": fields.Date.context_today(self),
                    "partner_bank_id": bank.id,
                    "company_id": company.id,
                    "unique_mandate_reference": f"ANN-{merchant.id:04d}",
                }
            )
            mandate.validate()
            self.create(
                {
                    "merchant_id": merchant.id,
                    "plan_id": merchant.plan_id.id,
                    "partner_bank_id": bank.id,
                    "mandate_id": mandate.id,
                }
            ).action_activate()
        return True
