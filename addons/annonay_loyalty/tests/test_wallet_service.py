from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestWalletService(TransactionCase):
    """The posting service end to end on one holder (exact cents)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wallet = cls.env["loyalty.network.wallet"]
        cls.merchant = cls.env["loyalty.network.merchant"].create(
            {"partner_id": cls.env["res.partner"].create({"name": "Bakery", "is_company": True}).id}
        )
        cls.holder = cls.env["res.partner"].create({"name": "Alice"})
        cls.card = cls.env["loyalty.network.card"].create({})
        cls.card._enrol(cls.holder, cls.merchant)

    def test_standard_purchase_splits_to_the_cent(self):
        entry = self.Wallet._credit_purchase(self.card, self.merchant, 100.0, "t/1")
        self.assertEqual(
            (entry.amount, entry.merchant_contribution, entry.network_fee), (4.0, 5.0, 1.0)
        )

    def test_replay_credits_once_and_balance_is_sum_of_entries(self):
        first = self.Wallet._credit_purchase(self.card, self.merchant, 150.0, "t/2")
        again = self.Wallet._credit_purchase(self.card, self.merchant, 150.0, "t/2")
        wallet = self.holder.loyalty_wallet_id
        self.assertEqual(first, again)
        # 6.00 credited, then the 4.00 opening fee as soon as the balance reached it
        self.assertEqual(wallet.entry_ids.mapped("entry_type"), ["opening_fee", "earn"])
        self.assertAlmostEqual(wallet.balance, 2.0)
        self.assertAlmostEqual(wallet.balance, sum(wallet.entry_ids.mapped("amount")))

    def test_spend_refused_under_threshold(self):
        self.Wallet._credit_purchase(self.card, self.merchant, 150.0, "t/3")
        with self.assertRaisesRegex(UserError, "can be spent from"):
            self.Wallet._spend(self.card, self.merchant, 1.0, "t/3/spend")
        self.assertEqual(len(self.holder.loyalty_wallet_id.entry_ids), 2)
