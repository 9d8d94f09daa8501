"""Audit item 11: history cannot be rewritten by deleting merchants, plans or cards.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

import json

import psycopg2.errors

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAuditHistoryDeletion(HttpCase):
    """Association staff try to delete a shop, a rate plan and a card that
    have wallet history; they archive them instead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_opening_fee = 0.0
        cls.staff = cls.env["res.users"].create(
            {
                "name": "History Staff",
                "login": "history-staff",
                "password": "history-staff-pw",
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
        cls.plan = cls.env["loyalty.network.plan"].create(
            {"name": "History Plan", "cardholder_rate": 3.0, "network_fee_rate": 1.0}
        )
        cls.shop = cls.env["loyalty.network.merchant"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "History Shop"}).id,
                "plan_id": cls.plan.id,
            }
        )
        cls.holder = cls.env["res.partner"].create({"name": "History Holder"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.entry = cls.env["loyalty.network.wallet"]._credit_purchase(
            cls.card, cls.shop, 100.0, "history/1"
        )

    def _call_kw(self, model, method, args):
        with mute_logger("odoo.http", "odoo.sql_db"):
            return self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {"model": model, "method": method, "args": args, "kwargs": {}},
                    }
                ),
                headers={"Content-Type": "application/json"},
            ).json()

    def _history(self):
        self.env.invalidate_all()
        entries = self.env["loyalty.network.entry"].search([])
        return (
            len(entries),
            self.entry.merchant_id,
            self.entry.plan_id,
            self.entry.card_id,
            self.entry.amount,
        )

    def test_records_with_history_cannot_be_deleted(self):
        self.authenticate("history-staff", "history-staff-pw")
        before = self._history()
        self.assertEqual(before[1:], (self.shop, self.plan, self.card, 3.0))
        for model, record, message in (
            ("loyalty.network.merchant", self.shop, "set it as having left the network"),
            ("loyalty.network.plan", self.plan, "archive it instead"),
            ("loyalty.network.card", self.card, "block an issued card instead"),
        ):
            with self.subTest(model=model):
                answer = self._call_kw(model, "unlink", [record.ids])
                self.assertIn(message, answer["error"]["data"]["message"])
                self.assertTrue(record.exists())
                self.assertEqual(self._history(), before)
        # A card put back to blank still keeps its history.
        self.card.sudo().write({"state": "stock"})
        answer = self._call_kw("loyalty.network.card", "unlink", [self.card.ids])
        self.assertIn("block an issued card instead", answer["error"]["data"]["message"])
        self.assertEqual(self._history(), before)

    def test_database_refuses_too(self):
        """Below the ORM, the history's foreign keys restrict the deletion."""
        self.env.cr.execute(
            """
            SELECT rel.relname, att.attname, con.confdeltype
              FROM pg_constraint con
              JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
             WHERE con.contype = 'f'
               AND (rel.relname = 'loyalty_network_entry'
                    AND att.attname IN ('merchant_id', 'plan_id', 'card_id', 'wallet_id')
                    OR rel.relname = 'loyalty_network_settlement' AND att.attname = 'merchant_id')
            """
        )
        self.assertEqual(
            sorted(self.env.cr.fetchall()),
            [
                ("loyalty_network_entry", "card_id", "r"),
                ("loyalty_network_entry", "merchant_id", "r"),
                ("loyalty_network_entry", "plan_id", "r"),
                ("loyalty_network_entry", "wallet_id", "r"),
                ("loyalty_network_settlement", "merchant_id", "r"),
            ],
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ForeignKeyViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("DELETE FROM loyalty_network_card WHERE id = %s", [self.card.id])
        self.assertEqual(self._history()[1:], (self.shop, self.plan, self.card, 3.0))

    def test_archiving_keeps_history(self):
        self.authenticate("history-staff", "history-staff-pw")
        before = self._history()
        self.assertIs(
            self._call_kw("loyalty.network.merchant", "write", [self.shop.ids, {"state": "left"}])[
                "result"
            ],
            True,
        )
        self._call_kw("loyalty.network.plan", "action_archive", [self.plan.ids])
        self._call_kw("loyalty.network.card", "action_block", [self.card.ids])
        self.env.invalidate_all()
        self.assertEqual(
            (self.shop.state, self.plan.active, self.card.state), ("left", False, "blocked")
        )
        self.assertEqual(self._history(), before)
        # Records without history can still be deleted.
        spare_plan = self.env["loyalty.network.plan"].create(
            {"name": "Unused Plan", "cardholder_rate": 1.0, "network_fee_rate": 1.0}
        )
        spare_card = self.env["loyalty.network.card"].create({})
        for model, record in (
            ("loyalty.network.plan", spare_plan),
            ("loyalty.network.card", spare_card),
        ):
            self.assertIs(self._call_kw(model, "unlink", [record.ids])["result"], True)
            self.assertFalse(record.exists())
