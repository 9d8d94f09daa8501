import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class LoyaltyApiWebhook(models.Model):
    """An HTTPS endpoint of a shop (or of the network) receiving signed events.

    A shop's endpoint receives the events of its own shop; an endpoint without
    shop (staff only) receives every event of the network. Each delivery is
    signed with the endpoint's secret (see the README).
    """

    _name = "loyalty.api.webhook"
    _description = "Loyalty Webhook Endpoint"
    _order = "id"

    name = fields.Char(required=True, default=lambda self: self.env._("Webhook"))
    merchant_id = fields.Many2one(
        "loyalty.network.merchant",
        index=True,
        ondelete="cascade",
        help="Empty: every event of the network (association staff only).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    url = fields.Char(string="URL", required=True)
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_hex(32),
        help="Key of the HMAC-SHA256 signature of each delivery.",
    )
    event_type_ids = fields.Many2many("loyalty.api.event.type", string="Events", required=True)
    active = fields.Boolean(default=True)
    delivery_ids = fields.One2many("loyalty.api.delivery", "webhook_id", string="Deliveries")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            if not self._is_valid_url(webhook.url):
                raise ValidationError(
                    self.env._("The webhook address must be an https:// address (%s).", webhook.url)
                )

    @api.model
    def _is_valid_url(self, url):
        try:
            parts = urlsplit(url or "")
        except ValueError:
            return False
        if not parts.hostname or parts.username or parts.password:
            return False
        testing = bool(tools.config["test_enable"])
        if testing and parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
            return True  # the tests' own receiver on this machine
        if parts.scheme != "https" or parts.hostname in LOCAL_HOSTS:
            return False
        try:
            return ipaddress.ip_address(parts.hostname).is_global
        except ValueError:
            return True  # a name: its addresses are checked when sending

    def _check_resolves_to_public_addresses(self):
        """Refuse sending to a name that resolves to this server's own networks
        (a webhook must not reach internal services)."""
        self.ensure_one()
        host = urlsplit(self.url).hostname
        if tools.config["test_enable"] and host in LOCAL_HOSTS:
            return True
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
        except OSError:
            return False
        return bool(addresses) and all(
            ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        webhooks = super().create(vals_list)
        self.env.registry.clear_cache()
        return webhooks

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            # The endpoint's own pending deliveries (the caller may write it, checked
            # by the write above) are discarded as the system: nothing more is sent.
            self.sudo().delivery_ids.filtered(lambda d: d.state in ("pending", "failed")).write(
                {"state": "cancelled"}
            )
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_subscribers(self, company_id, merchant_id, event_code):
        """Ids of the active endpoints receiving ``event_code`` of ``merchant_id``
        (an id or None), without a query once the subscriptions are cached."""
        return [
            webhook_id
            for webhook_id, webhook_merchant_id, codes in self._get_subscriptions(company_id)
            if event_code in codes and webhook_merchant_id in (None, merchant_id)
        ]

    @tools.ormcache("company_id")
    def _get_subscriptions(self, company_id):
        # Read as the system: the subscriptions of the whole network, to route
        # events raised by any user (only ids and codes are cached).
        webhooks = self.sudo().search([("company_id", "=", company_id)])
        return tuple(
            (
                webhook.id,
                webhook.merchant_id.id or None,
                frozenset(webhook.event_type_ids.mapped("code")),
            )
            for webhook in webhooks
        )

    def _api_answer(self, with_secret=False):
        self.ensure_one()
        answer = {
            "id": self.id,
            "url": self.url,
            "events": self.event_type_ids.mapped("code"),
            "active": self.active,
        }
        if with_secret:
            answer["secret"] = self.secret
        return answer
