from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..services.money_engine import NetworkRules


class LoyaltyNetworkDeal(models.Model):
    """A deal ("bon plan") a merchant or the association offers to holders."""

    _name = "loyalty.network.deal"
    _description = "Loyalty Network Deal"
    _inherit = ["mail.thread"]
    _order = "date_to, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        required=True,
        index=True,
        # No check_company: the deal's company is the merchant's, so there is nothing to
        # check, and on a new deal (no company yet) it would offer staff no merchant at all.
        default=lambda self: self.env.user._get_loyalty_merchant(),
    )
    company_id = fields.Many2one(related="merchant_id.company_id", store=True)
    description = fields.Html(string="Offer and Conditions", translate=True, sanitize=True)
    date_from = fields.Date(string="Valid From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="Valid Until", required=True)
    quantity = fields.Integer(help="How many can be reserved; 0 means no limit.")
    reserved_count = fields.Integer(compute="_compute_reserved_count", store=True)
    remaining = fields.Integer(compute="_compute_reserved_count", store=True)
    audience = fields.Selection(
        [
            ("all", "All holders"),
            ("customers", "This shop's customers"),
            ("partners", "Named holders"),
        ],
        default="all",
        required=True,
    )
    partner_ids = fields.Many2many("res.partner", string="Named Holders")
    is_published = fields.Boolean(string="Published", default=True, tracking=True)
    reservation_ids = fields.One2many("loyalty.network.deal.reservation", "deal_id")

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The quantity of a deal cannot be negative."
    )

    @api.depends("quantity", "reservation_ids.state")
    def _compute_reserved_count(self):
        counts = dict(
            self.env["loyalty.network.deal.reservation"]._read_group(
                [("deal_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["deal_id"],
                ["__count"],
            )
        )
        for deal in self:
            deal.reserved_count = counts.get(deal, 0)
            deal.remaining = max(deal.quantity - deal.reserved_count, 0) if deal.quantity else 0

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for deal in self:
            if deal.date_to < deal.date_from:
                raise ValidationError(self.env._("A deal cannot end before it starts."))

    def write(self, vals):
        result = super().write(vals)
        # Record rules were checked on the deals as they were: check them again on the
        # shop they now belong to, or a shop could hand its deal to another shop.
        if "merchant_id" in vals and self._filtered_access("write") != self:
            raise AccessError(self.env._("You can only publish deals for your own shop."))
        return result

    def _get_reservation_url(self):
        """Where a holder reserves this deal (printed as a QR code on its poster):
        the portal (loyalty_portal) gives it; without it, the shop's public page."""
        self.ensure_one()
        return self.merchant_id._get_public_url()

    @api.model
    def _get_visible_domain(self, partner):
        """Deals ``partner`` may see and reserve today."""
        # the network's local day: a deal runs on the days of the network's calendar
        today = NetworkRules.of(self.env.company).today()
        return [
            ("is_published", "=", True),
            ("merchant_id.state", "=", "active"),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
            "|",
            "|",
            ("audience", "=", "all"),
            "&",
            ("audience", "=", "partners"),
            ("partner_ids", "in", partner.ids),
            "&",
            ("audience", "=", "customers"),
            ("merchant_id.customer_ids.partner_id", "in", partner.ids),
        ]

    def _reserve(self, partner):
        """Reserve one unit for ``partner``; stock is checked under a row lock."""
        self.ensure_one()
        deal = self.sudo()
        if not deal.search_count([("id", "=", deal.id)] + self._get_visible_domain(partner)):
            raise UserError(self.env._("This deal is not available to you."))
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_network_deal WHERE id = %s FOR UPDATE", deal.id)
        )
        deal.invalidate_recordset(["reserved_count", "remaining"])
        Reservation = self.env["loyalty.network.deal.reservation"].sudo()
        if Reservation.search_count(
            [
                ("deal_id", "=", deal.id),
                ("partner_id", "=", partner.id),
                ("state", "!=", "cancelled"),
            ]
        ):
            raise UserError(self.env._("You have already reserved this deal."))
        if deal.quantity and deal.reserved_count >= deal.quantity:
            raise UserError(self.env._("Sorry, this deal is fully reserved."))
        return Reservation.create({"deal_id": deal.id, "partner_id": partner.id})
