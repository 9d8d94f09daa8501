from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class VoucherCase(AccountTestInvoicingCommon):
    """A network with a French chart: a bakery and a florist with a cashier each,
    the florist in the "Flowers" category."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        cls.company = cls.env.company
        cls.company.write(
            {
                "loyalty_voucher_validity_months": 12,
                "loyalty_voucher_commission_rate": 5.0,
                "loyalty_voucher_expiry_policy": "income",
                "loyalty_opening_fee": 4.0,
            }
        )
        cls.company._loyalty_voucher_ensure_accounting()
        cls.Voucher = cls.env["loyalty.network.voucher"]
        Plan = cls.env["loyalty.network.plan"]
        cls.plan = Plan.create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        Category = cls.env["loyalty.network.merchant.category"]
        cls.food = Category.create({"name": "Food (voucher tests)"})
        cls.flowers = Category.create({"name": "Flowers (voucher tests)"})
        cls.bakery = cls._merchant("Voucher Bakery", cls.food)
        cls.florist = cls._merchant("Voucher Florist", cls.flowers)
        cls.baker_user = cls._merchant_user("voucher-baker", cls.bakery)
        cls.florist_user = cls._merchant_user("voucher-florist", cls.florist)
        cls.buyer = cls.env["res.partner"].create(
            {"name": "CSE Tannerie", "is_company": True, "email": "cse@example.com"}
        )

    @classmethod
    def _merchant(cls, name, category):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": cls.plan.id, "category_id": category.id}
        )

    @classmethod
    def _merchant_user(cls, login, merchant):
        company = cls.env.company
        user = cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "password": login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                        ]
                    )
                ],
            }
        )
        merchant.user_ids = [Command.link(user.id)]
        return user

    def _sell(self, value=50.0, ref="sale-1", merchant=None, **kw):
        """A voucher sold by ``merchant`` (default: the bakery) as its user."""
        merchant = merchant or self.bakery
        user = merchant.user_ids[:1]
        entry = self.Voucher.with_user(user)._sell(merchant.with_user(user), value, ref, **kw)
        return entry.sudo().voucher_id

    def assertVoucherTies(self, voucher):
        voucher.invalidate_recordset()
        self.assertAlmostEqual(voucher.balance, sum(voucher.entry_ids.mapped("amount")), places=2)
