from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MID_NOVEMBER, NOVEMBER, SponsorshipCase


@tagged("post_install", "-at_install")
class TestSponsorshipCredit(SponsorshipCase):
    """What a campaign credits: exact cents, conditions, caps, replays, refunds."""

    def test_bonus_rate_credits_exact_cents_beside_the_purchase_credit(self):
        campaign = self._campaign(bonus_rate=10.0)
        earning = self._credit(self.alice_card, self.bakery, 123.45, "rate/1")
        sponsored = self._sponsored(earning)
        self.assertEqual(earning.amount, 4.94)  # the shop's 4 % are untouched
        self.assertRecordValues(
            sponsored,
            [
                {
                    "entry_type": "sponsor_credit",
                    "family": "sponsorship",
                    "amount": 12.35,  # 12.345 rounded half-up
                    "sponsored_purchase_amount": 123.45,
                    "merchant_id": self.bakery.id,
                    "partner_id": self.alice.id,
                    "merchant_contribution": 0.0,
                    "network_fee": 0.0,
                }
            ],
        )
        self.assertEqual(sponsored.sponsorship_id, campaign)
        self.assertEqual(campaign.consumed_amount, 12.35)
        self.assertEqual(campaign.remaining_amount, 987.65)
        self.assertEqual(
            (campaign.turnover_amount, round(campaign.impact_ratio, 2)), (123.45, 10.0)
        )
        self.assertBalanceIsSumOfEntries(self.alice)
        # The shop's purchase counts once in the holder's turnover.
        self.assertEqual(self.alice.loyalty_wallet_id.total_turnover, 123.45)

    def test_fixed_amount_from_the_minimum_purchase(self):
        campaign = self._campaign(kind="fixed", fixed_amount=5.0, min_purchase_amount=20.0)
        below = self._credit(self.alice_card, self.bakery, 19.99, "fixed/1")
        at = self._credit(self.alice_card, self.bakery, 20.0, "fixed/2")
        self.assertFalse(self._sponsored(below))
        self.assertEqual(self._sponsored(at).amount, 5.0)
        self.assertEqual(campaign.consumed_amount, 5.0)

    def test_shop_restriction(self):
        campaign = self._campaign(merchant_ids=[self.bakery.id])
        at_butcher = self._credit(self.bob_card, self.butcher, 50.0, "shop/1")
        at_bakery = self._credit(self.bob_card, self.bakery, 50.0, "shop/2")
        self.assertFalse(self._sponsored(at_butcher))
        self.assertEqual(self._sponsored(at_bakery).amount, 5.0)
        self.assertEqual(campaign.consumed_amount, 5.0)

    def test_dates_are_local_days(self):
        self._campaign()
        cases = [
            # 23:30 in Paris on 31 October (UTC+1): before the first day
            (datetime(2026, 10, 31, 22, 30), False),
            # 00:30 in Paris on 1 November: the first day
            (datetime(2026, 10, 31, 23, 30), True),
            # 23:30 in Paris on 30 November, the last day
            (datetime(2026, 11, 30, 22, 30), True),
            # 00:30 in Paris on 1 December: over
            (datetime(2026, 11, 30, 23, 30), False),
        ]
        for n, (when, credited) in enumerate(cases):
            earning = self._credit(self.alice_card, self.bakery, 10.0, f"day/{n}", when=when)
            self.assertEqual(bool(self._sponsored(earning)), credited, when)

    def test_draft_and_closed_campaigns_credit_nothing(self):
        draft = self._campaign(state="draft")
        closed = self._campaign()
        closed.action_close()
        earning = self._credit(self.alice_card, self.bakery, 100.0, "state/1")
        self.assertFalse(self._sponsored(earning))
        self.assertEqual((draft.consumed_amount, closed.consumed_amount), (0.0, 0.0))

    def test_cap_per_holder(self):
        campaign = self._campaign(holder_cap_amount=15.0)
        first = self._credit(self.alice_card, self.bakery, 100.0, "cap/1")
        second = self._credit(self.alice_card, self.bakery, 100.0, "cap/2")
        third = self._credit(self.alice_card, self.bakery, 100.0, "cap/3")
        other = self._credit(self.bob_card, self.bakery, 100.0, "cap/4")
        self.assertEqual(self._sponsored(first).amount, 10.0)
        self.assertEqual(self._sponsored(second).amount, 5.0)  # cut to the cap
        self.assertFalse(self._sponsored(third))
        self.assertEqual(self._sponsored(other).amount, 10.0)  # another holder
        self.assertEqual(campaign.consumed_amount, 25.0)

    def test_budget_stops_exactly(self):
        campaign = self._campaign(kind="fixed", fixed_amount=10.0, budget_amount=25.0)
        amounts = [
            self._sponsored(self._credit(self.alice_card, self.bakery, 30.0, f"budget/{n}")).amount
            for n in range(4)
        ]
        self.assertEqual(amounts, [10.0, 10.0, 5.0, 0.0])
        self.assertEqual((campaign.consumed_amount, campaign.remaining_amount), (25.0, 0.0))
        self.assertEqual(
            len(campaign.message_ids.filtered(lambda m: "is spent" in (m.body or ""))), 1
        )
        # Raising the budget lets the campaign go on.
        campaign.budget_amount = 30.0
        earning = self._credit(self.alice_card, self.bakery, 30.0, "budget/more")
        self.assertEqual(self._sponsored(earning).amount, 5.0)
        with self.assertRaisesRegex(ValidationError, "lower than what the campaign"):
            campaign.budget_amount = 20.0  # below what was credited

    def test_replay_credits_once_and_other_content_is_refused(self):
        campaign = self._campaign()
        first = self._credit(self.alice_card, self.bakery, 80.0, "replay/1")
        again = self._credit(self.alice_card, self.bakery, 80.0, "replay/1")
        self.assertEqual(first, again)
        self.assertEqual(len(self._sponsored(first)), 1)
        self.assertEqual(campaign.consumed_amount, 8.0)
        with self.assertRaisesRegex(UserError, "already used for another operation"):
            self._credit(self.alice_card, self.bakery, 90.0, "replay/1")
        self.assertEqual(len(self._sponsored(first)), 1)
        self.assertEqual(campaign.consumed_amount, 8.0)
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_refund_reverses_the_sponsored_credit_in_proportion(self):
        campaign = self._campaign(kind="fixed", fixed_amount=5.0)
        earning = self._credit(self.alice_card, self.bakery, 30.0, "refund/1")
        first = self.Wallet._refund(earning, 10.0, "refund/1/a", date=MID_NOVEMBER)
        first_again = self.Wallet._refund(earning, 10.0, "refund/1/a", date=MID_NOVEMBER)
        self.assertEqual(first, first_again)
        reversal = self._sponsored(first)
        self.assertRecordValues(
            reversal,
            [
                {
                    "entry_type": "sponsor_reversal",
                    "amount": -1.67,
                    "sponsored_purchase_amount": -10.0,
                    "origin_entry_id": self._sponsored(earning).id,
                }
            ],
        )
        self.assertEqual(campaign.consumed_amount, 3.33)
        # The last refund reverses exactly what is left.
        last = self.Wallet._refund(earning, 20.0, "refund/1/b", date=MID_NOVEMBER)
        self.assertEqual(self._sponsored(last).amount, -3.33)
        self.assertEqual(campaign.consumed_amount, 0.0)
        self.assertEqual(campaign.turnover_amount, 0.0)
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_refund_of_spent_credit_when_the_network_bears_the_rest(self):
        self.env.company.loyalty_negative_balance_policy = "network_bears"
        self.env.company.loyalty_opening_fee = 0.0
        campaign = self._campaign(bonus_rate=10.0)
        earning = self._credit(self.alice_card, self.bakery, 100.0, "bears/1")  # 4 + 10
        self.Wallet._spend(self.alice_card, self.butcher, 14.0, "bears/spend")
        refund = self.Wallet._refund(earning, 100.0, "bears/1/refund", date=MID_NOVEMBER)
        reversal = self._sponsored(refund)
        self.assertEqual((reversal.amount, reversal.uncovered_amount), (0.0, 10.0))
        self.assertEqual(campaign.consumed_amount, 0.0)
        self.assertEqual(self.alice.loyalty_wallet_id.balance, 0.0)
        self.assertBalanceIsSumOfEntries(self.alice)

    def test_terms_are_checked_and_frozen_once_started(self):
        with self.assertRaises(ValidationError):
            self._campaign(state="draft", bonus_rate=0.0)
        with self.assertRaises(ValidationError):
            self._campaign(state="draft", kind="fixed", fixed_amount=0.0)
        campaign = self._campaign()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            campaign.bonus_rate = 50.0
        campaign.date_to = NOVEMBER[1].replace(day=29)  # the last day may move
        with self.assertRaisesRegex(UserError, "only through wallet entries"):
            campaign.consumed_amount = 0.0
        with self.assertRaisesRegex(UserError, "close it instead"):
            campaign.unlink()

    def test_cashier_credit_posts_the_campaign_it_cannot_read(self):
        campaign = self._campaign()
        Wallet = self.Wallet.with_user(self.baker_user)
        earning = Wallet._credit_purchase(
            self.alice_card, self.bakery, 60.0, "cashier/1", date=MID_NOVEMBER
        )
        self.assertEqual(self._sponsored(earning).amount, 6.0)
        with self.assertRaises(AccessError):
            campaign.with_user(self.baker_user).read(["consumed_amount"])

    def test_refund_of_another_shops_purchase_is_refused_and_changes_nothing(self):
        campaign = self._campaign()
        earning = self._credit(self.bob_card, self.butcher, 50.0, "foreign/1")
        count = self.Entry.search_count([])
        with self.assertRaises(AccessError):
            self.Wallet.with_user(self.baker_user)._refund(earning, 50.0, "foreign/1/r")
        self.assertEqual(self.Entry.search_count([]), count)
        self.assertEqual(campaign.consumed_amount, 5.0)

    def test_cron_closes_campaigns_after_their_last_day(self):
        ended = self._campaign()
        running = self._campaign(date_to=NOVEMBER[1].replace(year=2099))
        with freeze_time("2026-12-01 00:30:00"):  # 01:30 on 1 December in Paris
            self.Sponsorship._cron_close_ended()
        self.assertEqual((ended.state, running.state), ("closed", "running"))
