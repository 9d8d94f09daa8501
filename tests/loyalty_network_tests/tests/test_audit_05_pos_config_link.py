"""Audit item 5: a plain POS user cannot relink a till to another shop or plan.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.loyalty_pos.tests.common import LoyaltyPosCase


@tagged("post_install", "-at_install")
class TestAudit05PosConfigLink(LoyaltyPosCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_merchant, cls.other_config, cls.other_cashier = cls._create_other_shop(
            "Other Shop"
        )
        cls.other_plan = cls.env["loyalty.network.plan"].create(
            {"name": "Generous", "cardholder_rate": 10.0, "network_fee_rate": 1.0}
        )
        cls.other_merchant.allowed_plan_ids = cls.other_plan
        cls.other_holder = cls.env["res.partner"].create(
            {"name": "Bruno Elsewhere", "phone": "+33 6 99 88 77 66"}
        )
        cls.other_card = cls.env["loyalty.network.card"].create({})
        cls.other_card._enrol(cls.other_holder, cls.other_merchant)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _link(self):
        self.config.invalidate_recordset()
        return (self.config.loyalty_merchant_id, self.config.loyalty_plan_id)

    def test_cashier_cannot_relink_the_till_over_rpc(self):
        before = self._link()
        self.authenticate(self.cashier.login, self.cashier.login)
        for vals in (
            {"loyalty_merchant_id": self.other_merchant.id},
            {"loyalty_plan_id": self.other_plan.id},
            {"loyalty_merchant_id": self.other_merchant.id, "loyalty_plan_id": self.other_plan.id},
        ):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call_kw("pos.config", "write", [[self.config.id], vals])
            self.assertEqual(self._link(), before)
        self.assertEqual(before, (self.merchant, self.env["loyalty.network.plan"]))
        # The cashier still writes what core lets it write on its till.
        self._call_kw("pos.config", "write", [[self.config.id], {"name": "Front till"}])
        self.assertEqual(self.config.name, "Front till")

    def test_pos_manager_cannot_link_nor_create_a_linked_till(self):
        manager = new_test_user(
            self.env,
            login="pos_manager_only",
            groups="base.group_user,point_of_sale.group_pos_manager",
        )
        configs_before = self.env["pos.config"].search_count([])
        with self.assertRaisesRegex(AccessError, "Only the association's staff"):
            self.config.with_user(manager).write({"loyalty_merchant_id": False})
        with self.assertRaisesRegex(AccessError, "Only the association's staff"):
            self.env["pos.config"].with_user(manager).create(
                {"name": "Rogue till", "loyalty_merchant_id": self.other_merchant.id}
            )
        self.assertEqual(self.env["pos.config"].search_count([]), configs_before)
        self.assertEqual(self._link(), (self.merchant, self.env["loyalty.network.plan"]))
        # Settings write the link back unchanged: that is no change, so accepted.
        self.config.with_user(manager).write({"loyalty_merchant_id": self.merchant.id})
        # Duplicating a till does not carry the link.
        copied = self.config.with_user(manager).copy_data()[0]
        self.assertNotIn("loyalty_merchant_id", copied)
        self.assertNotIn("loyalty_plan_id", copied)
        # The settings form hides the link from non-staff, Odoo administrators included.
        admin = new_test_user(
            self.env,
            login="settings_admin",
            groups="base.group_user,base.group_system,point_of_sale.group_pos_manager",
        )
        self.assertFalse(admin.has_group("annonay_loyalty.annonay_loyalty_group_manager"))
        with self.assertRaisesRegex(AccessError, "Only the association's staff"):
            self.config.with_user(admin).write({"loyalty_plan_id": self.other_plan.id})
        arch = self.env["res.config.settings"].with_user(admin).get_views([(False, "form")])
        form = arch["views"]["form"]["arch"]
        self.assertNotIn("pos_loyalty_merchant_id", form)
        staff_form = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn("pos_loyalty_merchant_id", staff_form["views"]["form"]["arch"])

    def test_staff_links_the_till(self):
        self.config.write({"loyalty_merchant_id": self.other_merchant.id})
        self.config.write({"loyalty_plan_id": self.other_plan.id})
        self.assertEqual(self._link(), (self.other_merchant, self.other_plan))

    def test_name_lookup_finds_only_this_shops_customers(self):
        self.authenticate(self.cashier.login, self.cashier.login)
        # Another shop's customer, by name or phone: not found from this till.
        for query in ("Bruno Elsewhere", "99 88 77 66"):
            with self.assertRaisesRegex(JsonRpcException, "UserError"):
                self._call_kw("pos.config", "loyalty_lookup_card", [[self.config.id], query])
        with self.assertRaisesRegex(UserError, "No card or customer matches"):
            self.till.loyalty_lookup_card("Bruno")
        # This shop's customer by name; any card by its exact number.
        info = self._call_kw("pos.config", "loyalty_lookup_card", [[self.config.id], "Pauline"])
        self.assertEqual(info["holder"], "Pauline POS")
        info = self._call_kw(
            "pos.config", "loyalty_lookup_card", [[self.config.id], self.other_card.name]
        )
        self.assertEqual((info["holder"], info["balance"]), ("Bruno Elsewhere", 0.0))

    def test_lookup_and_enrol_need_an_open_session_of_this_till(self):
        blank = self.env["loyalty.network.card"].create({})
        holders = self.env["res.partner"].search_count([])
        # The other shop's till has no open session, and the cashier is not its user.
        self.authenticate(self.cashier.login, self.cashier.login)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw(
                "pos.config", "loyalty_lookup_card", [[self.other_config.id], self.card.name]
            )
        with self.assertRaisesRegex(AccessError, "Open a session"):
            self.other_config.with_user(self.cashier).loyalty_lookup_card(self.card.name)
        # A session opened by someone else: the cashier does not work on it.
        self._open_session(self.other_config, self.other_cashier)
        with self.assertRaisesRegex(AccessError, "You do not work on this point of sale"):
            self.other_config.with_user(self.cashier).loyalty_enrol_card(
                blank.name, {"name": "Nora Intruder"}
            )
        # Our own till once its session is no longer open.
        self.pos_session.state = "closing_control"
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw(
                "pos.config",
                "loyalty_enrol_card",
                [[self.config.id], blank.name, {"name": "Nora Intruder"}],
            )
        with self.assertRaisesRegex(AccessError, "Open a session"):
            self.till.loyalty_lookup_card(self.card.name)
        self.assertEqual(blank.state, "stock")
        self.assertFalse(blank.partner_id)
        self.assertEqual(self.env["res.partner"].search_count([]), holders)
        # A user of the merchant may look up from an open till whoever opened it.
        self.pos_session.state = "opened"
        self.merchant.user_ids = self.other_cashier
        info = self.config.with_user(self.other_cashier).loyalty_lookup_card(self.card.name)
        self.assertEqual(info["holder"], "Pauline POS")
