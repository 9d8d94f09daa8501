from datetime import date, datetime

from odoo.tests import tagged

from .common import LoyaltyNetworkCase


@tagged("post_install", "-at_install")
class TestForfeit(LoyaltyNetworkCase):
    def test_inactive_wallet_falls_back_to_zero_once(self):
        self.Wallet._credit_purchase(
            self.alice_card, self.bakery, 250.0, "f/1", date=datetime(2025, 1, 10)
        )
        self.Wallet._credit_purchase(
            self.bob_card, self.butcher, 500.0, "f/2", date=datetime(2025, 6, 10)
        )
        alice_wallet, bob_wallet = self._wallet(self.alice), self._wallet(self.bob)
        self.assertEqual((alice_wallet.balance, bob_wallet.balance), (6.0, 6.0))
        self.assertEqual(alice_wallet.forfeit_date, date(2026, 1, 10))

        count = self.Wallet._forfeit_inactive_wallets(self.env.company, today=date(2026, 2, 1))
        self.assertEqual(count, 1)
        alice_wallet.invalidate_recordset()
        self.assertEqual((alice_wallet.balance, bob_wallet.balance), (0.0, 6.0))
        forfeit = alice_wallet.entry_ids.filtered(lambda e: e.entry_type == "forfeit")
        self.assertEqual((forfeit.amount, forfeit.balance_after), (-6.0, 0.0))
        self.assertBalanceIsSumOfEntries(self.alice)
        # The card stays valid; running again forfeits nothing more.
        self.assertEqual(self.alice_card.state, "active")
        self.assertEqual(
            self.Wallet._forfeit_inactive_wallets(self.env.company, today=date(2026, 2, 1)), 0
        )


@tagged("post_install", "-at_install")
class TestForfeitWarning(LoyaltyNetworkCase):
    def test_consenting_holders_are_warned_once_by_email_and_sms(self):
        self.alice.write(
            {"email": "alice@example.com", "loyalty_email_consent": True, "phone": "+33612345678"}
        )
        self.bob.write({"phone": "+33698765432", "loyalty_sms_consent": True})
        carol, carol_card = self._create_holder("Carol", self.bakery, email="carol@example.com")
        for n, (card, merchant) in enumerate(
            (
                (self.alice_card, self.bakery),
                (self.bob_card, self.butcher),
                (carol_card, self.bakery),
            )
        ):
            self.Wallet._credit_purchase(
                card, merchant, 250.0, f"w/{n}", date=datetime(2025, 2, 20)
            )
        mails_before = self.env["mail.mail"].search_count([])
        warned = self.Wallet._send_forfeit_warnings(self.env.company, today=date(2026, 2, 1))
        # Carol did not consent: no message. Alice by email, Bob by SMS.
        self.assertEqual(warned.partner_id, self.alice | self.bob)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.bob.id)])
        self.assertEqual(sms.number, "+33698765432")
        self.assertIn("expires on", sms.body)
        # Once per inactivity period.
        again = self.Wallet._send_forfeit_warnings(self.env.company, today=date(2026, 2, 5))
        self.assertFalse(again)
        # Too early: a wallet active last month is not warned.
        self.assertFalse(
            self.Wallet._send_forfeit_warnings(self.env.company, today=date(2025, 6, 1))
        )
