"""The network's money rules, in one place.

Every figure the suite shows or posts comes from here: the split of a
purchase into the holder's credit and the merchant's contribution (plan,
birthday month, boost, caps), the reversal of a refund, the spending checks,
the opening fee, the inactivity forfeit, and the network's local calendar.
The functions compute; they never write. The wallet posts what they return
(``loyalty.network.wallet``), and the preview returns the same figures
without posting, so that what a cashier is shown is what is then recorded.

Amounts are rounded half-up to the cent on their own line, with the
network's currency; the network fee is always contribution minus the
merchant-funded credit, so that cents tie.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round, format_amount

DEFAULT_TZ = "Europe/Paris"

# Entry types and the family each belongs to: every query that groups
# entries (statistics, settlement, portal filters, POS totals) uses the
# stored family, never a list of types.
ENTRY_TYPES = [
    ("earn", "Purchase Credit"),
    ("earn_reversal", "Refund of a Purchase"),
    ("spend", "Wallet Spent"),
    ("spend_reversal", "Refund of a Wallet Payment"),
    ("opening_fee", "Account Opening Fee"),
    ("forfeit", "Inactivity Forfeit"),
    ("adjustment", "Staff Adjustment"),
]
ENTRY_FAMILIES = [
    ("earning", "Purchase Credits"),
    ("spending", "Wallet Payments"),
    ("fee", "Opening Fees"),
    ("forfeit", "Forfeits"),
    ("adjustment", "Adjustments"),
]
FAMILY_OF_TYPE = {
    "earn": "earning",
    "earn_reversal": "earning",
    "spend": "spending",
    "spend_reversal": "spending",
    "opening_fee": "fee",
    "forfeit": "forfeit",
    "adjustment": "adjustment",
}
# Operations a purchase or a wallet payment can be refunded from.
REFUNDABLE_TYPES = ("earn", "spend")

NEGATIVE_BALANCE_POLICIES = [
    ("claw_back", "Claw back in full (the wallet may go below zero)"),
    ("network_bears", "Reverse only what is left (the network bears the rest)"),
]

# Fields of an earning reversed by a refund, in proportion.
EARNING_FIELDS = (
    "purchase_amount",
    "eligible_amount",
    "base_credit",
    "birthday_bonus",
    "boost_bonus",
    "merchant_contribution",
    "network_fee",
    "network_expense",
    "amount",
)


# ------------------------------------------------------------
# The network's settings, read once per operation
# ------------------------------------------------------------


@dataclass(frozen=True)
class NetworkRules:
    """The settings of one network (a company) that the money rules read.

    They are read from the database once per registry and company (see
    ``res.company._get_loyalty_rules_values``, cleared when a setting changes),
    so an operation does not spend queries reading them again.
    """

    env: object = field(repr=False, compare=False)
    currency: object
    rounding: float = 0.01
    opening_fee: float = 4.0
    min_spend_balance: float = 5.0
    birthday_rate: float = 10.0
    birthday_funded_by: str = "network"
    max_wallet_balance: float = 0.0
    max_daily_purchase: float = 0.0
    max_operation_amount: float = 0.0
    negative_balance_policy: str = "claw_back"
    inactivity_months: int = 12
    tz: str = DEFAULT_TZ

    @classmethod
    def of(cls, company):
        values = dict(company._get_loyalty_rules_values())
        currency = company.env["res.currency"].browse(values.pop("currency_id"))
        return cls(env=company.env, currency=currency, **values)

    # -- money -----------------------------------------------------------

    def round(self, amount):
        return float_round(amount, precision_rounding=self.rounding)

    def compare(self, a, b):
        return float_compare(a, b, precision_rounding=self.rounding)

    def is_zero(self, amount):
        return float_is_zero(amount, precision_rounding=self.rounding)

    def fmt(self, amount):
        """The amount as people read it: "5,00 €" in French, "€ 5.00" in English."""
        return format_amount(self.env, amount, self.currency)

    # -- local calendar --------------------------------------------------

    def local_datetime(self, when):
        """``when`` (a naive UTC datetime, as Odoo stores them) in the network's zone."""
        when = when if isinstance(when, datetime) else datetime.combine(when, time.min)
        return pytz.utc.localize(when).astimezone(pytz.timezone(self.tz))

    def local_date(self, when):
        return self.local_datetime(when).date()

    def utc_bounds(self, first_day, last_day):
        """Naive UTC datetimes [start, end) covering local days first_day..last_day."""
        zone = pytz.timezone(self.tz)

        def start_of(day):
            local = zone.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return start_of(first_day), start_of(last_day + timedelta(days=1))

    def day_bounds(self, when):
        day = self.local_date(when)
        return self.utc_bounds(day, day)

    def month_bounds(self, year, month):
        first = date(year, month, 1)
        return self.utc_bounds(first, first + relativedelta(months=1, days=-1))

    def today(self):
        return self.local_date(fields.Datetime.now())


# ------------------------------------------------------------
# Checks
# ------------------------------------------------------------


def check_amount(rules, amount):
    """Return ``amount`` rounded to the cent if it is a sensible amount, else raise."""
    _ = rules.env._
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise UserError(_("The amount must be a number."))
    try:
        is_finite = math.isfinite(amount)
    except OverflowError:  # an integer too large for a float
        is_finite = False
    if not is_finite:
        raise UserError(_("The amount must be a number."))
    if rules.compare(amount, 0.0) <= 0:
        raise UserError(_("The amount must be greater than zero."))
    if float_compare(amount, rules.round(amount), precision_digits=6) != 0:
        raise UserError(_("The amount has more than %s decimals.", rules.currency.decimal_places))
    maximum = rules.max_operation_amount
    if maximum and rules.compare(amount, maximum) > 0:
        raise UserError(
            _(
                "%(amount)s is above the largest amount accepted in one operation "
                "(%(maximum)s): check the amount typed.",
                amount=rules.fmt(amount),
                maximum=rules.fmt(maximum),
            )
        )
    return rules.round(amount)


def can_spend(rules, balance):
    """Whether a wallet of ``balance`` may be spent at all."""
    return rules.compare(balance, 0.0) > 0 and rules.compare(balance, rules.min_spend_balance) >= 0


def check_spend(rules, balance, amount):
    """Raise unless ``amount`` may be paid from a wallet of ``balance``."""
    _ = rules.env._
    if not can_spend(rules, balance):
        raise UserError(
            _(
                "The wallet can be spent from %(minimum)s on; its balance is %(balance)s.",
                minimum=rules.fmt(rules.min_spend_balance),
                balance=rules.fmt(balance),
            )
        )
    if rules.compare(amount, balance) > 0:
        raise UserError(
            _(
                "%(amount)s is more than the wallet balance (%(balance)s).",
                amount=rules.fmt(amount),
                balance=rules.fmt(balance),
            )
        )


# ------------------------------------------------------------
# Earning
# ------------------------------------------------------------


def is_birthday_month(rules, birth_date, when):
    return bool(birth_date) and birth_date.month == rules.local_date(when).month


def boost_applies(boost_from, boost_to, weekday, local_day):
    """Whether a boost of dates [boost_from, boost_to] (and weekday) runs on ``local_day``."""
    return boost_from <= local_day <= boost_to and (
        weekday in (False, None, "") or int(weekday) == local_day.weekday()
    )


def eligible_amount(rules, amount, eligible_today):
    """Part of ``amount`` that earns, under the optional daily cap per card and shop."""
    cap = rules.max_daily_purchase
    if rules.is_zero(cap):
        return amount
    return rules.round(max(0.0, min(amount, cap - eligible_today)))


def split_earning(
    rules,
    amount,
    cardholder_rate,
    network_fee_rate,
    birthday=False,
    boost_multiplier=1.0,
    eligible_today=0.0,
    balance=0.0,
):
    """The entry values of a purchase of ``amount`` (incl. taxes, paid by other means).

    ``cardholder_rate`` and ``network_fee_rate`` are the plan's (in %);
    ``birthday``: the purchase falls in the holder's birthday month (local);
    ``boost_multiplier``: the merchant's boost running then (1.0: none);
    ``eligible_today``: purchase already eligible today (local day) for this
    card at this shop (daily cap); ``balance``: the wallet's balance before
    (maximum balance cap).
    """
    rnd = rules.round
    eligible = eligible_amount(rules, amount, eligible_today)
    base_credit = rnd(eligible * cardholder_rate / 100.0)
    contribution = rnd(eligible * (cardholder_rate + network_fee_rate) / 100.0)
    fee = rnd(contribution - base_credit)
    rate = cardholder_rate
    funded_by = rules.birthday_funded_by
    birthday_bonus = 0.0
    if birthday and rules.birthday_rate > rate:
        rate = rules.birthday_rate
        birthday_bonus = rnd(rnd(eligible * rate / 100.0) - base_credit)
    boost_bonus = rnd(base_credit * (boost_multiplier - 1.0)) if boost_multiplier > 1 else 0.0
    parts = {"base": base_credit, "birthday": birthday_bonus, "boost": boost_bonus}
    capped = capped_credit(rules, base_credit + birthday_bonus + boost_bonus, balance)
    # Credit over the cap is not given: first the network-funded part, then what
    # the merchant would have funded, which it then does not owe.
    cut_order = (
        ["birthday", "boost", "base"] if funded_by == "network" else ["boost", "birthday", "base"]
    )
    remaining = capped
    for key in cut_order:
        cut = min(remaining, parts[key])
        parts[key] = rnd(parts[key] - cut)
        remaining = rnd(remaining - cut)
    merchant_funded = parts["boost"] + (parts["birthday"] if funded_by == "merchant" else 0.0)
    return {
        "entry_type": "earn",
        "purchase_amount": rnd(amount),
        "eligible_amount": eligible,
        "cardholder_rate": rate,
        "base_credit": parts["base"],
        "birthday_bonus": parts["birthday"],
        "boost_bonus": parts["boost"],
        "birthday_funded_by": funded_by if parts["birthday"] else False,
        "merchant_contribution": rnd(parts["base"] + fee + merchant_funded),
        "network_fee": fee,
        "network_expense": parts["birthday"] if funded_by == "network" else 0.0,
        "capped_amount": capped,
        "amount": rnd(parts["base"] + parts["birthday"] + parts["boost"]),
    }


def capped_credit(rules, credit, balance):
    """Part of ``credit`` above the optional maximum wallet balance."""
    cap = rules.max_wallet_balance
    if rules.is_zero(cap):
        return 0.0
    room = max(0.0, cap - balance)
    return rules.round(max(0.0, credit - room))


# ------------------------------------------------------------
# Refunds
# ------------------------------------------------------------


def refundable_purchase(rules, origin, reversals):
    """Purchase amount of the earning ``origin`` not refunded yet.

    ``origin`` and each of ``reversals`` are mappings of entry values.
    """
    return rules.round(origin["purchase_amount"] + sum(r["purchase_amount"] for r in reversals))


def refundable_spend(rules, origin, reversals):
    """Wallet payment of the spend ``origin`` not given back yet."""
    return rules.round(-origin["amount"] - sum(r["amount"] for r in reversals))


def split_earning_reversal(rules, origin, reversals, amount, balance):
    """The entry values reversing the credit of ``amount`` of the purchase ``origin``.

    Credit, contribution and fee are reversed in proportion; the last refund
    reverses exactly what is left, so cents tie. When the credit was already
    spent (``balance`` below the credit to reverse), the network's policy
    decides: claw back in full (the wallet goes below zero), or reverse only
    what is left, the rest being the network's expense (``uncovered_amount``).
    """
    _ = rules.env._
    rnd = rules.round
    refundable = refundable_purchase(rules, origin, reversals)
    if rules.compare(amount, refundable) > 0:
        raise UserError(
            _(
                "Only %(refundable)s of this purchase can still be refunded.",
                refundable=rules.fmt(refundable),
            )
        )
    if rules.compare(amount, refundable) == 0:
        # Last refund: reverse exactly what is left so that cents tie.
        vals = {
            name: rnd(-(origin[name] + sum(_reversed(r, name) for r in reversals)))
            for name in EARNING_FIELDS
        }
    else:
        ratio = amount / origin["purchase_amount"]
        vals = {name: -rnd(origin[name] * ratio) for name in EARNING_FIELDS}
        vals["purchase_amount"] = -amount
        # Keep each reversal self-consistent: credit = its parts; fee = contribution - credit.
        vals["amount"] = rnd(vals["base_credit"] + vals["birthday_bonus"] + vals["boost_bonus"])
        funded_by = origin["birthday_funded_by"]
        merchant_funded = vals["boost_bonus"] + (
            vals["birthday_bonus"] if funded_by == "merchant" else 0.0
        )
        vals["network_fee"] = rnd(
            vals["merchant_contribution"] - vals["base_credit"] - merchant_funded
        )
        vals["network_expense"] = vals["birthday_bonus"] if funded_by == "network" else 0.0
    vals["uncovered_amount"] = 0.0
    if rules.negative_balance_policy == "network_bears":
        taken = min(-vals["amount"], max(balance, 0.0))
        vals["uncovered_amount"] = rnd(-vals["amount"] - taken)
        vals["amount"] = -rnd(taken)
    return {
        **vals,
        "entry_type": "earn_reversal",
        "cardholder_rate": origin["cardholder_rate"],
        "birthday_funded_by": origin["birthday_funded_by"],
    }


def _reversed(reversal, name):
    """What ``reversal`` reversed of the field ``name`` of its earning: for the
    credit, the wallet movement plus the part the network bore."""
    if name == "amount":
        return reversal["amount"] - (reversal.get("uncovered_amount") or 0.0)
    return reversal[name]


def split_spend_reversal(rules, origin, reversals, amount):
    """The entry values giving ``amount`` of the wallet payment ``origin`` back."""
    _ = rules.env._
    refundable = refundable_spend(rules, origin, reversals)
    if rules.compare(amount, refundable) > 0:
        raise UserError(
            _(
                "Only %(refundable)s of this wallet payment can still be given back.",
                refundable=rules.fmt(refundable),
            )
        )
    return {"entry_type": "spend_reversal", "amount": rules.round(amount)}


def earning_base(rules, total, wallet_paid, other_means):
    """What a purchase of ``total`` earns on: the part paid by other means than
    the wallet, never more than the total less the wallet part, never below 0."""
    return rules.round(max(min(other_means, total - wallet_paid), 0.0))


def wallet_share_of_refund(rules, sale_total, wallet_paid, refunded, refundable):
    """Part of ``refunded`` goods of a sale of ``sale_total`` that was paid with
    the wallet (``wallet_paid``), bounded by what can still be given back."""
    if rules.compare(sale_total, 0.0) <= 0 or rules.is_zero(wallet_paid):
        return 0.0
    share = rules.round(wallet_paid * refunded / sale_total)
    return max(min(share, refundable), 0.0)


# ------------------------------------------------------------
# Opening fee and forfeit
# ------------------------------------------------------------


def opening_fee_due(rules, balance, is_paid):
    """The opening fee to take now: once, as soon as the balance first reaches it."""
    fee = rules.opening_fee
    if is_paid or rules.is_zero(fee) or rules.compare(balance, fee) < 0:
        return 0.0
    return rules.round(fee)


def forfeit_limit(rules, today):
    """Wallets whose last activity (local date) is before this date are forfeited."""
    if rules.inactivity_months <= 0:
        return None
    return today - relativedelta(months=rules.inactivity_months)


def forfeit_date(rules, last_activity_date):
    """The local date a wallet falls back to zero without earning nor spending."""
    if not last_activity_date or rules.inactivity_months <= 0:
        return False
    return last_activity_date + relativedelta(months=rules.inactivity_months)
