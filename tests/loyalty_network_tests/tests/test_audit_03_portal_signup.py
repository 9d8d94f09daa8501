"""Audit item 3: portal sign-up cannot take over a holder's account.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.

The client address is set as behind the production proxy: Odoo's proxy mode
on and an X-Forwarded-For header (the way Odoo's own test_http tests fake an
address); without proxy mode every test request comes from 127.0.0.1.
"""

import random
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessDenied
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.annonay_loyalty.tests.common import RETRYABLE, RealTransactionCase
from odoo.addons.loyalty_portal.tests.common import LoyaltyPortalCase, LoyaltySignupMixin


@tagged("post_install", "-at_install")
class TestAudit03PortalSignup(LoyaltySignupMixin, LoyaltyPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.victim, cls.victim_card = cls._holder("Vera Victim", "vera@example.com", "1990-03-04")
        cls.victim.phone = "+33 6 12 34 56 78"
        cls.sms_only, cls.sms_card = cls._holder("Sam Smsonly", False, "1980-01-01")
        cls.sms_only.phone = "+33 6 98 76 54 32"
        cls.no_contact, cls.no_contact_card = cls._holder("Nora Nocontact", False, "1975-05-05")
        cls.blocked, cls.blocked_card = cls._holder("Bob Blocked", "bob@example.com", "1960-06-06")
        cls.blocked_card.action_block()

    def _users_and_mails(self):
        return (
            self.env["res.users"].with_context(active_test=False).search_count([]),
            self.env["mail.mail"].search_count([]),
            self.env["sms.sms"].search_count([]),
        )

    def _is_signed_in(self):
        response = self.url_open("/my/loyalty", allow_redirects=False)
        return response.status_code == 200

    # (a) card number alone gives the attacker nothing usable
    def test_attacker_with_card_number_gets_no_usable_account(self):
        response = self._signup(self.victim_card.name, "203.0.113.66")
        self.assertIn(self.ANSWER, response.text)
        for contact in ("vera@example.com", "+33 6 12 34 56 78", "612345678", "Vera Victim"):
            self.assertNotIn(contact, response.text)
        user = self.victim.user_ids
        self.assertTrue(user._is_portal())
        self.assertFalse(self._has_password(user), "no password before the holder chose one")
        self.assertFalse(self._is_signed_in(), "the attacker's session is still anonymous")
        # The login (the email on file) opens with no password the attacker could give.
        for password in ("attacker-pass", "", "1990-03-04"):
            with self.assertRaises(AccessDenied):
                self._check_login("vera@example.com", password)
        # The link goes to the address on file, and only there.
        mail = self._link_mails(self.victim)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "vera@example.com")
        self.assertFalse(mail.recipient_ids)
        # The real holder follows the link, chooses a password and is signed in.
        self._choose_password(self._link_path(mail.body_html), "vera-own-password")
        self.assertTrue(self._has_password(user))
        self.assertTrue(self._is_signed_in())
        self.assertEqual(self._check_login("vera@example.com", "vera-own-password"), user.id)

    def test_signup_post_keeps_csrf(self):
        self.authenticate(None, None)
        before = self._users_and_mails()
        response = self.url_open("/loyalty/signup", data={"card_number": self.victim_card.name})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._users_and_mails(), before)
        self.assertFalse(self.victim.user_ids)

    # (b) every failure gives the same page, creates nothing, sends nothing
    def test_failures_are_indistinguishable_and_change_nothing(self):
        before = self._users_and_mails()
        answers = {
            "unknown": self._answer(self._signup("2990999999990", "192.0.2.1")),
            "blocked": self._answer(self._signup(self.blocked_card.name, "192.0.2.2")),
            "has account": self._answer(self._signup(self.card.name, "192.0.2.3")),
            "no contact": self._answer(self._signup(self.no_contact_card.name, "192.0.2.4")),
            "garbage": self._answer(self._signup("<script>'; --", "192.0.2.5")),
        }
        self.assertEqual(self._users_and_mails(), before)
        self.assertFalse(self.blocked.with_context(active_test=False).user_ids)
        self.assertFalse(self.no_contact.with_context(active_test=False).user_ids)
        self.assertEqual(self.holder.with_context(active_test=False).user_ids, self.user)
        # ...and the very same page as a card that did get a link.
        answers["sent"] = self._answer(self._signup(self.victim_card.name, "192.0.2.6"))
        self.assertEqual(len(set(answers.values())), 1, answers.keys())
        self.assertIn(self.ANSWER, answers["sent"])
        self.assertNotIn("helene@example.com", answers["has account"])

    def test_login_already_taken_gives_the_same_answer(self):
        # Another person's account already uses the victim's email as login.
        self._portal_user(self.other, "vera@example.com")
        before = self._users_and_mails()
        response = self._signup(self.victim_card.name, "192.0.2.7")
        self.assertIn(self.ANSWER, response.text)
        self.assertEqual(self._answer(response), self._answer(self._signup("2990999999990")))
        self.assertEqual(self._users_and_mails(), before)
        self.assertFalse(self.victim.with_context(active_test=False).user_ids)

    def test_holder_without_email_gets_the_link_by_sms(self):
        response = self._signup(self.sms_card.name)
        self.assertIn(self.ANSWER, response.text)
        self.assertNotIn("98 76", response.text)
        user = self.sms_only.user_ids
        self.assertEqual(user.login, "+33698765432")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.sms_only.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+33698765432")
        self._choose_password(self._link_path(sms.body), "sam-own-password")
        self.assertTrue(self._is_signed_in())
        self.assertEqual(self._check_login("+33698765432", "sam-own-password"), user.id)
        # (e) told by SMS that the account is active
        notices = self.env["sms.sms"].search([("partner_id", "=", self.sms_only.id)]) - sms
        self.assertEqual(len(notices), 1)
        self.assertIn("account is now active", notices.body)
        # (e) a phone change is told by SMS to the phone on file before it
        self.sms_only.phone = "+33 6 00 00 00 01"
        notice = self.env["sms.sms"].search([("partner_id", "=", self.sms_only.id)])
        notice -= sms | notices
        self.assertEqual(notice.number, "+33698765432")
        self.assertIn("your phone number changed", notice.body)

    # (c) the attacker's address is locked, not the card
    def test_address_limit_locks_the_attacker_not_the_holder(self):
        attacker = "203.0.113.9"
        for guess in range(5):
            self.assertIn(self.ANSWER, self._signup(f"299099999999{guess}", attacker).text)
        before = self._users_and_mails()
        refused = self._signup(self.victim_card.name, attacker)
        self.assertIn(self.TOO_MANY, refused.text)
        self.assertNotIn(self.ANSWER, refused.text)
        self.assertEqual(self._users_and_mails(), before)
        # Another address of the attacker's IPv6 /64 is the same address.
        for _attempt in range(5):
            self._signup("2990999999990", "2001:db8:1:2::a")
        self.assertIn(self.TOO_MANY, self._signup(self.victim_card.name, "2001:db8:1:2::b").text)
        # The real holder, from home, still gets a link.
        self.assertIn(self.ANSWER, self._signup(self.victim_card.name, "192.0.2.200").text)
        self.assertEqual(self._link_mails(self.victim).email_to, "vera@example.com")

    def test_links_to_one_holder_are_capped_without_locking_them_out(self):
        for index in range(5):
            self._signup(self.victim_card.name, f"198.51.100.{index + 1}")
        mails = self._link_mails(self.victim)
        self.assertEqual(len(mails), 3)
        # Each link sent is valid: the holder is not locked out.
        self._choose_password(self._link_path(mails[0].body_html), "vera-own-password")
        self.assertTrue(self._is_signed_in())
        user = self.victim.user_ids
        self.assertEqual(self._check_login("vera@example.com", "vera-own-password"), user.id)

    # (e) notifications: activation, contact changes
    def test_holder_is_told_of_activation_and_contact_changes(self):
        self._signup(self.victim_card.name)
        link = self._link_path(self._link_mails(self.victim).body_html)
        self._choose_password(link, "vera-own-password")
        activated = self.env["mail.mail"].search(
            [("subject", "=", "Your loyalty card account is active")]
        )
        self.assertEqual(activated.email_to, "vera@example.com")

        def changed_notices():
            return self.env["mail.mail"].search(
                [("subject", "=", "The contact details of your loyalty card account changed")]
            )

        # The holder changes the phone on the portal: told on the email on file.
        self.authenticate("vera@example.com", "vera-own-password")
        response = self.url_open(
            "/my/loyalty/preferences",
            data={"csrf_token": self.csrf_token(), "phone": "+33 6 11 11 11 11"},
        )
        self.assertEqual(response.status_code, 200)
        notice = changed_notices()
        self.assertEqual(notice.email_to, "vera@example.com")
        self.assertIn("phone number", notice.body_html)
        # The email is changed (e.g. by someone at a till): the OLD address is told.
        self.victim.email = "attacker@example.com"
        notice = changed_notices() - notice
        self.assertEqual(notice.email_to, "vera@example.com")
        self.assertIn("email", notice.body_html)
        # The login is changed: told too.
        self.victim.user_ids.login = "someone-else"
        self.assertEqual(len(changed_notices()), 3)
        # A holder without account, or a change that changes nothing, is not notified.
        self.victim.email = "attacker@example.com"
        self.no_contact.email = "nora@example.com"
        self.assertEqual(len(changed_notices()), 3)

    def csrf_token(self):
        return Request.csrf_token(self)


@tagged("post_install", "-at_install")
class TestAudit03SignupBurst(RealTransactionCase):
    """(d) A parallel burst from one address: each attempt in its own
    transaction and connection, started together after each took its
    snapshot (as a request does while routing), and retried on serialization
    failures as Odoo's HTTP layer does. Exactly the limit is accepted."""

    @mute_logger("odoo.sql_db")  # serialization failures are retried, as Odoo's HTTP does
    def test_parallel_burst_from_one_address_accepts_exactly_the_limit(self):
        model = "loyalty.network.signup.attempt"
        prefix = f"2001:db8:{self.run_id[:4]}:{self.run_id[4:]}"
        burst = 12
        barrier = threading.Barrier(burst)
        results, errors, retries = [], [], []

        def attempt(index):
            try:
                with self._cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    for tryno in range(40):
                        try:
                            cr.execute("SELECT count(*) FROM loyalty_network_signup_attempt")
                            if tryno == 0:
                                barrier.wait(timeout=30)
                            accepted = env[model]._register_address_attempt(
                                f"{prefix}::{index + 1:x}"
                            )
                            cr.commit()
                            results.append(accepted)
                            return
                        except RETRYABLE:
                            cr.rollback()
                            retries.append(index)
                            time.sleep(random.uniform(0, 0.01 * (tryno + 1)))
                    errors.append(f"attempt {index} never committed")
            except Exception as error:  # reported by the main thread
                errors.append(repr(error))

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(burst)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        limit = self.env[model].MAX_ATTEMPTS_PER_ADDRESS
        self.assertEqual(len(results), burst)
        self.assertEqual(results.count(True), limit)
        self.assertEqual(results.count(False), burst - limit)
        counter = self._run(
            lambda env: env[model]
            .search([("counter_key", "=", f"address:{env[model]._address_key(prefix + '::1')}")])
            .read(["hit_count"])
        )
        self.assertEqual(counter, [{"id": counter[0]["id"], "hit_count": burst}])
