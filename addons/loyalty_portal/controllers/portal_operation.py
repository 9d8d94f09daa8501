from odoo import fields
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


class LoyaltyNetworkOperationPortal(CustomerPortal):
    """The network's current and upcoming operations in the holder's portal."""

    @route("/my/loyalty/operations", type="http", auth="user", website=True)
    def portal_my_loyalty_operations(self, **kw):
        # Holders have no access to operations: the published ones are public
        # (the directory lists them), read with elevated rights.
        operations = (
            request.env["loyalty.network.operation"]
            .sudo()
            .search(
                [("state", "=", "published"), ("date_end", ">", fields.Datetime.now())],
                order="date_begin, id",
            )
        )
        now = fields.Datetime.now()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "loyalty_operations",
                "current_operations": operations.filtered(lambda op: op.date_begin <= now),
                "upcoming_operations": operations.filtered(lambda op: op.date_begin > now),
            }
        )
        return request.render("loyalty_portal.portal_my_loyalty_operations", values)
