from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _render_field(self, field, res_ids, *args, **kwargs):
        """The subject and body of a loyalty campaign's mailing are plain text
        with placeholders, filled per recipient without any template engine."""
        # sudo: only to know whether the mailing belongs to a campaign.
        campaign = self.mass_mailing_id.sudo().loyalty_campaign_ids[:1]
        if not campaign or field not in ("subject", "body"):
            return super()._render_field(field, res_ids, *args, **kwargs)
        rendered = campaign._render_placeholders(self[field], res_ids, html=field == "body")
        if field == "body":
            # absolute links and link tracking, as for any mailing
            rendered = self._render_template_postprocess(self.render_model, rendered)
        return rendered
