import base64
from urllib.parse import urlencode

from odoo import api, models
from odoo.exceptions import UserError

from ..services.money_engine import NetworkRules

QR_SIZE = 300


class ReportLoyaltyNetworkShopDocument(models.AbstractModel):
    """What the documents printed for a shop share: the shop is one the user
    may read (record rules) and operate (a merchant user: only their own),
    and QR codes come from Odoo's report barcode route."""

    _name = "report.annonay_loyalty.shop_document"
    _description = "Loyalty Network Shop Document"

    _document_model = "loyalty.network.merchant"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._document_model].browse(docids)
        docs.check_access("read")
        for shop in self._get_shops(docs):
            shop._check_operator_access()
        today = NetworkRules.of(self.env.company).today()
        return {
            "doc_ids": docids,
            "doc_model": self._document_model,
            "docs": docs,
            "qr_src": self._qr_src,
            "today": today,
            "year": today.year,
            **self._get_document_values(docs),
        }

    @api.model
    def _get_shops(self, docs):
        return docs

    @api.model
    def _get_document_values(self, docs):
        return {}

    @api.model
    def _qr_src(self, url):
        """The QR code of ``url`` as the report barcode route draws it (a
        public address: nothing private in it)."""
        query = urlencode({"barcode_type": "QR", "value": url, "width": QR_SIZE, "height": QR_SIZE})
        return f"/report/barcode/?{query}"


class ReportLoyaltyNetworkShopSticker(models.AbstractModel):
    _name = "report.annonay_loyalty.report_shop_sticker"
    _inherit = "report.annonay_loyalty.shop_document"
    _description = "Loyalty Network Shop Window Sticker"


class ReportLoyaltyNetworkShopCertificate(models.AbstractModel):
    _name = "report.annonay_loyalty.report_shop_certificate"
    _inherit = "report.annonay_loyalty.shop_document"
    _description = "Loyalty Network Membership Certificate"

    @api.model
    def _get_document_values(self, docs):
        inactive = docs.filtered(lambda shop: shop.state != "active")
        if inactive:
            raise UserError(
                self.env._(
                    "%s is not an active member of the network: no membership certificate "
                    "can be printed.",
                    inactive[0].name,
                )
            )
        return {}


class ReportLoyaltyNetworkDealPosterA4(models.AbstractModel):
    _name = "report.annonay_loyalty.report_deal_poster_a4"
    _inherit = "report.annonay_loyalty.shop_document"
    _description = "Loyalty Network Deal Poster (A4)"

    _document_model = "loyalty.network.deal"

    @api.model
    def _get_shops(self, docs):
        return docs.merchant_id


class ReportLoyaltyNetworkDealPosterA5(models.AbstractModel):
    _name = "report.annonay_loyalty.report_deal_poster_a5"
    _inherit = "report.annonay_loyalty.report_deal_poster_a4"
    _description = "Loyalty Network Deal Poster (A5)"


class ReportLoyaltyNetworkEnrolmentForm(models.AbstractModel):
    _name = "report.annonay_loyalty.report_enrolment_form"
    _inherit = "report.annonay_loyalty.shop_document"
    _description = "Loyalty Network Paper Enrolment Form"

    _document_model = "loyalty.network.enrolment.form"

    @api.model
    def _get_shops(self, docs):
        return docs.merchant_id

    @api.model
    def _get_document_values(self, docs):
        """The card barcodes, drawn here and embedded in the page as image data:
        a card number never travels in an address (the report barcode route
        would put it in the URL wkhtmltopdf fetches, and in the server logs)."""
        barcodes = {}
        for form in docs:
            number = form.card_id.name
            if number:
                kind = "EAN13" if len(number) == 13 and number.isdigit() else "Code128"
                image = self.env["ir.actions.report"].barcode(
                    kind, number, width=600, height=180, quiet=1
                )
                barcodes[form.id] = "data:image/png;base64," + base64.b64encode(image).decode()
        return {"card_barcodes": barcodes}
