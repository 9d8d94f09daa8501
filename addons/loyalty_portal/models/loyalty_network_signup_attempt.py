import ipaddress
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class LoyaltyNetworkSignupAttempt(models.Model):
    """Sign-up attempt counters, to slow down guessing of card numbers.

    One row per counted key (a client address, or a holder receiving links)
    and per window of an hour. Kept in the database (not in memory) so that
    the limit holds across server workers; old rows are purged by a cron.

    A counter is bumped and read in one ``INSERT ... ON CONFLICT DO UPDATE
    ... RETURNING`` statement: parallel requests from one address queue on
    the row, and under Odoo's REPEATABLE READ a request that raced another
    one fails with a serialization error and is replayed by Odoo's retry
    loop, so each attempt is counted exactly once (no count-then-insert).
    """

    _name = "loyalty.network.signup.attempt"
    _description = "Loyalty Portal Sign-up Attempt Counter"
    _rec_name = "counter_key"
    _log_access = False

    counter_key = fields.Char(
        required=True, help="What is counted: 'address:<ip>' or 'holder:<partner id>'."
    )
    window_start = fields.Datetime(required=True, index=True)
    hit_count = fields.Integer(required=True, default=1)

    _counter_key_uniq = models.Constraint(
        "UNIQUE(counter_key)", "A sign-up counter exists once per key."
    )

    MAX_ATTEMPTS_PER_ADDRESS = 5
    MAX_LINKS_PER_HOLDER = 3
    WINDOW = timedelta(hours=1)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _register_hit(self, counter_key, limit):
        """Count one hit on ``counter_key``; True while the window's hits stay
        within ``limit``. Atomic: concurrent callers are serialised on the
        counter row, so exactly ``limit`` hits of a burst are accepted."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_network_signup_attempt AS attempt
                       (counter_key, window_start, hit_count)
                VALUES (%(key)s, %(now)s, 1)
                ON CONFLICT (counter_key) DO UPDATE SET
                    hit_count = CASE WHEN attempt.window_start <= %(since)s
                                     THEN 1 ELSE attempt.hit_count + 1 END,
                    window_start = CASE WHEN attempt.window_start <= %(since)s
                                        THEN %(now)s ELSE attempt.window_start END
                RETURNING hit_count
                """,
                key=counter_key,
                now=now,
                since=now - self.WINDOW,
            ),
            # A raced request fails with a serialization error that Odoo replays:
            # expected under load, not worth an error in the log.
            log_exceptions=False,
        )
        hits = self.env.cr.fetchone()[0]
        self.invalidate_model(["window_start", "hit_count"])
        return hits <= limit

    @api.model
    def _register_address_attempt(self, remote_addr):
        """Count a sign-up attempt from a client address; False once it is over
        the limit. An IPv6 client usually owns a whole /64: it counts as one."""
        return self._register_hit(
            f"address:{self._address_key(remote_addr)}", self.MAX_ATTEMPTS_PER_ADDRESS
        )

    @api.model
    def _register_holder_link(self, partner):
        """Count an activation link sent to ``partner``: caps the messages an
        attacker can make the holder receive, without locking the holder out
        (the links already sent stay valid)."""
        return self._register_hit(f"holder:{partner.id}", self.MAX_LINKS_PER_HOLDER)

    @api.model
    def _address_key(self, remote_addr):
        try:
            address = ipaddress.ip_address(remote_addr or "")
        except ValueError:
            return remote_addr or "unknown"
        if address.version == 6:
            if address.ipv4_mapped:
                return str(address.ipv4_mapped)
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)

    @api.model
    def _gc_attempts(self):
        self.search([("window_start", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
