from odoo import Command
from odoo.tests import HttpCase


class LoyaltyPortalCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"loyalty_opening_fee": 4.0, "country_id": cls.env.ref("base.fr").id})
        Wallet = cls.env["loyalty.network.wallet"]
        shop = cls.env["res.partner"].create(
            {"name": "Tour Bakery", "is_company": True, "city": "Annonay", "zip": "07100"}
        )
        cls.merchant = cls.env["loyalty.network.merchant"].create(
            {"partner_id": shop.id, "opening_hours": "Tue-Sat 8:00-19:00"}
        )
        cls.hidden_shop = cls.env["loyalty.network.merchant"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Hidden Shop"}).id,
                "is_published": False,
            }
        )
        cls.holder, cls.card = cls._holder("Hélène Holder", "helene@example.com", "1985-06-15")
        cls.other, cls.other_card = cls._holder("Oscar Other", "oscar@example.com", "1970-01-02")
        cls.entry = Wallet._credit_purchase(cls.card, cls.merchant, 150.0, "portal/1")  # 6 - 4
        Wallet._credit_purchase(cls.card, cls.merchant, 100.0, "portal/2")  # + 4 = 6
        cls.other_entry = Wallet._credit_purchase(cls.other_card, cls.merchant, 50.0, "portal/3")
        cls.user = cls._portal_user(cls.holder, "helene")
        cls.other_user = cls._portal_user(cls.other, "oscar")

    @classmethod
    def _holder(cls, name, email, birth_date):
        partner = cls.env["res.partner"].create(
            {"name": name, "email": email, "loyalty_birth_date": birth_date}
        )
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, cls.merchant)
        return partner, card

    @classmethod
    def _portal_user(cls, partner, login):
        return cls.env["res.users"].create(
            {
                "login": login,
                "password": f"{login}-password",
                "partner_id": partner.id,
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
