import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount


class LoyaltyNetworkCustomerExport(models.TransientModel):
    """XLSX extraction of holders; a shop gets only its consenting customers."""

    _name = "loyalty.network.customer.export"
    _description = "Export Loyalty Customers"

    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        default=lambda self: self.env.user._get_loyalty_merchant(),
        help="Only this shop's customers. Association staff may leave it empty.",
    )
    channel = fields.Selection(
        [("any", "Email or SMS"), ("email", "Email"), ("sms", "SMS")],
        string="Consent",
        default="any",
        required=True,
    )
    inactive_days = fields.Integer(string="Inactive for (days)")
    is_birthday_month = fields.Boolean(string="Birthday this Month")
    min_balance = fields.Float(string="Balance at Least")

    def action_export(self):
        self.ensure_one()
        merchant = self._get_allowed_merchant()
        domain = self.env["res.partner"]._loyalty_segment_domain(
            self.channel,
            merchant=merchant,
            inactive_days=self.inactive_days,
            is_birthday_month=self.is_birthday_month,
            min_balance=self.min_balance,
        )
        holders = self.env["res.partner"].search(domain, order="name")
        content = self._build_xlsx(holders)
        self.env["loyalty.network.export.log"].sudo().create(
            {
                "user_id": self.env.uid,
                "merchant_id": merchant.id,
                "row_count": len(holders),
                "filters": self._describe_filters(),
            }
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "loyalty-customers.xlsx",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _get_allowed_merchant(self):
        if self.env.user.has_group("annonay_loyalty.annonay_loyalty_group_manager"):
            return self.merchant_id
        if not self.merchant_id:
            raise AccessError(self.env._("Choose your shop: you can export only its customers."))
        self.merchant_id._check_operator_access()
        return self.merchant_id

    def _describe_filters(self):
        parts = [f"consent={self.channel}"]
        if self.inactive_days:
            parts.append(f"inactive>{self.inactive_days}d")
        if self.is_birthday_month:
            parts.append("birthday month")
        if self.min_balance:
            minimum = format_amount(self.env, self.min_balance, self.env.company.currency_id)
            parts.append(f"balance>={minimum}")
        return ", ".join(parts)

    @api.model
    def _build_xlsx(self, holders):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("Customers")
        bold = workbook.add_format({"bold": True})
        headers = [
            "Name",
            "Card",
            "Email",
            "Mobile",
            "City",
            "Birth date",
            "Member since",
            "Last visit",
            "Balance",
            "Accepts emails",
            "Accepts SMS",
        ]
        for col, title in enumerate(headers):
            sheet.write(0, col, title, bold)
        # Rights were checked on the segment; wallet figures are read with it.
        for row, holder in enumerate(holders.sudo(), start=1):
            values = [
                holder.name,
                holder.loyalty_card_number or "",
                holder.email or "",
                holder._phone_format(fname="phone", force_format="INTERNATIONAL") or "",
                holder.city or "",
                fields.Date.to_string(holder.loyalty_birth_date) or "",
                fields.Date.to_string(holder.loyalty_member_since) or "",
                fields.Date.to_string(holder.loyalty_last_visit_date) or "",
                holder.loyalty_balance,
                "yes" if holder.loyalty_email_consent else "no",
                "yes" if holder.loyalty_sms_consent else "no",
            ]
            for col, value in enumerate(values):
                sheet.write(row, col, value)
        workbook.close()
        return output.getvalue()
