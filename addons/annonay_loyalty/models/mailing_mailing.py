import logging
from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    loyalty_locked_domain = fields.Char(
        readonly=True,
        copy=False,
        help="Audience of a loyalty campaign: consent and shop restrictions, applied again "
        "at sending time whatever the mailing's own filter says.",
    )
    loyalty_campaign_ids = fields.One2many("loyalty.network.campaign", "mailing_id")
    loyalty_send_error = fields.Text(
        string="Sending Error",
        readonly=True,
        copy=False,
        help="Why the mass mailing job took this mailing out of its queue.",
    )

    def write(self, vals):
        if "loyalty_locked_domain" in vals and not self.env.su:
            raise AccessError(self.env._("The audience of a loyalty campaign cannot be changed."))
        return super().write(vals)

    def action_put_in_queue(self):
        self.filtered("loyalty_send_error").loyalty_send_error = False
        return super().action_put_in_queue()

    def _get_recipients_domain(self):
        domain = super()._get_recipients_domain()
        if self.loyalty_locked_domain:
            try:
                locked = literal_eval(self.loyalty_locked_domain)
            except (ValueError, SyntaxError) as error:
                raise UserError(
                    self.env._(
                        "The audience of this campaign cannot be read (%s): create the "
                        "campaign again.",
                        self.loyalty_locked_domain,
                    )
                ) from error
            domain &= Domain(locked)
        return domain

    def _render_field(self, field, res_ids, *args, **kwargs):
        """A loyalty campaign's texts are plain text with placeholders: never
        given to the template engine (view in browser, test mails)."""
        # sudo: only to know whether this mailing belongs to a campaign.
        campaign = self.sudo().loyalty_campaign_ids[:1]
        if not campaign or field not in ("subject", "preview", "body_html", "body_plaintext"):
            return super()._render_field(field, res_ids, *args, **kwargs)
        rendered = campaign._render_placeholders(self[field], res_ids, html=field == "body_html")
        if field == "body_html":
            rendered = self._render_template_postprocess(self.render_model, rendered)
        return rendered

    @api.model
    def _process_mass_mailing_queue(self):
        self._withdraw_unsendable_mailings()
        return super()._process_mass_mailing_queue()

    @api.model
    def _withdraw_unsendable_mailings(self):
        """Take out of the queue the mailings whose audience cannot be searched.

        The queue job sends the mailings one after the other in one run: one
        that raises would stop the others at every run. Such a mailing goes back
        to draft with the reason in ``loyalty_send_error`` (its campaign shows
        "Failed"), the others are sent.
        """
        queued = self.search(
            [
                ("state", "in", ("in_queue", "sending")),
                "|",
                ("schedule_date", "<", fields.Datetime.now()),
                ("schedule_date", "=", False),
            ]
        )
        for mailing in queued:
            try:
                with self.env.cr.savepoint():
                    domain = mailing._get_recipients_domain()
                    self.env[mailing.mailing_model_real].search(domain, limit=1)
            except Exception as error:  # whatever it is, it must not block the queue
                _logger.warning("Mailing %s taken out of the queue: %s", mailing.id, error)
                message = error.args[0] if isinstance(error, UserError) else str(error)
                mailing.write(
                    {
                        "state": "draft",
                        "loyalty_send_error": message,
                    }
                )
                mailing.message_post(body=self.env._("This mailing could not be sent: %s", message))
