from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestFirstUseSettlement(AccountTestInvoicingCommon):
    """What a new user of the association does first with settlements."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The accountant of the test company sets the network up as association staff.
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        company = cls.env.company
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        partner = cls.env["res.partner"].create({"name": "Bakery", "is_company": True})
        cls.bakery = cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )
        holder = cls.env["res.partner"].create({"name": "Alice"})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(holder, cls.bakery)
        cls.env["loyalty.network.wallet"]._credit_purchase(
            card, cls.bakery, 250.0, "first/1", date=datetime(2026, 3, 10, 10, 0)
        )
        cls.settlement = (
            cls.env["loyalty.network.settlement"]
            ._run_period(company, date(2026, 3, 1), date(2026, 3, 31))
            .filtered(lambda s: s.merchant_id == cls.bakery)
        )

        def user(login, *groups):
            return cls.env["res.users"].create(
                {
                    "name": login.title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "group_ids": [
                        Command.set([cls.env.ref("base.group_user").id] + [g.id for g in groups])
                    ],
                }
            )

        cls.staff_user = user(
            "staff-first-use", cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager")
        )
        cls.baker_user = user(
            "baker-first-use", cls.env.ref("annonay_loyalty.annonay_loyalty_group_merchant")
        )
        cls.bakery.user_ids = cls.baker_user

    def test_staff_who_is_not_admin_sends_the_statement(self):
        staff = self.staff_user
        self.assertFalse(staff._is_admin())
        self.assertFalse(staff.has_group("account.group_account_invoice"))
        settlement = self.settlement.with_user(staff)
        self.assertEqual(settlement.net_amount, 12.5)
        settlement.action_send_statement()
        message = self.settlement.message_ids.filtered("attachment_ids")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, staff.partner_id)
        self.assertIn(self.bakery.partner_id, message.partner_ids)
        names = sorted(message.attachment_ids.mapped("name"))
        self.assertEqual(len(names), 3)
        self.assertTrue(names[0].endswith(".pdf") and names[1].endswith(".xlsx"))
        self.assertTrue(names[2].startswith("Statement "))
        # Sending gives staff no write access on the frozen amounts.
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            settlement.write({"net_amount": 0.0})
        self.assertEqual(self.settlement.net_amount, 12.5)

    def test_merchant_cannot_send_its_statement(self):
        messages = self.env["mail.message"].search_count([])
        settlement = self.settlement.with_user(self.baker_user)
        self.assertEqual(settlement.net_amount, 12.5)  # it reads it
        with self.assertRaises(AccessError):
            settlement.action_send_statement()
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertFalse(self.settlement.message_ids.filtered("attachment_ids"))

    @freeze_time("2026-11-15 10:00:00")
    def test_demo_settles_the_last_months(self):
        card = self.env["loyalty.network.card"].create({})
        card._enrol(self.env["res.partner"].create({"name": "Bob"}), self.bakery)
        self.env["loyalty.network.wallet"]._credit_purchase(
            card, self.bakery, 100.0, "first/2", date=datetime(2026, 9, 15, 10, 0)
        )
        Settlement = self.env["loyalty.network.settlement"]
        before = Settlement.search([])
        Settlement._generate_demo_settlements(3)
        new = Settlement.search([]) - before
        # August and October had no activity: September's run only
        self.assertEqual(set(new.mapped("date_from")), {date(2026, 9, 1)})
        bakery = new.filtered("merchant_id")
        self.assertEqual(bakery.merchant_id, self.bakery)
        self.assertEqual((bakery.date_to, bakery.net_amount), (date(2026, 9, 30), 5.0))
        self.assertEqual(bakery.move_id.amount_total, 5.0)
