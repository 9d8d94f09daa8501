from datetime import date, datetime

from odoo.addons.annonay_loyalty.tests.common import LoyaltyNetworkCase

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
# 10:00 in Paris on 10 November 2026 (UTC+1)
MID_NOVEMBER = datetime(2026, 11, 10, 9, 0)


class SponsorshipCase(LoyaltyNetworkCase):
    """The small network of the core tests, a town council and its campaigns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.loyalty_tz = "Europe/Paris"
        cls.Sponsorship = cls.env["loyalty.network.sponsorship"]
        cls.Entry = cls.env["loyalty.network.entry"]
        cls.town = cls.env["res.partner"].create({"name": "Town council", "is_company": True})

    @classmethod
    def _campaign(cls, state="running", **vals):
        campaign = cls.env["loyalty.network.sponsorship"].create(
            {
                "name": "Town bonus",
                "sponsor_id": cls.town.id,
                "kind": "rate",
                "bonus_rate": 10.0,
                "date_from": NOVEMBER[0],
                "date_to": NOVEMBER[1],
                "budget_amount": 1000.0,
                **vals,
            }
        )
        if state == "running":
            campaign.action_start()
        return campaign

    def _credit(self, card, merchant, amount, ref, when=MID_NOVEMBER):
        return self.Wallet._credit_purchase(card, merchant, amount, ref, date=when)

    def _sponsored(self, earning):
        """The sponsored entries posted with the purchase (or refund) ``earning``."""
        return self.Entry.search([("sponsored_entry_id", "=", earning.id)], order="id")
