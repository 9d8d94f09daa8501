from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _prepare_body_values(self, records):
        """The text of a loyalty campaign's SMS mailing is plain text with
        placeholders, filled per recipient without any template engine."""
        # sudo: only to know whether the mailing belongs to a campaign.
        campaign = self.mailing_id.sudo().loyalty_campaign_ids[:1]
        if not campaign:
            return super()._prepare_body_values(records)
        bodies = campaign._render_placeholders(self.body, records.ids)
        # link tracking, as mass_mailing_sms does for any SMS mailing
        tracker_values = self.mailing_id._get_link_tracker_values()
        MailRender = self.env["mail.render.mixin"].sudo()
        return {
            res_id: MailRender._shorten_links_text(body, tracker_values)
            for res_id, body in bodies.items()
        }
