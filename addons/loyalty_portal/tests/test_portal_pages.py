import json

from odoo.http import Request
from odoo.tests import tagged

from .common import LoyaltyPortalCase


@tagged("post_install", "-at_install")
class TestPortalPages(LoyaltyPortalCase):
    def test_my_loyalty_shows_own_wallet_cards_and_history(self):
        self.authenticate("helene", "helene-password")
        response = self.url_open("/my/loyalty")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("6.00", page)
        self.assertIn(self.card.masked_number, page)
        self.assertNotIn(self.card.name, page)  # the full number is never shown
        self.assertIn("Tour Bakery", page)
        self.assertIn("You can spend it", page)
        self.assertNotIn("Oscar", page)
        self.assertIn(f"/my/loyalty/history/{self.entry.id}", page)
        self.assertNotIn(f"/my/loyalty/history/{self.other_entry.id}", page)

    def test_history_filter_and_home_counter(self):
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty?filterby=other").text
        self.assertIn("Account Opening Fee", page)
        self.assertNotIn("Purchase Credit", page)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["loyalty_card_count"]})
        self.assertEqual(counters["loyalty_card_count"], 1)

    def test_another_holders_operation_is_not_found(self):
        self.authenticate("helene", "helene-password")
        self.assertEqual(self.url_open(f"/my/loyalty/history/{self.entry.id}").status_code, 200)
        response = self.url_open(f"/my/loyalty/history/{self.other_entry.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Oscar", response.text)

    def test_pages_need_a_login(self):
        response = self.url_open("/my/loyalty", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_preferences_change_consents_and_validate_the_phone(self):
        self.authenticate("helene", "helene-password")
        response = self.url_open(
            "/my/loyalty/preferences",
            data={
                "csrf_token": Request.csrf_token(self),
                "phone": "06 11 22 33 44",
                "sms_consent": "on",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.holder.phone, "+33 6 11 22 33 44")
        self.assertTrue(self.holder.loyalty_sms_consent)
        self.assertFalse(self.holder.loyalty_email_consent)
        tracked = self.holder.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("loyalty_sms_consent", tracked)
        self.url_open(
            "/my/loyalty/preferences",
            data={"csrf_token": Request.csrf_token(self), "phone": "12"},
        )
        self.assertEqual(self.holder.phone, "+33 6 11 22 33 44")

    def test_download_my_data_has_only_my_data(self):
        self.authenticate("helene", "helene-password")
        data = json.loads(self.url_open("/my/loyalty/data").content)
        self.assertEqual(data["holder"]["email"], "helene@example.com")
        self.assertEqual([c["name"] for c in data["cards"]], [self.card.name])
        self.assertEqual(len(data["history"]), 3)  # two purchases and the opening fee

    def test_erasure_request_keeps_the_ledger(self):
        self.authenticate("helene", "helene-password")
        self.url_open("/my/loyalty/erasure", data={"csrf_token": Request.csrf_token(self)})
        self.url_open("/my/loyalty/erasure", data={"csrf_token": Request.csrf_token(self)})
        request = self.env["loyalty.network.erasure.request"].search(
            [("partner_id", "=", self.holder.id)]
        )
        self.assertEqual(len(request), 1)
        request.action_anonymise()
        self.assertEqual(request.state, "done")
        self.assertFalse(self.holder.email or self.holder.loyalty_birth_date)
        self.assertNotIn("Hélène", self.holder.name)
        self.assertEqual(self.card.state, "blocked")
        self.assertFalse(self.user.active)
        wallet = self.holder.loyalty_wallet_id
        self.assertEqual(wallet.balance, 6.0)
        self.assertEqual(len(wallet.entry_ids), 3)

    def test_public_directory_lists_published_shops_without_personal_data(self):
        page = self.url_open("/loyalty/shops").text
        self.assertIn("Tour Bakery", page)
        self.assertIn("Tue-Sat 8:00-19:00", page)
        self.assertNotIn("Hidden Shop", page)
        for personal in ("Hélène", "helene@example.com", "Oscar", self.card.name):
            self.assertNotIn(personal, page)
        self.assertIn("Tour Bakery", self.url_open(f"/loyalty/shops/{self.merchant.id}").text)
        self.assertEqual(self.url_open(f"/loyalty/shops/{self.hidden_shop.id}").status_code, 404)
        self.assertNotIn("Tour Bakery", self.url_open("/loyalty/shops?search=Nowhere").text)


@tagged("post_install", "-at_install")
class TestPortalDeals(LoyaltyPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Deal = cls.env["loyalty.network.deal"]
        cls.deal = Deal.create(
            {
                "name": "Two eclairs for one",
                "merchant_id": cls.merchant.id,
                "date_from": "2020-01-01",
                "date_to": "2099-01-01",
                "quantity": 1,
            }
        )
        cls.private_deal = Deal.create(
            {
                "name": "Only for Oscar",
                "merchant_id": cls.merchant.id,
                "date_from": "2020-01-01",
                "date_to": "2099-01-01",
                "audience": "partners",
                "partner_ids": [(6, 0, cls.other.ids)],
            }
        )

    def test_holder_reserves_a_deal_and_sees_the_code(self):
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty/deals").text
        self.assertIn("Two eclairs for one", page)
        self.assertNotIn("Only for Oscar", page)
        self.url_open(
            f"/my/loyalty/deals/{self.deal.id}/reserve",
            data={"csrf_token": Request.csrf_token(self)},
        )
        reservation = self.deal.reservation_ids
        self.assertEqual(reservation.partner_id, self.holder)
        self.assertIn(reservation.code, self.url_open("/my/loyalty/deals").text)
        self.assertEqual(self.deal.remaining, 0)

    def test_reserving_a_deal_not_offered_changes_nothing(self):
        self.authenticate("helene", "helene-password")
        response = self.url_open(
            f"/my/loyalty/deals/{self.private_deal.id}/reserve",
            data={"csrf_token": Request.csrf_token(self)},
        )
        self.assertIn("not available", response.text)
        self.assertNotIn("not available", self.url_open("/my/loyalty/deals").text)
        self.assertFalse(self.private_deal.reservation_ids)
        self.assertEqual(
            self.url_open(
                "/my/loyalty/deals/999999/reserve", data={"csrf_token": Request.csrf_token(self)}
            ).status_code,
            404,
        )

    def test_shop_page_shows_public_deals_only(self):
        page = self.url_open(f"/loyalty/shops/{self.merchant.id}").text
        self.assertIn("Two eclairs for one", page)
        self.assertNotIn("Only for Oscar", page)
