import io
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestDeals(LoyaltyNetworkCase):
    def _deal(self, **vals):
        return self.env["loyalty.network.deal"].create(
            {
                "name": "Free croissant",
                "merchant_id": self.bakery.id,
                "date_from": date(2020, 1, 1),
                "date_to": date(2099, 1, 1),
                **vals,
            }
        )

    def test_reservation_limits_stock_and_one_per_holder(self):
        deal = self._deal(quantity=1)
        reservation = deal._reserve(self.alice)
        self.assertEqual((reservation.state, len(reservation.code)), ("reserved", 8))
        self.assertEqual((deal.reserved_count, deal.remaining), (1, 0))
        with self.assertRaisesRegex(UserError, "already reserved"):
            deal._reserve(self.alice)
        with self.assertRaisesRegex(UserError, "fully reserved"):
            deal._reserve(self.bob)
        reservation.action_cancel()
        self.assertEqual(deal._reserve(self.bob).partner_id, self.bob)

    def test_audience_and_validity(self):
        named = self._deal(audience="partners", partner_ids=[(6, 0, self.alice.ids)])
        customers = self._deal(audience="customers")  # the bakery's customers
        expired = self._deal(date_from=date(2020, 1, 1), date_to=date(2020, 2, 1))
        Deal = self.env["loyalty.network.deal"]
        visible_to_bob = Deal.search(Deal._get_visible_domain(self.bob))
        self.assertNotIn(named, visible_to_bob)
        self.assertNotIn(customers, visible_to_bob)  # Bob shops at the butcher only
        self.assertNotIn(expired, visible_to_bob)
        self.assertIn(named, Deal.search(Deal._get_visible_domain(self.alice)))
        with self.assertRaisesRegex(UserError, "not available"):
            named._reserve(self.bob)

    def test_merchant_manages_only_its_own_deals_and_marks_them_used(self):
        deal = self._deal()
        other = self._deal(merchant_id=self.butcher.id)
        reservation = deal._reserve(self.alice)
        Deal = self.env["loyalty.network.deal"].with_user(self.baker_user)
        self.assertEqual(Deal.search([]), deal)
        with self.assertRaises(AccessError):
            other.with_user(self.baker_user).write({"name": "Mine now"})
        reservation.with_user(self.baker_user).action_mark_used()
        self.assertEqual(reservation.state, "used")
        with self.assertRaises(AccessError):
            other._reserve(self.bob).with_user(self.baker_user).action_mark_used()


@tagged("post_install", "-at_install")
class TestStatistics(LoyaltyNetworkCase):
    def test_monthly_and_yearly_figures_are_exact(self):
        W = self.Wallet
        W._credit_purchase(self.alice_card, self.bakery, 100.0, "st/1", date=datetime(2019, 3, 5))
        W._credit_purchase(self.bob_card, self.bakery, 50.0, "st/2", date=datetime(2019, 3, 20))
        W._credit_purchase(self.bob_card, self.butcher, 400.0, "st/3", date=datetime(2019, 4, 2))
        W._spend(self.bob_card, self.bakery, 5.0, "st/4", date=datetime(2019, 4, 3))
        self.env["loyalty.network.statistics"]._refresh()
        Stats = self.env["loyalty.network.statistics"]
        march_bakery = Stats.search(
            [("month", "=", date(2019, 3, 1)), ("merchant_id", "=", self.bakery.id)]
        )
        self.assertEqual(
            (march_bakery.turnover, march_bakery.visits, march_bakery.credits_given),
            (150.0, 2, 6.0),
        )
        april = Stats.search([("month", "=", date(2019, 4, 1)), ("merchant_id", "!=", False)])
        self.assertEqual(sum(april.mapped("credits_spent")), 5.0)
        self.assertEqual(sum(april.mapped("turnover")), 400.0)
        # Bob's opening fee, taken when his balance first reached 4.00 (in April)
        fees = Stats.search([("month", "=", date(2019, 4, 1)), ("merchant_id", "=", False)])
        self.assertEqual(fees.opening_fees, 4.0)
        year = self.env["loyalty.network.statistics.year"].search(
            [("year", "=", 2019), ("merchant_id", "=", False)]
        )
        self.assertEqual(
            (year.turnover, year.credits_given, year.credits_spent, year.active_cards),
            (550.0, 14.0, 5.0, 2),
        )
        self.assertEqual((year.cards_issued, year.active_share), (0, 0.0))

    def test_months_and_years_are_the_networks_local_ones(self):
        """Europe/Paris (UTC+1 in winter): 23:30 UTC on 31 October is 00:30 on
        1 November, a November sale; 22:30 UTC is still 31 October; 23:30 UTC
        on 31 December 2019 is a sale of 2020."""
        self.assertEqual(self.env.company.loyalty_tz, "Europe/Paris")
        W = self.Wallet
        W._credit_purchase(
            self.alice_card, self.bakery, 30.0, "tz/1", date=datetime(2019, 10, 31, 23, 30)
        )
        W._credit_purchase(
            self.bob_card, self.bakery, 20.0, "tz/2", date=datetime(2019, 10, 31, 22, 30)
        )
        W._credit_purchase(
            self.bob_card, self.butcher, 70.0, "tz/3", date=datetime(2019, 12, 31, 23, 30)
        )
        self.env["loyalty.network.statistics"]._refresh()
        Stats = self.env["loyalty.network.statistics"]
        bakery = [("merchant_id", "=", self.bakery.id)]
        october = Stats.search([("month", "=", date(2019, 10, 1)), *bakery])
        november = Stats.search([("month", "=", date(2019, 11, 1)), *bakery])
        self.assertEqual((october.turnover, october.visits), (20.0, 1))
        self.assertEqual((november.turnover, november.visits), (30.0, 1))
        butcher = Stats.search([("merchant_id", "=", self.butcher.id), ("visits", ">", 0)])
        self.assertEqual(butcher.mapped("month"), [date(2020, 1, 1)])
        Year = self.env["loyalty.network.statistics.year"]
        year_2019 = Year.search([("year", "=", 2019), ("merchant_id", "=", False)])
        year_2020 = Year.search([("year", "=", 2020), ("merchant_id", "=", False)])
        self.assertEqual((year_2019.turnover, year_2019.visits), (50.0, 2))
        self.assertEqual((year_2020.turnover, year_2020.visits), (70.0, 1))

    def test_merchant_sees_only_its_own_statistics(self):
        self.Wallet._credit_purchase(self.bob_card, self.butcher, 10.0, "st/5")
        self.Wallet._credit_purchase(self.alice_card, self.bakery, 10.0, "st/6")
        self.env["loyalty.network.statistics"]._refresh()
        rows = self.env["loyalty.network.statistics"].with_user(self.baker_user).search([])
        self.assertEqual(rows.merchant_id, self.bakery)
        with self.assertRaises(AccessError):
            self.env["loyalty.network.statistics.year"].with_user(self.baker_user).search([])


@tagged("post_install", "-at_install")
class TestCustomerExport(LoyaltyNetworkCase):
    def test_merchant_exports_only_its_consenting_customers(self):
        self.alice.write(
            {"loyalty_email_consent": True, "email": "alice@example.com", "phone": "0612345678"}
        )
        carol, _card = self._create_holder("Carol", self.bakery)  # no consent
        self.bob.write({"loyalty_sms_consent": True, "phone": "0698765432"})  # butcher's customer
        wizard = self.env["loyalty.network.customer.export"].with_user(self.baker_user).create({})
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        rows = self._read_xlsx(attachment.raw)
        self.assertEqual([row[0] for row in rows[1:]], ["Alice"])
        self.assertEqual(rows[1][3], "+33 6 12 34 56 78")
        log = self.env["loyalty.network.export.log"].search([], limit=1)
        self.assertEqual(
            (log.user_id, log.merchant_id, log.row_count), (self.baker_user, self.bakery, 1)
        )
        self.assertNotIn(carol.name, [row[0] for row in rows])

    def test_merchant_cannot_export_another_shop(self):
        wizard = (
            self.env["loyalty.network.customer.export"]
            .with_user(self.baker_user)
            .create({"merchant_id": self.bakery.id})
        )
        wizard.sudo().merchant_id = self.butcher
        with self.assertRaises(AccessError):
            wizard.action_export()
        wizard.sudo().merchant_id = False
        with self.assertRaises(AccessError):
            wizard.action_export()

    def _read_xlsx(self, content):
        import zipfile
        from xml.etree import ElementTree

        with zipfile.ZipFile(io.BytesIO(content)) as book:
            ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
            shared = [
                "".join(t.text or "" for t in si.iter(f"{{{ns['s']}}}t"))
                for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall(
                    "s:si", ns
                )
            ]
            sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
            rows = []
            for row in sheet.iter(f"{{{ns['s']}}}row"):
                values = []
                for cell in row.findall("s:c", ns):
                    value = cell.find("s:v", ns)
                    text = value.text if value is not None else ""
                    values.append(shared[int(text)] if cell.get("t") == "s" else text)
                rows.append(values)
            return rows


@tagged("post_install", "-at_install")
class TestCampaigns(LoyaltyNetworkCase, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice.write({"phone": "+33611111111", "loyalty_sms_consent": True})
        cls.bob.write({"phone": "+33622222222", "loyalty_sms_consent": True})
        cls.carol, _card = cls._create_holder("Carol", cls.bakery, phone="+33633333333")
        # Bob becomes a bakery customer too, then refuses SMS: never reached.
        cls.Wallet._credit_purchase(cls.bob_card, cls.bakery, 10.0, "c/1")

    def test_sms_campaign_reaches_only_consenting_customers_of_the_shop(self):
        self.bob.loyalty_sms_consent = False
        campaign = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create(
                {"name": "Croissant day", "channel": "sms", "body_sms": "Croissants -20% today!"}
            )
        )
        self.assertEqual(campaign.merchant_id, self.bakery)
        self.assertEqual(campaign.recipient_count, 1)
        campaign.action_send()
        mailing = campaign.sudo().mailing_id  # staff-only field
        # Even a widened mailing filter cannot reach beyond the locked segment.
        mailing.sudo().write({"mailing_domain": "[]", "sms_force_send": True})
        with self.mockSMSGateway():
            mailing.sudo().action_send_sms()
        self.assertSMSIapSent(["+33611111111"], content="Croissants -20% today!")
        self.assertEqual(len(self._sms), 1)
        with self.assertRaises(AccessError):
            mailing.with_user(self.baker_user).sudo(False).write({"loyalty_locked_domain": "[]"})

    def test_merchant_cannot_target_another_shops_customers(self):
        campaign = self.env["loyalty.network.campaign"].create(
            {"name": "Steaks", "channel": "sms", "body_sms": "x", "merchant_id": self.butcher.id}
        )
        with self.assertRaises(AccessError):
            campaign.with_user(self.baker_user).action_send()

    def test_segments(self):
        Partner = self.env["res.partner"]
        ours = [("id", "in", (self.alice | self.bob | self.carol).ids)]
        self.alice.loyalty_birth_date = date(1990, 6, 12)
        with freeze_time("2026-06-03"):
            birthday = Partner.search(
                Partner._loyalty_segment_domain("sms", is_birthday_month=True) + ours
            )
        self.assertEqual(birthday, self.alice)
        rich = Partner.search(Partner._loyalty_segment_domain("sms", min_balance=0.01) + ours)
        self.assertEqual(rich, self.bob)  # 0.40 credited above
        self.carol.loyalty_sms_consent = True
        shops = Partner.search(Partner._loyalty_segment_domain("sms", merchant=self.butcher) + ours)
        self.assertEqual(shops, self.bob)
