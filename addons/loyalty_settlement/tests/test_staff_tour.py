from datetime import date, datetime

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# The modules whose French terms stored in the database the tour reads (menus,
# views, fields, the mail template); Odoo's interface terms (chatter, search
# bar) come from the web client's translations, read from the .po files.
FRENCH_MODULES = ["base", "web", "mail", "account", "annonay_loyalty", "loyalty_settlement"]


@tagged("post_install", "-at_install")
class TestStaffTour(AccountTestInvoicingCommon, HttpCase):
    """The association's staff, in French: the yearly table, then a merchant's
    settlement statement sent from its settlement."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        # Other addons of the suite may change these screens (loyalty_sepa: the email)
        cls.env["ir.module.module"].search(
            [
                ("state", "=", "installed"),
                "|",
                ("name", "in", FRENCH_MODULES),
                ("name", "=like", "loyalty\\_%"),
            ]
        )._update_translations("fr_FR")
        # The accountant of the test company sets the network up as association staff.
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        company = cls.env.company
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        partner = cls.env["res.partner"].create(
            {"name": "Boulangerie du Tour", "is_company": True, "email": "boulangerie@example.com"}
        )
        cls.bakery = cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )
        holder = cls.env["res.partner"].create({"name": "Camille Tour"})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(holder, cls.bakery)
        Wallet = cls.env["loyalty.network.wallet"]
        # December of last year, settled: always a period that is over
        cls.year = fields.Datetime.now().year
        last_december = (date(cls.year - 1, 12, 1), date(cls.year - 1, 12, 31))
        Wallet._credit_purchase(
            card, cls.bakery, 250.0, "tour/1", date=datetime(cls.year - 1, 12, 10, 10, 0)
        )
        cls.settlement = (
            cls.env["loyalty.network.settlement"]
            ._run_period(company, *last_december)
            .filtered(lambda s: s.merchant_id == cls.bakery)
        )
        # This year's activity, for the yearly table (not settled yet)
        Wallet._credit_purchase(card, cls.bakery, 200.0, "tour/2")
        cls.env["loyalty.network.statistics"]._refresh()
        cls.staff_user = cls.env["res.users"].create(
            {
                "name": "Agnès Équipe",
                "login": "staff-tour",
                "password": "staff-tour",  # start_tour logs in with the login as password
                "email": "agnes@example.com",
                "lang": "fr_FR",
                "tz": "Europe/Paris",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id,
                        ]
                    )
                ],
            }
        )

    def test_staff_tour_in_french(self):
        staff = self.staff_user
        # Association staff only: no accounting rights are needed to send a statement.
        self.assertFalse(staff.has_group("account.group_account_invoice"))
        self.assertEqual(self.settlement.net_amount, 12.5)
        self.assertFalse(self.settlement.message_ids.filtered("attachment_ids"))
        # What the tour reads in the yearly table: this year's network row
        network_rows = self.env["loyalty.network.statistics.year"].search(
            [("company_id", "=", self.env.company.id), ("merchant_id", "=", False)]
        )
        self.assertEqual(
            sorted(network_rows.mapped(lambda r: (r.year, r.turnover, r.visits))),
            [(self.year - 1, 250.0, 1), (self.year, 200.0, 1)],
        )

        self.start_tour(
            "/odoo/action-annonay_loyalty.loyalty_network_statistics_year_action",
            "loyalty_settlement_staff_tour",
            login="staff-tour",
        )

        message = self.settlement.message_ids.filtered("attachment_ids")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, staff.partner_id)
        self.assertIn(self.bakery.partner_id, message.partner_ids)
        # The mail template and the statement, in the staff's French
        self.assertEqual(
            message.subject, f"Relevé de compensation carte de fidélité {self.settlement.name}"
        )
        self.assertIn(
            "Voici la compensation carte de fidélité de Boulangerie du Tour", message.body
        )
        self.assertIn("(à régler par votre commerce)", message.body)
        self.assertIn("12,50", message.body)
        name = self.settlement.name.replace("/", "-")
        attachments = {a.name: a for a in message.attachment_ids}
        self.assertEqual(
            sorted(attachments),
            sorted(
                [
                    f"Relevé {name}.pdf",
                    f"{name}.xlsx",
                    f"{self.settlement.move_id.name.replace('/', '-')}.pdf",
                ]
            ),
        )
        # Without wkhtmltopdf, tests render reports as HTML: the statement's text
        statement = attachments[f"Relevé {name}.pdf"].raw.decode()
        for sentence in (
            "Contributions sur les achats avec la carte",
            "dont épargne offerte aux porteurs",
            "dont commission réseau",
            "Avoirs consommés dans votre commerce",
            "Net à régler par le commerçant",
            "Le détail figure dans le tableur joint.",
        ):
            self.assertIn(sentence, statement)
        for sentence in ("Contributions on purchases", "Net owed by the shop"):
            self.assertNotIn(sentence, statement)
