from odoo import api, models


class ReportLoyaltyNetworkEntryRecap(models.AbstractModel):
    """Values of the printed operation recap.

    An operation that first brings the wallet to the opening fee is followed by
    the fee entry: the recap shows it and the balance after it, so the slip
    tells the holder what is really left in the wallet.
    """

    _name = "report.annonay_loyalty.report_loyalty_network_entry_recap"
    _description = "Loyalty Operation Recap"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["loyalty.network.entry"].browse(docids)
        docs.check_access("read")
        # The fee entry carries no merchant, so a cashier's record rules hide
        # it: read the later entries with elevated rights, only in the wallets
        # of the entries the user may read (checked above).
        later = (
            self.env["loyalty.network.entry"]
            .sudo()
            .search(
                [
                    ("wallet_id", "in", docs.wallet_id.ids),
                    ("id", ">", min(docs.ids, default=0)),
                ],
                order="id",
            )
        )
        recap = {}
        for entry in docs:
            following = later.filtered(
                lambda e, entry=entry: e.wallet_id == entry.wallet_id and e.id > entry.id
            )[:1]
            # The fee is taken right after the entry that raised the balance to it
            # (a purchase credit, the refund of a wallet payment...), under the
            # wallet's lock: a fee following a credit belongs to that credit.
            is_credit = entry.currency_id.compare_amounts(entry.amount, 0.0) > 0
            fee = following if following.family == "fee" and is_credit else following.browse()
            recap[entry.id] = {
                "opening_fee": -fee.amount if fee else 0.0,
                "new_balance": fee.balance_after if fee else entry.balance_after,
            }
        return {
            "doc_ids": docs.ids,
            "doc_model": "loyalty.network.entry",
            "docs": docs,
            "recap": recap,
        }
