from odoo import models


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def write(self, vals):
        if "rounding" in vals:
            # The networks' money rules keep their currency's rounding in a
            # registry cache (res.company._get_loyalty_rules_values).
            self.env.registry.clear_cache()
        return super().write(vals)
