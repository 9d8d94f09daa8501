import html
import re
from unittest.mock import patch
from urllib.parse import parse_qs, urlparse

from odoo import Command
from odoo.http import Request
from odoo.tests import HttpCase
from odoo.tools import config


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


class LoyaltySignupMixin:
    """Helpers to go through the sign-up as a public visitor from a given
    client address (Odoo's proxy mode, as behind the production proxy)."""

    ANSWER = "If this card can open an account, we have sent a link to the contact details"
    TOO_MANY = "Too many attempts from your connection"

    def _signup(self, card_number, address="198.51.100.10"):
        if not self.session:
            self.authenticate(None, None)  # a public visitor's session
        headers = {
            "X-Forwarded-For": address,
            "X-Forwarded-Host": urlparse(self.base_url()).netloc,
            "X-Forwarded-Proto": "http",
        }
        with patch.dict(config.options, {"proxy_mode": True}):
            return self.url_open(
                "/loyalty/signup",
                data={"csrf_token": Request.csrf_token(self), "card_number": card_number},
                headers=headers,
            )

    def _answer(self, response):
        """The page without its CSRF tokens (they change every second)."""
        self.assertEqual(response.status_code, 200)
        return re.sub(r"[0-9a-f]{40}o[0-9]+", "", response.text)

    def _link_mails(self, partner):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "res.users"), ("res_id", "in", partner.user_ids.ids)])
            .filtered(lambda m: m.subject == "Open your loyalty card account")
        )

    def _link_path(self, text):
        """The path and query of the /web/signup link in a mail or SMS body."""
        match = re.search(r"https?://[^\s\"<]+/web/signup\?[^\s\"<]+", html.unescape(text or ""))
        self.assertTrue(match, "no signup link in the message")
        url = urlparse(match.group(0))
        return f"{url.path}?{url.query}"

    def _has_password(self, user):
        self.env.cr.execute(
            "SELECT COALESCE(password, '') != '' FROM res_users WHERE id = %s", [user.id]
        )
        return self.env.cr.fetchone()[0]

    def _check_login(self, login, password):
        """The real password check (HttpCase.authenticate skips it)."""
        credential = {"login": login, "password": password, "type": "password"}
        return self.env["res.users"].authenticate(credential, {"interactive": False})["uid"]

    def _input_value(self, page, field):
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page)
        self.assertTrue(tag, f"no {field} field on the page")
        value = re.search(r'value="([^"]*)"', tag.group(0))
        return html.unescape(value.group(1)) if value else ""

    def _choose_password(self, link_path, password):
        """What the holder does with the link: Odoo's set-password page."""
        page = self.url_open(link_path)
        self.assertEqual(page.status_code, 200)
        # What the form posts: its login and name fields are filled from the token.
        login, name = (self._input_value(page.text, field) for field in ("login", "name"))
        response = self.url_open(
            "/web/signup",
            data={
                "csrf_token": Request.csrf_token(self),
                "token": parse_qs(urlparse(link_path).query)["token"][0],
                "login": login,
                "name": name,
                "password": password,
                "confirm_password": password,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("alert-danger", response.text)
        return response
