from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import SponsorshipCase


@tagged("post_install", "-at_install")
class TestSponsorshipAccess(SponsorshipCase, HttpCase):
    """A merchant user reaches neither the campaigns nor the legal-limit dashboard
    through the web client's JSON-RPC; the database is left unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.baker_user.password = "baker-password"
        cls.campaign = cls._campaign(budget_amount=100.0)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _state(self):
        self.env.invalidate_all()
        Campaign = self.env["loyalty.network.sponsorship"]
        return (
            Campaign.search_count([]),
            self.campaign.read(["budget_amount", "consumed_amount", "state", "bonus_rate"]),
            self.env["loyalty.network.legal.limit"].search_count([]),
            self.env.company.loyalty_legal_limit_amount,
        )

    def test_merchant_cannot_read_nor_write_campaigns_over_rpc(self):
        before = self._state()
        self.authenticate(self.baker_user.login, "baker-password")
        calls = [
            ("loyalty.network.sponsorship", "search_read", [[]], {"fields": ["name"]}),
            ("loyalty.network.sponsorship", "read", [[self.campaign.id], ["budget_amount"]], {}),
            (
                "loyalty.network.sponsorship",
                "write",
                [[self.campaign.id], {"budget_amount": 1_000_000.0}],
                {},
            ),
            (
                "loyalty.network.sponsorship",
                "create",
                [
                    {
                        "name": "Mine",
                        "sponsor_id": self.town.id,
                        "bonus_rate": 50.0,
                        "date_from": "2026-11-01",
                        "date_to": "2026-11-30",
                        "budget_amount": 10.0,
                    }
                ],
                {},
            ),
            ("loyalty.network.sponsorship", "action_close", [[self.campaign.id]], {}),
            ("loyalty.network.sponsorship", "unlink", [[self.campaign.id]], {}),
        ]
        for model, method, args, kwargs in calls:
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self._call_kw(model, method, args, kwargs)
        self.assertEqual(self._state(), before)

    def test_merchant_cannot_open_the_legal_limit_dashboard_over_rpc(self):
        before = self._state()
        self.authenticate(self.baker_user.login, "baker-password")
        for method, args, kwargs in (
            ("create", [{}], {}),
            ("search_read", [[]], {"fields": ["total_amount"]}),
            ("web_read", [[1]], {"specification": {"total_amount": {}}}),
        ):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self._call_kw("loyalty.network.legal.limit", method, args, kwargs)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw(
                "res.company",
                "write",
                [[self.env.company.id], {"loyalty_legal_limit_amount": 1.0}],
            )
        self.assertEqual(self._state(), before)

    def test_merchant_sees_the_credit_in_its_ledger_but_not_the_campaign(self):
        earning = self.Wallet._credit_purchase(self.alice_card, self.bakery, 100.0, "access/1")
        sponsored = self._sponsored(earning)
        self.authenticate(self.baker_user.login, "baker-password")
        [row] = self._call_kw(
            "loyalty.network.entry", "read", [sponsored.ids, ["amount", "entry_type"]]
        )
        self.assertEqual((row["amount"], row["entry_type"]), (10.0, "sponsor_credit"))
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("loyalty.network.entry", "read", [sponsored.ids, ["sponsorship_id"]])
        self.assertEqual(self.campaign.consumed_amount, 10.0)

    def test_staff_manage_campaigns(self):
        staff = self.env["res.users"].create(
            {
                "name": "Staff",
                "login": "sponsor-staff",
                "password": "sponsor-staff-pw",
                "group_ids": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id,
                        ]
                    )
                ],
            }
        )
        self.authenticate(staff.login, "sponsor-staff-pw")
        self._call_kw(
            "loyalty.network.sponsorship", "write", [[self.campaign.id], {"budget_amount": 150.0}]
        )
        self.assertEqual(self.campaign.budget_amount, 150.0)
        dashboard_id = self._call_kw("loyalty.network.legal.limit", "create", [{}])
        [row] = self._call_kw(
            "loyalty.network.legal.limit", "read", [[dashboard_id], ["limit_amount"]]
        )
        self.assertEqual(row["limit_amount"], 1_000_000.0)

    def test_merchant_cannot_read_a_sponsor_settlement_over_rpc(self):
        settlement = (
            self.env["loyalty.network.settlement"]
            .sudo()
            .create(
                {
                    "name": "SPONSOR/TEST",
                    "sponsorship_id": self.campaign.id,
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-30",
                    "sponsored_amount": 10.0,
                    "sponsored_turnover_amount": 100.0,
                }
            )
        )
        self.authenticate(self.baker_user.login, "baker-password")
        rows = self._call_kw(
            "loyalty.network.settlement", "search_read", [[]], {"fields": ["name"]}
        )
        self.assertNotIn(settlement.id, [row["id"] for row in rows])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("loyalty.network.settlement", "read", [settlement.ids, ["name"]])
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw(
                "loyalty.network.settlement",
                "write",
                [settlement.ids, {"sponsored_amount": 0.0}],
            )
        self.assertEqual(settlement.sponsored_amount, 10.0)
