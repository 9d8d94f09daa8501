"""The demo network: ten shops in Annonay, their holders and a year of activity.

Demo data only, called from ``demo/loyalty_network_demo.xml`` through the two
thin entry points of ``loyalty.network.wallet`` (an XML ``<function>`` needs a
model method). Every euro goes through the wallet's posting service (the money
engine): nothing here computes a credit, a fee or a threshold.
"""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import fields

from .money_engine import NetworkRules

DEMO_SHOPS = [
    # name, category xml id suffix, plan, street, latitude, longitude, hours
    (
        "Boulangerie du Champ de Mars",
        "food",
        "standard",
        "3 place du Champ de Mars",
        45.2398,
        4.6707,
    ),
    ("Boucherie Vidalon", "food", "reduced", "18 rue Boissy d'Anglas", 45.2412, 4.6721),
    ("Café des Cordeliers", "food", "standard", "1 place des Cordeliers", 45.2405, 4.6713),
    ("Maison Seguin Mode", "fashion", "standard", "25 rue de Deûme", 45.2391, 4.6698),
    ("Chaussures de la Cance", "fashion", "reduced", "7 rue Sadi Carnot", 45.2417, 4.6735),
    ("Fleurs de Faya", "home", "standard", "40 avenue de l'Europe", 45.2360, 4.6650),
    ("Quincaillerie Montgolfier", "home", "reduced", "9 rue Montgolfier", 45.2429, 4.6744),
    ("Librairie du Vivarais", "culture", "standard", "14 rue de Trachin", 45.2401, 4.6689),
    (
        "Jouets et Jeux d'Annonay",
        "culture",
        "standard",
        "5 boulevard de la République",
        45.2384,
        4.6760,
    ),
    ("Institut Beauté Déôme", "services", "standard", "22 avenue Marc Seguin", 45.2372, 4.6722),
]
FIRST_NAMES = [
    "Louise",
    "Gabriel",
    "Emma",
    "Raphaël",
    "Jade",
    "Léo",
    "Alice",
    "Louis",
    "Chloé",
    "Arthur",
    "Manon",
    "Jules",
    "Camille",
    "Hugo",
    "Inès",
    "Lucas",
    "Sarah",
    "Adam",
    "Lina",
    "Nathan",
    "Anna",
    "Paul",
    "Juliette",
    "Noah",
    "Zoé",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
]


def generate_network(env, merchant_user_id, portal_partner_id, holder_count=200):
    """Demo: ten Annonay shops, ``holder_count`` holders and a year of activity.

    Every euro goes through the posting service, so the demo ledger obeys
    the same rules as production. Deterministic (seeded).
    """
    rng = random.Random(2026)
    Wallet = env["loyalty.network.wallet"]
    # the network's local day, as every day rule
    today = NetworkRules.of(env.company).today()
    plans = {
        "standard": env.ref("annonay_loyalty.loyalty_network_plan_standard"),
        "reduced": env.ref("annonay_loyalty.loyalty_network_plan_reduced"),
    }
    france = env.ref("base.fr")
    shop_partners = env["res.partner"].create(
        [
            {
                "name": name,
                "is_company": True,
                "street": street,
                "zip": "07100",
                "city": "Annonay",
                "country_id": france.id,
                "partner_latitude": lat,
                "partner_longitude": lon,
                "email": f"contact{i}@shop.annonay.example",
                "phone": f"+33 4 75 33 {10 + i:02d} {20 + i:02d}",
            }
            for i, (name, _c, _p, street, lat, lon) in enumerate(DEMO_SHOPS)
        ]
    )
    merchants = env["loyalty.network.merchant"].create(
        [
            {
                "partner_id": partner.id,
                "category_id": env.ref(
                    f"annonay_loyalty.loyalty_network_merchant_category_{category}_demo"
                ).id,
                "plan_id": plans[plan].id,
                "allowed_plan_ids": [(6, 0, plans["reduced"].ids)] if plan == "standard" else [],
                "opening_hours": "Tue-Sat 9:00-12:30, 14:30-19:00",
                "description": f"<p>{partner.name}: a member shop of the Annonay+ network "
                "since its first year. Show your card at the till.</p>",
            }
            for partner, (_n, category, plan, *_rest) in zip(shop_partners, DEMO_SHOPS, strict=True)
        ]
    )
    bakery = merchants[0]
    bakery.user_ids = [(4, merchant_user_id)]
    env["loyalty.network.boost"].create(
        {
            "name": "Double credit on Tuesdays",
            "merchant_id": merchants[3].id,
            "multiplier": 2.0,
            "date_from": today - timedelta(days=90),
            "date_to": today + timedelta(days=90),
            "weekday": "1",
        }
    )

    holders = env["res.partner"].browse(portal_partner_id) | env["res.partner"].create(
        [
            {
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "email": f"holder{i}@mail.annonay.example",
                # a valid French mobile number: 06 40 to 06 89 are all mobile ranges
                "phone": f"+33 6 {rng.randint(40, 89)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                "zip": "07100",
                "city": "Annonay",
                "country_id": france.id,
                "loyalty_birth_date": today.replace(month=rng.randint(1, 12), day=1)
                - timedelta(days=365 * rng.randint(18, 80)),
                "loyalty_email_consent": rng.random() < 0.7,
                "loyalty_sms_consent": rng.random() < 0.5,
            }
            for i in range(holder_count - 1)
        ]
    )
    Card = env["loyalty.network.card"]
    cards = Card.create([{} for _holder in holders])
    for card, holder in zip(cards, holders, strict=True):
        card._enrol(holder, merchants[rng.randrange(len(merchants))])
    Card.create([{} for _i in range(50)])  # blank cards in stock
    # Cards are handed out over the year: the yearly table needs them dated.
    start = datetime.combine(today - timedelta(days=365), time(9, 0))
    issue_dates = _spread_issue_dates(cards, start, rng)

    # A year of purchases, some wallet payments and refunds, in date order.
    operations = sorted(
        (
            start + timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 600)),
            rng.randrange(len(holders)),
            rng.randrange(len(merchants)),
        )
        for _i in range(holder_count * 12)
    )
    # The portal holder shops often at the bakery and two other shops.
    operations += sorted((start + timedelta(days=d, hours=2), 0, d % 3) for d in range(5, 360, 9))
    operations.sort()
    inactive = holders[-1]
    for n, (when, holder_index, merchant_index) in enumerate(operations):
        holder = holders[holder_index]
        # no visit of the inactive holder this year, none before the card was issued
        if holder == inactive or when.date() < issue_dates[holder_index]:
            continue
        card, merchant = cards[holder_index], merchants[merchant_index]
        amount = round(rng.uniform(5, 150), 2)
        wallet = holder._get_loyalty_wallet()
        if wallet.can_spend and rng.random() < 0.15:
            spent = round(min(wallet.balance, amount / 2), 2)
            Wallet._spend(card, merchant, spent, f"demo/{n}/spend", date=when)
            amount = round(amount - spent, 2)
        entry = Wallet._credit_purchase(card, merchant, amount, f"demo/{n}", date=when)
        if rng.random() < 0.02:
            Wallet._refund(entry, round(amount / 2, 2), f"demo/{n}/refund", date=when)
    # The portal holder's last visit leaves a balance that can be spent.
    Wallet._credit_purchase(
        cards[0], bakery, 180.0, "demo/portal-holder/last", date=fields.Datetime.now()
    )
    # One wallet untouched for 14 months: the forfeit cron will zero it.
    long_ago = datetime.combine(today - timedelta(days=430), time(11, 0))
    for n in range(3):
        Wallet._credit_purchase(cards[-1], merchants[n], 80.0, f"demo/inactive/{n}", date=long_ago)
    # The figures are there on first use, not after the hourly refresh.
    env["loyalty.network.statistics"]._refresh()
    return True


def setup_association(env, user_ids):
    """Demo: the network is the Annonay+ association, a French company in
    euros on Paris time; the demo users work in French when French is loaded
    (English stays available to them)."""
    company = env.ref("base.main_company")
    company.write(
        {
            "name": "Annonay+",
            "street": "Place des Cordeliers",
            "zip": "07100",
            "city": "Annonay",
            "country_id": env.ref("base.fr").id,
            "phone": "+33 4 75 33 00 00",
            "email": "contact@annonay-plus.example",
        }
    )
    euro = env.ref("base.EUR")
    # A company keeps its currency once it has journal items (accounting loaded
    # first with its own demo): then only the address changes.
    has_items = "account.move.line" in env and env["account.move.line"].search_count(
        [("company_id", "=", company.id)], limit=1
    )
    if company.currency_id != euro and not has_items:
        euro.active = True
        company.currency_id = euro
    users = env.ref("base.user_admin") | env["res.users"].browse(user_ids)
    values = {"tz": "Europe/Paris"}
    if env["res.lang"].search_count([("code", "=", "fr_FR")]):
        values["lang"] = "fr_FR"
    users.write(values)
    return True


def _spread_issue_dates(cards, start, rng):
    """Date the demo cards and their holders' membership over the demo year.

    The portal holder's card opens the year, the inactive holder's (the last
    card) precedes its visits of 14 months ago, the others are handed out on
    any day of the year. Returns the issue dates, in the order of ``cards``.
    """
    last = len(cards) - 1
    issue_dates = [
        start.date()
        if index == 0
        else start.date() - timedelta(days=75)
        if index == last
        else start.date() + timedelta(days=rng.randint(0, 364))
        for index in range(len(cards))
    ]
    by_date = defaultdict(list)
    for card_id, day in zip(cards.ids, issue_dates, strict=True):
        by_date[day].append(card_id)
    for day, card_ids in sorted(by_date.items()):
        day_cards = cards.browse(card_ids)
        day_cards.with_context(tracking_disable=True).write({"issue_date": day})
        day_cards.partner_id.write({"loyalty_member_since": day})
    return issue_dates
