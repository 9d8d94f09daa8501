from datetime import timedelta

from odoo.exceptions import UserError
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

    def test_refusals_in_french_with_euros_and_local_dates(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", ["base", "annonay_loyalty", "loyalty_voucher"])]
        )._update_translations("fr_FR")
        self.env.company.currency_id = self.env.ref("base.EUR")
        partner = self.env["res.partner"].create({"name": "Boutique FR", "is_company": True})
        merchant = self.env["loyalty.network.merchant"].create({"partner_id": partner.id})
        Voucher = self.env["loyalty.network.voucher"].with_context(lang="fr_FR")
        voucher = Voucher._sell(merchant, 20.0, "fr-1").voucher_id
        with self.assertRaisesRegex(
            UserError, r"25,00\xa0€, c'est plus que ce qui reste sur ce bon cadeau \(20,00\xa0€\)"
        ):
            Voucher._redeem(voucher.code, merchant, 25.0, "fr-2")
        later = voucher.expiry_date + timedelta(days=1)
        Voucher._expire_vouchers(self.env.company, later)
        with self.assertRaisesRegex(
            UserError, f"Ce bon cadeau a expiré le {voucher.expiry_date.strftime('%d/%m/%Y')}"
        ):
            Voucher._redeem(voucher.code, merchant, 5.0, "fr-3")
