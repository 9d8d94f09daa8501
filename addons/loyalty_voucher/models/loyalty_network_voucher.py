import re
import secrets

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_date

from odoo.addons.annonay_loyalty.services import money_engine as engine

# 20 random digits (66 bits): typed on a numeric keypad, scanned from a QR
# code or a Code 128 barcode; an EAN-13 (12 digits) could be guessed.
CODE_DIGITS = 20
VOUCHER_STATES = [
    ("sold", "Sold"),
    ("partly_used", "Partly Used"),
    ("used", "Used"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("sold", "partly_used")


def normalize_code(code):
    """The voucher code as stored: its digits only (spaces, dashes dropped)."""
    return re.sub(r"\D", "", str(code or ""))


class LoyaltyNetworkVoucher(models.Model):
    """A network gift voucher and the one service that moves its value.

    A voucher's value is its own, never mixed with the loyalty wallet: every
    movement is a ``loyalty.network.voucher.entry`` posted under a row lock on
    the voucher, so that the balance always equals the sum of the entries.
    Each operation carries a source reference, unique per shop (the network's
    own operations share one scope): the same operation sent again returns
    the first entry, a reference reused for another operation is refused.
    Nobody creates or writes vouchers and entries directly: the counter,
    the POS, the API and the staff's sale wizard go through ``_sell``,
    ``_redeem``, ``_refund_redemption``, ``_cancel`` and the expiry cron.
    """

    _name = "loyalty.network.voucher"
    _description = "Loyalty Network Gift Voucher"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    code = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        groups="annonay_loyalty.annonay_loyalty_group_manager,base.group_portal",
        help="The secret code printed on the voucher: whoever has it can spend the voucher.",
    )
    masked_code = fields.Char(string="Code (last digits)", compute="_compute_masked_code")
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    face_value = fields.Monetary(required=True, readonly=True)
    balance = fields.Monetary(readonly=True, default=0.0)
    sale_date = fields.Date(readonly=True, help="Local date of the sale.")
    expiry_date = fields.Date(readonly=True, help="Last local day the voucher can be spent.")
    # Who holds and who bought a voucher is the association's (and the holder's) to
    # know, not the shops' where it is spent.
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        index="btree_not_null",
        tracking=True,
        groups="annonay_loyalty.annonay_loyalty_group_manager,base.group_portal",
    )
    buyer_id = fields.Many2one(
        "res.partner",
        string="Bought by",
        readonly=True,
        groups="annonay_loyalty.annonay_loyalty_group_manager",
    )
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        string="Sold by Shop",
        readonly=True,
        index="btree_not_null",
        help="Empty: sold by the association.",
    )
    category_ids = fields.Many2many(
        "loyalty.network.merchant.category",
        "loyalty_network_voucher_category_rel",
        "voucher_id",
        "category_id",
        string="Valid in Categories",
        readonly=True,
        help="Empty: valid in every member shop.",
    )
    state = fields.Selection(
        VOUCHER_STATES, required=True, readonly=True, default="sold", index=True, tracking=True
    )
    entry_ids = fields.One2many("loyalty.network.voucher.entry", "voucher_id", string="History")
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False)

    _code_unique = models.Constraint("UNIQUE(code)", "This voucher code already exists.")
    _face_value_positive = models.Constraint(
        "CHECK(face_value > 0)", "A voucher has a face value above zero."
    )
    _balance_positive = models.Constraint(
        "CHECK(balance >= 0)", "A voucher balance cannot go below zero."
    )

    # Fields moved only by the posting service (in SQL, under the row lock).
    LEDGER_FIELDS = {
        "code",
        "company_id",
        "face_value",
        "balance",
        "sale_date",
        "expiry_date",
        "merchant_id",
        "buyer_id",
        "category_ids",
        "state",
        "move_id",
    }

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_masked_code(self):
        for voucher in self:
            # The last digits only: enough to tell vouchers apart, useless to spend one.
            code = voucher.sudo().code or ""
            voucher.masked_code = f"•••• {code[-4:]}" if code else ""

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if self.LEDGER_FIELDS & set(vals):
            raise UserError(
                self.env._("A voucher's value changes only through entries of its history.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        raise UserError(self.env._("A voucher is kept: cancel it instead."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_email(self):
        """Email the e-voucher (its code and PDF) to its holder."""
        self._check_staff()
        for voucher in self:
            if not voucher.partner_id.email:
                raise UserError(
                    self.env._("Voucher %s has no holder with an email address.", voucher.name)
                )
        template = self.env.ref("loyalty_voucher.mail_template_loyalty_voucher")
        for voucher in self:
            voucher.message_post_with_source(
                template,
                partner_ids=voucher.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_cancel(self):
        """Staff: cancel what is left on these vouchers (the buyer is paid back)."""
        for voucher in self:
            voucher._cancel(self.env._("Cancelled by the association"), f"cancel/{voucher.id}")
        return True

    # ------------------------------------------------------------
    # BUSINESS: the service API
    # ------------------------------------------------------------

    @api.model
    def _sell(
        self,
        merchant,
        face_value,
        source_ref,
        partner=None,
        buyer=None,
        categories=None,
        date=None,
        move=None,
        company=None,
    ):
        """Sell a voucher of ``face_value``: by ``merchant`` (a member shop, which
        collects the money and owes it at settlement) or, ``merchant`` empty, by
        the association's staff (invoiced: ``move``).

        :return: the sale entry (the first one if ``source_ref`` was already posted)
        """
        merchant = (merchant or self.env["loyalty.network.merchant"]).with_env(self.env)
        if merchant:
            merchant._check_operator_access()
            company = merchant.sudo().company_id
        else:
            self._check_staff()
            company = company or self.env.company
        rules = engine.NetworkRules.of(company)
        face_value = engine.check_amount(rules, face_value)
        replayed = self._get_replayed_entry(
            source_ref, merchant, {"entry_type": "sale", "amount": face_value}
        )
        if replayed:
            return replayed
        if merchant:
            merchant._check_can_operate()
        date = date or fields.Datetime.now()
        sale_date = rules.local_date(date)
        # The caller may sell (checked above); nobody creates vouchers directly,
        # so that a voucher's value always comes from its sale entry.
        voucher = self.sudo().create(
            {
                # Sequences are configuration nobody but the system reads.
                "name": self.env["ir.sequence"].sudo().next_by_code("loyalty.network.voucher")
                or "/",
                "code": self._new_code(),
                "company_id": company.id,
                "face_value": face_value,
                "sale_date": sale_date,
                "expiry_date": sale_date
                + relativedelta(months=company.loyalty_voucher_validity_months or 12),
                "partner_id": partner.id if partner else False,
                "buyer_id": buyer.id if buyer else False,
                "merchant_id": merchant.id or False,
                "category_ids": [(6, 0, categories.ids if categories else [])],
                "move_id": move.id if move else False,
            }
        )
        return voucher._post(
            {
                "entry_type": "sale",
                "source_ref": source_ref,
                "merchant_id": merchant.id or False,
                "date": date,
                "amount": face_value,
                "move_id": move.id if move else False,
            }
        )

    @api.model
    def _redeem(self, code, merchant, amount, source_ref, date=None):
        """Pay ``amount`` of a purchase at ``merchant`` with the voucher of ``code``."""
        merchant = merchant.with_env(self.env)
        merchant._check_operator_access()
        company = merchant.sudo().company_id
        rules = engine.NetworkRules.of(company)
        amount = engine.check_amount(rules, amount)
        voucher = self._find_by_code(code, company)
        replayed = self._get_replayed_entry(
            source_ref,
            merchant,
            {"entry_type": "redemption", "voucher_id": voucher, "amount": -amount},
        )
        if replayed:
            return replayed
        merchant._check_can_operate()
        voucher._lock()
        voucher._check_redeemable(merchant.sudo(), amount)
        return voucher._post(
            {
                "entry_type": "redemption",
                "source_ref": source_ref,
                "merchant_id": merchant.id,
                "date": date or fields.Datetime.now(),
                "amount": -amount,
                "commission": rules.round(
                    amount * (company.loyalty_voucher_commission_rate or 0.0) / 100.0
                ),
            }
        )

    @api.model
    def _refund_redemption(self, origin_entry, amount, source_ref, date=None):
        """Give ``amount`` of a voucher payment back to the voucher (refund of the
        purchase), with the commission in proportion (the last refund takes
        exactly what is left, so cents tie)."""
        # The ledger is read as the system; the caller must operate the shop of the
        # payment (checked just below) to give any of it back.
        origin_entry = origin_entry.with_env(self.env).sudo()
        if origin_entry.entry_type != "redemption":
            raise UserError(self.env._("Only a voucher payment can be given back to a voucher."))
        merchant = origin_entry.merchant_id.with_env(self.env)
        merchant._check_operator_access()
        rules = engine.NetworkRules.of(origin_entry.company_id)
        amount = engine.check_amount(rules, amount)
        replayed = self._get_replayed_entry(
            source_ref,
            merchant,
            {"entry_type": "refund", "origin_entry_id": origin_entry, "amount": amount},
        )
        if replayed:
            return replayed
        voucher = origin_entry.voucher_id
        voucher._lock()
        origin_entry.invalidate_recordset(["reversal_ids"])
        refundable = origin_entry._get_refundable()
        if rules.compare(amount, refundable) > 0:
            raise UserError(
                self.env._(
                    "Only %(refundable)s of this voucher payment can still be given back.",
                    refundable=rules.fmt(refundable),
                )
            )
        commission_left = rules.round(
            origin_entry.commission + sum(origin_entry.reversal_ids.mapped("commission"))
        )
        if rules.compare(amount, refundable) == 0:
            commission = -commission_left
        else:
            commission = -rules.round(origin_entry.commission * amount / -origin_entry.amount)
        return voucher._post(
            {
                "entry_type": "refund",
                "source_ref": source_ref,
                "merchant_id": merchant.id,
                "origin_entry_id": origin_entry.id,
                "date": date or fields.Datetime.now(),
                "amount": amount,
                "commission": commission,
            }
        )

    def _cancel(self, reason, source_ref):
        """Staff: cancel the balance left (the buyer is paid it back)."""
        self.ensure_one()
        self._check_staff()
        # Staff (checked above) may cancel any voucher, whatever its record rules.
        voucher = self.sudo()
        replayed = self._get_replayed_entry(
            source_ref,
            self.env["loyalty.network.merchant"],
            {"entry_type": "cancel", "voucher_id": voucher},
        )
        if replayed:
            return replayed
        voucher._lock()
        # Whatever is left is paid back: on an open voucher, an expired one whose
        # balance stays owed to its holder, or value given back after a cancellation.
        rules = engine.NetworkRules.of(voucher.company_id)
        if rules.is_zero(voucher.balance):
            raise UserError(
                self.env._(
                    "Voucher %(name)s is %(state)s: it cannot be cancelled.",
                    name=voucher.name,
                    state=voucher._get_state_label(),
                )
            )
        return voucher._post(
            {
                "entry_type": "cancel",
                "source_ref": source_ref,
                "date": fields.Datetime.now(),
                "amount": -voucher.balance,
                "reason": reason,
            }
        )

    @api.model
    def _expire_vouchers(self, company, today=None):
        """Expire the open vouchers of ``company`` whose last day is past: their
        balance goes to income, or stays owed to the holder (network setting).
        Under the income policy, value given back to an expired voucher (refund of
        an earlier payment) goes to income at the next run too.
        Returns the vouchers expired or emptied."""
        rules = engine.NetworkRules.of(company)
        today = today or rules.today()
        to_income = company.loyalty_voucher_expiry_policy == "income"
        states = OPEN_STATES + (("expired",) if to_income else ())
        # The cron runs as the system; reading every voucher of the network is its job.
        vouchers = (
            self.sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", states),
                    ("expiry_date", "<", today),
                ]
            )
            .filtered(lambda v: v.state in OPEN_STATES or not rules.is_zero(v.balance))
        )
        for voucher in vouchers:
            voucher._lock()
            if voucher.state not in states:
                continue
            if to_income and not rules.is_zero(voucher.balance):
                voucher._post(
                    {
                        "entry_type": "expiry",
                        # One expiry per state of the history: a run again posts nothing.
                        "source_ref": f"expiry/{voucher.id}/{len(voucher.entry_ids)}",
                        "date": fields.Datetime.now(),
                        "amount": -voucher.balance,
                        "reason": self.env._(
                            "Not spent by %s", format_date(self.env, voucher.expiry_date)
                        ),
                    },
                    state="expired",
                )
            elif voucher.state != "expired":
                voucher._set_state("expired")
        return vouchers

    @api.model
    def _cron_expire_vouchers(self):
        for company in self.env["res.company"].search([]):
            self._expire_vouchers(company)

    @api.model
    def _find_by_code(self, code, company=None):
        """The voucher of ``code`` (in ``company`` if given), read as the system:
        holding the code is what allows to spend it; else a clear refusal."""
        code = normalize_code(code)
        voucher = self.browse()
        if len(code) == CODE_DIGITS:
            domain = [("code", "=", code)]
            if company is not None:
                domain.append(("company_id", "=", company.id))
            voucher = self.sudo().search(domain, limit=1)
        if not voucher:
            raise UserError(self.env._("No gift voucher has this code: check the digits typed."))
        return voucher

    def _check_redeemable(self, merchant, amount=None):
        """Refuse, with the reason a cashier can tell the customer, a voucher that
        cannot pay ``amount`` at ``merchant`` now."""
        self.ensure_one()
        rules = engine.NetworkRules.of(self.company_id)
        if self.state == "cancelled":
            raise UserError(self.env._("This gift voucher was cancelled: it cannot be spent."))
        if self.state == "expired" or (self.expiry_date and self.expiry_date < rules.today()):
            raise UserError(
                self.env._(
                    "This gift voucher expired on %s: it cannot be spent any more.",
                    format_date(self.env, self.expiry_date),
                )
            )
        if self.state == "used" or rules.is_zero(self.balance):
            raise UserError(self.env._("This gift voucher is used up: nothing is left on it."))
        if self.category_ids and merchant.category_id not in self.category_ids:
            raise UserError(
                self.env._(
                    "This gift voucher is valid only in these kinds of shops: %s.",
                    ", ".join(self.category_ids.mapped("name")),
                )
            )
        if amount is not None and rules.compare(amount, self.balance) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than what is left on this gift voucher (%(balance)s).",
                    amount=rules.fmt(amount),
                    balance=rules.fmt(self.balance),
                )
            )

    def _get_public_values(self):
        """What the code's bearer may know: balance, expiry, state."""
        self.ensure_one()
        rules = engine.NetworkRules.of(self.company_id)
        return {
            "name": self.name,
            "masked_code": self.masked_code,
            "face_value": self.face_value,
            "balance": self.balance,
            "balance_display": rules.fmt(self.balance),
            "face_value_display": rules.fmt(self.face_value),
            "expiry_date": format_date(self.env, self.expiry_date),
            "state": self.state,
            "state_label": self._get_state_label(),
            "categories": self.category_ids.mapped("name"),
        }

    # ------------------------------------------------------------
    # DEMO
    # ------------------------------------------------------------

    @api.model
    def _generate_demo_vouchers(self, buyer_id):
        """Demo: ten 30.00 vouchers sold by the association to a works council
        (one invoice), two sold at shop counters, some spent in other shops
        (partly, in full, one payment given back). Every euro goes through the
        voucher service, so the demo ledger ties like a real one."""
        company = self.env.company
        merchants = self.env["loyalty.network.merchant"].search(
            [("company_id", "=", company.id), ("state", "=", "active")], order="id"
        )
        if len(merchants) < 4 or self.search_count([("company_id", "=", company.id)]):
            return False
        action = (
            self.env["loyalty.network.voucher.sell"]
            .create(
                {
                    "company_id": company.id,
                    "buyer_id": buyer_id,
                    "quantity": 10,
                    "face_value": 30.0,
                    "operation_ref": "demo-works-council",
                }
            )
            .action_sell()
        )
        staff_vouchers = self.browse(action["domain"][0][2]).sorted("id")
        counter_vouchers = self.browse()
        for index, value in enumerate((50.0, 20.0)):
            counter_vouchers |= self._sell(
                merchants[index], value, f"demo/voucher/sale/{index}"
            ).voucher_id
        payments = [
            (staff_vouchers[0], merchants[1], 12.40),
            (staff_vouchers[0], merchants[2], 9.95),
            (staff_vouchers[1], merchants[3], 30.0),
            (staff_vouchers[2], merchants[2], 7.85),
            (counter_vouchers[0], merchants[3], 18.20),
        ]
        for index, (voucher, merchant, amount) in enumerate(payments):
            entry = self._redeem(voucher.code, merchant, amount, f"demo/voucher/pay/{index}")
        # The last purchase came back in part: 5.00 given back to its voucher.
        self._refund_redemption(entry, 5.0, "demo/voucher/pay/4/back")
        return True

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    def _check_staff(self):
        if not (
            self.env.is_superuser()
            or self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
        ):
            raise AccessError(self.env._("Only the association's staff can do this."))

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    @api.model
    def _new_code(self):
        for _attempt in range(5):
            code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
            # Codes are unique across every network: looked up as the system.
            if not self.sudo().search_count([("code", "=", code)], limit=1):
                return code
        raise UserError(self.env._("No free voucher code was found: try again."))

    @api.model
    def _get_replayed_entry(self, source_ref, merchant, expected):
        """The entry ``merchant`` (none: the network) already posted under
        ``source_ref``, if it records the same operation; another operation
        under the same reference is refused."""
        if not str(source_ref or "").strip():
            raise UserError(self.env._("The operation has no reference: it cannot be recorded."))
        # References are scoped to the shop: only this shop's own entries (or the
        # network's) are looked up, never another shop's, whatever the rights.
        entry = (
            self.env["loyalty.network.voucher.entry"]
            .sudo()
            .search(
                [("source_ref", "=", source_ref), ("merchant_id", "=", merchant.id or False)],
                limit=1,
            )
        )
        if not entry:
            return entry.sudo(False)
        for fname, value in expected.items():
            current = entry[fname]
            if isinstance(current, models.BaseModel):
                same = current.id == value.id
            elif isinstance(current, float):
                same = isinstance(value, (int, float)) and not float_compare(
                    current, value, precision_rounding=entry.currency_id.rounding
                )
            else:
                same = current == value
            if not same:
                raise UserError(
                    self.env._(
                        "This reference was already used for another operation: send the "
                        "new operation with a new reference."
                    )
                )
        return entry.sudo(False)

    def _lock(self):
        """Lock the voucher rows until the end of the transaction (see the
        wallet's ``_lock``: a concurrent change fails the transaction, which
        Odoo retries, and the retry's replay check sees the first entry)."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM loyalty_network_voucher WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    def _next_state(self, balance, entry_type):
        rules = engine.NetworkRules.of(self.company_id)
        if entry_type == "cancel":
            return "cancelled"
        if entry_type == "expiry" or self.state in ("expired", "cancelled"):
            # Value given back to an expired or cancelled voucher (refund of an
            # earlier payment) does not reopen it: it goes to income or back to
            # the buyer.
            return "expired" if entry_type == "expiry" else self.state
        if rules.is_zero(balance):
            return "used"
        if rules.compare(balance, self.face_value) < 0:
            return "partly_used"
        return "sold"

    def _set_state(self, state):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE loyalty_network_voucher SET state = %s, write_date = now() AT TIME ZONE"
                " 'UTC', write_uid = %s WHERE id = %s",
                state,
                self.env.uid,
                self.id,
            )
        )
        self.invalidate_recordset(["state"])
        self.modified(["state"])

    def _post(self, vals, state=None):
        """Append one entry and move the balance by its amount (voucher locked)."""
        self.ensure_one()
        currency = self.currency_id
        amount = currency.round(vals["amount"])
        balance = currency.round(self.balance + amount)
        if currency.compare_amounts(balance, 0.0) < 0:
            raise UserError(self.env._("A voucher balance cannot go below zero."))
        state = state or self._next_state(balance, vals["entry_type"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_network_voucher
                   SET balance = COALESCE(balance, 0) + %(amount)s::numeric,
                       state = %(state)s,
                       write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                 WHERE id = %(id)s
             RETURNING balance
                """,
                amount=amount,
                state=state,
                uid=self.env.uid,
                id=self.id,
            )
        )
        balance_after = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["balance", "state"])
        self.modified(["balance", "state"])
        # Entries are written by this service only (no one has the create right).
        entry = (
            self.env["loyalty.network.voucher.entry"]
            .sudo()
            .create(
                {
                    **vals,
                    "amount": amount,
                    "date": vals.get("date") or fields.Datetime.now(),
                    "balance_after": balance_after,
                    "voucher_id": self.id,
                    "company_id": self.company_id.id,
                    "currency_id": currency.id,
                    "user_id": self.env.uid,
                }
            )
        )
        return entry.sudo(False)
