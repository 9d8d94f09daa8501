import base64

from odoo import api, models
from odoo.exceptions import AccessError


class ReportLoyaltyNetworkVoucher(models.AbstractModel):
    """Values of the printed vouchers (one per page, or an A4 sheet of four).

    The code is the voucher's value: it is printed for the association's staff
    and for the shop that sold the voucher (to hand it to the buyer), never for
    a shop that only took a payment from it.
    """

    _name = "report.loyalty_voucher.report_voucher"
    _description = "Printed Gift Voucher"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["loyalty.network.voucher"].browse(docids)
        docs.check_access("read")
        user = self.env.user
        if not (
            self.env.is_superuser()
            or user.has_group("annonay_loyalty.annonay_loyalty_group_manager")
        ):
            # the user's own shops and the vouchers' selling shop, read to refuse printing others'
            own = user.sudo().loyalty_merchant_ids
            if any(voucher.sudo().merchant_id not in own for voucher in docs):
                raise AccessError(
                    self.env._("Only the shop that sold a voucher can print it again.")
                )
        # Checked above: staff, or the shop that sold these vouchers.
        codes = {voucher.id: voucher.sudo().code for voucher in docs}
        # Barcodes embedded in the page: the PDF needs no request back to the server.
        Report = self.env["ir.actions.report"]

        def image(barcode_type, value, width, height):
            png = Report.barcode(barcode_type, value, width=width, height=height)
            return "data:image/png;base64," + base64.b64encode(png).decode()

        barcodes = {
            voucher_id: {
                "qr": image("QR", code, 300, 300),
                "code128": image("Code128", code, 600, 90),
            }
            for voucher_id, code in codes.items()
        }
        # The holder's name is printed on the voucher for whoever may print it.
        holders = {voucher.id: voucher.sudo().partner_id.name or "" for voucher in docs}
        return {
            "holders": holders,
            "barcodes": barcodes,
            "doc_ids": docs.ids,
            "doc_model": "loyalty.network.voucher",
            "docs": docs,
            "codes": codes,
            "format_code": lambda code: " ".join(code[i : i + 4] for i in range(0, len(code), 4)),
        }


class ReportLoyaltyNetworkVoucherSheet(models.AbstractModel):
    _name = "report.loyalty_voucher.report_voucher_sheet"
    _inherit = "report.loyalty_voucher.report_voucher"
    _description = "Printed Gift Vouchers (A4 sheet)"
