import io
from urllib.parse import parse_qs, urlparse

from lxml import html

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from ..services.money_engine import NetworkRules
from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestShopDocuments(LoyaltyNetworkCase, HttpCase):
    """The documents printed for a shop: each with its own shop, refused to
    another shop's merchant user (ORM, report route, JSON-RPC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.baker_user.password = "baker-password"
        cls.butcher_user.password = "butcher-password"
        cls.bakery.write({"street": "1 rue de la Fontaine", "zip": "07100", "city": "Annonay"})
        cls.deal = cls.env["loyalty.network.deal"].create(
            {
                "name": "Un croissant offert",
                "merchant_id": cls.bakery.id,
                "date_from": "2026-01-01",
                "date_to": "2099-12-31",
                "quantity": 50,
            }
        )
        cls.blank_card = cls.env["loyalty.network.card"].create({})
        cls.Report = cls.env["ir.actions.report"]

    def _render(self, report, ids, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        return Report._render_qweb_html(report, ids)[0].decode()

    def _qr_targets(self, page):
        """The values of the QR codes of a rendered page (their barcode route URL)."""
        targets = []
        for src in html.fromstring(page).xpath("//img[hasclass('o_loyalty_qr')]/@src"):
            url = urlparse(src)
            self.assertEqual(url.path, "/report/barcode/")
            query = parse_qs(url.query)
            self.assertEqual(query["barcode_type"], ["QR"])
            targets += query["value"]
        return targets

    def test_sticker_with_the_shops_qr_code(self):
        page = self._render("annonay_loyalty.report_shop_sticker", self.bakery.ids, self.baker_user)
        self.assertIn("Bakery", page)
        self.assertNotIn("Butcher", page)
        self.assertEqual(self._qr_targets(page), [self.bakery._get_public_url()])

    def test_deal_posters_with_the_reservation_qr_code(self):
        for size in ("a4", "a5"):
            page = self._render(
                f"annonay_loyalty.report_deal_poster_{size}", self.deal.ids, self.baker_user
            )
            self.assertIn("Un croissant offert", page)
            self.assertIn("Bakery", page)
            self.assertEqual(self._qr_targets(page), [self.deal._get_reservation_url()])

    def test_membership_certificate_of_the_year(self):
        page = self._render("annonay_loyalty.report_shop_certificate", self.bakery.ids)
        self.assertIn("Bakery", page)
        self.assertIn("1 rue de la Fontaine", page)
        self.assertIn(str(NetworkRules.of(self.env.company).today().year), page)
        self.butcher.state = "left"
        with self.assertRaisesRegex(UserError, "not an active member"):
            self._render("annonay_loyalty.report_shop_certificate", self.butcher.ids)

    def test_enrolment_form_with_the_card_barcode_inline(self):
        Form = self.env["loyalty.network.enrolment.form"].with_user(self.baker_user)
        form = Form.create({"card_id": self.blank_card.id})
        self.assertEqual(form.merchant_id, self.bakery)
        action = form.action_print()
        self.assertEqual(action["report_name"], "annonay_loyalty.report_enrolment_form")
        page = self._render("annonay_loyalty.report_enrolment_form", form.ids, self.baker_user)
        self.assertIn("Bakery", page)
        self.assertIn("CNIL", page)
        self.assertIn(self.blank_card.name, page)
        barcode = html.fromstring(page).xpath("//img[hasclass('o_loyalty_card_barcode')]/@src")
        self.assertTrue(barcode[0].startswith("data:image/png;base64,"))
        # The card number is never in an address.
        self.assertNotIn(f"value={self.blank_card.name}", page)
        # A shop assistant chooses a blank card; staff may have a new one issued.
        with self.assertRaisesRegex(UserError, "blank card"):
            Form.create({}).action_print()
        staff_form = self.env["loyalty.network.enrolment.form"].create(
            {"merchant_id": self.bakery.id}
        )
        staff_form.action_print()
        self.assertEqual(staff_form.card_id.state, "stock")

    def test_another_shops_merchant_user_is_refused(self):
        for report, ids in (
            ("annonay_loyalty.report_shop_sticker", self.bakery.ids),
            ("annonay_loyalty.report_shop_certificate", self.bakery.ids),
            ("annonay_loyalty.report_deal_poster_a4", self.deal.ids),
            ("annonay_loyalty.report_deal_poster_a5", self.deal.ids),
        ):
            with self.subTest(report=report), self.assertRaises(AccessError):
                self._render(report, ids, self.butcher_user)
        with self.assertRaises(AccessError):
            self.env["loyalty.network.enrolment.form"].with_user(self.butcher_user).create(
                {"merchant_id": self.bakery.id, "card_id": self.blank_card.id}
            )

    def test_report_route_refuses_another_shops_merchant_user(self):
        self.authenticate("butcher", "butcher-password")
        for path in (
            f"/report/pdf/annonay_loyalty.report_shop_sticker/{self.bakery.id}",
            f"/report/pdf/annonay_loyalty.report_shop_certificate/{self.bakery.id}",
            f"/report/pdf/annonay_loyalty.report_deal_poster_a4/{self.deal.id}",
            f"/report/html/annonay_loyalty.report_deal_poster_a5/{self.deal.id}",
        ):
            with self.subTest(path=path), mute_logger("odoo.http"):
                response = self.url_open(path)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("Bakery", response.text)
        # Its own shop prints.
        response = self.url_open(
            f"/report/pdf/annonay_loyalty.report_shop_sticker/{self.butcher.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Butcher", response.text)

    def test_enrolment_form_for_another_shop_refused_over_rpc(self):
        self.authenticate("butcher", "butcher-password")
        Form = self.env["loyalty.network.enrolment.form"]
        before = Form.search_count([])
        with mute_logger("odoo.http"), self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/loyalty.network.enrolment.form/create",
                {
                    "model": "loyalty.network.enrolment.form",
                    "method": "create",
                    "args": [{"merchant_id": self.bakery.id, "card_id": self.blank_card.id}],
                    "kwargs": {},
                },
            )
        self.assertEqual(Form.search_count([]), before)
        self.assertEqual(self.blank_card.state, "stock")

    def test_pdf_engine_renders_the_documents(self):
        # wkhtmltopdf fetches the QR codes from this test server
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        Report = self.Report.with_user(self.baker_user).with_context(force_report_rendering=True)
        for report, ids in (
            ("annonay_loyalty.report_shop_sticker", self.bakery.ids),
            ("annonay_loyalty.report_deal_poster_a5", self.deal.ids),
        ):
            with self.subTest(report=report):
                pdf, kind = Report._render_qweb_pdf(report, ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"))
                pages = PdfFileReader(io.BytesIO(pdf)).pages
                self.assertEqual(len(pages), 1)
                # the network's logo and the QR code are drawn on the page
                self.assertGreaterEqual(len(pages[0].images), 2)
