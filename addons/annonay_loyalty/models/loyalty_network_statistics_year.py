from odoo import fields, models
from odoo.tools import SQL


class LoyaltyNetworkStatisticsYear(models.Model):
    """The association's yearly table, network-wide and per shop.

    Rows without a shop are the network totals (a holder active in two shops
    counts once there). Active cards: holders with a purchase or a wallet
    payment in the year, over the cards issued by the end of the year.
    """

    _name = "loyalty.network.statistics.year"
    _description = "Loyalty Network Yearly Table"
    _auto = False
    _order = "year desc, merchant_id desc"

    year = fields.Integer(readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", string="Network", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    merchant_id = fields.Many2one("loyalty.network.merchant", string="Shop", readonly=True)
    turnover = fields.Monetary(string="Card Turnover (incl. taxes)", readonly=True)
    visits = fields.Integer(readonly=True)
    average_basket = fields.Monetary(readonly=True, aggregator="avg")
    credits_given = fields.Monetary(string="Credits Given", readonly=True)
    credits_spent = fields.Monetary(string="Credits Spent", readonly=True)
    active_cards = fields.Integer(readonly=True)
    cards_issued = fields.Integer(string="Cards Issued by Year End", readonly=True)
    active_share = fields.Float(string="Active Cards (%)", readonly=True, aggregator="avg")

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                DROP MATERIALIZED VIEW IF EXISTS loyalty_network_statistics_year CASCADE;
                CREATE MATERIALIZED VIEW loyalty_network_statistics_year AS (
                    WITH yearly AS (
                        -- the year of the network's local calendar
                        SELECT extract(
                                   year FROM e.date AT TIME ZONE 'UTC' AT TIME ZONE rc.loyalty_tz
                               )::int AS year,
                               e.company_id, e.merchant_id,
                               SUM(e.purchase_amount) FILTER (
                                   WHERE e.family = 'earning') AS turnover,
                               -- a visit is a purchase credited, not its refund: the
                               -- one distinction inside the earning family
                               COUNT(*) FILTER (WHERE e.entry_type = 'earn') AS visits,
                               SUM(e.amount) FILTER (WHERE e.family = 'earning') AS credits_given,
                               -SUM(e.amount) FILTER (WHERE e.family = 'spending') AS credits_spent,
                               -- active: a purchase or a wallet payment in the year; a refund
                               -- alone (the reversals of both families) is not activity
                               COUNT(DISTINCT e.partner_id) FILTER (
                                   WHERE e.entry_type IN ('earn', 'spend')) AS active_cards,
                               GROUPING(e.merchant_id) AS is_network_total
                          FROM loyalty_network_entry e
                          JOIN res_company rc ON rc.id = e.company_id
                         GROUP BY GROUPING SETS ((1, 2, 3), (1, 2))
                    ), issued AS (
                        -- cards in holders' hands at the end of the year: a card
                        -- replaced later still counts for that year, its
                        -- replacement from the year it was handed out
                        SELECT y.year, y.company_id, COUNT(c.id) AS cards_issued
                          FROM (SELECT DISTINCT year, company_id FROM yearly) y
                          JOIN loyalty_network_card c
                            ON c.company_id = y.company_id
                           AND c.issue_date < make_date(y.year + 1, 1, 1)
                          LEFT JOIN loyalty_network_card r ON r.id = c.replaced_by_id
                         WHERE c.state IN ('active', 'blocked')
                            OR (c.state = 'replaced'
                                AND r.issue_date >= make_date(y.year + 1, 1, 1))
                         GROUP BY 1, 2
                    )
                    SELECT row_number() OVER () AS id, yearly.year, yearly.company_id,
                           yearly.merchant_id, COALESCE(yearly.turnover, 0) AS turnover,
                           yearly.visits,
                           CASE WHEN yearly.visits > 0
                                THEN round(yearly.turnover / yearly.visits, 2) END AS average_basket,
                           COALESCE(yearly.credits_given, 0) AS credits_given,
                           COALESCE(yearly.credits_spent, 0) AS credits_spent,
                           yearly.active_cards,
                           CASE WHEN yearly.merchant_id IS NULL THEN issued.cards_issued END
                               AS cards_issued,
                           CASE WHEN yearly.merchant_id IS NULL AND issued.cards_issued > 0
                                THEN round(100.0 * yearly.active_cards / issued.cards_issued, 1)
                           END AS active_share
                      FROM yearly
                      LEFT JOIN issued
                        ON issued.year = yearly.year AND issued.company_id = yearly.company_id
                     -- entries of no shop (fees, forfeits) count in the network total only
                     WHERE yearly.merchant_id IS NOT NULL OR yearly.is_network_total = 1
                );
                CREATE UNIQUE INDEX loyalty_network_statistics_year_id_idx
                    ON loyalty_network_statistics_year (id);
                """
            )
        )
