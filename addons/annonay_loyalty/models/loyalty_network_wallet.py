import math
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero


class LoyaltyNetworkWallet(models.Model):
    """A holder's wallet and the one service that moves money in it.

    Every movement is a ``loyalty.network.entry`` posted under a row lock on
    the wallet, so that the balance always equals the sum of the entries and
    concurrent operations on one wallet serialise. Each operation carries a
    source reference, unique per shop (the network's own entries share one
    scope): sending the same operation again returns the first entry, and a
    reference reused for another operation is refused (idempotency key).
    Terminal, POS, portal and tests all go through the ``_credit_purchase``,
    ``_spend``, ``_refund`` and ``_adjust`` methods below.
    """

    _name = "loyalty.network.wallet"
    _description = "Loyalty Network Wallet"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(readonly=True, default=0.0)
    total_turnover = fields.Monetary(
        readonly=True,
        default=0.0,
        help="Purchases made with the card in all member shops (incl. taxes).",
    )
    last_activity_date = fields.Date(
        readonly=True, help="Last earning or spending: the inactivity period counts from it."
    )
    is_opening_fee_paid = fields.Boolean(readonly=True)
    forfeit_warning_date = fields.Date(readonly=True)
    entry_ids = fields.One2many("loyalty.network.entry", "wallet_id", string="History")
    forfeit_date = fields.Date(
        compute="_compute_forfeit_date",
        help="Date the wallet falls back to zero if the holder neither earns nor spends.",
    )
    can_spend = fields.Boolean(compute="_compute_can_spend")
    card_id = fields.Many2one("loyalty.network.card", compute="_compute_card_id")

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id, company_id)", "This holder already has a wallet."
    )
    _forfeit_idx = models.Index("(company_id, last_activity_date) WHERE balance > 0")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("last_activity_date", "company_id.loyalty_inactivity_months")
    def _compute_forfeit_date(self):
        for wallet in self:
            months = wallet.company_id.loyalty_inactivity_months
            wallet.forfeit_date = (
                wallet.last_activity_date + relativedelta(months=months)
                if wallet.last_activity_date and months
                else False
            )

    @api.depends("balance", "company_id.loyalty_min_spend_balance")
    def _compute_can_spend(self):
        for wallet in self:
            wallet.can_spend = (
                float_compare(
                    wallet.balance,
                    wallet.company_id.loyalty_min_spend_balance,
                    precision_rounding=wallet.currency_id.rounding,
                )
                >= 0
                and wallet.balance > 0
            )

    def _compute_card_id(self):
        cards = self.env["loyalty.network.card"].search(
            [("partner_id", "in", self.partner_id.ids), ("state", "=", "active")]
        )
        card_by_partner = {card.partner_id: card for card in cards}
        for wallet in self:
            wallet.card_id = card_by_partner.get(wallet.partner_id, False)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if {"balance", "total_turnover", "partner_id"} & set(vals):
            raise UserError(
                self.env._("A wallet balance changes only through entries of its history.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self.entry_ids:
            raise UserError(self.env._("A wallet with a history cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS: the service API
    # ------------------------------------------------------------

    @api.model
    def _credit_purchase(self, card, merchant, amount, source_ref, plan=None, date=None):
        """Credit the holder of ``card`` for a purchase of ``amount`` (incl. taxes)
        made at ``merchant``; ``amount`` is only the part not paid with the wallet.

        :return: the earning entry (the first one if ``source_ref`` was already posted)
        """
        # Rights are those of the caller, whatever environment the records came with.
        merchant, card = merchant.with_env(self.env), card.with_env(self.env)
        merchant._check_operator_access()
        # The caller operates this merchant: the rest reads its settings as such.
        merchant = merchant.sudo()
        amount = self._check_amount(amount, merchant.company_id)
        plan = (plan or merchant.plan_id).with_env(self.env)
        replayed = self._get_replayed_entry(
            source_ref,
            merchant,
            {"entry_type": "earn", "card_id": card, "purchase_amount": amount, "plan_id": plan},
        )
        if replayed:
            return replayed
        merchant._check_can_operate()
        card = card.sudo()
        card._check_usable()
        if plan != merchant.plan_id and plan not in merchant.allowed_plan_ids:
            raise UserError(
                self.env._(
                    "The rate plan %(plan)s is not allowed at %(merchant)s.",
                    plan=plan.name,
                    merchant=merchant.name,
                )
            )
        date = date or fields.Datetime.now()
        wallet = card.partner_id._get_loyalty_wallet(merchant.company_id, lock=True)
        entry = wallet._post(
            wallet._prepare_earning_vals(card, merchant, amount, plan, date, source_ref),
            is_activity=True,
        )
        wallet._take_opening_fee(date)
        return entry

    @api.model
    def _spend(self, card, merchant, amount, source_ref, date=None):
        """Pay ``amount`` of a purchase at ``merchant`` with the holder's wallet."""
        merchant, card = merchant.with_env(self.env), card.with_env(self.env)
        merchant._check_operator_access()
        company = merchant.company_id
        amount = self._check_amount(amount, company)
        replayed = self._get_replayed_entry(
            source_ref, merchant, {"entry_type": "spend", "card_id": card, "amount": -amount}
        )
        if replayed:
            return replayed
        merchant._check_can_operate()
        card = card.sudo()
        card._check_usable()
        wallet = card.partner_id._get_loyalty_wallet(company, lock=True)
        wallet._check_can_spend(amount)
        return wallet._post(
            {
                "entry_type": "spend",
                "source_ref": source_ref,
                "card_id": card.id,
                "merchant_id": merchant.id,
                "date": date or fields.Datetime.now(),
                "amount": -amount,
            },
            is_activity=True,
        )

    @api.model
    def _refund(self, origin_entry, amount, source_ref, date=None):
        """Reverse part of a purchase credit or of a wallet payment.

        For a purchase credit, ``amount`` is the refunded part of the purchase
        and the credit, contribution and fee are reversed in proportion (the
        last refund reverses exactly what is left, so cents always tie). For a
        wallet payment, ``amount`` is given back to the wallet.
        """
        origin_entry = origin_entry.with_env(self.env).sudo()
        if origin_entry.entry_type not in ("earn", "spend"):
            raise UserError(self.env._("Only a purchase or a wallet payment can be refunded."))
        origin_entry.merchant_id.with_env(self.env)._check_operator_access()
        amount = self._check_amount(amount, origin_entry.company_id)
        expected = (
            {"entry_type": "earn_reversal", "purchase_amount": -amount}
            if origin_entry.entry_type == "earn"
            else {"entry_type": "spend_reversal", "amount": amount}
        )
        replayed = self._get_replayed_entry(
            source_ref, origin_entry.merchant_id, {**expected, "origin_entry_id": origin_entry}
        )
        if replayed:
            return replayed
        wallet = origin_entry.wallet_id
        wallet._lock()
        origin_entry.invalidate_recordset(["reversal_ids"])
        if origin_entry.entry_type == "earn":
            vals = wallet._prepare_earning_reversal_vals(origin_entry, amount)
        else:
            vals = wallet._prepare_spend_reversal_vals(origin_entry, amount)
        vals.update(
            source_ref=source_ref,
            origin_entry_id=origin_entry.id,
            card_id=origin_entry.card_id.id,
            merchant_id=origin_entry.merchant_id.id,
            date=date or fields.Datetime.now(),
        )
        return wallet._post(vals)

    def _adjust(self, amount, reason, source_ref):
        """Staff correction of the balance, with its reason."""
        self.ensure_one()
        if not self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            raise AccessError(self.env._("Only association staff can adjust a wallet."))
        currency = self.company_id.currency_id
        if (
            isinstance(amount, bool)
            or not isinstance(amount, (int, float))
            or not math.isfinite(amount)
            or float_is_zero(amount, precision_rounding=currency.rounding)
        ):
            raise UserError(self.env._("Type a non-zero adjustment amount."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the wallet is adjusted."))
        replayed = self._get_replayed_entry(
            source_ref,
            self.env["loyalty.network.merchant"],
            {"entry_type": "adjustment", "wallet_id": self, "amount": currency.round(amount)},
        )
        if replayed:
            return replayed
        wallet = self.sudo()
        wallet._lock()
        if float_compare(wallet.balance + amount, 0, precision_rounding=currency.rounding) < 0:
            raise UserError(
                self.env._("The adjustment would make the balance negative (%s).", wallet.balance)
            )
        return wallet._post(
            {
                "entry_type": "adjustment",
                "source_ref": source_ref,
                "amount": currency.round(amount),
                "reason": reason.strip(),
            }
        )

    @api.model
    def _forfeit_inactive_wallets(self, company, today=None):
        """Set every wallet of ``company`` inactive for the whole period back to zero.

        One set-based statement: forfeit entries are inserted and balances
        zeroed together; wallets locked by a running operation are skipped and
        caught by the next run. Returns the number of wallets forfeited.
        """
        months = company.loyalty_inactivity_months
        if months <= 0:
            return 0
        now = fields.Datetime.now()
        if today:  # a run for a given day is dated that day
            now = datetime.combine(today, time.min)
        today = today or fields.Date.context_today(self)
        limit = today - relativedelta(months=months)
        self.env["loyalty.network.entry"].flush_model()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH due AS (
                    SELECT id, partner_id, balance
                      FROM loyalty_network_wallet
                     WHERE company_id = %(company)s
                       AND balance > 0
                       AND last_activity_date < %(limit)s
                       FOR UPDATE SKIP LOCKED
                ), posted AS (
                    INSERT INTO loyalty_network_entry (
                        wallet_id, partner_id, company_id, currency_id, user_id, date,
                        entry_type, source_ref, amount, balance_after, reason,
                        create_uid, create_date, write_uid, write_date)
                    SELECT id, partner_id, %(company)s, %(currency)s, %(uid)s, %(now)s,
                           'forfeit', 'forfeit/' || id || '/' || %(today)s, -balance, 0,
                           %(reason)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM due
                    ON CONFLICT (source_ref, merchant_id) DO NOTHING
                    RETURNING wallet_id, amount
                )
                UPDATE loyalty_network_wallet wallet
                   SET balance = wallet.balance + posted.amount,
                       write_date = %(now)s, write_uid = %(uid)s
                  FROM posted
                 WHERE wallet.id = posted.wallet_id
                """,
                company=company.id,
                currency=company.currency_id.id,
                uid=self.env.uid,
                now=now,
                today=str(today),
                limit=limit,
                reason=self.env._("No purchase nor wallet payment for %s months", months),
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["balance"])
        self.env["loyalty.network.entry"].invalidate_model()
        return count

    @api.model
    def _cron_forfeit_inactive_wallets(self):
        for company in self.env["res.company"].search([]):
            self._forfeit_inactive_wallets(company)

    @api.model
    def _send_forfeit_warnings(self, company, today=None):
        """Warn, once per inactivity period, the holders who consented and whose
        wallet would be forfeited within the warning delay. Returns the wallets."""
        months = company.loyalty_inactivity_months
        if months <= 0:
            return self.browse()
        today = today or fields.Date.context_today(self)
        period_start = today - relativedelta(months=months)
        wallets = self.search(
            [
                ("company_id", "=", company.id),
                ("balance", ">", 0),
                ("last_activity_date", ">", period_start),
                (
                    "last_activity_date",
                    "<=",
                    period_start + relativedelta(days=company.loyalty_forfeit_warning_days),
                ),
            ]
        )
        # Not warned since the last activity (a new activity opens a new period).
        wallets = wallets.filtered(
            lambda w: not w.forfeit_warning_date or w.forfeit_warning_date <= w.last_activity_date
        )
        by_email = wallets.filtered(
            lambda w: w.partner_id.loyalty_email_consent and w.partner_id.email
        )
        if by_email:
            self.env.ref("annonay_loyalty.mail_template_loyalty_forfeit_warning").send_mail_batch(
                by_email.ids
            )
        by_sms = wallets.filtered(
            lambda w: w.partner_id.loyalty_sms_consent and w.partner_id.phone_sanitized
        )
        self.env["sms.sms"].sudo().create(
            [
                {
                    "partner_id": wallet.partner_id.id,
                    "number": wallet.partner_id.phone_sanitized,
                    "body": self.env._(
                        "Your loyalty wallet of %(amount)s expires on %(date)s without a "
                        "purchase in a member shop.",
                        amount=wallet.balance,
                        date=wallet.forfeit_date,
                    ),
                }
                for wallet in by_sms
            ]
        )
        warned = by_email | by_sms
        warned.write({"forfeit_warning_date": today})
        return warned

    @api.model
    def _cron_send_forfeit_warnings(self):
        for company in self.env["res.company"].search([]):
            self._send_forfeit_warnings(company)

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    @api.model
    def _get_replayed_entry(self, source_ref, merchant, expected):
        """The entry ``merchant`` (none: the network) already posted under
        ``source_ref``, if any, provided it records the same operation.

        :param expected: field values the new operation would record; an entry
            under the same reference with other values means the reference was
            reused for another operation, which is refused.
        """
        if not str(source_ref or "").strip():
            raise UserError(self.env._("The operation has no reference: it cannot be recorded."))
        # References are scoped to the shop: the lookup sees only this shop's own
        # entries (or the network's), never another shop's, whatever the rights.
        entry = (
            self.env["loyalty.network.entry"]
            .sudo()
            .search([("source_ref", "=", source_ref), ("merchant_id", "=", merchant.id)], limit=1)
        )
        if not entry:
            return entry.sudo(False)
        currency = entry.currency_id
        for fname, value in expected.items():
            current = entry[fname]
            if isinstance(current, models.BaseModel):
                same = current.id == value.id
            elif isinstance(current, float):
                same = isinstance(value, (int, float)) and not float_compare(
                    current, value, precision_rounding=currency.rounding
                )
            else:
                same = current == value
            if not same:
                raise UserError(
                    self.env._(
                        "This reference was already used for another operation (%s): "
                        "send the new operation with a new reference.",
                        source_ref,
                    )
                )
        return entry.sudo(False)

    @api.model
    def _check_amount(self, amount, company):
        """Return ``amount`` if it is a sensible amount of money, else raise."""
        currency = company.currency_id
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise UserError(self.env._("The amount must be a number."))
        try:
            is_finite = math.isfinite(amount)
        except OverflowError:  # an integer too large for a float
            is_finite = False
        if not is_finite:
            raise UserError(self.env._("The amount must be a number."))
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(self.env._("The amount must be greater than zero."))
        if float_compare(amount, currency.round(amount), precision_digits=6) != 0:
            raise UserError(
                self.env._("The amount has more than %s decimals.", currency.decimal_places)
            )
        maximum = company.loyalty_max_operation_amount
        if maximum and float_compare(amount, maximum, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is above the largest amount accepted in one operation "
                    "(%(maximum)s): check the amount typed.",
                    amount=amount,
                    maximum=maximum,
                )
            )
        return currency.round(amount)

    def _check_can_spend(self, amount):
        self.ensure_one()
        currency = self.currency_id
        minimum = self.company_id.loyalty_min_spend_balance
        if float_compare(self.balance, minimum, precision_rounding=currency.rounding) < 0:
            raise UserError(
                self.env._(
                    "The wallet can be spent from %(minimum)s on; its balance is %(balance)s.",
                    minimum=minimum,
                    balance=self.balance,
                )
            )
        if float_compare(amount, self.balance, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the wallet balance (%(balance)s).",
                    amount=amount,
                    balance=self.balance,
                )
            )

    def _lock(self):
        """Lock the wallet rows until the end of the transaction.

        Transactions are REPEATABLE READ: if another transaction changed the
        wallet since this one began, the lock fails with a serialization error
        and Odoo retries the whole request, whose replay check then sees the
        other transaction's entry. So one replay check, before the lock, is
        enough, and the unique source reference is the last guard.
        """
        self.flush_recordset()
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_network_wallet WHERE id IN %s FOR UPDATE", tuple(self.ids))
        )
        self.invalidate_recordset()

    def _post(self, vals, is_activity=False):
        """Append one entry and move the balance by its amount (wallet locked)."""
        self.ensure_one()
        currency = self.currency_id
        amount = currency.round(vals["amount"])
        turnover = currency.round(vals.get("purchase_amount") or 0.0)
        date = vals.get("date") or fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE loyalty_network_wallet
                   SET balance = COALESCE(balance, 0) + %(amount)s::numeric,
                       total_turnover = COALESCE(total_turnover, 0) + %(turnover)s::numeric,
                       last_activity_date = CASE WHEN %(activity)s
                                                 THEN GREATEST(last_activity_date, %(day)s)
                                                 ELSE last_activity_date END,
                       write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                 WHERE id = %(id)s
             RETURNING balance
                """,
                amount=amount,
                turnover=turnover,
                activity=is_activity,
                day=fields.Date.to_date(date),
                uid=self.env.uid,
                id=self.id,
            )
        )
        balance_after = self.env.cr.fetchone()[0]
        moved = ["balance", "total_turnover", "last_activity_date"]
        self.invalidate_recordset(moved)
        self.modified(moved)
        entry = (
            self.env["loyalty.network.entry"]
            .sudo()
            .create(
                {
                    **vals,
                    "amount": amount,
                    "date": date,
                    "balance_after": balance_after,
                    "wallet_id": self.id,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "currency_id": currency.id,
                    "user_id": self.env.uid,
                }
            )
        )
        if is_activity and entry.merchant_id:
            self.env["loyalty.network.customer"]._register_visit(
                self.partner_id, entry.merchant_id, date
            )
        return entry.sudo(False)

    def _take_opening_fee(self, date):
        """Take the opening fee once, as soon as the balance first reaches it."""
        self.ensure_one()
        fee = self.company_id.loyalty_opening_fee
        currency = self.currency_id
        if (
            self.is_opening_fee_paid
            or float_is_zero(fee, precision_rounding=currency.rounding)
            or float_compare(self.balance, fee, precision_rounding=currency.rounding) < 0
        ):
            return self.env["loyalty.network.entry"]
        entry = self._post(
            {
                "entry_type": "opening_fee",
                "source_ref": f"opening-fee/{self.id}",
                "amount": -fee,
                "date": date,
            }
        )
        self.write({"is_opening_fee_paid": True})
        return entry

    def _prepare_earning_vals(self, card, merchant, amount, plan, date, source_ref):
        self.ensure_one()
        company = merchant.company_id
        currency = company.currency_id
        eligible = self._get_eligible_amount(card, merchant, amount, date)
        base_credit, contribution, fee = plan._split_purchase(eligible)
        rate = plan.cardholder_rate
        birthday_bonus = 0.0
        birth_date = self.partner_id.loyalty_birth_date
        funded_by = company.loyalty_birthday_funded_by
        if (
            birth_date
            and birth_date.month == fields.Datetime.to_datetime(date).month
            and company.loyalty_birthday_rate > rate
        ):
            rate = company.loyalty_birthday_rate
            birthday_bonus = currency.round(currency.round(eligible * rate / 100.0) - base_credit)
        boost = merchant._get_active_boost(date)
        boost_bonus = currency.round(base_credit * (boost.multiplier - 1.0)) if boost else 0.0
        parts = {
            "base": base_credit,
            "birthday": birthday_bonus,
            "boost": boost_bonus,
        }
        capped = self._get_capped_credit(base_credit + birthday_bonus + boost_bonus)
        # Credit over the cap is not given: first the network-funded part, then what
        # the merchant would have funded, which it then does not owe.
        cut_order = (
            ["birthday", "boost", "base"]
            if funded_by == "network"
            else ["boost", "birthday", "base"]
        )
        remaining = capped
        for key in cut_order:
            cut = min(remaining, parts[key])
            parts[key] = currency.round(parts[key] - cut)
            remaining = currency.round(remaining - cut)
        merchant_funded = parts["boost"] + (parts["birthday"] if funded_by == "merchant" else 0.0)
        contribution = currency.round(parts["base"] + fee + merchant_funded)
        return {
            "entry_type": "earn",
            "source_ref": source_ref,
            "card_id": card.id,
            "merchant_id": merchant.id,
            "date": date,
            "purchase_amount": amount,
            "eligible_amount": eligible,
            "plan_id": plan.id,
            "cardholder_rate": rate,
            "base_credit": parts["base"],
            "birthday_bonus": parts["birthday"],
            "boost_bonus": parts["boost"],
            "birthday_funded_by": funded_by if parts["birthday"] else False,
            "merchant_contribution": contribution,
            "network_fee": fee,
            "network_expense": parts["birthday"] if funded_by == "network" else 0.0,
            "capped_amount": capped,
            "amount": currency.round(parts["base"] + parts["birthday"] + parts["boost"]),
        }

    def _prepare_earning_reversal_vals(self, origin, amount):
        currency = origin.currency_id
        refundable = origin._get_refundable_purchase()
        if float_compare(amount, refundable, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "Only %(refundable)s of this purchase can still be refunded.",
                    refundable=refundable,
                )
            )
        fields_to_reverse = [
            "purchase_amount",
            "eligible_amount",
            "base_credit",
            "birthday_bonus",
            "boost_bonus",
            "merchant_contribution",
            "network_fee",
            "network_expense",
            "amount",
        ]
        if float_compare(amount, refundable, precision_rounding=currency.rounding) == 0:
            # Last refund: reverse exactly what is left so that cents tie.
            reversed_ = {
                fname: currency.round(-(origin[fname] + sum(origin.reversal_ids.mapped(fname))))
                for fname in fields_to_reverse
            }
        else:
            ratio = amount / origin.purchase_amount
            reversed_ = {
                fname: -currency.round(origin[fname] * ratio) for fname in fields_to_reverse
            }
            reversed_["purchase_amount"] = -amount
            # Keep each reversal self-consistent: credit = its parts; fee = contribution - credit.
            reversed_["amount"] = currency.round(
                reversed_["base_credit"] + reversed_["birthday_bonus"] + reversed_["boost_bonus"]
            )
            merchant_funded = reversed_["boost_bonus"] + (
                reversed_["birthday_bonus"] if origin.birthday_funded_by == "merchant" else 0.0
            )
            reversed_["network_fee"] = currency.round(
                reversed_["merchant_contribution"] - reversed_["base_credit"] - merchant_funded
            )
            reversed_["network_expense"] = (
                reversed_["birthday_bonus"] if origin.birthday_funded_by == "network" else 0.0
            )
        return {
            **reversed_,
            "entry_type": "earn_reversal",
            "plan_id": origin.plan_id.id,
            "cardholder_rate": origin.cardholder_rate,
            "birthday_funded_by": origin.birthday_funded_by,
        }

    def _prepare_spend_reversal_vals(self, origin, amount):
        currency = origin.currency_id
        refundable = origin._get_refundable_spend()
        if float_compare(amount, refundable, precision_rounding=currency.rounding) > 0:
            raise UserError(
                self.env._(
                    "Only %(refundable)s of this wallet payment can still be given back.",
                    refundable=refundable,
                )
            )
        return {"entry_type": "spend_reversal", "amount": amount}

    def _get_eligible_amount(self, card, merchant, amount, date):
        """Apply the optional cap on the purchase amount per card, merchant and day."""
        company = merchant.company_id
        currency = company.currency_id
        cap = company.loyalty_max_daily_purchase
        if float_is_zero(cap, precision_rounding=currency.rounding):
            return amount
        day = fields.Datetime.to_datetime(date).replace(hour=0, minute=0, second=0, microsecond=0)
        already = sum(
            self.env["loyalty.network.entry"]
            .sudo()
            .search(
                [
                    ("card_id", "=", card.id),
                    ("merchant_id", "=", merchant.id),
                    ("entry_type", "in", ("earn", "earn_reversal")),
                    ("date", ">=", day),
                    ("date", "<", day + relativedelta(days=1)),
                ]
            )
            .mapped("eligible_amount")
        )
        return currency.round(max(0.0, min(amount, cap - already)))

    def _get_capped_credit(self, credit):
        """Part of ``credit`` above the optional maximum wallet balance."""
        self.ensure_one()
        currency = self.currency_id
        cap = self.company_id.loyalty_max_wallet_balance
        if float_is_zero(cap, precision_rounding=currency.rounding):
            return 0.0
        room = max(0.0, cap - self.balance)
        return currency.round(max(0.0, credit - room))
