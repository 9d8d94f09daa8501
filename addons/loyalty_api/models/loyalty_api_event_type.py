from odoo import fields, models


class LoyaltyApiEventType(models.Model):
    """A kind of event a webhook can subscribe to (data, not edited)."""

    _name = "loyalty.api.event.type"
    _description = "Loyalty Webhook Event Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)

    _code_unique = models.Constraint("UNIQUE(code)", "This event type already exists.")
