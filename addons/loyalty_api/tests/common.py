import json

import requests

from odoo import Command
from odoo.tests import HttpCase


class LoyaltyApiCase(HttpCase):
    """Two shops with a merchant user and a till key each, holders with cards.

    Requests go through the real HTTP server with only the bearer key (no
    session cookie), as a till would send them.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "loyalty_opening_fee": 4.0,
                "loyalty_min_spend_balance": 5.0,
                "loyalty_max_operation_amount": 10000.0,
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param("loyalty_api.rate_limit_per_minute", "1000")
        cls.standard = cls.env.ref("annonay_loyalty.loyalty_network_plan_standard")
        cls.shop = cls._create_merchant("API Bakery")
        cls.other_shop = cls._create_merchant("API Butcher")
        cls.shop_user = cls._create_merchant_user("api-baker", cls.shop)
        cls.other_user = cls._create_merchant_user("api-butcher", cls.other_shop)
        cls.key = cls._make_key(cls.shop_user, cls.shop, "Till 1")
        cls.other_key = cls._make_key(cls.other_user, cls.other_shop, "Till B")
        Card = cls.env["loyalty.network.card"]
        cls.holder = cls.env["res.partner"].create({"name": "Marie Dupont"})
        cls.card = Card.create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.blocked = Card.create({})
        cls.blocked._enrol(cls.env["res.partner"].create({"name": "Blocked Holder"}), cls.shop)
        cls.blocked.action_block()
        cls.replaced = Card.create({})
        cls.replaced._enrol(cls.env["res.partner"].create({"name": "Lost Card"}), cls.shop)
        cls.replaced._replace_with(Card.create({}))
        cls.blank = Card.create({})
        # 250.00 at 4 % -> 10.00, minus the 4.00 opening fee: 6.00
        cls.env["loyalty.network.wallet"]._credit_purchase(cls.card, cls.shop, 250.0, "api:seed")

    @classmethod
    def _create_merchant(cls, name):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": cls.standard.id}
        )

    @classmethod
    def _create_merchant_user(cls, login, merchant, lang="en_US"):
        user = cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "password": f"{login}-password",
                "lang": lang,
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

    @classmethod
    def _make_key(cls, user, merchant, name):
        """A key made the way a merchant makes it: the wizard on its shop."""
        wizard = (
            cls.env["loyalty.api.key.generate"]
            .with_user(user)
            .create({"merchant_id": merchant.id, "name": name})
        )
        return wizard.action_generate()["context"]["default_key"]

    def api(self, method, path, body=None, key=None, headers=None, raw=None):
        """One request of a till: only its key, no session (nor test cookie)."""
        self.env.cr.flush()
        self.env.cr.clear()
        with self.allow_requests(all_requests=True):
            return self.raw_api(method, path, body, key, headers, raw)

    def raw_api(self, method, path, body=None, key=None, headers=None, raw=None):
        """The request itself (inside ``allow_requests``)."""
        headers = dict(headers or {})
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.key}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        return requests.request(
            method,
            f"{self.base_url()}/loyalty/api/v1{path}",
            data=data,
            headers=headers,
            timeout=30,
        )

    def assertProblem(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        problem = response.json()
        self.assertEqual(problem["code"], code)
        self.assertEqual(problem["status"], status)
        self.assertTrue(problem["title"] and problem["detail"] and problem["type"])
        self.assertNotIn("Traceback", response.text)
        return problem

    def entry_count(self):
        self.env["loyalty.network.entry"].flush_model()
        return self.env["loyalty.network.entry"].sudo().search_count([])
