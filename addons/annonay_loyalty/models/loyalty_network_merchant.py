from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LoyaltyNetworkMerchant(models.Model):
    _name = "loyalty.network.merchant"
    _description = "Loyalty Network Merchant"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(related="partner_id.name", store=True, readonly=False)
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        help="The shop's legal entity: address, contact details, invoices.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Network",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    category_id = fields.Many2one("loyalty.network.merchant.category", tracking=True, index=True)
    state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended"), ("left", "Left")],
        default="active",
        required=True,
        tracking=True,
        help="Only active merchants can credit and accept wallet payments.",
    )
    plan_id = fields.Many2one(
        "loyalty.network.plan",
        string="Default Rate Plan",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.ref(
            "annonay_loyalty.loyalty_network_plan_standard", raise_if_not_found=False
        ),
    )
    allowed_plan_ids = fields.Many2many(
        "loyalty.network.plan",
        string="Allowed Rate Plans",
        check_company=True,
        help="Other plans the cashier may choose on the terminal; the default plan is always "
        "allowed.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "loyalty_network_merchant_res_users_rel",
        "merchant_id",
        "user_id",
        string="Merchant Users",
        help="Shop owners and cashiers who operate the card for this merchant.",
    )
    boost_ids = fields.One2many("loyalty.network.boost", "merchant_id", string="Boosts")
    customer_ids = fields.One2many("loyalty.network.customer", "merchant_id", string="Customers")
    customer_count = fields.Integer(compute="_compute_customer_count")
    # Presentation page (public directory)
    is_published = fields.Boolean(
        string="Shown in Directory", default=True, help="List this shop in the public directory."
    )
    description = fields.Html(string="Presentation", translate=True, sanitize=True)
    opening_hours = fields.Text()
    image_1920 = fields.Image(related="partner_id.image_1920", readonly=False)
    street = fields.Char(related="partner_id.street", readonly=False)
    zip = fields.Char(related="partner_id.zip", readonly=False)
    city = fields.Char(related="partner_id.city", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    email = fields.Char(related="partner_id.email", readonly=False)
    website = fields.Char(related="partner_id.website", readonly=False)
    partner_latitude = fields.Float(related="partner_id.partner_latitude", readonly=False)
    partner_longitude = fields.Float(related="partner_id.partner_longitude", readonly=False)

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id, company_id)", "This company is already a merchant of the network."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_customer_count(self):
        counts = dict(
            self.env["loyalty.network.customer"]._read_group(
                [("merchant_id", "in", self.ids)], ["merchant_id"], ["__count"]
            )
        )
        for merchant in self:
            merchant.customer_count = counts.get(merchant, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_latitude", "partner_longitude")
    def _check_coordinates(self):
        for merchant in self:
            if not -90 <= merchant.partner_latitude <= 90 or not (
                -180 <= merchant.partner_longitude <= 180
            ):
                raise ValidationError(
                    self.env._("The shop coordinates of %s are not valid.", merchant.name)
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "annonay_loyalty.annonay_loyalty_group_manager"
        ):
            forbidden = set(vals) - self._get_merchant_editable_fields()
            if forbidden:
                raise AccessError(
                    self.env._(
                        "Only the association can change these shop settings: %s.",
                        ", ".join(sorted(forbidden)),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        # Counting entries of these merchants only, whatever the caller may read:
        # the history must not lose its shop.
        Entry = self.env["loyalty.network.entry"].sudo()
        if Entry.search_count([("merchant_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "A shop with wallet history cannot be deleted: set it as having left "
                    "the network instead."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "annonay_loyalty.res_partner_action_holder"
        )
        action["domain"] = [("loyalty_customer_ids.merchant_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_merchant_editable_fields(self):
        """What a shop's own users may edit: its presentation page and boosts."""
        return {
            "description",
            "opening_hours",
            "image_1920",
            "street",
            "zip",
            "city",
            "phone",
            "email",
            "website",
            "partner_latitude",
            "partner_longitude",
            "boost_ids",
            "is_published",
        }

    def _get_public_url(self):
        """The shop's public page (printed as a QR code on its documents): the
        public directory (loyalty_portal) gives it; without it, the network's
        website."""
        self.ensure_one()
        return self.company_id.website or self.get_base_url()

    def _get_allowed_plans(self):
        self.ensure_one()
        return self.plan_id | self.allowed_plan_ids

    def _check_operator_access(self):
        """Refuse unless the current user operates this merchant (or is staff)."""
        self.ensure_one()
        if self.env.is_superuser() or self.env.user.has_group(
            "annonay_loyalty.annonay_loyalty_group_manager"
        ):
            return
        if self not in self.env.user.sudo().loyalty_merchant_ids:
            raise AccessError(
                self.env._("You are not allowed to operate the card for %s.", self.sudo().name)
            )

    def _check_can_operate(self):
        self.ensure_one()
        self._check_operator_access()
        if self.state != "active":
            raise ValidationError(
                self.env._(
                    "%s is not an active member of the network: card operations are closed.",
                    self.name,
                )
            )

    def _get_active_boost(self, when):
        """The boost in force at this merchant at ``when`` (the highest one)."""
        self.ensure_one()
        boosts = self.boost_ids.filtered(lambda b: b._is_running(when))
        return boosts.sorted("multiplier", reverse=True)[:1]
