from datetime import date, datetime, timedelta

import phonenumbers
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import convert_file, mute_logger

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestFirstUse(LoyaltyNetworkCase):
    """What the association's staff and a shopkeeper try first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Deal = cls.env["loyalty.network.deal"]
        cls.staff_user = cls.env["res.users"].create(
            {
                "name": "Staff",
                "login": "staff-first-use",
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id,
                        ]
                    )
                ],
            }
        )

    # ------------------------------------------------------------
    # Deals
    # ------------------------------------------------------------

    def test_staff_creates_a_deal_for_any_shop(self):
        staff = self.staff_user
        self.assertFalse(staff._is_admin())
        Deal = self.Deal.with_user(staff)
        # The merchant field offers every shop of the network to staff.
        domain = Deal.fields_get(["merchant_id"])["merchant_id"].get("domain") or []
        self.assertEqual(domain, [])
        offered = self.env["loyalty.network.merchant"].with_user(staff).name_search("", domain)
        self.assertLessEqual(
            {self.bakery.id, self.butcher.id}, {merchant_id for merchant_id, _name in offered}
        )
        with Form(Deal) as form:
            self.assertFalse(form.merchant_id)  # staff work for no shop
            form.name = "A free steak knife for 50 EUR"
            form.merchant_id = self.butcher
            form.date_to = date(2026, 12, 31)
        deal = form.record
        self.assertEqual(deal.merchant_id, self.butcher)
        self.assertEqual(deal.company_id, self.env.company)
        self.assertEqual(deal.create_uid, staff)

    def test_merchant_creates_deals_for_its_own_shop_only(self):
        Deal = self.Deal.with_user(self.baker_user)
        with Form(Deal) as form:
            self.assertEqual(form.merchant_id, self.bakery)  # its shop by default
            form.name = "A croissant for a baguette"
            form.date_to = date(2026, 12, 31)
        own = form.record
        self.assertEqual(own.merchant_id, self.bakery)
        domain = Deal.fields_get(["merchant_id"])["merchant_id"].get("domain") or []
        offered = (
            self.env["loyalty.network.merchant"].with_user(self.baker_user).name_search("", domain)
        )
        self.assertEqual([merchant_id for merchant_id, _name in offered], [self.bakery.id])
        count = self.Deal.search_count([])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Deal.create(
                {"name": "Fake deal", "merchant_id": self.butcher.id, "date_to": "2026-12-31"}
            )
        self.assertEqual(self.Deal.search_count([]), count)
        with self.assertRaises(AccessError) as refusal:  # (a savepoint rolls the write back)
            own.write({"merchant_id": self.butcher.id})
        self.assertEqual(str(refusal.exception), "You can only publish deals for your own shop.")
        own.invalidate_recordset()
        self.assertEqual(own.merchant_id, self.bakery)

    # ------------------------------------------------------------
    # My Shop
    # ------------------------------------------------------------

    def test_merchant_sees_its_membership_on_my_shop(self):
        baker = self.baker_user
        action = self.env.ref("annonay_loyalty.loyalty_network_merchant_action_my_shop")
        result = action.with_user(baker).run()
        self.assertEqual(
            (result["res_model"], result["res_id"]), (self.bakery._name, self.bakery.id)
        )
        self.bakery.allowed_plan_ids = self.reduced
        shop = self.env["loyalty.network.merchant"].with_user(baker).browse(result["res_id"])
        form = Form(shop)
        self.assertEqual(form.plan_id.name, "Standard")
        self.assertEqual(form.allowed_plan_ids[0].name, self.reduced.name)
        # Shown, not editable: the plan is the association's decision.
        with self.assertRaises(AssertionError):
            form.plan_id = self.reduced
        with self.assertRaises(AccessError):
            shop.write({"plan_id": self.reduced.id})
        self.assertEqual(self.bakery.plan_id, self.standard)
        # Staff still edit it from the same form.
        with Form(self.bakery.with_user(self.staff_user)) as staff_form:
            staff_form.plan_id = self.reduced
        self.assertEqual(self.bakery.plan_id, self.reduced)

    # ------------------------------------------------------------
    # Yearly table
    # ------------------------------------------------------------

    def test_yearly_table_over_a_year_of_activity(self):
        carol, carol_card = self._create_holder("Carol", self.bakery)
        dan, _dan_card = self._create_holder("Dan", self.butcher)
        self.alice_card.issue_date = date(2025, 2, 1)
        self.bob_card.issue_date = date(2025, 11, 15)
        carol_card.issue_date = date(2026, 3, 1)
        dan.loyalty_card_ids.issue_date = date(2026, 4, 1)  # issued, never used
        W = self.Wallet
        W._credit_purchase(self.alice_card, self.bakery, 100.0, "y/1", date=datetime(2025, 3, 10))
        W._credit_purchase(self.bob_card, self.butcher, 50.0, "y/2", date=datetime(2025, 12, 1))
        W._credit_purchase(self.alice_card, self.bakery, 20.0, "y/3", date=datetime(2026, 2, 1))
        W._credit_purchase(carol_card, self.bakery, 40.0, "y/4", date=datetime(2026, 3, 5))
        # Bob's card, lost this year, was in his hands at the end of 2025.
        self.bob_card._replace_with(self.Card.create({}))
        self.env["loyalty.network.statistics"]._refresh()
        rows = self.env["loyalty.network.statistics.year"].search(
            [("company_id", "=", self.env.company.id)]
        )

        def shop(merchant, year):
            row = rows.filtered(lambda r: r.merchant_id == merchant and r.year == year)
            return (row.turnover, row.visits, row.active_cards, row.average_basket)

        self.assertEqual(shop(self.bakery, 2025), (100.0, 1, 1, 100.0))
        self.assertEqual(shop(self.butcher, 2025), (50.0, 1, 1, 50.0))
        self.assertEqual(shop(self.bakery, 2026), (60.0, 2, 2, 30.0))  # Alice and Carol
        # Network rows: these holders' cards plus whatever else the database holds
        mine = self.alice_card | self.bob_card | self.bob_card.replaced_by_id | carol_card
        mine |= dan.loyalty_card_ids
        others = self.Card.search([("company_id", "=", self.env.company.id)]) - mine

        def in_hands(cards, year):
            year_end = date(year + 1, 1, 1)
            return cards.filtered(
                lambda c: c.issue_date
                and c.issue_date < year_end
                and (
                    c.state in ("active", "blocked")
                    or (c.state == "replaced" and c.replaced_by_id.issue_date >= year_end)
                )
            )

        def active_elsewhere(year):
            return (
                self.env["loyalty.network.entry"]
                .search(
                    [
                        ("company_id", "=", self.env.company.id),
                        ("entry_type", "in", ("earn", "spend")),
                        ("date", ">=", datetime(year, 1, 1)),
                        ("date", "<", datetime(year + 1, 1, 1)),
                        ("partner_id", "not in", mine.partner_id.ids),
                    ]
                )
                .partner_id
            )

        network = {row.year: row for row in rows if not row.merchant_id}
        # 2025: Alice's and Bob's cards (Bob's replaced card was his at the end of 2025);
        # 2026: Alice's, Bob's new one, Carol's and Dan's; active: Alice and Bob, Alice and Carol
        for year, issued, active in ((2025, 2, 2), (2026, 4, 2)):
            self.assertEqual(network[year].cards_issued, issued + len(in_hands(others, year)))
            self.assertEqual(network[year].active_cards, active + len(active_elsewhere(year)))
            self.assertEqual(
                network[year].active_share,
                round(100.0 * network[year].active_cards / network[year].cards_issued, 1),
            )
        # The year reads 2026, not 2,026.
        arch = self.env["loyalty.network.statistics.year"].get_views([(False, "list")])
        view = etree.fromstring(arch["views"]["list"]["arch"])
        self.assertEqual(
            view.xpath("//field[@name='year']")[0].get("options"), "{'enable_formatting': false}"
        )


@tagged("post_install", "-at_install")
class TestFirstUseApp(HttpCase):
    def test_app_icon_is_served(self):
        menu = self.env.ref("annonay_loyalty.loyalty_network_menu_root")
        self.assertEqual(menu.web_icon, "annonay_loyalty,static/description/icon.png")
        self.assertTrue(menu.web_icon_data)
        response = self.url_open("/annonay_loyalty/static/description/icon.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertEqual(response.content[:8], b"\x89PNG\r\n\x1a\n")

    def test_merchant_cannot_move_its_deal_to_another_shop_over_rpc(self):
        plan = self.env.ref("annonay_loyalty.loyalty_network_plan_standard")
        bakery, butcher = self.env["loyalty.network.merchant"].create(
            [
                {
                    "partner_id": self.env["res.partner"].create({"name": name}).id,
                    "plan_id": plan.id,
                }
                for name in ("Bakery", "Butcher")
            ]
        )
        bakery.user_ids = new_test_user(
            self.env,
            login="baker-rpc",
            groups="base.group_user,annonay_loyalty.annonay_loyalty_group_merchant",
        )
        deal = self.env["loyalty.network.deal"].create(
            {"name": "Croissant", "merchant_id": bakery.id, "date_to": "2026-12-31"}
        )
        self.authenticate("baker-rpc", "baker-rpc")
        for method, args in (
            ("write", [[deal.id], {"merchant_id": butcher.id}]),
            ("create", [{"name": "Fake", "merchant_id": butcher.id, "date_to": "2026-12-31"}]),
        ):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"), mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/loyalty.network.deal/{method}",
                    {"model": "loyalty.network.deal", "method": method, "args": args, "kwargs": {}},
                )
        deal.invalidate_recordset()
        self.assertEqual(deal.merchant_id, bakery)
        self.assertEqual(self.env["loyalty.network.deal"].search([]), deal)


@tagged("post_install", "-at_install")
class TestFirstUseDemo(TransactionCase):
    """The demo data as a new user first sees it (loaded here: tests run without demo)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        convert_file(cls.env, "annonay_loyalty", "demo/loyalty_network_demo.xml", {}, mode="init")

    def _demo_cards(self):
        """The demo holders' cards (the database may hold other tests' committed cards)."""
        return self.env["loyalty.network.card"].search(
            [("state", "=", "active"), ("partner_id.email", "=like", "%@%annonay.example")]
        )

    def test_demo_users_land_on_the_network_app(self):
        self.assertEqual(
            self.env.ref("base.user_admin").action_id.id,
            self.env.ref("annonay_loyalty.loyalty_network_statistics_action").id,
        )
        self.assertEqual(
            self.env.ref("annonay_loyalty.res_users_merchant_demo").action_id.id,
            self.env.ref("annonay_loyalty.loyalty_network_terminal_action_screen").id,
        )

    def test_demo_cards_are_spread_over_the_year(self):
        today = fields.Date.context_today(self.env["loyalty.network.card"])
        cards = self._demo_cards()
        self.assertEqual(len(cards), 200)
        issued = cards.mapped("issue_date")
        self.assertGreaterEqual(len({(day.year, day.month) for day in issued}), 12)
        self.assertTrue(all(day <= today for day in issued))
        self.assertEqual(min(issued), today - timedelta(days=365 + 75))
        holders = cards.partner_id
        self.assertEqual(
            {(p.id, p.loyalty_member_since) for p in holders},
            {(c.partner_id.id, c.issue_date) for c in cards},
        )
        # No card is used before it was handed out.
        Entry = self.env["loyalty.network.entry"]
        for card in cards:
            first = Entry.search([("partner_id", "=", card.partner_id.id)], order="date", limit=1)
            if first:
                self.assertLessEqual(card.issue_date, first.date.date())
        # The yearly table counts the cards of last year by their issue date.
        self.env["loyalty.network.statistics"]._refresh()
        last_year = today.year - 1
        company = self.env.company
        row = self.env["loyalty.network.statistics.year"].search(
            [("year", "=", last_year), ("merchant_id", "=", False), ("company_id", "=", company.id)]
        )
        year_end = date(today.year, 1, 1)
        in_hands = (
            self.env["loyalty.network.card"]
            .search([("company_id", "=", company.id)])
            .filtered(
                lambda c: c.issue_date
                and c.issue_date < year_end
                and (
                    c.state in ("active", "blocked")
                    or (c.state == "replaced" and c.replaced_by_id.issue_date >= year_end)
                )
            )
        )
        self.assertEqual(row.cards_issued, len(in_hands))
        self.assertLessEqual(cards.filtered(lambda c: c.issue_date < year_end), in_hands)
        active = Entry.search(
            [
                ("company_id", "=", company.id),
                ("entry_type", "in", ("earn", "spend")),
                ("date", ">=", datetime(last_year, 1, 1)),
                ("date", "<", datetime(today.year, 1, 1)),
            ]
        ).partner_id
        self.assertEqual(row.active_cards, len(active))
        self.assertGreater(len(active & cards.partner_id), 0)

    def test_demo_network_is_a_french_association(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(
            (company.name, company.zip, company.city, company.country_id.code),
            ("Annonay+", "07100", "Annonay", "FR"),
        )
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        users = self.env.ref("base.user_admin") | self.env.ref(
            "annonay_loyalty.res_users_merchant_demo"
        )
        self.assertEqual(set(users.mapped("tz")), {"Europe/Paris"})

    def test_demo_holders_have_french_mobiles(self):
        holders = self._demo_cards().partner_id
        self.assertEqual(len(holders), 200)
        for holder in holders:
            self.assertRegex(holder.phone, r"^\+33 6( \d\d){4}$")
            number = phonenumbers.parse(holder.phone)
            self.assertTrue(phonenumbers.is_valid_number(number), holder.phone)
            self.assertEqual(phonenumbers.number_type(number), phonenumbers.PhoneNumberType.MOBILE)
