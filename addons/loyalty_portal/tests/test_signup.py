from odoo.http import Request
from odoo.tests import tagged

from .common import LoyaltyPortalCase

GENERIC = "We could not open an account with these details"


@tagged("post_install", "-at_install")
class TestSignup(LoyaltyPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.newbie, cls.newbie_card = cls._holder("Nina New", "nina@example.com", "1999-09-09")

    def _signup(self, **values):
        if not self.session:
            self.authenticate(None, None)  # a public visitor's session
        values.setdefault("password", "a-long-password")
        return self.url_open(
            "/loyalty/signup", data={"csrf_token": Request.csrf_token(self), **values}
        )

    def test_signup_with_card_and_birth_date(self):
        response = self._signup(card_number=self.newbie_card.name, birth_date="1999-09-09")
        self.assertIn("Your account is open", response.text)
        user = self.newbie.user_ids
        self.assertEqual(user.login, "nina@example.com")
        self.assertTrue(user._is_portal())
        self.authenticate("nina@example.com", "a-long-password")
        self.assertEqual(self.url_open("/my/loyalty").status_code, 200)

    def test_wrong_fact_and_unknown_card_give_the_same_answer(self):
        wrong = self._signup(card_number=self.newbie_card.name, birth_date="2000-01-01")
        unknown = self._signup(card_number="2990999999990", birth_date="1999-09-09")
        self.assertIn(GENERIC, wrong.text)
        self.assertIn(GENERIC, unknown.text)
        self.assertFalse(self.newbie.user_ids)

    def test_one_account_per_holder(self):
        response = self._signup(card_number=self.card.name, email="helene@example.com")
        self.assertIn(GENERIC, response.text)
        self.assertEqual(len(self.holder.user_ids), 1)

    def test_failures_are_rate_limited(self):
        for _attempt in range(3):
            self._signup(card_number=self.newbie_card.name, birth_date="2000-01-01")
        # Even the right details are refused while the card is locked out.
        response = self._signup(card_number=self.newbie_card.name, birth_date="1999-09-09")
        self.assertIn("Too many attempts", response.text)
        self.assertFalse(self.newbie.user_ids)

    def test_blocked_card_cannot_sign_up(self):
        self.newbie_card.action_block()
        response = self._signup(card_number=self.newbie_card.name, email="nina@example.com")
        self.assertIn(GENERIC, response.text)

    def test_staff_invitation_through_the_portal_wizard(self):
        wizard = self.env["portal.wizard"].with_context(active_ids=self.newbie.ids).create({})
        wizard.user_ids.action_grant_access()
        self.assertTrue(self.newbie.user_ids._is_portal())
        self.assertEqual(self.newbie.user_ids.group_ids, self.env.ref("base.group_portal"))
