import re

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route
from odoo.tools import float_compare, format_date, format_datetime
from odoo.tools.misc import hash_sign, verify_hash_signed

from ..models.loyalty_network_customer import MIN_NAME_LENGTH
from ..services import money_engine as engine

TOKEN_SCOPE = "annonay_loyalty.terminal_card"
TOKEN_HOURS = 12  # a counter session; the card is scanned again the next day
MAX_CHOICES = 8
REFUND_CHOICES = 20
OPERATION_REF = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class LoyaltyTerminalScreen(Controller):
    """Routes of the counter terminal (the ``annonay_loyalty.terminal`` client action).

    The shop is always the session user's (staff choose one). A card is
    reached only through ``find``: it answers a signed token binding the
    user, the shop and the card, and every other route requires it, so card
    ids cannot be enumerated. Operations carry a one-shot reference made by
    the screen, so a double click records once.
    """

    # ------------------------------------------------------------
    # ROUTES
    # ------------------------------------------------------------

    @route("/loyalty/terminal/init", type="jsonrpc", auth="user")
    def init(self, merchant_id=None):
        is_staff = self._is_staff()
        merchant = self._merchant(merchant_id, required=not is_staff)
        values = {
            "is_staff": is_staff,
            "merchant": self._merchant_values(merchant) if merchant else False,
            "merchants": [],
        }
        if is_staff:
            values["merchants"] = [
                {"id": m.id, "name": m.name}
                for m in request.env["loyalty.network.merchant"].search([("state", "=", "active")])
            ]
        return values

    @route("/loyalty/terminal/find", type="jsonrpc", auth="user")
    def find(self, query, merchant_id=None):
        merchant = self._merchant(merchant_id)
        query = str(query or "").strip()
        if not query:
            raise UserError(
                request.env._("Scan the card or type a card number, a name or a phone.")
            )
        Card = request.env["loyalty.network.card"]
        compact = query.replace(" ", "")
        if compact.isdigit() and len(compact) == 13:
            # Holding the card lets the shop serve a holder it has never seen.
            card = Card._find_by_number(compact).sudo()
            if not card:
                raise UserError(request.env._("No card has the number %s.", compact))
            if card.state == "stock":
                return {"blank_card": card.name}
            card._check_usable()
            return {"card": self._card_values(card, merchant)}
        if len(query) < MIN_NAME_LENGTH:
            raise UserError(
                request.env._(
                    "Type at least %s characters of the name or phone, or scan the card.",
                    MIN_NAME_LENGTH,
                )
            )
        # Names and whole phone numbers, among this shop's own customers only.
        holders = request.env["loyalty.network.customer"]._find_holders(
            merchant, query, limit=MAX_CHOICES + 1
        )
        cards = holders.loyalty_card_ids.filtered(lambda c: c.state == "active")
        if not cards:
            raise UserError(
                request.env._("No customer of your shop matches “%s”: scan the card.", query)
            )
        if len(cards) > MAX_CHOICES:
            raise UserError(request.env._("Too many customers match “%s”: type more of it.", query))
        if len(cards) == 1:
            return {"card": self._card_values(cards, merchant)}
        return {"choices": [self._card_values(card, merchant) for card in cards]}

    @route("/loyalty/terminal/profile", type="jsonrpc", auth="user")
    def profile(self, card_token, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        return self._profile_values(card, merchant)

    @route("/loyalty/terminal/preview", type="jsonrpc", auth="user")
    def preview(self, card_token, amount=0.0, spend_amount=0.0, plan_id=None, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        amount, spend_amount = self._amount(amount, True), self._amount(spend_amount, True)
        if not amount and not spend_amount:
            raise UserError(request.env._("Type the amount."))
        return request.env["loyalty.network.wallet"]._preview_operation(
            card, merchant, amount=amount, spend_amount=spend_amount, plan=self._plan(plan_id)
        )

    @route("/loyalty/terminal/credit", type="jsonrpc", auth="user")
    def credit(self, card_token, amount, operation_ref, plan_id=None, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        amount = self._amount(amount)
        entry = request.env["loyalty.network.wallet"]._credit_purchase(
            card,
            merchant,
            amount,
            self._source_ref(merchant, operation_ref, "credit"),
            plan=self._plan(plan_id),
        )
        return self._result(entry, card, merchant, "earn", amount)

    @route("/loyalty/terminal/spend", type="jsonrpc", auth="user")
    def spend(self, card_token, amount, operation_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        amount = self._amount(amount)
        entry = request.env["loyalty.network.wallet"]._spend(
            card, merchant, amount, self._source_ref(merchant, operation_ref, "spend")
        )
        return self._result(entry, card, merchant, "spend", amount)

    @route("/loyalty/terminal/refund_choices", type="jsonrpc", auth="user")
    def refund_choices(self, card_token, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        entries = request.env["loyalty.network.entry"].search(
            [
                ("merchant_id", "=", merchant.id),
                ("partner_id", "=", card.partner_id.id),
                ("entry_type", "in", ("earn", "spend")),
            ],
            limit=REFUND_CHOICES,
        )
        labels = entries._get_ticket_labels()
        choices = []
        for entry in entries:
            refundable = self._refundable(entry)
            if engine.NetworkRules.of(entry.company_id).is_zero(refundable):
                continue
            choices.append(
                {
                    "id": entry.id,
                    "kind": entry.entry_type,
                    "date": format_datetime(
                        request.env, entry.date, tz=self._tz(merchant), dt_format="short"
                    ),
                    "amount": entry.purchase_amount
                    if entry.entry_type == "earn"
                    else -entry.amount,
                    "credit": entry.amount if entry.entry_type == "earn" else 0.0,
                    "ticket": labels[entry.id],
                    "refundable": refundable,
                }
            )
        return choices

    @route("/loyalty/terminal/refund_preview", type="jsonrpc", auth="user")
    def refund_preview(self, card_token, entry_id, amount, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        origin = self._refund_origin(entry_id, card, merchant)
        amount = self._amount(amount)
        # sudo: the caller operates the shop of this sale (_own_entry) of a card
        # it found (signed token): it may see what the refund would do to the
        # wallet (nothing is posted).
        wallet = origin.sudo().wallet_id
        if origin.entry_type == "earn":
            vals = wallet._prepare_earning_reversal_vals(origin.sudo(), amount)
        else:
            vals = wallet._prepare_spend_reversal_vals(origin.sudo(), amount)
        rules = wallet._get_rules()
        return {
            "amount": amount,
            "wallet": vals["amount"],
            "balance": wallet.balance,
            "balance_after": rules.round(wallet.balance + vals["amount"]),
        }

    @route("/loyalty/terminal/refund", type="jsonrpc", auth="user")
    def refund(self, card_token, entry_id, amount, operation_ref, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        origin = self._refund_origin(entry_id, card, merchant)
        reversal = "earn_reversal" if origin.entry_type == "earn" else "spend_reversal"
        amount = self._amount(amount)
        entry = request.env["loyalty.network.wallet"]._refund(
            origin, amount, self._source_ref(merchant, operation_ref, "refund")
        )
        return self._result(entry, card, merchant, reversal, amount, origin=origin)

    @route("/loyalty/terminal/enrol", type="jsonrpc", auth="user")
    def enrol(self, card_number, holder, merchant_id=None):
        merchant = self._merchant(merchant_id)
        holder = holder if isinstance(holder, dict) else {}
        card = request.env["loyalty.network.card"]._enrol_new_holder(
            str(card_number or ""),
            merchant,
            {
                "name": str(holder.get("name") or ""),
                "birth_date": holder.get("birth_date") or False,
                "phone": str(holder.get("phone") or ""),
                "email": str(holder.get("email") or ""),
                "email_consent": bool(holder.get("email_consent")),
                "sms_consent": bool(holder.get("sms_consent")),
            },
        )
        # sudo: the caller just enrolled this blank card at its own shop.
        return {"card": self._card_values(card.sudo(), merchant)}

    @route("/loyalty/terminal/send_recap", type="jsonrpc", auth="user")
    def send_recap(self, card_token, recap_id, channel, merchant_id=None):
        merchant = self._merchant(merchant_id)
        card = self._card(card_token, merchant)
        entry = self._own_entry(recap_id, card, merchant)
        partner = card.partner_id
        recap = self._recap(entry)
        if channel == "email":
            if not partner.email:
                raise UserError(request.env._("The holder has no email address."))
            # The shop sends the recap of its own operation to the holder it
            # serves; the template renders the entry it may read.
            request.env.ref("annonay_loyalty.mail_template_loyalty_recap").sudo().with_context(
                recap_opening_fee=recap["opening_fee"], recap_new_balance=recap["new_balance"]
            ).send_mail(entry.id)
            return {"sent_to": partner.email}
        if channel == "sms":
            if not partner.phone_sanitized:
                raise UserError(request.env._("The holder has no mobile number."))
            rules = engine.NetworkRules.of(merchant.company_id)
            # Merchant users may not create SMS; this one goes to the holder served.
            request.env["sms.sms"].sudo().create(
                {
                    "partner_id": partner.id,
                    "number": partner.phone_sanitized,
                    "body": request.env._(
                        "%(shop)s: %(operation)s %(amount)s. Your loyalty wallet: %(balance)s.",
                        shop=merchant.name,
                        operation=self._operation_label(entry),
                        amount=rules.fmt(entry.amount),
                        balance=rules.fmt(recap["new_balance"]),
                    ),
                }
            )
            return {"sent_to": partner.phone}
        raise UserError(request.env._("Choose email or SMS."))

    # ------------------------------------------------------------
    # PRIVATE: who, which card, which amounts
    # ------------------------------------------------------------

    def _is_staff(self):
        return request.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager")

    def _merchant(self, merchant_id=None, required=True):
        """The shop of the operation: the user's own; staff choose one."""
        user = request.env.user
        if not user.has_group("annonay_loyalty.annonay_loyalty_group_merchant"):
            raise AccessError(request.env._("The terminal is for member shops only."))
        if self._is_staff() and merchant_id:
            merchant = (
                request.env["loyalty.network.merchant"]
                .browse(self._int(merchant_id))
                .exists()
                .filtered(lambda m: m.state == "active")
            )
            if not merchant:
                raise UserError(request.env._("Choose an active member shop."))
        else:
            merchant = user._get_loyalty_merchant()
            if merchant_id and merchant and self._int(merchant_id) != merchant.id:
                raise AccessError(request.env._("You can operate only for your own shop."))
        if not merchant and required:
            if self._is_staff():
                raise UserError(request.env._("Choose the shop first."))
            raise AccessError(request.env._("This user does not operate a member shop."))
        if merchant:
            merchant._check_can_operate()
        return merchant

    def _card_values(self, card, merchant):
        """What find answers for a card: its proof token and what identifies it."""
        # The signature key is the database secret, a system parameter: only
        # it is read with elevated rights.
        token = hash_sign(
            request.env(su=True),
            TOKEN_SCOPE,
            {"uid": request.env.uid, "merchant": merchant.id, "card": card.id},
            expiration_hours=TOKEN_HOURS,
        )
        return {"token": token, "name": card.partner_id.name, "masked": card.masked_number}

    def _card(self, card_token, merchant):
        """The card a signed token of ``find`` proves this user found for this shop."""
        refused = AccessError(request.env._("Find the card again (scan it or type its number)."))
        try:
            payload = verify_hash_signed(request.env(su=True), TOKEN_SCOPE, str(card_token or ""))
        except Exception:  # any malformed token is simply refused
            raise refused from None
        if (
            not isinstance(payload, dict)
            or payload.get("uid") != request.env.uid
            or payload.get("merchant") != merchant.id
            or not isinstance(payload.get("card"), int)
        ):
            raise refused
        # The token proves the caller found this card (by its number or among
        # its own customers): it may operate it and read its holder's profile.
        card = request.env["loyalty.network.card"].sudo().browse(payload["card"]).exists()
        if not card:
            raise refused
        card._check_usable()
        return card

    def _profile_values(self, card, merchant):
        partner = card.partner_id
        wallet = partner.loyalty_wallet_ids.filtered(lambda w: w.company_id == merchant.company_id)
        rules = engine.NetworkRules.of(merchant.company_id)
        return {
            "name": partner.name,
            "masked": card.masked_number,
            "balance": wallet.balance,
            "can_spend": engine.can_spend(rules, wallet.balance),
            "min_spend_balance": rules.min_spend_balance,
            "birth_date": format_date(request.env, partner.loyalty_birth_date) or "",
            "is_birthday_month": engine.is_birthday_month(
                rules, partner.loyalty_birth_date, fields.Datetime.now()
            ),
            "address": ", ".join(
                part
                for part in (
                    partner.street,
                    partner.street2,
                    " ".join(filter(None, (partner.zip, partner.city))),
                )
                if part
            ),
            "phone": partner.phone or "",
            "email": partner.email or "",
            "email_consent": partner.loyalty_email_consent,
            "sms_consent": partner.loyalty_sms_consent,
            "can_sms": bool(partner.phone_sanitized),
            "member_since": format_date(request.env, partner.loyalty_member_since) or "",
            "last_visit": format_date(request.env, wallet.last_activity_date) or "",
            "total_turnover": wallet.total_turnover,
            # pending_amount and available_amount, when the network holds credit back
            **((wallet and wallet._get_availability()) or {}),
        }

    def _merchant_values(self, merchant):
        currency = merchant.currency_id
        plans = merchant._get_allowed_plans()
        return {
            "id": merchant.id,
            "name": merchant.name,
            "plans": [
                {"id": plan.id, "name": plan.name, "rate": plan.cardholder_rate}
                for plan in plans.sorted(lambda p: (p != merchant.plan_id, p.name))
            ],
            "default_plan_id": merchant.plan_id.id,
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
        }

    def _plan(self, plan_id):
        if not plan_id:
            return None
        plan = request.env["loyalty.network.plan"].browse(self._int(plan_id)).exists()
        if not plan:
            raise UserError(request.env._("Choose one of the shop's rate plans."))
        return plan

    def _amount(self, amount, optional=False):
        """An amount as typed at the counter ("12,50" too); the wallet checks the rest."""
        if optional and amount in (None, False, "", 0, 0.0):
            return 0.0
        if isinstance(amount, str):
            try:
                amount = float(re.sub(r"\s", "", amount).replace(",", "."))
            except ValueError:
                raise UserError(request.env._("Type an amount such as 12.50.")) from None
        return amount

    def _int(self, value):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise UserError(request.env._("This choice is not valid any more.")) from None

    def _source_ref(self, merchant, operation_ref, kind):
        operation_ref = str(operation_ref or "")
        if not OPERATION_REF.match(operation_ref):
            raise UserError(request.env._("The operation has no reference: it cannot be recorded."))
        return f"terminal:{merchant.id}:{kind}:{operation_ref}"

    def _result(self, entry, card, merchant, entry_type, amount, origin=None):
        """The figures of a recorded operation, or of its first recording when its
        one-shot reference comes again: a reference names one operation, so the
        same reference with other figures is refused (idempotency-key semantics)."""
        # sudo: the entry was just posted (or replayed) under this shop's own
        # reference; it is answered only if it is this shop's, for this card.
        entry = entry.sudo()
        if (
            entry.entry_type != entry_type
            or entry.merchant_id != merchant
            or entry.partner_id != card.partner_id
            or (origin is not None and entry.origin_entry_id != origin)
            or not self._same_amount(entry, amount)
        ):
            raise UserError(
                request.env._(
                    "This operation was already recorded with other figures: start it again."
                )
            )
        recap = self._recap(entry)
        wallet = entry.wallet_id
        rules = wallet._get_rules()
        return {
            "recap_id": entry.id,
            "kind": entry_type,
            "label": self._operation_label(entry),
            "amount": entry.amount,
            "purchase_amount": entry.purchase_amount,
            "cardholder_rate": entry.cardholder_rate,
            "opening_fee": recap["opening_fee"],
            "new_balance": recap["new_balance"],
            "can_spend": engine.can_spend(rules, wallet.balance),
            "balance": wallet.balance,
        }

    def _same_amount(self, entry, amount):
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            return False
        recorded = {
            "earn": entry.purchase_amount,
            "spend": -entry.amount,
            "earn_reversal": -entry.purchase_amount,
            "spend_reversal": entry.amount,
        }[entry.entry_type]
        return float_compare(amount, recorded, precision_rounding=entry.currency_id.rounding) == 0

    def _recap(self, entry):
        return request.env[
            "report.annonay_loyalty.report_loyalty_network_entry_recap"
        ]._get_report_values(entry.ids)["recap"][entry.id]

    def _operation_label(self, entry):
        selection = entry._fields["entry_type"]._description_selection(request.env)
        return dict(selection)[entry.entry_type]

    def _own_entry(self, entry_id, card, merchant):
        """An operation of this shop for the holder of this card, read with the user's rights."""
        entry = request.env["loyalty.network.entry"].search(
            [
                ("id", "=", self._int(entry_id)),
                ("merchant_id", "=", merchant.id),
                ("partner_id", "=", card.partner_id.id),
            ],
            limit=1,
        )
        if not entry:
            raise UserError(
                request.env._("This operation is not one of your shop's for this card.")
            )
        return entry

    def _refund_origin(self, entry_id, card, merchant):
        entry = self._own_entry(entry_id, card, merchant)
        if entry.entry_type not in ("earn", "spend"):
            raise UserError(request.env._("Only a purchase or a wallet payment can be refunded."))
        return entry

    def _refundable(self, entry):
        if entry.entry_type == "earn":
            return entry._get_refundable_purchase()
        return entry._get_refundable_spend()

    def _tz(self, merchant):
        return merchant.company_id.loyalty_tz or engine.DEFAULT_TZ
