from odoo.modules import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

SUITE = (
    "annonay_loyalty",
    "loyalty_pos",
    "loyalty_portal",
    "loyalty_settlement",
    "loyalty_sponsorship",
    "loyalty_sepa",
    "loyalty_api",
    "loyalty_voucher",
)


@tagged("post_install", "-at_install")
class TestFrenchTranslations(TransactionCase):
    """Every user-facing string of the suite has its French translation.

    The terms are those Odoo itself exports for a module (fields, selections,
    views, menus, templates, reports, mail templates, Python and JS strings),
    compared with the module's i18n/fr.po (`make i18n` refreshes the .pot and
    merges new terms into fr.po, untranslated).
    """

    def test_every_term_has_a_french_translation(self):
        for module in SUITE:
            with self.subTest(module=module):
                sources = {
                    term[4]
                    for term in TranslationModuleReader(self.env.cr, [module])
                    if term[0] == module and term[4] and term[4].strip()
                }
                path = f"{get_module_path(module)}/i18n/fr.po"
                with open(path, "rb") as po_file:
                    translated = {
                        entry["src"]
                        for entry in PoFileReader(po_file)
                        if entry["value"] and entry["value"].strip()
                    }
                missing = sorted(sources - translated)
                self.assertFalse(
                    missing,
                    f"{module}: {len(missing)} of {len(sources)} terms lack a French "
                    f"translation in {path}, e.g. {missing[:5]}",
                )
