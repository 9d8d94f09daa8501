from odoo import api, fields, models
from odoo.tools import SQL


class LoyaltyNetworkStatistics(models.Model):
    """Monthly figures per shop, from a materialized view of the ledger.

    Reading millions of entries at each pivot would be slow: the aggregate is
    materialized and refreshed by a cron (and on demand).
    """

    _name = "loyalty.network.statistics"
    _description = "Loyalty Network Monthly Statistics"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Network", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    merchant_id = fields.Many2one("loyalty.network.merchant", readonly=True)
    category_id = fields.Many2one("loyalty.network.merchant.category", readonly=True)
    turnover = fields.Monetary(string="Card Turnover (incl. taxes)", readonly=True)
    visits = fields.Integer(readonly=True)
    credits_given = fields.Monetary(readonly=True)
    credits_spent = fields.Monetary(readonly=True)
    opening_fees = fields.Monetary(readonly=True)
    forfeits = fields.Monetary(readonly=True)
    new_cards = fields.Integer(readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                DROP MATERIALIZED VIEW IF EXISTS loyalty_network_statistics CASCADE;
                CREATE MATERIALIZED VIEW loyalty_network_statistics AS (
                    SELECT row_number() OVER () AS id, figures.*
                      FROM (
                        -- the month of the network's local calendar (a sale at
                        -- 00:30 on 1 November, Paris time, is a November sale)
                        SELECT date_trunc(
                                   'month', e.date AT TIME ZONE 'UTC' AT TIME ZONE rc.loyalty_tz
                               )::date AS month,
                               e.company_id, e.merchant_id, m.category_id,
                               SUM(e.purchase_amount) FILTER (
                                   WHERE e.family = 'earning') AS turnover,
                               -- a visit is a purchase credited, not its refund: the
                               -- one distinction inside the earning family
                               COUNT(*) FILTER (WHERE e.entry_type = 'earn') AS visits,
                               SUM(e.amount) FILTER (WHERE e.family = 'earning') AS credits_given,
                               -SUM(e.amount) FILTER (WHERE e.family = 'spending') AS credits_spent,
                               -SUM(e.amount) FILTER (WHERE e.family = 'fee') AS opening_fees,
                               -SUM(e.amount) FILTER (WHERE e.family = 'forfeit') AS forfeits,
                               0 AS new_cards
                          FROM loyalty_network_entry e
                          JOIN res_company rc ON rc.id = e.company_id
                          LEFT JOIN loyalty_network_merchant m ON m.id = e.merchant_id
                         GROUP BY 1, 2, 3, 4
                        UNION ALL
                        -- issue_date is a date already (the local day the card was handed out)
                        SELECT date_trunc('month', c.issue_date)::date, c.company_id,
                               c.merchant_id, m.category_id, 0, 0, 0, 0, 0, 0, COUNT(*)
                          FROM loyalty_network_card c
                          LEFT JOIN loyalty_network_merchant m ON m.id = c.merchant_id
                         WHERE c.issue_date IS NOT NULL
                         GROUP BY 1, 2, 3, 4
                      ) figures
                );
                CREATE UNIQUE INDEX loyalty_network_statistics_id_idx
                    ON loyalty_network_statistics (id);
                """
            )
        )

    @api.model
    def _refresh(self):
        self.env["loyalty.network.entry"].flush_model()
        self.env["loyalty.network.card"].flush_model()
        for view in ("loyalty_network_statistics", "loyalty_network_statistics_year"):
            self.env.cr.execute(SQL("REFRESH MATERIALIZED VIEW %s", SQL.identifier(view)))
        self.env.registry.clear_cache()
        self.invalidate_model()
        self.env["loyalty.network.statistics.year"].invalidate_model()

    def action_refresh(self):
        self._refresh()
        return {"type": "ir.actions.client", "tag": "reload"}
