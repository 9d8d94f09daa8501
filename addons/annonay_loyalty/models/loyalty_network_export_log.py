from odoo import fields, models


class LoyaltyNetworkExportLog(models.Model):
    """Who extracted which holders, when: personal data leaves Odoo here."""

    _name = "loyalty.network.export.log"
    _description = "Loyalty Customer Export Log"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, readonly=True)
    merchant_id = fields.Many2one("loyalty.network.merchant", readonly=True)
    export_datetime = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    row_count = fields.Integer(readonly=True)
    filters = fields.Char(readonly=True)
