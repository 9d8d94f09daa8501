import html
import re

from odoo.tests import tagged

from .common import LoyaltyPortalCase

# A valid EAN-13 (check digit 8); the visitor's tour types it on the sign-up page.
VISITOR_CARD_NUMBER = "2990000001238"


@tagged("post_install", "-at_install")
class TestPortalFrench(LoyaltyPortalCase):
    """The portal and the public pages of a database run in French, as the
    association's is: French is its default language (what creating the
    database in French sets), and the holder's own language is French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "in", ["base", "web", "portal", "annonay_loyalty", "loyalty_portal"])]
        )._update_translations("fr_FR")
        # What creating the database in French sets: the default language of
        # contacts, which is also the frontend's default language.
        cls.env["ir.default"].set("res.partner", "lang", "fr_FR")
        cls.holder.lang = "fr_FR"
        cls.merchant.partner_id.write({"partner_latitude": 45.24, "partner_longitude": 4.67})
        cls.deal = cls.env["loyalty.network.deal"].create(
            {
                "name": "Deux éclairs pour le prix d'un",
                "merchant_id": cls.merchant.id,
                "date_from": "2020-01-01",
                "date_to": "2099-01-01",
                "quantity": 2,
            }
        )
        cls.newbie = cls.env["res.partner"].create(
            {"name": "Nina Nouvelle", "email": "nina@example.com"}
        )
        cls.newbie_card = cls.env["loyalty.network.card"].create({"name": VISITOR_CARD_NUMBER})
        cls.newbie_card._enrol(cls.newbie, cls.merchant)

    def _page(self, url):
        # A French browser; the visitor's language comes from it (then, without
        # it, from a frontend_lang cookie or a /fr/ address, else English).
        response = self.url_open(url, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.url, f"{self.base_url()}{url}")  # no /fr/ redirection
        return html.unescape(response.text)

    def _assert_french(self, page, french, english):
        for sentence in french:
            self.assertIn(sentence, page)
        for sentence in english:
            self.assertNotIn(sentence, page)

    # ------------------------------------------------------------
    # Pages, without a browser
    # ------------------------------------------------------------

    def test_my_loyalty_page_is_in_french(self):
        self.assertEqual(self.user.lang, "fr_FR")
        self.authenticate("helene", "helene-password")
        page = self._page("/my/loyalty")
        self._assert_french(
            page,
            french=[
                "Ma carte",
                "Présentez cet écran en caisse : le commerçant le scanne comme votre carte.",
                'alt="Code-barres de ma carte"',
                "Cagnotte",
                "Vous pouvez l'utiliser chez tous les commerçants adhérents.",
                "E-mails du réseau et de mes commerçants",
                "Historique",
                ">Tous<",  # the history filter, from the controller
                "Demander à l'association l'effacement de mes données personnelles",
                "6,00",  # amounts in the French format
            ],
            english=[
                "Show this screen at the till",
                "Barcode of my card",
                "You can spend it in any member shop",
                "Emails from the network and my shops",
                "Ask the association to erase my personal data",
                ">All<",
            ],
        )

    def test_my_loyalty_below_the_minimum_is_in_french(self):
        self.env.company.loyalty_min_spend_balance = 10.0
        self.authenticate("helene", "helene-password")
        # The amounts are in their own tags: compare the text only.
        page = " ".join(re.sub(r"<[^>]+>", "", self._page("/my/loyalty")).split())
        # "from 10,00 (currency): 4,00 (currency) to go."
        self.assertRegex(
            page,
            r"Vous pourrez l'utiliser à partir de [^:]*10,00[^:]*: [^.]*4,00[^.]* restant à "
            r"cumuler\.",
        )
        self.assertNotIn("It can be spent from", page)
        self.assertNotIn("to go.", page)

    def test_directory_shop_and_signup_pages_are_in_french(self):
        # A public visitor with a French browser: no cookie, no /fr/ in the address.
        page = self._page("/loyalty/shops")
        self._assert_french(
            page,
            french=[
                "Commerçants adhérents",
                "Procurez-vous votre carte chez l'un des commerçants adhérents ci-dessous",
                "Ouvrir mon compte",
                'placeholder="Commerce ou ville"',
                "Toutes les catégories",
                "Voir sur le plan",
            ],
            english=[
                "Member shops",
                "Get your card in any member shop below",
                "Open my account",
                "Shop or town",
                "All categories",
                "See on the map",
            ],
        )
        page = self._page(f"/loyalty/shops/{self.merchant.id}")
        self._assert_french(
            page,
            french=[
                "Tous les commerçants adhérents",
                "Bons plans pour les porteurs de la carte",
                "Deux éclairs pour le prix d'un",
                "Réserver avec ma carte",
                "Pas encore de carte ? Ouvrir mon compte",
            ],
            english=["All member shops", "Deals for cardholders", "Reserve with my card"],
        )
        page = self._page("/loyalty/signup")
        self._assert_french(
            page,
            french=["Ouvrir le compte de ma carte", "Numéro de carte", "M'envoyer le lien"],
            english=["Open my card account", "Type the number on your card", "Send me the link"],
        )

    # ------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------

    def test_holder_journey_in_french(self):
        self.start_tour("/my", "loyalty_portal_holder_journey_fr", login="helene")
        reservation = self.deal.reservation_ids
        self.assertEqual(reservation.partner_id, self.holder)
        self.assertEqual(self.deal.remaining, 1)
        self.assertEqual(self.holder.loyalty_wallet_id.balance, 6.0)

    def test_visitor_journey_in_french(self):
        self.assertEqual(self.newbie.lang, "fr_FR")  # the database's default language
        # Chrome asks for English pages: the visitor chose French in the
        # language selector of the pages, which keeps it in this cookie.
        self.start_tour(
            "/loyalty/shops",
            "loyalty_portal_visitor_journey_fr",
            cookies={"frontend_lang": "fr_FR"},
        )
        user = self.newbie.user_ids
        self.assertEqual(user.login, "nina@example.com")
        mail = self.env["mail.mail"].search([("model", "=", "res.users"), ("res_id", "=", user.id)])
        self.assertEqual(mail.subject, "Ouvrez le compte de votre carte de fidélité")
        self.assertIn("Choisir mon mot de passe", mail.body_html)
        self.assertNotIn("Choose my password", mail.body_html)
