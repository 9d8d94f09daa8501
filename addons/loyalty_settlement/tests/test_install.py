from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_depends_on_core_and_accounting(self):
        module = self.env["ir.module.module"].search([("name", "=", "loyalty_settlement")])
        self.assertEqual(module.state, "installed")
        self.assertIn("loyalty.network.settlement", self.env)
        self.assertIn("settlement_ids", self.env["loyalty.network.entry"])
