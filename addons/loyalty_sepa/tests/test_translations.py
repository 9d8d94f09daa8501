from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader


@tagged("post_install", "-at_install")
class TestSepaFrenchTranslations(TransactionCase):
    """Every user-facing string of loyalty_sepa has its French translation (as
    loyalty_network_tests' TestFrenchTranslations checks the other addons)."""

    def test_every_term_has_a_french_translation(self):
        sources = {
            term[4]
            for term in TranslationModuleReader(self.env.cr, ["loyalty_sepa"])
            if term[0] == "loyalty_sepa" and term[4] and term[4].strip()
        }
        self.assertTrue(sources)
        path = f"{get_module_path('loyalty_sepa')}/i18n/fr.po"
        with open(path, "rb") as po_file:
            translated = {
                entry["src"]
                for entry in PoFileReader(po_file)
                if entry["value"] and entry["value"].strip()
            }
        missing = sorted(sources - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack French in {path}: {missing[:5]}")
