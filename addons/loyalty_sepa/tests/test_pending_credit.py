import base64
import re
from datetime import datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.annonay_loyalty.services import money_engine as engine

from .common import LoyaltySepaCase
from .test_bank_returns import camt

MARCH = datetime(2026, 3, 10, 10, 0)


@tagged("post_install", "-at_install")
class TestPendingCredit(LoyaltySepaCase, HttpCase):
    """Pending credit: credit earned in a shop is spendable once the settlement
    of that shop covering it is paid (bank-reconciled)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_min_spend_balance = 0.0
        cls.Entry = cls.env["loyalty.network.entry"]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _hold(self, on=True):
        self.env.company.loyalty_pending_credit = on

    def _earn(self, merchant, amount, ref, card=None):
        return self.Wallet._credit_purchase(
            card or self.bob_card, merchant, amount, ref, date=MARCH
        )

    def _wallet(self, partner=None):
        wallet = (partner or self.bob)._get_loyalty_wallet(self.env.company)
        wallet.invalidate_recordset()
        return wallet

    def _fmt(self, amount):
        return engine.NetworkRules.of(self.env.company).fmt(amount)

    def _refused_message(self, amount, available, pending):
        return (
            f"{self._fmt(amount)} is more than what the wallet can spend now "
            f"({self._fmt(available)}): {self._fmt(pending)} earned in member shops becomes "
            "available once the shop's settlement for it is paid."
        )

    def _snapshot(self):
        self.env.invalidate_all()
        return self.Entry.search_count([]), self._wallet().balance

    def _collect(self, entries):
        """Import the bank's statement of ``entries``
        ((amount, settlement, return reason or None))."""
        xml = camt([(amount, settlement.name, reason) for amount, settlement, reason in entries])
        self.env["account.statement.import"].create(
            {
                "statement_filename": "statement.xml",
                "statement_file": base64.b64encode(xml.encode()),
            }
        ).import_file_button()
        self.env.invalidate_all()

    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_setting_off_credit_is_spendable_at_once(self):
        self.assertFalse(self.env.company.loyalty_pending_credit)
        self._earn(self.bakery, 250.0, "off/1")  # 10.00
        wallet = self._wallet()
        self.assertIsNone(wallet._get_pending_amount())
        self.assertFalse(wallet._get_availability())
        preview = self.Wallet._preview_operation(self.bob_card, self.bakery, spend_amount=6.0)
        self.assertFalse(preview["spend_error"])
        self.assertNotIn("pending_amount", preview)
        self.Wallet._spend(self.bob_card, self.bakery, 6.0, "off/2", date=MARCH)
        self.assertEqual(self._wallet().balance, 4.0)

    def test_pending_amount_costs_one_query_and_none_when_off(self):
        self._earn(self.bakery, 250.0, "q/1")
        wallet = self._wallet()
        wallet.company_id.loyalty_pending_credit  # noqa: B018 (in cache, as under a spend)
        with self.assertQueryCount(0):
            self.assertFalse(wallet._get_availability())
        self._hold()
        wallet.company_id.loyalty_pending_credit  # noqa: B018
        with self.assertQueryCount(1):
            self.assertEqual(wallet._get_pending_amount(), 10.0)

    def test_pending_until_the_settlement_is_paid(self):
        self._hold()
        self._earn(self.bakery, 250.0, "p/1")  # 10.00 funded by the bakery
        self._earn(self.florist, 100.0, "p/2")  # 4.00 funded by the florist
        wallet = self._wallet()
        self.assertEqual(wallet.balance, 14.0)
        self.assertEqual(
            wallet._get_availability(), {"pending_amount": 14.0, "available_amount": 0.0}
        )
        # Refused with the available amount, nothing changed; the preview says the same
        message = self._refused_message(6.0, 0.0, 14.0)
        preview = self.Wallet._preview_operation(self.bob_card, self.bakery, spend_amount=6.0)
        self.assertEqual(preview["spend_error"], message)
        self.assertEqual((preview["pending_amount"], preview["available_amount"]), (14.0, 0.0))
        before = self._snapshot()
        with self.assertRaises(UserError) as caught:
            self.Wallet._spend(self.bob_card, self.bakery, 6.0, "p/3", date=MARCH)
        self.assertEqual(caught.exception.args[0], message)
        self.assertEqual(self._snapshot(), before)

        # Settled and invoiced: still pending until the money is on the bank statement
        settlements = self._settle()
        bakery = self._of(settlements, self.bakery)
        florist = self._of(settlements, self.florist)
        self.assertEqual(bakery.move_id.payment_state, "not_paid")
        self.assertEqual(self._wallet()._get_pending_amount(), 14.0)
        # The debits are sent: not collected yet (a debit can still come back)
        orders = self._orders(settlements.action_generate_sepa_orders())
        orders.filtered(lambda o: o.payment_type == "inbound").generated2uploaded()
        self.assertEqual(bakery.move_id.payment_state, "in_payment")
        self.assertEqual(self._wallet()._get_pending_amount(), 14.0)

        # The bakery's debit is collected, the florist's comes back (AM04)
        self._collect(
            [(bakery.net_amount, bakery, None), (florist.net_amount, florist, None)]
            + [(-florist.net_amount, florist, "AM04")],
        )
        self.assertEqual(bakery.move_id.payment_state, "paid")
        self.assertEqual(florist.move_id.payment_state, "not_paid")
        wallet = self._wallet()
        self.assertEqual(
            wallet._get_availability(), {"pending_amount": 4.0, "available_amount": 10.0}
        )
        message = self._refused_message(10.5, 10.0, 4.0)
        with self.assertRaises(UserError) as caught:
            self.Wallet._spend(self.bob_card, self.bakery, 10.5, "p/4", date=MARCH)
        self.assertEqual(caught.exception.args[0], message)

        # Preview and posting agree on the available part
        preview = self.Wallet._preview_operation(self.bob_card, self.bakery, spend_amount=10.0)
        self.assertFalse(preview["spend_error"])
        self.assertEqual((preview["spend"], preview["balance_after"]), (10.0, 4.0))
        self.Wallet._spend(self.bob_card, self.bakery, 10.0, "p/5", date=MARCH)
        wallet = self._wallet()
        self.assertEqual(wallet.balance, preview["balance_after"])
        self.assertEqual(
            wallet._get_availability(), {"pending_amount": 4.0, "available_amount": 0.0}
        )

    def test_register_payment_of_a_settlement(self):
        self._hold()
        self._earn(self.bakery, 250.0, "r/1")
        bakery = self._of(self._settle(), self.bakery)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bakery.move_id.ids
        ).create({"journal_id": self.bank_journal.id}).action_create_payments()
        self.assertEqual(bakery.move_id.payment_state, "paid")
        wallet = self._wallet()
        self.assertEqual(
            wallet._get_availability(), {"pending_amount": 0.0, "available_amount": 10.0}
        )
        self.Wallet._spend(self.bob_card, self.florist, 10.0, "r/2", date=MARCH)
        self.assertEqual(self._wallet().balance, 0.0)

    def test_refund_and_network_funded_credit(self):
        """Refunds lower what is pending; the network-funded birthday bonus and
        credit of already paid settlements are spendable at once."""
        self._hold()
        company = self.env.company
        company.write({"loyalty_birthday_rate": 100.0, "loyalty_birthday_funded_by": "network"})
        self.bob.loyalty_birth_date = "1990-03-05"
        earning = self._earn(self.bakery, 250.0, "n/1")
        self.assertTrue(earning.network_expense)
        wallet = self._wallet()
        self.assertEqual(wallet._get_pending_amount(), earning.amount - earning.network_expense)
        self.Wallet._refund(earning, 250.0, "n/2", date=MARCH)
        wallet = self._wallet()
        self.assertEqual(wallet.balance, 0.0)
        self.assertEqual(wallet._get_pending_amount(), 0.0)

    def test_portal_and_terminal_show_pending_and_available(self):
        self._hold()
        self._earn(self.bakery, 250.0, "d/1")  # 10.00 pending
        # the terminal: the bakery's cashier
        cashier = self.env["res.users"].create(
            {
                "name": "Cashier",
                "login": "pending-cashier",
                "password": "pending-cashier",
                "group_ids": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                        ]
                    )
                ],
            }
        )
        self.bakery.user_ids = [Command.link(cashier.id)]
        holder = self.env["res.users"].create(
            {
                "name": "Bob",
                "login": "pending-bob",
                "password": "pending-bob",
                "partner_id": self.bob.id,
                "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate(cashier.login, cashier.login)
        token = self._rpc("find", query=self.bob_card.name)["card"]["token"]
        profile = self._rpc("profile", card_token=token)
        self.assertEqual(
            (profile["balance"], profile["pending_amount"], profile["available_amount"]),
            (10.0, 10.0, 0.0),
        )
        preview = self._rpc("preview", card_token=token, spend_amount=5.0)
        self.assertEqual(preview["spend_error"], self._refused_message(5.0, 0.0, 10.0))
        self.assertEqual(preview["available_amount"], 0.0)

        self.authenticate(holder.login, holder.login)
        page = self.url_open("/my/loyalty").text
        available = re.search(r'o_loyalty_available"[^>]*>(.*?)</dd>', page, re.S).group(1)
        pending = re.search(r'o_loyalty_pending"[^>]*>(.*?)</dd>', page, re.S).group(1)
        self.assertIn("0.00", available)
        self.assertIn("10.00", pending)

        # Setting off: neither the terminal nor the portal shows them
        self._hold(False)
        self.assertNotIn("o_loyalty_pending", self.url_open("/my/loyalty").text)
        self.authenticate(cashier.login, cashier.login)
        self.assertNotIn("pending_amount", self._rpc("profile", card_token=token))

    def _rpc(self, route, **params):
        response = self.opener.post(
            f"{self.base_url()}/loyalty/terminal/{route}",
            json={"jsonrpc": "2.0", "method": "call", "id": 0, "params": params},
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        self.assertNotIn("error", body)
        return body["result"]
