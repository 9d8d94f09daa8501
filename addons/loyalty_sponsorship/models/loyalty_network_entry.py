from odoo import api, fields, models
from odoo.exceptions import UserError

# Entry types of sponsored campaigns, all of the family "sponsorship"
SPONSOR_TYPES = ("sponsor_credit", "sponsor_reversal")


def _refuse_uninstall(entries):
    if entries:
        raise UserError(
            entries.env._(
                "Sponsored credits are in wallet histories: the sponsorship module cannot be "
                "uninstalled."
            )
        )


class LoyaltyNetworkEntry(models.Model):
    _inherit = "loyalty.network.entry"

    entry_type = fields.Selection(
        selection_add=[
            ("sponsor_credit", "Sponsored Credit"),
            ("sponsor_reversal", "Refund of a Sponsored Credit"),
        ],
        ondelete={"sponsor_credit": _refuse_uninstall, "sponsor_reversal": _refuse_uninstall},
    )
    family = fields.Selection(
        selection_add=[("sponsorship", "Sponsored Credits")],
        ondelete={"sponsorship": _refuse_uninstall},
    )
    # Staff only: merchants see the movement in their shop's ledger, not the campaign.
    sponsorship_id = fields.Many2one(
        "loyalty.network.sponsorship",
        string="Sponsored Campaign",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        groups="annonay_loyalty.annonay_loyalty_group_manager,account.group_account_invoice",
    )
    sponsored_entry_id = fields.Many2one(
        "loyalty.network.entry",
        string="Sponsored Purchase",
        readonly=True,
        index="btree_not_null",
        help="The purchase credit (or its refund) this sponsored credit goes with.",
    )
    sponsored_purchase_amount = fields.Monetary(
        string="Sponsored Purchase Amount",
        readonly=True,
        help="Purchase that received the sponsored credit (negative for a refund): the "
        "turnover the campaign generated.",
    )

    @api.depends("entry_type")
    def _compute_family(self):
        super()._compute_family()
        for entry in self:
            if entry.entry_type in SPONSOR_TYPES:
                entry.family = "sponsorship"
