"""Audit item 1: merchant-written campaign text never reaches a privileged template engine.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.

Also the "French association" bug: segment domains holding dates broke the
mass mailing queue; a failing mailing never blocks the others.
"""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

LOGINS_PAYLOAD = "{{ object.env['res.users'].sudo().search([]).mapped('login') }}"
WALLET_PAYLOAD = (
    "{{ object.env['loyalty.network.wallet'].sudo().search([]).mapped('partner_id.name') }}"
    "{{ object.env['loyalty.network.wallet'].sudo().search([])[:1]._adjust(1000.0, 'x') }}"
)
QWEB_PAYLOAD = (
    "<p>Hi<t t-out=\"object.env['res.users'].sudo().search([]).mapped('login')\"/></p>"
    "<p t-out=\"object.env['res.partner'].sudo().search([]).mapped('name')\">x</p>"
)


class CampaignCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "loyalty_opening_fee": 4.0,
                "loyalty_inactivity_months": 12,
                "email": "network@example.com",
            }
        )
        Merchant = cls.env["loyalty.network.merchant"]
        Partner = cls.env["res.partner"]
        cls.bakery = Merchant.create({"partner_id": Partner.create({"name": "Crusty Bakery"}).id})
        cls.butcher = Merchant.create({"partner_id": Partner.create({"name": "Secret Butcher"}).id})
        cls.baker_user = cls._merchant_user("camp-baker", cls.bakery)
        cls.butcher_user = cls._merchant_user("camp-butcher-x7", cls.butcher)
        cls.alice = cls._holder("Alice Martin", "alice@example.com", "+33611111111", cls.bakery)
        cls.bob = cls._holder("Bob Hidden", "bob@example.com", "+33622222222", cls.butcher)
        cls.env["loyalty.network.wallet"]._credit_purchase(
            cls.alice.loyalty_card_ids, cls.bakery, 150.0, "camp/1"
        )  # 6.00 - 4.00 opening fee = 2.00
        cls.env["loyalty.network.wallet"]._credit_purchase(
            cls.bob.loyalty_card_ids, cls.butcher, 500.0, "camp/2"
        )

    @classmethod
    def _merchant_user(cls, login, merchant):
        user = cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": f"{login}-password",
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
    def _holder(cls, name, email, phone, merchant):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "email": email,
                "phone": phone,
                "loyalty_email_consent": True,
                "loyalty_sms_consent": True,
            }
        )
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, merchant)
        return partner

    def _call_kw(self, model, method, args, kwargs=None):
        """call_kw over JSON-RPC: the result, or the error's data (name and message)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        return (
            response["error"]["data"] if "error" in response else {"result": response.get("result")}
        )

    def _state(self):
        """What an attack must not change."""
        self.env.invalidate_all()
        return (
            self.env["loyalty.network.campaign"].search_count([]),
            self.env["mailing.mailing"].with_context(active_test=False).search_count([]),
            self.env["mail.mail"].search_count([]),
            self.env["sms.sms"].search_count([]),
            self.env["loyalty.network.entry"].search_count([]),
            sum(self.env["loyalty.network.wallet"].search([]).mapped("balance")),
        )

    def _run_mailing_queue(self):
        """The real sending path: the mass mailing queue job."""
        self.env.invalidate_all(flush=True)
        result = (
            self.env.ref("mass_mailing.ir_cron_mass_mailing_queue").sudo().method_direct_trigger()
        )
        self.assertIs(result, True, f"the mass mailing job failed: {result}")
        self.env.invalidate_all()

    def _mails_of(self, campaign):
        mailing = campaign.sudo().mailing_id
        return self.env["mail.mail"].search([("mailing_id", "=", mailing.id)])


@tagged("post_install", "-at_install")
class TestAuditCampaignTemplates(CampaignCase):
    def assertNothingLeaks(self, text):
        for secret in (
            "camp-butcher-x7",
            "camp-baker",
            "Bob Hidden",
            "Secret Butcher",
            "bob@example.com",
        ):
            self.assertNotIn(secret, text)

    def test_template_code_in_campaign_text_is_refused(self):
        self.authenticate("camp-baker", "camp-baker-password")
        before = self._state()
        with mute_logger("odoo.http"):
            self._attack_with_template_code()
        self.assertEqual(self._state(), before)

    def _attack_with_template_code(self):
        for vals in (
            {"channel": "email", "subject": LOGINS_PAYLOAD, "body_html": "<p>Hello</p>"},
            {"channel": "email", "subject": "Hello", "body_html": f"<p>{WALLET_PAYLOAD}</p>"},
            {"channel": "email", "subject": "Hello", "body_html": QWEB_PAYLOAD},
            {"channel": "email", "subject": "${object.name}", "body_html": "<p>Hello</p>"},
            {"channel": "sms", "body_sms": f"Hi {LOGINS_PAYLOAD}"},
            {"channel": "sms", "body_sms": "{% for u in users %}{{ u }}{% endfor %}"},
        ):
            error = self._call_kw(
                "loyalty.network.campaign", "create", [{"name": "Attack", **vals}]
            )
            self.assertEqual(error.get("name"), "odoo.exceptions.ValidationError", vals)
            self.assertIn("cannot hold template code", error["message"])
        # nor written afterwards into a harmless draft
        created = self._call_kw(
            "loyalty.network.campaign",
            "create",
            [{"name": "Harmless", "channel": "sms", "body_sms": "Hello {first_name}"}],
        )
        campaign_id = created["result"]
        error = self._call_kw(
            "loyalty.network.campaign", "write", [[campaign_id], {"body_sms": LOGINS_PAYLOAD}]
        )
        self.assertEqual(error.get("name"), "odoo.exceptions.ValidationError")
        campaign = self.env["loyalty.network.campaign"].browse(campaign_id)
        self.assertEqual(campaign.body_sms, "Hello {first_name}")
        campaign.unlink()

    def test_email_campaign_fills_placeholders_with_the_recipients_own_values(self):
        self.authenticate("camp-baker", "camp-baker-password")
        entries_before = self.env["loyalty.network.entry"].search_count([])
        created = self._call_kw(
            "loyalty.network.campaign",
            "create",
            [
                {
                    "name": "Croissant day",
                    "channel": "email",
                    "subject": "{first_name}, croissants at {shop}",
                    "body_html": "<p>Dear {name}, you have {balance}. {unknown} stays.</p>",
                }
            ],
        )
        campaign = self.env["loyalty.network.campaign"].browse(created["result"])
        self.assertEqual(campaign.merchant_id, self.bakery)
        self.assertEqual(
            self._call_kw("loyalty.network.campaign", "action_send", [[campaign.id]]),
            {"result": True},
        )
        self.assertEqual(campaign.state, "queued")
        self._run_mailing_queue()
        self.assertEqual(campaign.state, "sent")
        mail = self._mails_of(campaign)
        self.assertEqual(mail.mapped("res_id"), [self.alice.id])  # Bob is the butcher's
        self.assertEqual(mail.subject, "Alice, croissants at Crusty Bakery")
        self.assertEqual(self.alice.loyalty_balance, 2.0)
        self.assertIn("Dear Alice Martin, you have", mail.body_html)
        self.assertIn("2.00", mail.body_html)
        self.assertIn("{unknown} stays.", mail.body_html)
        self.assertNothingLeaks(mail.subject + mail.body_html)
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entries_before)

    def test_sms_campaign_fills_placeholders_and_escapes_nothing_into_code(self):
        self.authenticate("camp-baker", "camp-baker-password")
        created = self._call_kw(
            "loyalty.network.campaign",
            "create",
            [{"name": "SMS", "channel": "sms", "body_sms": "{first_name}: {balance} at {shop}"}],
        )
        campaign = self.env["loyalty.network.campaign"].browse(created["result"])
        self._call_kw("loyalty.network.campaign", "action_send", [[campaign.id]])
        self._run_mailing_queue()
        sms = self.env["sms.sms"].search([("mailing_id", "=", campaign.sudo().mailing_id.id)])
        self.assertEqual(sms.mapped("number"), ["+33611111111"])
        self.assertTrue(sms.body.startswith("Alice: "), sms.body)
        self.assertIn("2.00", sms.body)
        self.assertTrue(sms.body.endswith(" at Crusty Bakery"), sms.body)
        # sent by the mailing job, the SMS wait for the SMS queue: "sending"
        self.assertEqual(campaign.state, "sending")

    def test_template_code_reaching_a_mailing_is_sent_literally(self):
        """Even a mailing that holds template code (written by someone with
        mass mailing rights, or older than the check) is never evaluated."""
        campaign = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create({"name": "Old", "channel": "email", "subject": "Hi", "body_html": "<p>x</p>"})
        )
        campaign.action_send()
        entries_before = self.env["loyalty.network.entry"].search_count([])
        campaign.sudo().mailing_id.write(
            {
                "subject": f"{{first_name}} {LOGINS_PAYLOAD}",
                "body_html": f"<div>{QWEB_PAYLOAD}<p>{WALLET_PAYLOAD} {{first_name}}</p></div>",
            }
        )
        self._run_mailing_queue()
        mail = self._mails_of(campaign)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, f"Alice {LOGINS_PAYLOAD}")
        self.assertIn("Alice", mail.body_html)
        self.assertIn("object.env[", mail.body_html)  # shown, not run
        self.assertNothingLeaks(mail.body_html)
        self.assertEqual(self.env["loyalty.network.entry"].search_count([]), entries_before)

    def test_merchant_cannot_reach_the_mailing(self):
        campaign = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create({"name": "Mine", "channel": "sms", "body_sms": "Hello {first_name}"})
        )
        campaign.action_send()
        mailing = campaign.sudo().mailing_id
        self.authenticate("camp-baker", "camp-baker-password")
        before = (self._state(), mailing.body_plaintext, mailing.mailing_domain)
        attacks = [
            ("mailing.mailing", "write", [[mailing.id], {"body_plaintext": LOGINS_PAYLOAD}]),
            ("mailing.mailing", "write", [[mailing.id], {"mailing_domain": "[]"}]),
            ("mailing.mailing", "read", [[mailing.id], ["body_plaintext"]]),
            ("mailing.mailing", "create", [{"subject": "x", "body_plaintext": "y"}]),
            ("loyalty.network.campaign", "write", [[campaign.id], {"body_sms": "Changed"}]),
            ("loyalty.network.campaign", "write", [[campaign.id], {"mailing_id": False}]),
            ("loyalty.network.campaign", "write", [[campaign.id], {"state": "draft"}]),
            ("loyalty.network.campaign", "read", [[campaign.id], ["mailing_id"]]),
            ("loyalty.network.campaign", "action_send", [[campaign.id]]),
            (
                "loyalty.network.campaign",
                "create",
                [{"name": "x", "channel": "sms", "body_sms": "y", "mailing_id": mailing.id}],
            ),
        ]
        with mute_logger("odoo.http"):
            for model, method, args in attacks:
                error = self._call_kw(model, method, args)
                self.assertIn("name", error, f"{model}.{method} {args} was accepted")
                self.assertIn(
                    error["name"],
                    (
                        "odoo.exceptions.AccessError",
                        "odoo.exceptions.UserError",
                        "odoo.exceptions.ValidationError",
                    ),
                )
        mailing.invalidate_recordset()
        self.assertEqual((self._state(), mailing.body_plaintext, mailing.mailing_domain), before)
        self.assertEqual(campaign.state, "queued")


@tagged("post_install", "-at_install")
class TestCampaignQueue(CampaignCase):
    """Issue "French association": dated segments and a failing mailing in the queue."""

    def _inactive_campaign(self, name):
        campaign = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create(
                {
                    "name": name,
                    "channel": "email",
                    "subject": "We miss you, {first_name}",
                    "body_html": "<p>Come back to {shop}</p>",
                    "inactive_days": 30,
                }
            )
        )
        campaign.action_send()
        return campaign

    def test_dated_segments_are_literal_and_sent_by_the_queue(self):
        today = fields.Date.context_today(self.env["res.partner"])
        self.alice.loyalty_wallet_id.sudo().last_activity_date = today - timedelta(days=90)
        campaign = self._inactive_campaign("Inactive")
        domain = campaign.sudo().mailing_id.loyalty_locked_domain
        self.assertNotIn("datetime", domain)
        self.assertIn(repr(fields.Date.to_string(today - timedelta(days=30))), domain)
        forfeit = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create(
                {
                    "name": "Forfeit",
                    "channel": "sms",
                    "body_sms": "Spend {balance} soon",
                    "forfeit_within_days": 30,
                }
            )
        )
        forfeit.action_send()
        self.assertNotIn("datetime", forfeit.sudo().mailing_id.loyalty_locked_domain)
        self._run_mailing_queue()
        self.assertEqual((campaign.state, forfeit.state), ("sent", "sent"))
        mail = self._mails_of(campaign)
        self.assertEqual(mail.mapped("res_id"), [self.alice.id])
        self.assertEqual(mail.subject, "We miss you, Alice")
        self.assertFalse(campaign.sudo().mailing_id.loyalty_send_error)

    def test_a_failing_mailing_does_not_block_the_next_one(self):
        today = fields.Date.context_today(self.env["res.partner"])
        self.alice.loyalty_wallet_id.sudo().last_activity_date = today - timedelta(days=90)
        broken = self._inactive_campaign("Queued before the fix")
        # a mailing queued by the old code: its audience cannot be read back
        broken.sudo().mailing_id.sudo().write(
            {
                "loyalty_locked_domain": "[('is_loyalty_holder', '=', True), "
                "('loyalty_wallet_ids.last_activity_date', '<', datetime.date(2026, 1, 1))]"
            }
        )
        behind = self._inactive_campaign("Queued behind it")
        with mute_logger("odoo.addons.annonay_loyalty.models.mailing_mailing"):
            self._run_mailing_queue()
        self.assertEqual(behind.state, "sent")
        self.assertEqual(self._mails_of(behind).subject, "We miss you, Alice")
        self.assertEqual(broken.state, "failed")
        broken_mailing = broken.sudo().mailing_id
        self.assertEqual(broken_mailing.state, "draft")
        self.assertIn("cannot be read", broken_mailing.loyalty_send_error)
        self.assertFalse(self._mails_of(broken))
        # the next run does not pick it up again, nor fail
        self._run_mailing_queue()
        self.assertEqual(broken.state, "failed")

    def test_category_segment_count_matches_the_audience(self):
        """A merchant sees only its own link to a holder (audit 10c), yet its
        "visited shops of categories" segment counts who the job reaches."""
        butchers = self.env["loyalty.network.merchant.category"].create({"name": "Butchers"})
        self.butcher.category_id = butchers
        self.env["loyalty.network.wallet"]._credit_purchase(
            self.alice.loyalty_card_ids, self.butcher, 10.0, "camp/3"
        )
        campaign = (
            self.env["loyalty.network.campaign"]
            .with_user(self.baker_user)
            .create(
                {
                    "name": "Meat lovers",
                    "channel": "email",
                    "subject": "Hello {first_name}",
                    "body_html": "<p>Our new pies</p>",
                    "category_ids": [Command.set(butchers.ids)],
                }
            )
        )
        self.assertEqual(campaign.recipient_count, 1)
        campaign.action_send()
        self._run_mailing_queue()
        self.assertEqual(self._mails_of(campaign).mapped("res_id"), [self.alice.id])
