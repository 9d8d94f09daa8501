import base64
from datetime import date, datetime, timedelta

from lxml import etree

from odoo import Command
from odoo.tools import file_open

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

IBANS = {
    "network": "FR7630006000011234567890189",
    "Bakery": "FR7630004000031234567890143",
    "Florist": "FR1420041010050500013M02606",
    "Butcher": "FR2010107001180002345678901",
}
SIRETS = {"Bakery": "55210055400013", "Florist": "44306184100047", "Butcher": "73282932000074"}
XSD = {
    "pain.008.001.02": "account_banking_sepa_direct_debit/data/pain.008.001.02.xsd",
    "pain.001.001.09": "account_banking_sepa_credit_transfer/data/pain.001.001.09.xsd",
}


class LoyaltySepaCase(AccountTestInvoicingCommon):
    """A network of three shops with their agreements: in March the bakery and
    the florist owe (25.00 and 5.00), the butcher is owed (6.25)."""

    chart_template = "fr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            Command.link(cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id),
            Command.link(cls.env.ref("account_payment_order.group_account_payment").id),
        ]
        company = cls.env.company
        company.write(
            {
                "loyalty_tz": "Europe/Paris",
                "loyalty_opening_fee": 0.0,
                "sepa_creditor_identifier": "FR78ZZZ424242",
            }
        )
        # pain.001.001.09 wants the town of both parties (structured addresses)
        cls.annonay = {"zip": "07100", "city": "Annonay", "country_id": cls.env.ref("base.fr").id}
        company.partner_id.write(cls.annonay)
        cls.bank = cls.env["res.bank"].create({"name": "Banque de Savoie", "bic": "BSAVFR2CXXX"})
        cls.network_iban = cls.env["res.partner.bank"].create(
            {
                "acc_number": IBANS["network"],
                "partner_id": company.partner_id.id,
                "bank_id": cls.bank.id,
            }
        )
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_journal.bank_account_id = cls.network_iban
        Plan = cls.env["loyalty.network.plan"]
        cls.standard = Plan.create(
            {"name": "Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        cls.reduced = Plan.create(
            {"name": "Reduced", "cardholder_rate": 2.0, "network_fee_rate": 1.0}
        )
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.Settlement = cls.env["loyalty.network.settlement"]
        cls.Membership = cls.env["loyalty.network.membership"]
        cls.bakery = cls._merchant("Bakery", cls.standard)
        cls.florist = cls._merchant("Florist", cls.standard)
        cls.butcher = cls._merchant("Butcher", cls.reduced)
        cls.membership = {m: cls._membership(m) for m in (cls.bakery, cls.florist, cls.butcher)}
        cls.alice, cls.alice_card = cls._holder("Alice")
        cls.bob, cls.bob_card = cls._holder("Bob")

    @classmethod
    def _merchant(cls, name, plan):
        partner = cls.env["res.partner"].create({"name": name, "is_company": True, **cls.annonay})
        return cls.env["loyalty.network.merchant"].create(
            {"partner_id": partner.id, "plan_id": plan.id}
        )

    @classmethod
    def _membership(cls, merchant):
        name = merchant.name
        bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": IBANS[name],
                "partner_id": merchant.partner_id.id,
                "bank_id": cls.bank.id,
            }
        )
        mandate = cls.env["account.banking.mandate"].create(
            {
                "format": "sepa",
                "type": "recurrent",
                "recurrent_sequence_type": "first",
                "scheme": "CORE",
                "signature_date": date(2026, 1, 15),
                "partner_bank_id": bank.id,
                "company_id": cls.env.company.id,
                "unique_mandate_reference": f"ANN-{name.upper()}",
            }
        )
        mandate.validate()
        membership = cls.env["loyalty.network.membership"].create(
            {
                "merchant_id": merchant.id,
                "plan_id": merchant.plan_id.id,
                "date_start": date(2026, 1, 1),
                "siret": SIRETS[name],
                "partner_bank_id": bank.id,
                "mandate_id": mandate.id,
            }
        )
        membership.action_activate()
        return membership

    @classmethod
    def _holder(cls, name):
        partner = cls.env["res.partner"].create({"name": name})
        card = cls.env["loyalty.network.card"].create({})
        card._enrol(partner, cls.bakery)
        return partner, card

    def _activity(self, month=3, tag="m"):
        W, day = self.Wallet, datetime(2026, month, 10, 10, 0)
        W._credit_purchase(self.bob_card, self.bakery, 250.0, f"{tag}/1", date=day)  # 12.50
        W._credit_purchase(self.alice_card, self.bakery, 250.0, f"{tag}/2", date=day)  # 12.50
        W._credit_purchase(self.bob_card, self.florist, 100.0, f"{tag}/3", date=day)  # 5.00
        W._credit_purchase(self.alice_card, self.butcher, 125.0, f"{tag}/4", date=day)  # 3.75
        W._spend(self.alice_card, self.butcher, 10.0, f"{tag}/5", date=day)  # -10.00

    def _settle(self, month=3):
        date_from = date(2026, month, 1)
        date_to = date(2026, month + 1, 1) - timedelta(days=1)
        return self.Settlement._run_period(self.env.company, date_from, date_to)

    def _of(self, settlements, merchant):
        return settlements.filtered(lambda s: s.merchant_id == merchant)

    @staticmethod
    def _file(order):
        attachment = order.env["ir.attachment"].search(
            [("res_model", "=", "account.payment.order"), ("res_id", "=", order.id)]
        )
        return base64.b64decode(attachment.datas)

    def _assert_xsd_valid(self, xml_bytes, version):
        with file_open(XSD[version], "rb") as xsd_file:
            schema = etree.XMLSchema(etree.parse(xsd_file))
        root = etree.fromstring(xml_bytes)
        self.assertEqual(root.nsmap[None], f"urn:iso:std:iso:20022:tech:xsd:{version}")
        schema.assertValid(root)
        return root

    @staticmethod
    def _xpath(root, path):
        return root.xpath(path, namespaces={"p": root.nsmap[None]})

    def _orders(self, action):
        return self.env["account.payment.order"].search(action["domain"])
