from odoo.tests import tagged

from odoo.addons.annonay_loyalty.services import money_engine as engine
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

# Typed by the tours (static/tests/tours)
TOUR_CARD_NUMBER = "2990777777770"
NEW_HOLDER_CARD_NUMBER = "2990777777787"
BIRTHDAY_CARD_NUMBER = "2990777777794"


@tagged("post_install", "-at_install")
class TestLoyaltyPosTour(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.sudo().group_ids = [
            (4, cls.env.ref("annonay_loyalty.annonay_loyalty_group_manager").id)
        ]
        cls.env.company.loyalty_opening_fee = 4.0
        plan = cls.env["loyalty.network.plan"].create(
            {"name": "Tour Standard", "cardholder_rate": 4.0, "network_fee_rate": 1.0}
        )
        merchant = cls.env["loyalty.network.merchant"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Tour Shop"}).id,
                "plan_id": plan.id,
            }
        )
        wallet_method = cls.env["pos.payment.method"].create(
            {
                "name": "Loyalty Wallet",
                "is_loyalty_wallet": True,
                "journal_id": cls.env["account.journal"]
                .create({"name": "Loyalty Wallet", "code": "LWAL", "type": "bank"})
                .id,
            }
        )
        cls.main_pos_config.write(
            {
                "loyalty_merchant_id": merchant.id,
                "payment_method_ids": [(4, wallet_method.id)],
            }
        )
        cls.env["product.product"].create(
            [
                {
                    "name": "Loyalty Basket",
                    "list_price": 50.0,
                    "taxes_id": False,
                    "available_in_pos": True,
                },
                {
                    "name": "Opening Basket",
                    "list_price": 120.5,
                    "taxes_id": False,
                    "available_in_pos": True,
                },
            ]
        )
        cls.holder = cls.env["res.partner"].create({"name": "Tour Holder"})
        cls.card = cls.env["loyalty.network.card"].create({"name": TOUR_CARD_NUMBER})
        cls.card._enrol(cls.holder, merchant)
        # 250.00 earns 10.00, less the 4.00 opening fee: 6.00 to spend
        cls.env["loyalty.network.wallet"]._credit_purchase(cls.card, merchant, 250.0, "tour/seed")
        cls.new_holder = cls.env["res.partner"].create({"name": "New Holder"})
        cls.env["loyalty.network.card"].create({"name": NEW_HOLDER_CARD_NUMBER})._enrol(
            cls.new_holder, merchant
        )
        today = engine.NetworkRules.of(cls.env.company).today()
        cls.birthday_holder = cls.env["res.partner"].create(
            {"name": "Birthday Holder", "loyalty_birth_date": today.replace(year=1990, day=1)}
        )
        birthday_card = cls.env["loyalty.network.card"].create({"name": BIRTHDAY_CARD_NUMBER})
        birthday_card._enrol(cls.birthday_holder, merchant)
        # 250.00 in the birthday month earns 25.00, less the 4.00 opening fee
        cls.env["loyalty.network.wallet"]._credit_purchase(
            birthday_card, merchant, 250.0, "tour/seed-birthday"
        )

    # The journeys (static/tests/tours), run in English here, in French below

    def _check_card_and_wallet_journey(self, tour):
        self.start_pos_tour(tour)
        order = self.env["pos.order"].search([("loyalty_card_number", "=", TOUR_CARD_NUMBER)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.holder)
        # 6.00 from the wallet, 44.00 in cash earns 4 %
        self.assertEqual((order.loyalty_wallet_paid, order.loyalty_credit), (6.0, 1.76))
        self.assertEqual(self.holder.loyalty_wallet_id.balance, 1.76)

    def _check_receipts_journey(self, tour):
        self.start_pos_tour(tour)
        Order = self.env["pos.order"]
        first = Order.search([("loyalty_card_number", "=", NEW_HOLDER_CARD_NUMBER)])
        self.assertEqual(first.partner_id, self.new_holder)
        self.assertEqual(
            (
                first.loyalty_receipt_credit,
                first.loyalty_receipt_opening_fee,
                first.loyalty_receipt_balance_after,
            ),
            (4.82, 4.0, 0.82),
        )
        self.assertEqual(self.new_holder.loyalty_wallet_id.balance, 0.82)
        birthday = Order.search([("loyalty_card_number", "=", BIRTHDAY_CARD_NUMBER)])
        self.assertEqual(
            (birthday.loyalty_receipt_credit, birthday.loyalty_receipt_opening_fee), (5.0, 0.0)
        )
        self.assertEqual(self.birthday_holder.loyalty_wallet_id.balance, 26.0)

    def test_scan_card_pay_part_with_wallet_and_validate(self):
        """Card button on the main screen, holder set as customer, preview of the
        credit from the server, wallet proposing its balance, receipt figures."""
        self._check_card_and_wallet_journey("LoyaltyNetworkPosTour")

    def test_receipt_of_a_new_holder_and_of_a_birthday_month(self):
        """The receipt prints what was posted: the opening fee taken from a new
        holder's first credit, the birthday rate."""
        self._check_receipts_journey("LoyaltyNetworkPosReceiptTour")


@tagged("post_install", "-at_install")
class TestLoyaltyPosTourFrench(TestLoyaltyPosTour):
    """The same journeys on a till run by a French cashier: the tours check the
    French of the card button, popup, banner and receipt (loyalty_pos's fr.po)
    and of Odoo's own buttons, and the same figures in the French format.
    (Odoo runs only the test methods a class defines, not inherited ones.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "in", ["base", "web", "point_of_sale", "annonay_loyalty", "loyalty_pos"])]
        )._update_translations("fr_FR")
        cls.pos_user.lang = "fr_FR"

    def test_french_is_loaded_for_the_cashier(self):
        """The terms the tours read are there: the cashier's language is French
        and loyalty_pos's French labels are loaded."""
        self.assertEqual(self.pos_user.lang, "fr_FR")
        field = self.env["ir.model.fields"]._get("pos.order", "loyalty_receipt_credit")
        self.assertEqual(field.with_context(lang="fr_FR").field_description, "Crédit versé")
        self.assertEqual(field.with_context(lang="en_US").field_description, "Credit Posted")

    def test_french_card_and_wallet(self):
        """In French: "Carte de fidélité" button and popup, "Solde", "Gagne",
        "Payé avec la cagnotte" on the banner; "Crédit gagné", "Solde cagnotte"
        on the receipt; "Ouvrir la caisse", "Paiement", "Valider" from Odoo."""
        self._check_card_and_wallet_journey("LoyaltyNetworkPosTourFr")

    def test_french_receipts(self):
        """In French: "Frais d'ouverture" and the birthday month on the banner and
        the receipt, "Crédit calculé à la synchronisation" on an offline receipt."""
        self._check_receipts_journey("LoyaltyNetworkPosReceiptTourFr")
