from datetime import datetime

from odoo.tests import tagged

from .common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestApiOperations(LoyaltyApiCase):
    """Each endpoint does what the wallet service does, for the key's shop."""

    def test_card_lookup_is_minimal(self):
        response = self.api("GET", f"/cards/{self.card.name}")
        self.assertEqual(response.status_code, 200, response.text)
        card = response.json()
        self.assertEqual(card["holder"], "Marie D.")
        self.assertNotIn("Dupont", response.text)
        self.assertNotIn(self.card.name, response.text)
        self.assertEqual(card["status"], "active")
        self.assertNotIn("balance", card)
        presented = self.api("GET", f"/cards/{self.card.name}?presented=true").json()
        self.assertEqual((presented["balance"], presented["can_spend"]), ("6.00", True))
        blocked = self.api("GET", f"/cards/{self.blocked.name}?presented=true").json()
        self.assertEqual(blocked["status"], "blocked")
        self.assertNotIn("balance", blocked)

    def test_preview_then_credit_records_what_was_previewed(self):
        preview = self.api("POST", "/preview", {"card_number": self.card.name, "amount": "50.00"})
        self.assertEqual(preview.status_code, 200, preview.text)
        self.assertEqual(
            (preview.json()["credit"], preview.json()["balance_after"]), ("2.00", "8.00")
        )
        response = self.api(
            "POST",
            "/credits",
            {"card_number": self.card.name, "amount": "50.00", "reference": "T-100"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertNotIn("Idempotent-Replayed", response.headers)
        operation = response.json()
        self.assertEqual(operation["operation"], "credit")
        self.assertEqual(operation["amount"], "2.00")
        self.assertEqual(operation["purchase_amount"], "50.00")
        self.assertEqual(operation["balance_after"], "8.00")
        self.assertEqual(operation["currency"], self.env.company.currency_id.name)
        self.assertIsNotNone(datetime.fromisoformat(operation["date"]).utcoffset())
        entry = self.env["loyalty.network.entry"].search(
            [("source_ref", "=", "api:T-100"), ("merchant_id", "=", self.shop.id)]
        )
        self.assertEqual((entry.amount, entry.purchase_amount), (2.0, 50.0))
        # by its reference, the same answer
        self.assertEqual(self.api("GET", "/operations/T-100").json(), operation)

    def test_opening_fee_in_the_answer(self):
        holder = self.env["res.partner"].create({"name": "New Holder"})
        card = self.env["loyalty.network.card"].create({})
        card._enrol(holder, self.shop)
        operation = self.api(
            "POST", "/credits", {"card_number": card.name, "amount": 250, "reference": "T-fee"}
        ).json()
        self.assertEqual(
            (operation["amount"], operation["opening_fee"], operation["balance_after"]),
            ("10.00", "4.00", "6.00"),
        )

    def test_spend_and_refunds(self):
        spend = self.api(
            "POST", "/spends", {"card_number": self.card.name, "amount": "5.50", "reference": "S-1"}
        )
        self.assertEqual(spend.status_code, 200, spend.text)
        self.assertEqual((spend.json()["amount"], spend.json()["balance_after"]), ("-5.50", "0.50"))
        back = self.api(
            "POST",
            "/refunds",
            {"original_reference": "S-1", "amount": "5.50", "reference": "S-1-back"},
        )
        self.assertEqual(back.status_code, 200, back.text)
        self.assertEqual(
            (back.json()["operation"], back.json()["original_reference"], back.json()["amount"]),
            ("refund", "S-1", "5.50"),
        )
        refund = self.api(
            "POST",
            "/refunds",
            {"original_reference": "seed", "amount": "100.00", "reference": "seed-back"},
        )
        self.assertEqual(refund.status_code, 200, refund.text)
        self.assertEqual(refund.json()["amount"], "-4.00")
        self.assertEqual(refund.json()["purchase_amount"], "-100.00")
        wallet = self.holder.loyalty_wallet_id
        wallet.invalidate_recordset()
        self.assertAlmostEqual(wallet.balance, sum(wallet.entry_ids.mapped("amount")), places=2)

    def test_daily_summary_of_the_shop(self):
        self.api(
            "POST", "/credits", {"card_number": self.card.name, "amount": "20", "reference": "D-1"}
        )
        self.api(
            "POST", "/spends", {"card_number": self.card.name, "amount": "5", "reference": "D-2"}
        )
        summary = self.api("GET", "/summary")
        self.assertEqual(summary.status_code, 200, summary.text)
        summary = summary.json()
        self.assertEqual(summary["timezone"], "Europe/Paris")
        self.assertEqual(summary["operations"]["credit"]["count"], 2)  # with the seed
        self.assertEqual(summary["operations"]["credit"]["purchase_amount"], "270.00")
        self.assertEqual(summary["operations"]["spend"]["amount"], "-5.00")
        other = self.api("GET", "/summary", key=self.other_key).json()
        self.assertEqual(other["operations"]["credit"]["count"], 0)
        past = self.api("GET", "/summary?date=2020-01-01").json()
        self.assertEqual((past["date"], past["operations"]["credit"]["count"]), ("2020-01-01", 0))
