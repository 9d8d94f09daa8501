from odoo.modules import get_module_path
from odoo.tests import tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

from .common import LoyaltyApiCase


@tagged("post_install", "-at_install")
class TestApiFrench(LoyaltyApiCase):
    """The addon's terms have their French; a French shop's till reads French."""

    def test_every_term_has_a_french_translation(self):
        sources = {
            term[4]
            for term in TranslationModuleReader(self.env.cr, ["loyalty_api"])
            if term[0] == "loyalty_api" and term[4] and term[4].strip()
        }
        path = f"{get_module_path('loyalty_api')}/i18n/fr.po"
        with open(path, "rb") as po_file:
            translated = {
                entry["src"]
                for entry in PoFileReader(po_file)
                if entry["value"] and entry["value"].strip()
            }
        missing = sorted(sources - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack French, e.g. {missing[:5]}")

    def test_problem_detail_in_the_key_user_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", ["base", "annonay_loyalty", "loyalty_api"])]
        )._update_translations("fr_FR")
        shop = self._create_merchant("Boulangerie API")
        user = self._create_merchant_user("api-boulanger", shop, lang="fr_FR")
        key = self._make_key(user.with_context(lang="fr_FR"), shop, "Caisse 1")
        self.assertEqual(shop.api_user_id.lang, "fr_FR")
        body = {"card_number": self.blocked.name, "amount": "10.00", "reference": "FR-1"}
        problem = self.assertProblem(
            self.api("POST", "/credits", body, key=key), 422, "card_blocked"
        )
        self.assertIn("bloquée", problem["detail"])
        problem = self.assertProblem(
            self.api("POST", "/credits", {**body, "amount": "1.234"}, key=key),
            422,
            "amount_invalid",
        )
        self.assertIn("décimales", problem["detail"])
        problem = self.assertProblem(self.api("GET", "/summary", key="x" * 40), 401, "unauthorized")


@tagged("post_install", "-at_install")
class TestApiQueryCount(LoyaltyApiCase):
    """How many queries a v1 credit costs, next to the wallet's own credit."""

    def test_count_queries_of_a_credit(self):
        Wallet = self.env["loyalty.network.wallet"]
        # warm both paths (caches of the registry, rules, subscriptions)
        self.api(
            "POST", "/credits", {"card_number": self.card.name, "amount": "10", "reference": "Q-0"}
        )
        Wallet._credit_purchase(self.card, self.shop, 10.0, "api:Q-w0")
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        Wallet.with_user(self.shop.api_user_id)._credit_purchase(
            self.card, self.shop, 10.0, "api:Q-w1"
        )
        self.env.flush_all()
        wallet_queries = self.env.cr.sql_log_count - count
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        response = self.api(
            "POST", "/credits", {"card_number": self.card.name, "amount": "10", "reference": "Q-1"}
        )
        api_queries = self.env.cr.sql_log_count - count
        self.assertEqual(response.status_code, 200, response.text)
        print(  # the figure is the point of this test
            f"loyalty_api: v1 credit {api_queries} queries (HTTP request, test cursor "
            f"savepoints included); the wallet's own credit {wallet_queries}"
        )
        self.assertLess(api_queries, wallet_queries + 15)
