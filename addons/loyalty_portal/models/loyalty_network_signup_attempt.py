from datetime import timedelta

from odoo import api, fields, models


class LoyaltyNetworkSignupAttempt(models.Model):
    """Sign-up attempts, to slow down guessing of card numbers.

    Kept in the database (not in memory) so that the limit holds across
    server workers; old rows are purged by a cron.
    """

    _name = "loyalty.network.signup.attempt"
    _description = "Loyalty Portal Sign-up Attempt"
    _log_access = False

    ip_address = fields.Char(required=True, index=True)
    card_number = fields.Char(index=True)
    attempt_datetime = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    is_success = fields.Boolean()

    MAX_FAILURES_PER_IP = 5
    MAX_FAILURES_PER_CARD = 3
    WINDOW = timedelta(hours=1)

    @api.model
    def _is_blocked(self, ip_address, card_number):
        since = fields.Datetime.now() - self.WINDOW
        failed = [("is_success", "=", False), ("attempt_datetime", ">=", since)]
        return (
            self.search_count(failed + [("ip_address", "=", ip_address)])
            >= self.MAX_FAILURES_PER_IP
            or self.search_count(failed + [("card_number", "=", card_number)])
            >= self.MAX_FAILURES_PER_CARD
        )

    @api.model
    def _gc_attempts(self):
        self.search([("attempt_datetime", "<", fields.Datetime.now() - timedelta(days=7))]).unlink()
