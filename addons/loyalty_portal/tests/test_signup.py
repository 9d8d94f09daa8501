from odoo.tests import tagged

from .common import LoyaltyPortalCase, LoyaltySignupMixin


@tagged("post_install", "-at_install")
class TestSignup(LoyaltySignupMixin, LoyaltyPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.newbie, cls.newbie_card = cls._holder("Nina New", "nina@example.com", "1999-09-09")

    def test_signup_sends_a_link_and_the_holder_chooses_the_password(self):
        response = self._signup(self.newbie_card.name)
        self.assertIn(self.ANSWER, response.text)
        self.assertNotIn("nina@example.com", response.text)
        user = self.newbie.user_ids
        self.assertEqual(user.login, "nina@example.com")
        self.assertTrue(user._is_portal())
        self.assertFalse(self._has_password(user))
        mail = self._link_mails(self.newbie)
        self.assertEqual(mail.email_to, "nina@example.com")
        self._choose_password(self._link_path(mail.body_html), "a-long-password")
        self.assertTrue(self._has_password(user))
        self.assertEqual(self._check_login("nina@example.com", "a-long-password"), user.id)
        self.authenticate("nina@example.com", "a-long-password")
        self.assertEqual(self.url_open("/my/loyalty").status_code, 200)

    def test_wrong_and_unknown_card_give_the_same_answer(self):
        unknown = self._signup("2990999999990")
        known = self._signup(self.newbie_card.name)
        self.assertEqual(self._answer(unknown), self._answer(known))
        self.assertIn(self.ANSWER, unknown.text)

    def test_one_account_per_holder(self):
        mails = self.env["mail.mail"].search_count([])
        response = self._signup(self.card.name)
        self.assertIn(self.ANSWER, response.text)
        self.assertEqual(self.holder.with_context(active_test=False).user_ids, self.user)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def test_attempts_are_limited_per_address_not_per_card(self):
        for _attempt in range(5):
            self.assertIn(self.ANSWER, self._signup("2990999999990", "203.0.113.5").text)
        # This address is refused, even with a real card...
        response = self._signup(self.newbie_card.name, "203.0.113.5")
        self.assertIn(self.TOO_MANY, response.text)
        self.assertFalse(self.newbie.user_ids)
        # ...while the holder, from their own connection, is not locked out.
        self.assertIn(self.ANSWER, self._signup(self.newbie_card.name, "192.0.2.44").text)
        self.assertEqual(self._link_mails(self.newbie).email_to, "nina@example.com")

    def test_blocked_card_cannot_sign_up(self):
        self.newbie_card.action_block()
        response = self._signup(self.newbie_card.name)
        self.assertIn(self.ANSWER, response.text)
        self.assertFalse(self.newbie.with_context(active_test=False).user_ids)

    def test_the_directory_links_to_the_signup(self):
        page = self.url_open("/loyalty/shops")
        self.assertEqual(page.status_code, 200)
        self.assertIn('href="/loyalty/signup"', page.text)
        form = self.url_open("/loyalty/signup")
        self.assertIn('name="csrf_token"', form.text)

    def test_staff_invitation_through_the_portal_wizard(self):
        wizard = self.env["portal.wizard"].with_context(active_ids=self.newbie.ids).create({})
        wizard.user_ids.action_grant_access()
        self.assertTrue(self.newbie.user_ids._is_portal())
        self.assertEqual(self.newbie.user_ids.group_ids, self.env.ref("base.group_portal"))
