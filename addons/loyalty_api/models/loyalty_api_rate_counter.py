from datetime import timedelta

from psycopg2.errors import SerializationFailure
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db
from odoo.tools import SQL


class LoyaltyApiRateCounter(models.Model):
    """Requests of one API key in one minute (the rate limit's counter).

    Incremented by one atomic statement per request (insert or add one), in
    its own short transaction: a refused request is counted all the same, and
    the request's transaction never waits on, nor conflicts over, the counter
    of a key shared by several tills. Rows older than a day are removed by the
    autovacuum.
    """

    _name = "loyalty.api.rate.counter"
    _description = "Loyalty API Rate Counter"

    key_id = fields.Many2one("loyalty.api.key", required=True, ondelete="cascade")
    minute = fields.Datetime(required=True)
    count = fields.Integer(required=True, default=0)

    _key_minute_unique = models.Constraint("UNIQUE(key_id, minute)", "One counter per minute.")

    @api.model
    def _increment(self, key_id, cursor=None):
        """Count one request of ``key_id`` in the current minute; return the count.

        :param cursor: the short transaction's cursor (closed here); by default a
            new one from the registry
        """
        query = SQL(
            """
            INSERT INTO loyalty_api_rate_counter (key_id, minute, count)
            VALUES (%s, date_trunc('minute', now() AT TIME ZONE 'utc'), 1)
            ON CONFLICT (key_id, minute)
            DO UPDATE SET count = loyalty_api_rate_counter.count + 1
            RETURNING count
            """,
            key_id,
        )
        with cursor or self.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):
                # A one-statement transaction of its own: read committed lets the
                # upsert wait for a concurrent one and add to it (Odoo sets
                # repeatable read again on the connection's next cursor).
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            for _attempt in range(10):
                try:
                    cr.execute(query)
                    count = cr.fetchone()[0]
                    cr.commit()
                    return count
                except SerializationFailure:
                    # Another request of this key counted in between: count again
                    # (a new snapshot); the upsert itself is atomic.
                    cr.rollback()
        return 0

    @api.autovacuum
    def _gc_old_counters(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM loyalty_api_rate_counter WHERE minute < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
