from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LoyaltySepaCase

VALID_VAT = "FR96552100554"
UNKNOWN_VAT = "FR64443061841"


def check_vies(vat_number, timeout=10):
    """VIES mocked as in base_vat's tests: only one number is known."""
    return {"valid": vat_number == VALID_VAT}


@tagged("post_install", "-at_install")
class TestMembership(LoyaltySepaCase):
    def _draft(self, name):
        merchant = self._merchant(name, self.standard)
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "FR7630004000031234567890143", "partner_id": merchant.partner_id.id}
        )
        return self.Membership.create(
            {
                "merchant_id": merchant.id,
                "date_start": date(2026, 2, 1),
                "siret": "55210055400013",
                "partner_bank_id": bank.id,
            }
        )

    def test_vat_checked_against_vies(self):
        with patch("odoo.addons.base_vat.models.res_partner.check_vies", check_vies):
            self.env.company.vat_check_vies = True
            known = self._draft("Cheese Shop")
            known.vat = VALID_VAT
            self.assertTrue(known.vies_valid)
            known.action_activate()
            self.assertEqual(known.state, "active")
            unknown = self._draft("Wine Shop")
            unknown.vat = UNKNOWN_VAT
            self.assertFalse(unknown.vies_valid)
            with self.assertRaisesRegex(UserError, "VIES"):
                unknown.action_activate()
            self.assertEqual(unknown.state, "draft")

    def test_siret_and_iban_validated(self):
        membership = self._draft("Toy Shop")
        with self.assertRaises(ValidationError):
            membership.siret = "55210055400014"  # wrong check digit
        with self.assertRaises(ValidationError):
            membership.siret = "5521005540001"  # 13 digits
        bad_bank = self.env["res.partner.bank"].create(
            {"acc_number": "FR7630004000031234567890144", "partner_id": membership.partner_id.id}
        )
        self.assertNotEqual(bad_bank.acc_type, "iban")
        with self.assertRaises(ValidationError):
            membership.partner_bank_id = bad_bank
        other_bank = self.membership[self.bakery].partner_bank_id
        with self.assertRaises(ValidationError):
            membership.partner_bank_id = other_bank

    def test_register_and_one_active_agreement(self):
        register = self.env.ref("loyalty_sepa.loyalty_network_membership_action")
        self.assertEqual(register.res_model, "loyalty.network.membership")
        self.assertEqual(
            self.Membership.search_count([("state", "=", "active")]),
            3,
        )
        second = self.Membership.create(
            {
                "merchant_id": self.bakery.id,
                "date_start": date(2026, 6, 1),
                "siret": "55210055400013",
            }
        )
        second.partner_bank_id = self.membership[self.bakery].partner_bank_id
        with self.assertRaises(ValidationError):
            second.action_activate()
        self.membership[self.bakery].action_end()
        second.action_activate()
        self.assertEqual(second.state, "active")
        with self.assertRaises(UserError):
            second.action_activate()

    def test_statement_email_states_amount_and_date(self):
        self._activity()
        settlements = self._settle()
        bakery = self._of(settlements, self.bakery)
        butcher = self._of(settlements, self.butcher)
        bakery.with_context(lang="en_US").action_send_statement()
        body = bakery.message_ids.filtered(lambda m: m.attachment_ids)[:1].body
        self.assertIn("25.00", body)
        self.assertIn("04/15/2026", body)
        self.assertIn("ANN-BAKERY", body)
        self.assertIn("credit transfer", butcher._get_sepa_notice())
