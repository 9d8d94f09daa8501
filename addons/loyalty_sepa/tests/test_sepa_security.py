from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import LoyaltySepaCase


@tagged("post_install", "-at_install")
class TestSepaSecurity(LoyaltySepaCase, HttpCase):
    """A merchant user reads its own agreement only: never another shop's IBAN or
    mandate, and changes nothing through JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.baker = cls.env["res.users"].create(
            {
                "name": "Baker",
                "login": "baker-sepa",
                "password": "baker-sepa",
                "company_id": cls.env.company.id,
                "company_ids": [Command.set(cls.env.company.ids)],
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
        cls.bakery.user_ids = cls.baker

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_merchant_reads_only_its_own_agreement(self):
        own, other = self.membership[self.bakery], self.membership[self.butcher]
        self.authenticate("baker-sepa", "baker-sepa")
        found = self._call_kw(
            "loyalty.network.membership", "search_read", [[]], {"fields": ["name"]}
        )
        self.assertEqual([row["id"] for row in found], own.ids)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("loyalty.network.membership", "read", [other.ids, ["partner_bank_id"]])
        banks = self._call_kw("res.partner.bank", "search_read", [[]], {"fields": ["acc_number"]})
        self.assertNotIn(other.partner_bank_id.id, [row["id"] for row in banks])
        self.assertIn(own.partner_bank_id.id, [row["id"] for row in banks])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("res.partner.bank", "read", [other.partner_bank_id.ids, ["acc_number"]])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw(
                "account.banking.mandate",
                "read",
                [other.mandate_id.ids, ["unique_mandate_reference"]],
            )

    def test_merchant_cannot_change_agreements_nor_clear_returns(self):
        own = self.membership[self.bakery]
        before = (own.partner_bank_id, own.mandate_id, own.state, own.debit_blocked)
        self.authenticate("baker-sepa", "baker-sepa")
        other_bank = self.membership[self.butcher].partner_bank_id
        for method, args in (
            ("write", [own.ids, {"partner_bank_id": other_bank.id}]),
            ("write", [own.ids, {"state": "ended"}]),
            ("action_revoke_mandate", [own.ids]),
            ("action_end", [own.ids]),
            ("create", [{"merchant_id": self.bakery.id, "siret": "55210055400013"}]),
        ):
            with self.assertRaises(JsonRpcException):
                self._call_kw("loyalty.network.membership", method, args)
        own.invalidate_recordset()
        self.assertEqual(
            (own.partner_bank_id, own.mandate_id, own.state, own.debit_blocked), before
        )
        self.assertEqual(own.mandate_id.state, "valid")
        self.assertEqual(self.Membership.search_count([("merchant_id", "=", self.bakery.id)]), 1)

    def test_merchant_cannot_clear_a_returned_debit(self):
        self._activity()
        settlements = self._settle()
        own = self._of(settlements, self.bakery)
        membership = self.membership[self.bakery]
        sepa_return = self.env["loyalty.sepa.return"].create(
            {"settlement_id": own.id, "membership_id": membership.id, "amount": 25.0}
        )
        self.assertTrue(membership.debit_blocked)
        self.authenticate("baker-sepa", "baker-sepa")
        for model, method, ids in (
            ("loyalty.sepa.return", "action_clear", sepa_return.ids),
            ("loyalty.network.membership", "action_clear_debit_block", membership.ids),
        ):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call_kw(model, method, [ids])
        sepa_return.invalidate_recordset()
        membership.invalidate_recordset()
        self.assertEqual(sepa_return.state, "open")
        self.assertTrue(membership.debit_blocked)

    def test_merchant_cannot_generate_payment_files(self):
        self._activity()
        settlements = self._settle()
        own = self._of(settlements, self.bakery)
        self.authenticate("baker-sepa", "baker-sepa")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("loyalty.network.settlement", "action_generate_sepa_orders", [own.ids])
        self.assertFalse(self.env["account.payment.order"].search_count([]))
