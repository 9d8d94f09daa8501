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
    """How many queries a v1 credit costs, next to the wallet service's own credit
    (card found by number, as the route does): the route's overhead is the key
    check, the rate counter and, when an endpoint subscribes, the outbox insert
    (plus the test cursor's SAVEPOINT/RELEASE around each test request)."""

    def _wallet_queries(self, reference):
        Wallet = self.env["loyalty.network.wallet"].with_user(self.shop.api_user_id)
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        card = Wallet.env["loyalty.network.card"]._find_by_number(self.card.name)
        Wallet._credit_purchase(card, self.shop.with_user(self.shop.api_user_id), 10.0, reference)
        self.env.flush_all()
        return self.env.cr.sql_log_count - count

    def _api_queries(self, reference):
        body = {"card_number": self.card.name, "amount": "10", "reference": reference}
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        response = self.api("POST", "/credits", body)
        self.assertEqual(response.status_code, 200, response.text)
        return self.env.cr.sql_log_count - count

    def test_count_queries_of_a_credit(self):
        # warm both paths (registry caches, rules, subscriptions, routing map)
        self._api_queries("Q-0")
        self._wallet_queries("api:Q-w0")
        wallet = self._wallet_queries("api:Q-w1")
        plain = self._api_queries("Q-1")
        self.env["loyalty.api.webhook"].create(
            {
                "merchant_id": self.shop.id,
                "url": "https://till-vendor.example/hook",
                "event_type_ids": [
                    (6, 0, self.env.ref("loyalty_api.event_type_operation_posted").ids)
                ],
            }
        )
        # creating an endpoint clears the registry's caches (subscriptions, rules,
        # record rules): warm them again before measuring
        self._api_queries("Q-2")
        self._api_queries("Q-2b")
        hooked = self._api_queries("Q-3")
        print(  # the figures are the point of this test
            f"loyalty_api: v1 credit {plain} queries without webhook, {hooked} with one "
            f"(outbox); the wallet service alone {wallet}; route overhead {plain - wallet} "
            f"(key check, rate counter, the test cursor's savepoint)"
        )
        self.assertLessEqual(plain - wallet, 4)
        self.assertLessEqual(hooked - plain, 1)
