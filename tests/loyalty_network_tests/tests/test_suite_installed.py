from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteInstalled(TransactionCase):
    def test_four_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    ["annonay_loyalty", "loyalty_pos", "loyalty_portal", "loyalty_settlement"],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 4)
