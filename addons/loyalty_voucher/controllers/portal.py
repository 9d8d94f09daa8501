from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


class LoyaltyVoucherPortal(CustomerPortal):
    """The holder's own gift vouchers (record rules: the portal user's only)."""

    @route("/my/loyalty/vouchers", type="http", auth="user", website=True)
    def portal_my_vouchers(self, **kw):
        # Record rules restrict holders to their own vouchers; the explicit
        # ownership domain keeps it so for staff browsing their own portal.
        vouchers = request.env["loyalty.network.voucher"].search(
            [("partner_id", "=", request.env.user.partner_id.id)]
        )
        values = self._prepare_portal_layout_values()
        values.update({"vouchers": vouchers, "page_name": "loyalty_vouchers"})
        return request.render("loyalty_voucher.portal_my_vouchers", values)
