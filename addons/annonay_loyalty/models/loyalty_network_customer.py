import re

from odoo import api, fields, models
from odoo.tools import SQL

# Separators people type in a phone number: 06 12 34 56 78, 06.12.34.56.78, (0)6-12…
PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
MIN_NAME_LENGTH = 5  # a shorter name fragment never picks a holder


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
        """Create or refresh the link in one statement (it is on every credit)."""
        date = date or fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_network_customer AS c
                       (partner_id, merchant_id, first_visit_date, last_visit_date,
                        create_uid, create_date, write_uid, write_date)
                VALUES (%(partner)s, %(merchant)s, %(date)s, %(date)s,
                        %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (partner_id, merchant_id) DO UPDATE
                   SET last_visit_date = GREATEST(c.last_visit_date, EXCLUDED.last_visit_date),
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                RETURNING id
                """,
                partner=partner.id,
                merchant=merchant.id,
                date=date,
                uid=self.env.uid,
            )
        )
        customer = self.sudo().browse(self.env.cr.fetchone()[0])
        customer.invalidate_recordset()
        merchant.invalidate_recordset(["customer_ids"])
        partner.invalidate_recordset(["loyalty_customer_ids"])
        return customer

    @api.model
    def _find_holders(self, merchant, query, limit=6):
        """Holders among ``merchant``'s own customers matching a name or a phone.

        A phone is read in national or international form (06 12 34 56 78,
        0612345678, +33 6 12 34 56 78), normalised with the network's country, and
        must be a whole number: a fragment of digits never picks a holder. A name
        needs at least MIN_NAME_LENGTH characters. The caller must operate ``merchant``:
        the search runs with elevated rights, its domain carrying the ownership.
        """
        Partner = self.env["res.partner"]
        query = (query or "").strip()
        compact = PHONE_SEPARATORS.sub("", query)
        domain = [
            ("is_loyalty_holder", "=", True),
            ("loyalty_customer_ids.merchant_id", "=", merchant.id),
        ]
        if compact.lstrip("+").isdigit():
            country = merchant.company_id.country_id or self.env.company.country_id
            number = Partner._phone_format(number=compact, country=country, force_format="E164")
            if not number:
                return Partner
            domain.append(("phone_sanitized", "=", number))
        elif len(query) >= MIN_NAME_LENGTH:
            domain.append(("name", "ilike", query))
        else:
            return Partner
        return Partner.sudo().search(domain, limit=limit).sudo(False)
