from odoo import api, fields, models


class LoyaltyNetworkCustomer(models.Model):
    """A holder known to a merchant: enrolled there or served there once.

    Merchants see holders (and may contact those who consented) only through
    this link, which the wallet maintains on every earning or spending.
    """

    _name = "loyalty.network.customer"
    _description = "Loyalty Network Merchant Customer"
    _order = "last_visit_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, index=True, ondelete="cascade"
    )
    merchant_id = fields.Many2one(
        "loyalty.network.merchant", required=True, index=True, ondelete="cascade"
    )
    first_visit_date = fields.Datetime(required=True, default=fields.Datetime.now)
    last_visit_date = fields.Datetime()

    _partner_merchant_unique = models.Constraint(
        "UNIQUE(partner_id, merchant_id)", "This holder is already a customer of this merchant."
    )

    @api.model
    def _register_visit(self, partner, merchant, date=None):
        """Create or refresh the link; callers hold the holder's wallet lock."""
        date = date or fields.Datetime.now()
        customer = self.sudo().search(
            [("partner_id", "=", partner.id), ("merchant_id", "=", merchant.id)], limit=1
        )
        if not customer:
            return self.sudo().create(
                {
                    "partner_id": partner.id,
                    "merchant_id": merchant.id,
                    "first_visit_date": date,
                    "last_visit_date": date,
                }
            )
        if not customer.last_visit_date or customer.last_visit_date < date:
            customer.last_visit_date = date
        return customer
