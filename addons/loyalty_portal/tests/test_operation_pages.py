from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LoyaltyPortalCase


@tagged("post_install", "-at_install")
class TestOperationPages(LoyaltyPortalCase):
    """Network operations on the public directory and in the holder's portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        Operation = cls.env["loyalty.network.operation"]
        cls.current = Operation.create(
            {
                "name": "Quinzaine commerciale",
                "date_begin": now - timedelta(days=2),
                "date_end": now + timedelta(days=12),
                "description": "<p>Deux semaines de bonus</p>",
                "merchant_ids": [(6, 0, (cls.merchant | cls.hidden_shop).ids)],
                "state": "published",
            }
        )
        cls.upcoming = Operation.create(
            {
                "name": "Nocturne de Noël",
                "date_begin": now + timedelta(days=20),
                "date_end": now + timedelta(days=20, hours=4),
                "state": "published",
            }
        )
        cls.draft = Operation.create(
            {
                "name": "Braderie secrète",
                "date_begin": now - timedelta(days=1),
                "date_end": now + timedelta(days=3),
            }
        )
        cls.closed = cls.draft.copy({"name": "Opération close", "state": "closed"})
        cls.slug = cls.env["ir.http"]._slug

    def _assert_hidden(self, operation):
        with mute_logger("odoo.http"):
            for path in (
                f"/loyalty/operations/{self.slug(operation)}",
                f"/loyalty/operations/{operation.id}/ics",
            ):
                self.assertEqual(self.url_open(path).status_code, 404, path)
        self.assertNotIn(operation.name, self.url_open("/loyalty/operations").text)

    def test_public_list_and_page(self):
        page = self.url_open("/loyalty/operations").text
        self.assertIn("Quinzaine commerciale", page)
        self.assertIn("Nocturne de Noël", page)
        response = self.url_open(f"/loyalty/operations/{self.slug(self.current)}")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        shops = tree.xpath("//ul[hasclass('o_loyalty_operation_shops')]//a/@href")
        # Its shops link to their directory pages; a shop hidden from the directory is not listed.
        self.assertIn(f"/loyalty/shops/{self.merchant.id}", shops)
        self.assertNotIn("Hidden Shop", response.text)
        self.assertIn("Deux semaines de bonus", response.text)
        self.assertIn(f"/loyalty/operations/{self.current.id}/ics", response.text)

    def test_unpublished_operations_are_hidden_from_public_and_holders(self):
        for operation in (self.draft, self.closed):
            with self.subTest(operation=operation.name, who="public"):
                self._assert_hidden(operation)
        self.authenticate("helene", "helene-password")
        for operation in (self.draft, self.closed):
            with self.subTest(operation=operation.name, who="holder"):
                self._assert_hidden(operation)
        page = self.url_open("/my/loyalty/operations").text
        self.assertNotIn("Braderie secrète", page)

    def test_holder_portal_lists_current_and_upcoming_operations(self):
        self.authenticate("helene", "helene-password")
        response = self.url_open("/my/loyalty/operations")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.text)
        current = tree.xpath("//div[hasclass('o_loyalty_current_operations')]")[0].text_content()
        upcoming = tree.xpath("//div[hasclass('o_loyalty_upcoming_operations')]")[0].text_content()
        self.assertIn("Quinzaine commerciale", current)
        self.assertIn("Nocturne de Noël", upcoming)
        self.assertNotIn("Nocturne de Noël", current)
        self.assertIn("/my/loyalty/operations", self.url_open("/my").text)

    def test_holders_have_no_rpc_access_to_operations(self):
        self.authenticate("helene", "helene-password")
        participants = self.current.merchant_ids
        for method, args, kwargs in (
            ("search_read", [[]], {"fields": ["name"]}),
            ("action_join", [[self.current.id]], {"merchant_id": self.merchant.id}),
            ("write", [[self.draft.id], {"state": "published"}], {}),
        ):
            with self.subTest(method=method), mute_logger("odoo.http"):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/loyalty.network.operation/{method}",
                        {
                            "model": "loyalty.network.operation",
                            "method": method,
                            "args": args,
                            "kwargs": kwargs,
                        },
                    )
        self.current.invalidate_recordset()
        self.assertEqual(self.current.merchant_ids, participants)
        self.assertEqual(self.draft.state, "draft")

    def test_ics_download(self):
        response = self.url_open(f"/loyalty/operations/{self.current.id}/ics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\n"))
        unfolded = body.replace("\r\n ", "")
        start = self.current.date_begin.strftime("%Y%m%dT%H%M%SZ")
        self.assertIn(f"DTSTART:{start}\r\n", unfolded)
        self.assertIn("SUMMARY:Quinzaine commerciale\r\n", unfolded)
        self.assertIn(f"URL:{self.current._get_public_url()}\r\n", unfolded)

    def test_local_dates_on_the_page(self):
        # The network's clock: 2 December 17:00 UTC is 18:00 in Annonay.
        self.upcoming.write(
            {
                "date_begin": fields.Datetime.to_datetime("2099-12-02 17:00:00"),
                "date_end": fields.Datetime.to_datetime("2099-12-02 21:00:00"),
            }
        )
        page = self.url_open(f"/loyalty/operations/{self.slug(self.upcoming)}").text
        dates = html.fromstring(page).xpath("//p[hasclass('o_loyalty_operation_dates')]")[0]
        self.assertIn("6:00", dates.text_content())
        self.assertIn("10:00", dates.text_content())

    def test_qr_codes_lead_to_the_public_pages(self):
        """The sticker's QR code opens the shop's directory page, a deal
        poster's the holder's deals (where it is reserved)."""
        deal = self.env["loyalty.network.deal"].create(
            {"name": "Galette offerte", "merchant_id": self.merchant.id, "date_to": "2099-01-31"}
        )
        Report = self.env["ir.actions.report"]
        for report, record, target in (
            (
                "annonay_loyalty.report_shop_sticker",
                self.merchant,
                f"/loyalty/shops/{self.merchant.id}",
            ),
            ("annonay_loyalty.report_deal_poster_a4", deal, "/my/loyalty/deals"),
        ):
            page = Report._render_qweb_html(report, record.ids)[0].decode()
            src = html.fromstring(page).xpath("//img[hasclass('o_loyalty_qr')]/@src")[0]
            value = parse_qs(urlparse(src).query)["value"][0]
            self.assertEqual(urlparse(value).path, target)
            self.assertTrue(value.startswith(self.merchant.get_base_url()))
        # The shop's page answers.
        self.assertEqual(self.url_open(f"/loyalty/shops/{self.merchant.id}").status_code, 200)

    def test_public_page_lists_only_published_deals(self):
        """The page reads the operation's offers as the system: a deal linked to
        a published operation but not published itself stays off the page."""
        Deal = self.env["loyalty.network.deal"]
        shown = Deal.create(
            {"name": "Galette offerte", "merchant_id": self.merchant.id, "date_to": "2099-01-31"}
        )
        hidden = Deal.create(
            {"name": "Remise secrète", "merchant_id": self.merchant.id, "date_to": "2099-01-31"}
        )
        shown.is_published = True
        hidden.is_published = False
        self.current.deal_ids = shown | hidden
        page = self.url_open(f"/loyalty/operations/{self.slug(self.current)}").text
        self.assertIn("Galette offerte", page)
        self.assertNotIn("Remise secrète", page)
