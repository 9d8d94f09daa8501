import json
from unittest.mock import patch

from odoo import Command
from odoo.service import model as service_model
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from ..models.loyalty_network_wallet import LoyaltyNetworkWallet

BUSY = "This wallet is busy with another operation: try again in a moment."


@tagged("post_install", "-at_install")
class TestBusyWalletApi(HttpCase):
    """A till whose operation meets a busy wallet, through the terminal API, is
    told to try again in plain words, and nothing is recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.env["loyalty.network.merchant"].create(
            {"partner_id": cls.env["res.partner"].create({"name": "Busy Shop"}).id}
        )
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Busy Cashier",
                "login": "busy-cashier",
                "password": "busy-cashier-pw",
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
        cls.shop.user_ids = cls.cashier
        cls.holder = cls.env["res.partner"].create({"name": "Busy Holder"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.shop)
        cls.card_number = cls.card.name

    @staticmethod
    def _failing_lock(errcode):
        """The wallet lock failing in PostgreSQL with ``errcode``, as it does when
        the lock wait times out (lock_not_available) or when another operation
        changed the wallet since this transaction began (serialization_failure)."""

        def lock_wallet_of(self, *args, **kwargs):
            self._execute_locking(
                SQL(f"DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '{errcode}'; END $$")
            )

        return patch.object(LoyaltyNetworkWallet, "_lock_wallet_of", lock_wallet_of)

    def _credit_error(self, ref):
        response = self.url_open(
            "/loyalty/api/credit",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"card_number": self.card_number, "amount": 50.0, "source_ref": ref},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", response)
        return response["error"]["data"]

    def _entry_count(self):
        return self.env["loyalty.network.entry"].search_count([("partner_id", "=", self.holder.id)])

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_lock_timeout_answers_try_again(self):
        self.authenticate("busy-cashier", "busy-cashier-pw")
        with self._failing_lock("lock_not_available"):
            error = self._credit_error("busy-1")
        self.assertEqual(error["message"], BUSY)
        self.assertEqual(
            error["name"],
            "odoo.addons.annonay_loyalty.models.loyalty_network_wallet.WalletBusyError",
        )
        self.assertNotIn("Traceback", json.dumps(error))
        self.assertEqual(self._entry_count(), 0)

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.service.model")
    def test_conflict_left_after_odoo_retries_answers_try_again(self):
        self.authenticate("busy-cashier", "busy-cashier-pw")
        with (
            self._failing_lock("serialization_failure"),
            patch.object(service_model, "MAX_TRIES_ON_CONCURRENCY_FAILURE", 1),
        ):
            error = self._credit_error("busy-2")
        self.assertEqual(error["message"], BUSY)
        self.assertNotIn("Traceback", json.dumps(error))
        self.assertEqual(self._entry_count(), 0)
        # The same sale sent again once the wallet is free is recorded.
        answer = self.make_jsonrpc_request(
            "/loyalty/api/credit",
            {"card_number": self.card_number, "amount": 50.0, "source_ref": "busy-2"},
        )
        self.assertEqual(answer["amount"], 2.0)
