from odoo import fields
from odoo.http import Controller, request, route


class LoyaltyNetworkOperations(Controller):
    """The network's operations on the public directory: published ones only."""

    def _published_domain(self):
        return [("state", "=", "published")]

    def _get_published(self, operation_id):
        # Public visitors have no access to operations: only a published one is
        # read, with the shops it lists (published shops only, as the directory).
        return (
            request.env["loyalty.network.operation"]
            .sudo()
            .search([("id", "=", operation_id), *self._published_domain()], limit=1)
        )

    @route("/loyalty/operations", type="http", auth="public", website=True, sitemap=True)
    def operations(self, **kw):
        operations = (
            request.env["loyalty.network.operation"]
            .sudo()
            .search(
                [*self._published_domain(), ("date_end", ">", fields.Datetime.now())],
                order="date_begin, id",
            )
        )
        return request.render("loyalty_portal.directory_operations", {"operations": operations})

    @route("/loyalty/operations/<string:slug>", type="http", auth="public", website=True)
    def operation(self, slug, **kw):
        operation_id = request.env["ir.http"]._unslug(slug)[1]
        operation = self._get_published(operation_id) if operation_id else None
        if not operation:
            raise request.not_found()
        shops = operation.merchant_ids.filtered(
            lambda shop: shop.is_published and shop.state == "active"
        )
        return request.render(
            "loyalty_portal.directory_operation", {"operation": operation, "shops": shops}
        )

    @route("/loyalty/operations/<int:operation_id>/ics", type="http", auth="public")
    def operation_ics(self, operation_id, **kw):
        operation = self._get_published(operation_id)
        if not operation:
            raise request.not_found()
        return request.make_response(
            operation._get_ics().encode(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                (
                    "Content-Disposition",
                    f'attachment; filename="operation-{operation.id}.ics"',
                ),
            ],
        )
