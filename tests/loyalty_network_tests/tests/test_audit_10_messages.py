"""Audit item 10: messages and fields leak nothing of other cards or shops.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAuditCustomerLinks(HttpCase):
    """Audit item 10c: a merchant sees only its own shop's link to a shared customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Merchant = cls.env["loyalty.network.merchant"]
        Partner = cls.env["res.partner"]
        cls.bakery = Merchant.create({"partner_id": Partner.create({"name": "Link Bakery"}).id})
        cls.butcher = Merchant.create({"partner_id": Partner.create({"name": "Link Butcher"}).id})
        cls.baker = cls.env["res.users"].create(
            {
                "name": "Link Baker",
                "login": "link-baker",
                "password": "link-baker-password",
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
        cls.bakery.user_ids = cls.baker
        cls.shared = Partner.create({"name": "Shared Customer"})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(cls.shared, cls.bakery)
        Wallet = cls.env["loyalty.network.wallet"]
        Wallet._credit_purchase(card, cls.butcher, 20.0, "links/1")
        Customer = cls.env["loyalty.network.customer"]
        cls.own_link = Customer.search(
            [("partner_id", "=", cls.shared.id), ("merchant_id", "=", cls.bakery.id)]
        )
        cls.other_link = Customer.search(
            [("partner_id", "=", cls.shared.id), ("merchant_id", "=", cls.butcher.id)]
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_merchant_reads_only_its_own_link_to_a_shared_customer(self):
        self.assertTrue(self.own_link and self.other_link)
        self.authenticate("link-baker", "link-baker-password")
        rows = self._call_kw("res.partner", "read", [[self.shared.id], ["loyalty_customer_ids"]])
        self.assertEqual(rows[0]["loyalty_customer_ids"], self.own_link.ids)
        rows = self._call_kw(
            "res.partner",
            "web_read",
            [[self.shared.id]],
            {"specification": {"loyalty_customer_ids": {"fields": {"merchant_id": {}}}}},
        )
        self.assertEqual(
            [link["id"] for link in rows[0]["loyalty_customer_ids"]], self.own_link.ids
        )
        rows = self._call_kw(
            "res.partner",
            "search_read",
            [[("id", "=", self.shared.id)], ["loyalty_customer_ids"]],
        )
        self.assertEqual(rows[0]["loyalty_customer_ids"], self.own_link.ids)
        # searching through the links still works for the merchant, and
        # reveals nothing of the other shop's link
        found = self._call_kw(
            "res.partner",
            "search",
            [[("loyalty_customer_ids.merchant_id", "=", self.bakery.id)]],
        )
        self.assertIn(self.shared.id, found)
        found = self._call_kw(
            "res.partner", "search", [[("loyalty_customer_ids", "in", self.other_link.ids)]]
        )
        self.assertEqual(found, [])
