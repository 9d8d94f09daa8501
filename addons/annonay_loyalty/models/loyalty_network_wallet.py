import math

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero, format_date

from ..services import demo_network
from ..services import money_engine as engine

# How long an operation waits for a wallet that another operation is posting
# on, before answering WalletBusyError (PostgreSQL lock_timeout, milliseconds).
WALLET_LOCK_TIMEOUT_MS = 3000

# Key, in the cursor's cache, of the ids of the entries appended by the current
# transaction (see _on_entry_posted): what tells a new entry from a replay.
POSTED_ENTRIES_KEY = "loyalty_network_posted_entry_ids"


class WalletBusyError(UserError):
    """The wallet stayed locked by another operation longer than the bounded
    wait (``WALLET_LOCK_TIMEOUT_MS``). Nothing is recorded: the transaction
    rolls back, and the same operation may be sent again with the same
    reference. A UserError, so Odoo does not retry the request by itself."""


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
            wallet.forfeit_date = engine.forfeit_date(
                wallet._get_rules(), wallet.last_activity_date
            )

    @api.depends("balance", "company_id.loyalty_min_spend_balance")
    def _compute_can_spend(self):
        for wallet in self:
            wallet.can_spend = engine.can_spend(wallet._get_rules(), wallet.balance)

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
        plan = self._get_operation_plan(merchant, plan)
        date = date or fields.Datetime.now()
        # Found, locked and read in one query with what the earning depends on.
        wallet, facts = self._lock_wallet_of(
            card.partner_id, merchant.company_id, card=card, merchant=merchant, plan=plan, date=date
        )
        return wallet._post(
            wallet._prepare_earning_vals(card, merchant, amount, plan, date, source_ref, facts),
            is_activity=True,
        )

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
        engine.check_spend(wallet._get_rules(), wallet.balance, amount)
        wallet._check_available(amount)
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
        if origin_entry.entry_type not in engine.REFUNDABLE_TYPES:
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
                self.env._(
                    "The adjustment would make the balance negative (%s).",
                    wallet._get_rules().fmt(wallet.balance),
                )
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
    def _preview_operation(self, card, merchant, amount=0.0, spend_amount=0.0, plan=None):
        """What paying ``spend_amount`` from the wallet and crediting a purchase of
        ``amount`` (the part paid by other means) would do now, without posting.

        The figures come from the same engine and the same data as the posting
        methods, so the preview is what is then recorded. A payment the wallet
        cannot make is not refused here: ``spend_error`` says why.
        """
        merchant, card = merchant.with_env(self.env), card.with_env(self.env)
        merchant._check_can_operate()
        # The caller operates this merchant and holds the card (found by number or
        # among its customers): it may see what the operation would do to it.
        merchant, card = merchant.sudo(), card.sudo()
        card._check_usable()
        company = merchant.company_id
        rules = engine.NetworkRules.of(company)
        plan = self._get_operation_plan(merchant, plan)
        wallet = card.partner_id.loyalty_wallet_ids.filtered(lambda w: w.company_id == company)
        balance = wallet.balance if wallet else 0.0
        preview = {
            "balance": balance,
            "can_spend": engine.can_spend(rules, balance),
            "spend": 0.0,
            "spend_error": False,
            "credit": 0.0,
            "base_credit": 0.0,
            "birthday_bonus": 0.0,
            "boost_bonus": 0.0,
            "capped_amount": 0.0,
            "cardholder_rate": plan.cardholder_rate,
            "opening_fee": 0.0,
            "min_spend_balance": rules.min_spend_balance,
        }
        if wallet and (availability := wallet._get_availability()):
            preview.update(availability)
        date = fields.Datetime.now()
        if spend_amount:
            spend = engine.check_amount(rules, spend_amount)
            try:
                engine.check_spend(rules, balance, spend)
                if wallet:
                    wallet._check_available(spend)
                preview["spend"] = spend
                balance = rules.round(balance - spend)
            except UserError as error:
                preview["spend_error"] = error.args[0]
        if amount:
            split = engine.split_earning(
                rules,
                engine.check_amount(rules, amount),
                plan.cardholder_rate,
                plan.network_fee_rate,
                birthday=engine.is_birthday_month(rules, card.partner_id.loyalty_birth_date, date),
                boost_multiplier=merchant._get_active_boost(date).multiplier or 1.0,
                eligible_today=wallet._get_eligible_today(card, merchant, date) if wallet else 0.0,
                balance=balance,
            )
            preview.update(
                credit=split["amount"],
                base_credit=split["base_credit"],
                birthday_bonus=split["birthday_bonus"],
                boost_bonus=split["boost_bonus"],
                capped_amount=split["capped_amount"],
                cardholder_rate=split["cardholder_rate"],
            )
            balance = rules.round(balance + split["amount"])
        preview["opening_fee"] = engine.opening_fee_due(
            rules, balance, wallet.is_opening_fee_paid if wallet else False
        )
        balance = rules.round(balance - preview["opening_fee"])
        preview["balance_after"] = balance
        preview["can_spend_after"] = engine.can_spend(rules, balance)
        return preview

    def _get_pending_amount(self):
        """Hook: the part of the balance earned but not spendable yet.

        ``None`` (the core rule) when credit is spendable as soon as it is
        earned; an addon holding credit back returns the amount held, 0.0
        included (``loyalty_sepa``: credit earned in a shop until that shop's
        settlement is paid). Read by the spend check and the displays only.
        """
        self.ensure_one()
        return None

    def _get_availability(self):
        """Pending and available amounts to show the holder and the shop, or
        ``False`` when the network does not hold credit back."""
        self.ensure_one()
        pending = self._get_pending_amount()
        if pending is None:
            return False
        rules = self._get_rules()
        return {
            "pending_amount": pending,
            "available_amount": max(rules.round(self.balance - pending), 0.0),
        }

    def _check_available(self, amount):
        """Refuse to spend credit that is still pending (see ``_get_pending_amount``)."""
        self.ensure_one()
        availability = self._get_availability()
        if not availability:
            return
        rules = self._get_rules()
        if rules.compare(amount, availability["available_amount"]) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than what the wallet can spend now (%(available)s): "
                    "%(pending)s earned in member shops becomes available once the shop's "
                    "settlement for it is paid.",
                    amount=rules.fmt(amount),
                    available=rules.fmt(availability["available_amount"]),
                    pending=rules.fmt(availability["pending_amount"]),
                )
            )

    @api.model
    def _forfeit_inactive_wallets(self, company, today=None):
        """Set every wallet of ``company`` inactive for the whole period back to zero.

        One set-based statement: forfeit entries are inserted and balances
        zeroed together; wallets locked by a running operation are skipped and
        caught by the next run. Returns the number of wallets forfeited.
        """
        rules = engine.NetworkRules.of(company)
        now = fields.Datetime.now()
        if today:  # a run for a given (local) day is dated that day
            now = rules.utc_bounds(today, today)[0]
        today = today or rules.today()
        limit = engine.forfeit_limit(rules, today)
        if not limit:
            return 0
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
                        entry_type, family, source_ref, amount, balance_after, reason,
                        create_uid, create_date, write_uid, write_date)
                    SELECT id, partner_id, %(company)s, %(currency)s, %(uid)s, %(now)s,
                           'forfeit', %(family)s, 'forfeit/' || id || '/' || %(today)s, -balance, 0,
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
                family=engine.FAMILY_OF_TYPE["forfeit"],
                reason=self.env._(
                    "No purchase nor wallet payment for %s months", rules.inactivity_months
                ),
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
        rules = engine.NetworkRules.of(company)
        today = today or rules.today()
        period_start = engine.forfeit_limit(rules, today)
        if not period_start:
            return self.browse()
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
                        amount=wallet._get_rules().fmt(wallet.balance),
                        date=format_date(self.env, wallet.forfeit_date),
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
                        "This reference was already used for another operation: send the "
                        "new operation with a new reference."
                    )
                )
        # answered as a replay from now on, even if this transaction posted it
        self.env.cr.cache.get(POSTED_ENTRIES_KEY, set()).discard(entry.id)
        return entry.sudo(False)

    @api.model
    def _check_amount(self, amount, company):
        """Return ``amount`` if it is a sensible amount of money, else raise."""
        return engine.check_amount(engine.NetworkRules.of(company), amount)

    def _lock(self):
        """Lock the wallet rows until the end of the transaction.

        Transactions are REPEATABLE READ: if another transaction changed the
        wallet since this one began, the lock fails with a serialization error
        and Odoo retries the whole request, whose replay check then sees the
        other transaction's entry. So one replay check, before the lock, is
        enough, and the unique source reference is the last guard. The wait
        for a wallet another operation holds is bounded (WalletBusyError).
        """
        self.flush_recordset()
        self._execute_locking(
            SQL("SELECT id FROM loyalty_network_wallet WHERE id IN %s FOR UPDATE", tuple(self.ids))
        )
        self.invalidate_recordset()

    @api.model
    def _execute_locking(self, query):
        """Run ``query``, which locks wallet rows, waiting at most
        ``WALLET_LOCK_TIMEOUT_MS`` for an operation holding one of them.

        Past the timeout, PostgreSQL cancels the statement, the transaction is
        rolled back by the caller's error and the cashier is told to try again
        (``WalletBusyError``). The setting is local to the transaction (one
        query, no savepoint): a later lock wait in the same transaction is
        bounded too, and past it raises LockNotAvailable, which Odoo retries.
        """
        cr = self.env.cr
        cr.execute(SQL("SET LOCAL lock_timeout = %s", f"{int(WALLET_LOCK_TIMEOUT_MS)}ms"))
        try:
            cr.execute(query, log_exceptions=False)
        except psycopg2.errors.LockNotAvailable as error:
            raise WalletBusyError(
                self.env._("This wallet is busy with another operation: try again in a moment.")
            ) from error
        return cr.fetchall()

    @api.model
    def _lock_wallet_of(self, partner, company, card=None, merchant=None, plan=None, date=None):
        """Find and lock ``partner``'s wallet in ``company``, created on first use.

        One query finds the wallet, locks it (bounded wait) and reads under the
        lock what the operation depends on: its balance and, for a purchase at
        ``merchant`` with ``card`` under ``plan`` at ``date``, the holder's
        birth date, the plan's rates, the merchant's boosts of that day and
        what the card already earned there that day (daily cap). The wallet's
        values are put in the ORM cache (they are the database's, read under
        the lock); the rest is returned as a dict (``facts``) for
        ``_prepare_earning_vals``.

        :return: (wallet, facts)
        """
        # sudo: private method; callers checked the shop, card and holder first.
        Wallet = self.sudo()
        Wallet.flush_model()
        earning = card is not None and merchant is not None and plan is not None
        rules = engine.NetworkRules.of(company)
        extra = SQL("")
        if earning:
            # What the query reads must include this transaction's pending writes.
            self.env["loyalty.network.entry"].flush_model(["eligible_amount"])
            self.env["loyalty.network.boost"].flush_model()
            partner.flush_recordset(["loyalty_birth_date"])
            plan.flush_recordset(["cardholder_rate", "network_fee_rate"])
            date = date or fields.Datetime.now()
            day = rules.local_date(date)
            if rules.is_zero(rules.max_daily_purchase):
                eligible = SQL("0")
            else:
                day_start, day_end = rules.day_bounds(date)
                eligible = SQL(
                    """(SELECT COALESCE(SUM(e.eligible_amount), 0)
                          FROM loyalty_network_entry e
                         WHERE e.card_id = %(card)s AND e.merchant_id = %(merchant)s
                           AND e.family = 'earning'
                           AND e.date >= %(start)s AND e.date < %(end)s)""",
                    card=card.id,
                    merchant=merchant.id,
                    start=day_start,
                    end=day_end,
                )
            # Boosts of that day (the engine decides which applies: weekday).
            extra = SQL(
                """, holder.loyalty_birth_date,
                   (SELECT ARRAY[plan.cardholder_rate, plan.network_fee_rate]
                      FROM loyalty_network_plan plan WHERE plan.id = %(plan)s),
                   (SELECT json_agg(json_build_array(b.date_from, b.date_to, b.weekday,
                                                     b.multiplier))
                      FROM loyalty_network_boost b
                     WHERE b.merchant_id = %(merchant)s AND b.active
                       AND b.date_from <= %(day)s AND b.date_to >= %(day)s),
                   %(eligible)s""",
                plan=plan.id,
                merchant=merchant.id,
                day=day,
                eligible=eligible,
            )
        query = SQL(
            """
            SELECT wallet.id, wallet.balance, wallet.is_opening_fee_paid %(extra)s
              FROM loyalty_network_wallet wallet
              JOIN res_partner holder ON holder.id = wallet.partner_id
             WHERE wallet.partner_id = %(partner)s AND wallet.company_id = %(company)s
               FOR UPDATE OF wallet
            """,
            extra=extra,
            partner=partner.id,
            company=company.id,
        )
        rows = self._execute_locking(query)
        if not rows:
            Wallet.create({"partner_id": partner.id, "company_id": company.id})
            Wallet.flush_model()
            rows = self._execute_locking(query)
        row = rows[0]
        wallet = Wallet.browse(row[0])
        wallet._update_cache(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "balance": float(row[1] or 0.0),
                "is_opening_fee_paid": bool(row[2]),
            },
            validate=False,
        )
        facts = {}
        if earning:
            birth_date, rates, boosts, eligible_today = row[3:7]
            multipliers = [
                multiplier
                for date_from, date_to, weekday, multiplier in boosts or []
                if engine.boost_applies(
                    fields.Date.to_date(date_from), fields.Date.to_date(date_to), weekday, day
                )
            ]
            facts = {
                "birth_date": birth_date,
                "cardholder_rate": float(rates[0] or 0.0),
                "network_fee_rate": float(rates[1] or 0.0),
                "boost_multiplier": max(multipliers, default=1.0),
                "eligible_today": float(eligible_today or 0.0),
            }
        return wallet, facts

    def _post(self, vals, is_activity=False):
        """Append one entry and move the balance by its amount (wallet locked).

        One statement inserts the entry (its ``balance_after`` read from the
        locked wallet row), moves the wallet and, for an earning or a spending
        at a shop, creates or refreshes the holder's customer link there. The
        entry's reference is unique per shop: if it is already taken, nothing
        is written. The ORM cache is kept coherent: the wallet's new figures
        and the new entry's values are put in it, the history lists that
        include entries are invalidated.
        """
        self.ensure_one()
        rules = self._get_rules()
        # sudo: private posting step; entries are append-only, nobody writes them over RPC.
        Entry = self.env["loyalty.network.entry"].sudo()
        amount = rules.round(vals["amount"])
        date = vals.get("date") or fields.Datetime.now()
        entry_vals = {
            **vals,
            "amount": amount,
            "date": date,
            "wallet_id": self.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": rules.currency.id,
            "user_id": self.env.uid,
            "family": Entry._get_family_of_type(vals["entry_type"]),
        }
        columns, values = [], []
        for fname, value in entry_vals.items():
            field = Entry._fields[fname]  # an unknown field is a programming error
            if not (field.store and field.column_type):
                raise ValueError(f"{fname} is not a column of {Entry._name}")
            if isinstance(value, models.BaseModel):
                value = value.id
            columns.append(SQL.identifier(fname))
            values.append(None if value is False and field.type != "boolean" else value)
        merchant_id = entry_vals.get("merchant_id") or None
        visit = bool(is_activity and merchant_id)
        now = fields.Datetime.now()
        self.env["loyalty.network.customer"].flush_model()
        Entry.flush_model()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                WITH entry AS (
                    INSERT INTO loyalty_network_entry (
                        %(columns)s, balance_after, create_uid, create_date, write_uid, write_date)
                    SELECT %(values)s, COALESCE(wallet.balance, 0) + %(amount)s::numeric,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM loyalty_network_wallet wallet
                     WHERE wallet.id = %(wallet)s
                    ON CONFLICT (source_ref, merchant_id) DO NOTHING
                 RETURNING id, balance_after
                ), moved AS (
                    UPDATE loyalty_network_wallet wallet
                       SET balance = entry.balance_after,
                           total_turnover = COALESCE(wallet.total_turnover, 0)
                                            + %(turnover)s::numeric,
                           last_activity_date = CASE
                               WHEN %(activity)s THEN GREATEST(wallet.last_activity_date, %(day)s)
                               ELSE wallet.last_activity_date END,
                           write_date = %(now)s,
                           write_uid = %(uid)s
                      FROM entry
                     WHERE wallet.id = %(wallet)s
                 RETURNING wallet.balance, wallet.total_turnover, wallet.last_activity_date
                ), visit AS (
                    INSERT INTO loyalty_network_customer AS customer
                           (partner_id, merchant_id, first_visit_date, last_visit_date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(partner)s, %(merchant)s, %(date)s, %(date)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM entry
                     WHERE %(visit)s
                    ON CONFLICT (partner_id, merchant_id) DO UPDATE
                       SET last_visit_date = GREATEST(customer.last_visit_date,
                                                      EXCLUDED.last_visit_date),
                           write_uid = EXCLUDED.write_uid,
                           write_date = EXCLUDED.write_date
                )
                SELECT entry.id, entry.balance_after, moved.total_turnover,
                       moved.last_activity_date
                  FROM entry, moved
                """,
                columns=SQL(", ").join(columns),
                values=SQL(", ").join(SQL("%s", value) for value in values),
                amount=amount,
                turnover=rules.round(vals.get("purchase_amount") or 0.0),
                activity=is_activity,
                day=rules.local_date(date),
                uid=self.env.uid,
                now=now,
                wallet=self.id,
                partner=self.partner_id.id,
                merchant=merchant_id,
                date=date,
                visit=visit,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            # The reference was posted earlier in this same transaction (any
            # other transaction's entry is caught by the replay check, or makes
            # PostgreSQL refuse this one with a serialization failure).
            raise UserError(self.env._("This operation has already been recorded."))
        entry_id, balance_after, turnover, last_activity_date = row
        moved = ["balance", "total_turnover", "last_activity_date"]
        self._update_cache(
            {
                "balance": float(balance_after),
                "total_turnover": float(turnover),
                "last_activity_date": last_activity_date,
            },
            validate=False,
        )
        self.modified(moved)
        self._invalidate_entry_lists()
        if visit:
            self.env["loyalty.network.customer"].invalidate_model()
            self.env["loyalty.network.merchant"].browse(merchant_id).invalidate_recordset(
                ["customer_ids"]
            )
            self.partner_id.invalidate_recordset(["loyalty_customer_ids"])
        entry = Entry.browse(entry_id)
        # the columns left out of the INSERT are empty: readers of the new entry
        # (outbox, receipts) get them from the cache, not from another query
        unset = dict.fromkeys(
            (fname for fname in self._get_entry_plain_columns() if fname not in entry_vals), False
        )
        entry._update_cache(
            {
                **unset,
                **entry_vals,
                "balance_after": float(balance_after),
                "create_uid": self.env.uid,
                "create_date": now,
                "write_uid": self.env.uid,
                "write_date": now,
            },
            validate=False,
        )
        self._on_entry_posted(entry)
        if amount > 0:
            # Whatever raised the balance (purchase, birthday top-up, refund of a
            # wallet payment, staff adjustment), the opening fee is due once reached.
            self._take_opening_fee(date)
        return entry.sudo(False)

    def _on_entry_posted(self, entry):
        """Hook: ``entry`` was just appended to this wallet (locked), in this
        transaction; never called for a replay. Override to react to a new
        entry (e.g. an outbox event) without looking the reference up again."""
        cr = self.env.cr
        posted = cr.cache.get(POSTED_ENTRIES_KEY)
        if posted is None:
            posted = cr.cache[POSTED_ENTRIES_KEY] = set()
            # the marks are of this transaction only (a cron commits several)
            cr.postcommit.add(lambda: cr.cache.pop(POSTED_ENTRIES_KEY, None))
            cr.postrollback.add(lambda: cr.cache.pop(POSTED_ENTRIES_KEY, None))
        posted.add(entry.id)

    @api.model
    def _is_posted_now(self, entry):
        """Whether ``entry`` was appended by this transaction, rather than
        returned as the replay of an earlier one; costs no query."""
        return entry.id in self.env.cr.cache.get(POSTED_ENTRIES_KEY, ())

    def _invalidate_entry_lists(self):
        """Forget the cached lists of entries (wallet history, reversals, …): an
        entry was inserted without the ORM."""
        for model_name, fname in self._get_entry_list_fields():
            self.env[model_name].invalidate_model([fname])

    @tools.ormcache()
    def _get_entry_plain_columns(self):
        """The entry's stored, non-computed columns (``id`` aside)."""
        return tuple(
            fname
            for fname, field in self.env["loyalty.network.entry"]._fields.items()
            if field.store and field.column_type and not field.compute and fname != "id"
        )

    @tools.ormcache()
    def _get_entry_list_fields(self):
        """The x2many fields listing entries, in every installed model."""
        return tuple(
            (field.model_name, field.name)
            for model in self.env.registry.values()
            for field in model._fields.values()
            if field.type in ("one2many", "many2many")
            and field.comodel_name == "loyalty.network.entry"
        )

    def _take_opening_fee(self, date):
        """Take the opening fee once, as soon as the balance first reaches it."""
        self.ensure_one()
        fee = engine.opening_fee_due(self._get_rules(), self.balance, self.is_opening_fee_paid)
        if not fee:
            return self.env["loyalty.network.entry"]
        self.write({"is_opening_fee_paid": True})
        return self._post(
            {
                "entry_type": "opening_fee",
                "source_ref": f"opening-fee/{self.id}",
                "amount": -fee,
                "date": date,
            }
        )

    def _prepare_earning_vals(self, card, merchant, amount, plan, date, source_ref, facts=None):
        """Entry values of a purchase: the engine's split of what this purchase earns.

        :param facts: what ``_lock_wallet_of`` read under the lock (else read here)
        """
        self.ensure_one()
        rules = self._get_rules()
        if not facts:
            facts = {
                "birth_date": self.partner_id.loyalty_birth_date,
                "cardholder_rate": plan.cardholder_rate,
                "network_fee_rate": plan.network_fee_rate,
                "boost_multiplier": merchant._get_active_boost(date).multiplier or 1.0,
                "eligible_today": self._get_eligible_today(card, merchant, date),
            }
        split = engine.split_earning(
            rules,
            amount,
            facts["cardholder_rate"],
            facts["network_fee_rate"],
            birthday=engine.is_birthday_month(rules, facts["birth_date"], date),
            boost_multiplier=facts["boost_multiplier"],
            eligible_today=facts["eligible_today"],
            balance=self.balance,
        )
        return {
            **split,
            "source_ref": source_ref,
            "card_id": card.id,
            "merchant_id": merchant.id,
            "date": date,
            "plan_id": plan.id,
        }

    def _prepare_earning_reversal_vals(self, origin, amount):
        self.ensure_one()
        vals = engine.split_earning_reversal(
            self._get_rules(),
            self._get_entry_values(origin),
            [self._get_entry_values(r) for r in origin.reversal_ids],
            amount,
            self.balance,
        )
        return {**vals, "plan_id": origin.plan_id.id}

    def _prepare_spend_reversal_vals(self, origin, amount):
        self.ensure_one()
        return engine.split_spend_reversal(
            self._get_rules(),
            self._get_entry_values(origin),
            [self._get_entry_values(r) for r in origin.reversal_ids],
            amount,
        )

    def _get_eligible_today(self, card, merchant, date):
        """Purchase already eligible this local day for ``card`` at ``merchant`` (daily cap)."""
        rules = self._get_rules()
        if rules.is_zero(rules.max_daily_purchase):
            return 0.0
        day_start, day_end = rules.day_bounds(date)
        groups = (
            self.env["loyalty.network.entry"]
            .sudo()
            ._read_group(
                [
                    ("card_id", "=", card.id),
                    ("merchant_id", "=", merchant.id),
                    ("family", "=", "earning"),
                    ("date", ">=", day_start),
                    ("date", "<", day_end),
                ],
                aggregates=["eligible_amount:sum"],
            )
        )
        return groups[0][0] or 0.0

    @api.model
    def _get_operation_plan(self, merchant, plan=None):
        """The rate plan of an operation at ``merchant``: its default, or an allowed one."""
        plan = (plan or merchant.plan_id).with_env(self.env)
        if plan != merchant.plan_id and plan not in merchant.allowed_plan_ids:
            raise UserError(
                self.env._(
                    "The rate plan %(plan)s is not allowed at %(merchant)s.",
                    plan=plan.name,
                    merchant=merchant.name,
                )
            )
        return plan

    @api.model
    def _get_entry_values(self, entry):
        """The figures of ``entry`` the engine reads, as a mapping."""
        return {name: entry[name] for name in (*engine.EARNING_FIELDS, "uncovered_amount")} | {
            "cardholder_rate": entry.cardholder_rate,
            "birthday_funded_by": entry.birthday_funded_by,
        }

    def _get_rules(self):
        """The money rules of this wallet's network."""
        company = self.company_id or self.env.company
        return engine.NetworkRules.of(company[:1])

    # ------------------------------------------------------------
    # Demo data: the entry points of demo/loyalty_network_demo.xml (a
    # <function> needs a model method); the generator is services/demo_network.py
    # ------------------------------------------------------------

    @api.model
    def _setup_demo_association(self, user_ids):
        return demo_network.setup_association(self.env, user_ids)

    @api.model
    def _generate_demo_network(self, merchant_user_id, portal_partner_id, holder_count=200):
        return demo_network.generate_network(
            self.env, merchant_user_id, portal_partner_id, holder_count
        )
