from odoo import api, models


class LoyaltyNetworkWallet(models.Model):
    """Sponsored campaigns ride on the wallet's purchase credit and refund: a
    purchase credit posted now also posts each running campaign's bonus; a
    refund of that purchase reverses the bonus in proportion. Replays of the
    purchase or refund return the first answer and post nothing more."""

    _inherit = "loyalty.network.wallet"

    @api.model
    def _credit_purchase(self, card, merchant, amount, source_ref, plan=None, date=None):
        entry = super()._credit_purchase(card, merchant, amount, source_ref, plan=plan, date=date)
        if self._is_posted_now(entry):
            self._post_sponsored_credits(entry)
        return entry

    @api.model
    def _refund(self, origin_entry, amount, source_ref, date=None):
        reversal = super()._refund(origin_entry, amount, source_ref, date=date)
        if self._is_posted_now(reversal) and reversal.entry_type == "earn_reversal":
            self._reverse_sponsored_credits(reversal)
        return reversal

    # ------------------------------------------------------------
    # PRIVATE
    # ------------------------------------------------------------

    @api.model
    def _post_sponsored_credits(self, earning):
        """Post the bonus of every running campaign on the purchase ``earning``."""
        # The wallet service checked that the caller operates the shop and posted the
        # purchase; campaigns are staff records the caller cannot read: hence sudo.
        earning = earning.sudo()
        if earning.entry_type != "earn" or not earning.merchant_id:
            return self.env["loyalty.network.entry"]
        entries = self.env["loyalty.network.entry"].sudo()
        for campaign in self.env["loyalty.network.sponsorship"].sudo()._get_applicable(earning):
            entries |= campaign._credit_earning(earning)
        return entries.sudo(False)

    @api.model
    def _reverse_sponsored_credits(self, reversal):
        """Reverse, in proportion to the refund ``reversal``, the sponsored credits
        of the purchase it refunds; the purchase's last refund reverses exactly
        what is left. The wallet is locked by the refund; the campaign is given
        back the amount reversed (the sponsor is invoiced net)."""
        # Same right as the refund just posted by the wallet service (see above).
        reversal = reversal.sudo()
        earning = reversal.origin_entry_id
        Entry = self.env["loyalty.network.entry"].sudo()
        credits = Entry.search(
            [("sponsored_entry_id", "=", earning.id), ("entry_type", "=", "sponsor_credit")],
            order="id",
        )
        if not credits:
            return Entry
        wallet = reversal.wallet_id
        rules = wallet._get_rules()
        is_last = rules.is_zero(earning._get_refundable_purchase())
        ratio = -reversal.purchase_amount / earning.purchase_amount
        posted = Entry
        credits.invalidate_recordset(["reversal_ids"])
        for credit in credits:
            given_back = -sum(r.amount - r.uncovered_amount for r in credit.reversal_ids)
            left = rules.round(credit.amount - given_back)
            to_reverse = left if is_last else min(left, rules.round(credit.amount * ratio))
            if rules.compare(to_reverse, 0) <= 0:
                continue
            campaign = credit.sponsorship_id
            campaign._lock()
            campaign._move_consumed(-to_reverse)
            taken, uncovered = to_reverse, 0.0
            if rules.negative_balance_policy == "network_bears":
                wallet.invalidate_recordset(["balance"])
                taken = rules.round(min(to_reverse, max(wallet.balance, 0.0)))
                uncovered = rules.round(to_reverse - taken)
            posted |= wallet._post(
                {
                    "entry_type": "sponsor_reversal",
                    "source_ref": f"sponsorship/{campaign.id}/{reversal.id}",
                    "origin_entry_id": credit.id,
                    "sponsorship_id": campaign.id,
                    "sponsored_entry_id": reversal.id,
                    "sponsored_purchase_amount": reversal.purchase_amount,
                    "card_id": reversal.card_id.id,
                    "merchant_id": reversal.merchant_id.id,
                    "date": reversal.date,
                    "amount": -taken,
                    "uncovered_amount": uncovered,
                }
            )
        return posted.sudo(False)
