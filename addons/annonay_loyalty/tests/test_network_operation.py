from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..services import icalendar
from .common import LoyaltyNetworkCase


class LoyaltyOperationCase(LoyaltyNetworkCase):
    """A Christmas market on 1-24 December 2026, from 17:00 UTC (18:00 in
    Annonay) on the first day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "contact@annonay-plus.example"
        cls.Operation = cls.env["loyalty.network.operation"]
        cls.operation = cls.Operation.create(
            {
                "name": "Marché de Noël",
                "date_begin": datetime(2026, 12, 1, 17, 0),
                "date_end": datetime(2026, 12, 24, 18, 0),
                "description": "<p>Vin chaud, chalets; ambiance, musique</p>",
                "merchant_ids": [(4, cls.butcher.id)],
            }
        )

    def _participants(self):
        self.operation.invalidate_recordset()
        return self.operation.merchant_ids


@tagged("post_install", "-at_install")
class TestNetworkOperation(LoyaltyOperationCase):
    def test_merchants_see_published_operations_only(self):
        Operation = self.Operation.with_user(self.baker_user)
        self.assertFalse(Operation.search([("id", "=", self.operation.id)]))
        with self.assertRaises(AccessError):
            self.operation.with_user(self.baker_user).read(["name"])
        self.operation.action_publish()
        self.assertEqual(Operation.search([("id", "=", self.operation.id)]), self.operation)
        with self.assertRaises(AccessError):
            self.operation.with_user(self.baker_user).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            Operation.create({"name": "x", "date_begin": "2026-12-01", "date_end": "2026-12-02"})

    @freeze_time("2026-12-10 10:00:00")
    def test_merchant_joins_and_leaves_an_open_operation_with_its_own_shop(self):
        self.operation.action_publish()
        operation = self.operation.with_user(self.baker_user)
        self.assertTrue(operation.is_open)
        self.assertFalse(operation.is_participating)
        Operation = self.Operation.with_user(self.baker_user)
        self.assertIn(self.operation, Operation.search([("is_open", "=", True)]))
        self.assertNotIn(self.operation, Operation.search([("is_open", "=", False)]))
        operation.action_join()
        self.assertEqual(self._participants(), self.bakery | self.butcher)
        operation.invalidate_recordset()
        self.assertTrue(operation.is_participating)
        # Another shop's participation is not the baker's to change.
        with self.assertRaises(AccessError):
            operation.action_leave(merchant_id=self.butcher.id)
        with self.assertRaises(AccessError):
            operation.action_join(merchant_id=self.butcher.id)
        self.assertEqual(self._participants(), self.bakery | self.butcher)
        operation.action_leave()
        self.assertEqual(self._participants(), self.butcher)

    def test_shops_join_only_while_open(self):
        # A draft is hidden from shops, and not open even for staff.
        with self.assertRaises(AccessError):
            self.operation.with_user(self.baker_user).action_join()
        with self.assertRaisesRegex(UserError, "not open"):
            self.operation.action_join(merchant_id=self.bakery.id)
        self.operation.action_publish()
        with freeze_time("2026-12-25 08:00:00"), self.assertRaisesRegex(UserError, "not open"):
            self.operation.with_user(self.baker_user).action_join()
        self.operation.action_close()
        self.assertIn(self.operation, self.Operation.search([("is_open", "=", False)]))
        with self.assertRaisesRegex(UserError, "not open"):
            self.operation.with_user(self.baker_user).action_leave()
        self.assertEqual(self._participants(), self.butcher)

    def test_only_active_shops_take_part(self):
        self.bakery.state = "suspended"
        self.operation.action_publish()
        with freeze_time("2026-12-10 10:00:00"), self.assertRaises(ValidationError):
            self.operation.action_join(merchant_id=self.bakery.id)

    def test_local_period(self):
        period = self.operation.with_context(lang="en_US")._get_local_period()
        self.assertIn("6:00", period)  # 17:00 UTC is 18:00 in Annonay in December
        start, end = self.operation._get_local_dates()
        self.assertEqual((start.hour, start.tzinfo.zone), (18, "Europe/Paris"))
        self.assertEqual(end.hour, 19)


@tagged("post_install", "-at_install")
class TestOperationReminders(LoyaltyOperationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Alice: email; Bob: SMS; Carol: both (reached by email only); Dan: none.
        cls.alice.write({"email": "alice@example.com", "loyalty_email_consent": True})
        cls.bob.write({"phone": "+33622222222", "loyalty_sms_consent": True})
        cls.carol, _card = cls._create_holder(
            "Carol",
            cls.bakery,
            email="carol@example.com",
            phone="+33633333333",
            loyalty_email_consent=True,
            loyalty_sms_consent=True,
        )
        cls.dan, _card = cls._create_holder(
            "Dan", cls.bakery, email="dan@example.com", phone="+33644444444"
        )
        cls.operation.action_publish()

    def _recipients(self, channel):
        campaign = self.operation.reminder_campaign_ids.filtered(lambda c: c.channel == channel)
        self.assertEqual(len(campaign), 1)
        mailing = campaign.mailing_id
        return self.env["res.partner"].search(mailing._get_recipients_domain())

    def test_reminder_reaches_consenting_holders_once_when_the_operation_starts(self):
        ours = self.alice | self.bob | self.carol | self.dan
        # The day before, and on the day before 8:00 in Annonay: nothing yet.
        for moment in ("2026-11-30 12:00:00", "2026-12-01 06:30:00"):
            with freeze_time(moment):
                self.Operation._cron_send_start_reminders()
            self.assertFalse(self.operation.reminder_campaign_ids)
            self.assertFalse(self.operation.reminder_date)
        with freeze_time("2026-12-01 07:30:00"):  # 8:30 in Annonay
            self.Operation._cron_send_start_reminders()
        self.assertTrue(self.operation.reminder_date)
        self.assertEqual(self._recipients("email") & ours, self.alice | self.carol)
        self.assertEqual(self._recipients("sms") & ours, self.bob)
        campaigns = self.operation.reminder_campaign_ids
        self.assertEqual(set(campaigns.mapped("state")), {"queued"})
        # Sent once: later runs and the staff button change nothing.
        with freeze_time("2026-12-02 09:00:00"):
            self.Operation._cron_send_start_reminders()
            self.operation.action_send_reminder()
        self.assertEqual(self.operation.reminder_campaign_ids, campaigns)
        # The mass mailing sends the email to the consenting holders only.
        mailing = campaigns.filtered(lambda c: c.channel == "email").mailing_id
        # (the link tracker would fetch the page's title: not in tests)
        with patch.object(
            self.registry["link.tracker"], "_get_title_from_url", return_value="Marché de Noël"
        ):
            mailing.action_send_mail()
        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(
            self.env["res.partner"].browse(traces.mapped("res_id")) & ours, self.alice | self.carol
        )
        body = mailing._render_field("body_html", self.alice.ids)[self.alice.id]
        self.assertIn("Hello Alice,", body)
        self.assertIn("Marché de Noël", mailing.subject)

    def test_withdrawn_consent_is_enforced_when_the_mailing_is_sent(self):
        with freeze_time("2026-12-01 09:00:00"):
            self.Operation._cron_send_start_reminders()
        self.carol.loyalty_email_consent = False
        self.assertNotIn(self.carol, self._recipients("email"))

    def test_merchants_cannot_remind_holders(self):
        with self.assertRaises(AccessError):
            self.operation.with_user(self.baker_user).action_send_reminder()
        with self.assertRaises(AccessError):
            self.env["loyalty.network.campaign"].with_user(self.baker_user).create(
                {"name": "x", "channel": "sms", "body_sms": "x", "operation_id": self.operation.id}
            )
        self.assertFalse(self.operation.reminder_campaign_ids)


@tagged("post_install", "-at_install")
class TestOperationCalendar(LoyaltyOperationCase):
    @freeze_time("2026-11-20 10:00:00")
    def test_ics_content(self):
        self.operation.description = (
            "<p>" + "Vin chaud, chalets; ambiance \\ musique. " * 5 + "</p>"
        )
        ics = self.operation._get_ics()
        self.assertTrue(ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        self.assertTrue(ics.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        self.assertNotIn("\n", ics.replace("\r\n", ""))
        for line in ics.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, line)
        unfolded = ics.replace("\r\n ", "")
        lines = unfolded.split("\r\n")
        self.assertIn(f"UID:loyalty-operation-{self.operation.id}@", unfolded)
        self.assertIn("DTSTAMP:20261120T100000Z", lines)
        self.assertIn("DTSTART:20261201T170000Z", lines)
        self.assertIn("DTEND:20261224T180000Z", lines)
        self.assertIn("SUMMARY:Marché de Noël", lines)
        self.assertIn("Vin chaud\\, chalets\\; ambiance \\\\ musique.", unfolded)
        self.assertEqual(lines.count("BEGIN:VEVENT"), 1)

    def test_folding_keeps_characters_whole(self):
        line = "SUMMARY:" + "é" * 100
        folded = icalendar.fold_line(line)
        for part in folded.split("\r\n"):
            self.assertLessEqual(len(part.encode()), 75)
        self.assertEqual(folded.replace("\r\n ", ""), line)
        self.assertEqual(icalendar.escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne")


@tagged("post_install", "-at_install")
class TestOperationRpc(LoyaltyOperationCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.baker_user.password = "baker"  # start_tour logs in with the login as password
        # Open now (the HTTP server runs on the real clock).
        now = fields.Datetime.now()
        cls.operation.write(
            {"date_begin": now - timedelta(days=1), "date_end": now + timedelta(days=10)}
        )
        cls.operation.action_publish()

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_merchant_cannot_change_another_shops_participation_over_rpc(self):
        self.authenticate("baker", "baker")
        Model = "loyalty.network.operation"
        attacks = [
            ("action_leave", [[self.operation.id]], {"merchant_id": self.butcher.id}),
            ("action_join", [[self.operation.id]], {"merchant_id": self.butcher.id}),
            ("write", [[self.operation.id], {"merchant_ids": [(5, 0, 0)]}], {}),
            ("write", [[self.operation.id], {"state": "draft"}], {}),
        ]
        for method, args, kwargs in attacks:
            with self.subTest(method=method), mute_logger("odoo.http"):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self._call_kw(Model, method, args, kwargs)
            self.assertEqual(self._participants(), self.butcher)
            self.assertEqual(self.operation.state, "published")
        # Its own shop: allowed.
        self._call_kw(Model, "action_join", [[self.operation.id]])
        self.assertEqual(self._participants(), self.bakery | self.butcher)

    def test_merchant_joins_in_the_browser(self):
        self.start_tour(
            "/odoo/action-annonay_loyalty.loyalty_network_operation_action",
            "annonay_loyalty_operation_join_tour",
            login="baker",
        )
        self.assertEqual(self._participants(), self.bakery | self.butcher)
