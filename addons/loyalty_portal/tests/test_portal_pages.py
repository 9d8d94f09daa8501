import json
import re

from odoo.http import Request
from odoo.tests import tagged

from .common import LoyaltyPortalCase


@tagged("post_install", "-at_install")
class TestPortalPages(LoyaltyPortalCase):
    def _history_table(self, page):
        return page.split("o_loyalty_history_table", 1)[1].split("</table>", 1)[0]

    def test_my_loyalty_shows_own_wallet_cards_and_history(self):
        self.authenticate("helene", "helene-password")
        response = self.url_open("/my/loyalty")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("6.00", page)
        self.assertIn(self.card.masked_number, page)
        # The full number is never in the page, not even in the barcode addresses.
        self.assertNotIn(self.card.name, page)
        self.assertIn("Tour Bakery", page)
        self.assertIn("You can spend it", page)
        self.assertNotIn("Oscar", page)
        self.assertIn(f"/my/loyalty/history/{self.entry.id}", page)
        self.assertNotIn(f"/my/loyalty/history/{self.other_entry.id}", page)

    def test_card_is_shown_as_scannable_barcodes(self):
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty").text
        sources = re.findall(r'src="(/my/loyalty/card/barcode/[^"]*)"', page)
        self.assertEqual(sources, ["/my/loyalty/card/barcode/ean13", "/my/loyalty/card/barcode/qr"])
        self.assertNotIn(self.card.name, page)
        self.assertNotIn(self.other_card.name, page)
        for source in sources:
            response = self.url_open(source)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], "image/png")
            self.assertEqual(response.headers["Cache-Control"], "private, no-store")
            self.assertEqual(response.content[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(self.url_open("/my/loyalty/card/barcode/code128").status_code, 404)
        self.authenticate(None, None)
        self.assertNotEqual(
            self.url_open(sources[0], allow_redirects=False).headers.get("Content-Type"),
            "image/png",
        )

    def test_blocked_card_shows_no_barcode(self):
        self.card.action_block()
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty").text
        self.assertNotIn("/card/barcode/", page)
        self.assertNotIn(self.card.name, page)
        self.assertEqual(self.url_open("/my/loyalty/card/barcode/ean13").status_code, 404)

    def test_history_filter_and_home_counter(self):
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty?filterby=fee").text
        # The filter bar names the families ("Purchase Credits"): look at the table.
        history = self._history_table(page)
        self.assertIn("Account Opening Fee", history)
        self.assertNotIn("Purchase Credit", history)
        # One filter per family the holder has entries of, from the stored family.
        self.assertIn('href="/my/loyalty?filterby=earning"', page)
        self.assertIn('href="/my/loyalty?filterby=fee"', page)
        self.assertNotIn('href="/my/loyalty?filterby=spending"', page)
        history = self._history_table(self.url_open("/my/loyalty?filterby=earning").text)
        self.assertEqual(history.count("Purchase Credit"), 2)
        self.assertNotIn("Account Opening Fee", history)
        history = self._history_table(self.url_open("/my/loyalty?filterby=nonsense").text)
        self.assertEqual(history.count("/my/loyalty/history/"), 3)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["loyalty_card_count"]})
        self.assertEqual(counters["loyalty_card_count"], 1)

    def test_history_has_a_single_pager(self):
        Wallet = self.env["loyalty.network.wallet"]
        for index in range(20):
            Wallet._credit_purchase(self.card, self.merchant, 10.0, f"portal/page/{index}")
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty").text
        self.assertEqual(page.count("o_portal_pager"), 1)
        self.assertEqual(page.count("pagination m-0"), 1)
        self.assertIn("/my/loyalty/page/2", page)
        self.assertEqual(page.count("/my/loyalty/history/"), 20)
        page = self.url_open("/my/loyalty/page/2").text
        self.assertEqual(page.count("/my/loyalty/history/"), 3)  # 23 entries in all

    def test_negative_balance_is_explained_and_not_spendable(self):
        Wallet = self.env["loyalty.network.wallet"]
        Wallet._spend(self.card, self.merchant, 6.0, "portal/spend")
        second_purchase = self.holder.loyalty_wallet_id.entry_ids.filtered(
            lambda e: e.source_ref == "portal/2"
        )
        Wallet._refund(second_purchase, 100.0, "portal/refund")
        wallet = self.holder.loyalty_wallet_id
        self.assertEqual(self.env.company.loyalty_negative_balance_policy, "claw_back")
        self.assertEqual(wallet.balance, -4.0)
        self.assertFalse(wallet.can_spend)
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty").text
        self.assertIn("o_loyalty_negative_balance", page)
        self.assertIn("o_loyalty_balance text-danger", page)
        self.assertIn("You cannot pay with your wallet until the balance is", page)
        self.assertIn("9.00", page)  # from -4.00 to the 5.00 minimum
        self.assertNotIn("You can spend it", page)

    def test_balance_below_the_minimum_says_what_is_missing(self):
        self.env.company.loyalty_min_spend_balance = 10.0
        self.authenticate("helene", "helene-password")
        page = self.url_open("/my/loyalty").text
        self.assertNotIn("You can spend it", page)
        self.assertNotIn("o_loyalty_negative_balance", page)
        self.assertIn("It can be spent from", page)
        self.assertIn("4.00", page)  # 10.00 - 6.00

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

    def test_erasure_request_needs_a_confirmation(self):
        Erasure = self.env["loyalty.network.erasure.request"]
        own = [("partner_id", "=", self.holder.id)]
        self.authenticate("helene", "helene-password")
        self.assertIn('href="/my/loyalty/erasure"', self.url_open("/my/loyalty").text)
        page = self.url_open("/my/loyalty/erasure").text
        self.assertIn("Yes, erase my data", page)
        self.assertIn('name="confirm" value="yes"', page)
        self.assertEqual(Erasure.search_count(own), 0)
        response = self.url_open(
            "/my/loyalty/erasure", data={"csrf_token": Request.csrf_token(self), "note": "Bye"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Yes, erase my data", response.text)
        self.assertEqual(Erasure.search_count(own), 0)
        # Without the CSRF token, even a confirmed request is refused.
        response = self.url_open("/my/loyalty/erasure", data={"confirm": "yes"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Erasure.search_count(own), 0)
        response = self.url_open(
            "/my/loyalty/erasure",
            data={"csrf_token": Request.csrf_token(self), "confirm": "yes", "note": "Bye"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your erasure request was sent", response.text)
        request = Erasure.search(own)
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.partner_id, request.note, request.state), (self.holder, "Bye", "new")
        )
        self.assertIn("already sent", self.url_open("/my/loyalty/erasure").text)

    def test_erasure_request_keeps_the_ledger(self):
        self.authenticate("helene", "helene-password")
        for _attempt in range(2):
            self.url_open(
                "/my/loyalty/erasure",
                data={"csrf_token": Request.csrf_token(self), "confirm": "yes"},
            )
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

    def test_public_directory_links_to_signup(self):
        page = self.url_open("/loyalty/shops").text
        self.assertIn('href="/loyalty/signup"', page)
        self.assertIn("Open my account", page)
        self.assertEqual(self.url_open("/loyalty/signup").status_code, 200)
        self.authenticate("helene", "helene-password")
        page = self.url_open("/loyalty/shops").text
        self.assertNotIn('href="/loyalty/signup"', page)
        self.assertIn('href="/my/loyalty"', page)


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
