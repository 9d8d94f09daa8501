from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class LoyaltyApiRateCounter(models.Model):
    """Requests of one API key in one minute (the rate limit's counter).

    Incremented by one atomic statement per request (insert or add one);
    rows older than a day are removed by the autovacuum.
    """

    _name = "loyalty.api.rate.counter"
    _description = "Loyalty API Rate Counter"

    key_id = fields.Many2one("loyalty.api.key", required=True, ondelete="cascade")
    minute = fields.Datetime(required=True)
    count = fields.Integer(required=True, default=0)

    _key_minute_unique = models.Constraint("UNIQUE(key_id, minute)", "One counter per minute.")

    @api.model
    def _increment(self, key_id):
        """Count one request of ``key_id`` in the current minute; return the count."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_api_rate_counter (key_id, minute, count)
                VALUES (%s, date_trunc('minute', now() AT TIME ZONE 'utc'), 1)
                ON CONFLICT (key_id, minute)
                DO UPDATE SET count = loyalty_api_rate_counter.count + 1
                RETURNING count
                """,
                key_id,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.autovacuum
    def _gc_old_counters(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM loyalty_api_rate_counter WHERE minute < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
