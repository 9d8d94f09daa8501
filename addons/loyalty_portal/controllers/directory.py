from odoo import fields
from odoo.http import Controller, request, route


class LoyaltyNetworkDirectory(Controller):
    """Public member directory: shops only, no personal data."""

    def _published_shops_domain(self):
        return [("is_published", "=", True), ("state", "=", "active")]

    @route("/loyalty/shops", type="http", auth="public", website=True, sitemap=True)
    def shops(self, category=None, search=None, **kw):
        domain = self._published_shops_domain()
        if category and str(category).isdigit():
            domain.append(("category_id", "=", int(category)))
        if search:
            domain += ["|", ("name", "ilike", search), ("city", "ilike", search)]
        # Public visitors have no access to merchants: read published shops only.
        shops = request.env["loyalty.network.merchant"].sudo().search(domain)
        categories = request.env["loyalty.network.merchant.category"].sudo().search([])
        return request.render(
            "loyalty_portal.directory_shops",
            {
                "shops": shops,
                "categories": categories,
                "category": int(category) if category and str(category).isdigit() else None,
                "search": search or "",
            },
        )

    @route("/loyalty/shops/<int:merchant_id>", type="http", auth="public", website=True)
    def shop(self, merchant_id, **kw):
        shop = (
            request.env["loyalty.network.merchant"]
            .sudo()
            .search([("id", "=", merchant_id)] + self._published_shops_domain(), limit=1)
        )
        if not shop:
            return request.not_found()
        deals = (
            request.env["loyalty.network.deal"]
            .sudo()
            .search(
                [
                    ("merchant_id", "=", shop.id),
                    ("audience", "=", "all"),
                    ("is_published", "=", True),
                    ("date_from", "<=", fields.Date.context_today(shop)),
                    ("date_to", ">=", fields.Date.context_today(shop)),
                ]
            )
        )
        return request.render("loyalty_portal.directory_shop", {"shop": shop, "deals": deals})
