from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader


@tagged("post_install", "-at_install")
class TestVoucherFrench(TransactionCase):
    """Every user-facing string of loyalty_voucher has its French translation
    (same check as the suite's TestFrenchTranslations), and the refusals a
    cashier reads come in French with amounts in euros."""

    def test_every_term_has_a_french_translation(self):
        sources = {
            term[4]
            for term in TranslationModuleReader(self.env.cr, ["loyalty_voucher"])
            if term[0] == "loyalty_voucher" and term[4] and term[4].strip()
        }
        with open(f"{get_module_path('loyalty_voucher')}/i18n/fr.po", "rb") as po_file:
            translated = {
                entry["src"]
                for entry in PoFileReader(po_file)
                if entry["value"] and entry["value"].strip()
            }
        missing = sorted(sources - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack French, e.g. {missing[:5]}")
