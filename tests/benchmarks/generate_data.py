"""Fill a database where the suite is installed with a network at scale.

Set-based SQL (generate_series), so 10 M ledger entries take minutes, not
hours. Entries are plain purchase credits at the Standard plan (4 % + 1 %)
spread over the last 13 months; every wallet balance is then set to the sum
of its entries, so the ledger invariant holds on the generated data.

    python tests/benchmarks/generate_data.py DBNAME [merchants] [holders] [entries]

Run it on a throw-away database (see tests/README.md): it is not undone.
"""

import sys
import time

import psycopg2

SECONDARY_ENTRY_INDEXES = [
    "loyalty_network_entry_partner_date_idx",
    "loyalty_network_entry_merchant_date_idx",
    "loyalty_network_entry__wallet_id_index",
    "loyalty_network_entry__card_id_index",
    "loyalty_network_entry__date_index",
]


def step(cr, label, sql, params=None):
    start = time.perf_counter()
    cr.execute(sql, params)
    print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)


def create_history_settlement(cr, company_id):
    """Months before the last one are settled already, as they would be in
    production: one history settlement holds them, so that a benchmark of the
    monthly run settles one month."""
    cr.execute(
        """
        INSERT INTO loyalty_network_settlement (name, company_id, date_from, date_to,
                                                create_date, write_date)
        VALUES ('Generated history', %s, '2000-01-01',
                date_trunc('month', now() - interval '1 month')::date - 1, now(), now())
        RETURNING id
        """,
        (company_id,),
    )
    return cr.fetchone()[0]


def main(dbname, merchants=1000, holders=1_000_000, entries=10_000_000):
    conn = psycopg2.connect(dbname=dbname, host="127.0.0.1")
    conn.autocommit = False
    cr = conn.cursor()
    cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
    company_id, currency_id = cr.fetchone()
    cr.execute(
        "SELECT id FROM loyalty_network_plan WHERE company_id = %s ORDER BY sequence LIMIT 1",
        (company_id,),
    )
    plan_id = cr.fetchone()[0]
    print(f"Generating {merchants} merchants, {holders} holders, {entries} entries")
    params = {
        "company": company_id,
        "currency": currency_id,
        "plan": plan_id,
        "merchants": merchants,
        "holders": holders,
        "entries": entries,
        "history": create_history_settlement(cr, company_id),
    }
    step(
        cr,
        "merchant partners",
        """
        INSERT INTO res_partner (name, is_company, active, autopost_bills, company_id,
                                 create_date, write_date, complete_name)
        SELECT 'Bench shop ' || i, true, true, 'ask', %(company)s, now(), now(), 'Bench shop ' || i
          FROM generate_series(1, %(merchants)s) i
        """,
        params,
    )
    step(
        cr,
        "merchants",
        """
        INSERT INTO loyalty_network_merchant (partner_id, name, company_id, plan_id, state,
                                              is_published, create_date, write_date)
        SELECT p.id, p.name, %(company)s, %(plan)s, 'active', true, now(), now()
          FROM res_partner p WHERE p.name LIKE 'Bench shop %%'
        """,
        params,
    )
    step(
        cr,
        "holder partners",
        """
        INSERT INTO res_partner (name, active, autopost_bills, is_loyalty_holder,
                                 loyalty_member_since, loyalty_email_consent,
                                 loyalty_sms_consent, create_date, write_date, complete_name,
                                 email)
        SELECT 'Bench holder ' || i, true, 'ask', true, current_date - (i %% 3000),
               i %% 3 = 0, i %% 5 = 0, now(), now(), 'Bench holder ' || i,
               'holder' || i || '@bench.example'
          FROM generate_series(1, %(holders)s) i
        """,
        params,
    )
    cr.execute(
        "CREATE TEMP TABLE bench_holder AS SELECT id, row_number() OVER (ORDER BY id) AS n "
        "FROM res_partner WHERE name LIKE 'Bench holder %%'"
    )
    cr.execute(
        "CREATE TEMP TABLE bench_shop AS SELECT id, row_number() OVER (ORDER BY id) AS n "
        "FROM loyalty_network_merchant WHERE name LIKE 'Bench shop %%'"
    )
    cr.execute("CREATE INDEX ON bench_holder (n); CREATE INDEX ON bench_shop (n)")
    step(
        cr,
        "cards (EAN-13 2991...)",
        """
        INSERT INTO loyalty_network_card (name, company_id, state, partner_id, merchant_id,
                                          issue_date, create_date, write_date)
        SELECT body || ((10 - ((
                   3 * (substr(body, 2, 1)::int + substr(body, 4, 1)::int + substr(body, 6, 1)::int
                      + substr(body, 8, 1)::int + substr(body, 10, 1)::int + substr(body, 12, 1)::int)
                   + substr(body, 1, 1)::int + substr(body, 3, 1)::int + substr(body, 5, 1)::int
                   + substr(body, 7, 1)::int + substr(body, 9, 1)::int + substr(body, 11, 1)::int
               ) %% 10)) %% 10)::text,
               %(company)s, 'active', h.id, s.id, current_date - (h.n %% 3000)::int, now(), now()
          FROM (SELECT h.*, '2991' || lpad(h.n::text, 8, '0') AS body FROM bench_holder h) h
          JOIN bench_shop s ON s.n = 1 + h.n %% %(merchants)s
        """,
        params,
    )
    step(
        cr,
        "wallets",
        """
        INSERT INTO loyalty_network_wallet (partner_id, company_id, balance, total_turnover,
                                            is_opening_fee_paid, create_date, write_date)
        SELECT id, %(company)s, 0, 0, false, now(), now() FROM bench_holder
        """,
        params,
    )
    step(
        cr,
        "customers",
        """
        INSERT INTO loyalty_network_customer (partner_id, merchant_id, first_visit_date,
                                              last_visit_date, create_date, write_date)
        SELECT h.id, s.id, now(), now(), now(), now()
          FROM bench_holder h JOIN bench_shop s ON s.n = 1 + h.n %% %(merchants)s
        """,
        params,
    )
    for index in SECONDARY_ENTRY_INDEXES:
        cr.execute(f"DROP INDEX IF EXISTS {index}")
    step(
        cr,
        "entries",
        """
        WITH gen AS (
            SELECT i, 1 + (hashint4(i) & 2147483647) %% %(holders)s AS hn,
                   1 + (hashint4(i + 7) & 2147483647) %% %(merchants)s AS sn,
                   round((5 + (hashint4(i + 13) & 2147483647) %% 14500 / 100.0)::numeric, 2)
                       AS purchase,
                   now() - ((hashint4(i + 17) & 2147483647) %% (395 * 24 * 60)) * interval '1 minute'
                       AS at
              FROM generate_series(1, %(entries)s) i
        )
        INSERT INTO loyalty_network_entry (
            wallet_id, partner_id, company_id, currency_id, card_id, merchant_id, date,
            entry_type, source_ref, amount, balance_after, purchase_amount, eligible_amount,
            plan_id, cardholder_rate, base_credit, merchant_contribution, network_fee,
            create_date, write_date)
        SELECT w.id, h.id, %(company)s, %(currency)s, NULL, s.id, gen.at, 'earn',
               'bench/' || gen.i, round(gen.purchase * 0.04, 2), 0, gen.purchase, gen.purchase,
               %(plan)s, 4, round(gen.purchase * 0.04, 2), round(gen.purchase * 0.05, 2),
               round(gen.purchase * 0.05, 2) - round(gen.purchase * 0.04, 2), now(), now()
          FROM gen
          JOIN bench_holder h ON h.n = gen.hn
          JOIN bench_shop s ON s.n = gen.sn
          JOIN loyalty_network_wallet w ON w.partner_id = h.id
        """,
        params,
    )
    step(
        cr,
        "settle months before the last one (link table)",
        """
        INSERT INTO loyalty_network_settlement_entry_rel (settlement_id, entry_id)
        SELECT %(history)s, id FROM loyalty_network_entry
         WHERE date < date_trunc('month', now() - interval '1 month')
        """,
        params,
    )
    for index in SECONDARY_ENTRY_INDEXES:
        columns = {
            "loyalty_network_entry_partner_date_idx": "(partner_id, date DESC)",
            "loyalty_network_entry_merchant_date_idx": "(merchant_id, date)",
            "loyalty_network_entry__wallet_id_index": "(wallet_id)",
            "loyalty_network_entry__card_id_index": "(card_id) WHERE card_id IS NOT NULL",
            "loyalty_network_entry__date_index": "(date)",
        }[index]
        step(cr, f"index {index}", f"CREATE INDEX {index} ON loyalty_network_entry {columns}")
    step(
        cr,
        "wallet balances = sum of entries",
        """
        UPDATE loyalty_network_wallet w
           SET balance = t.total, total_turnover = t.turnover, last_activity_date = t.last_day
          FROM (SELECT wallet_id, SUM(amount) AS total, SUM(purchase_amount) AS turnover,
                       MAX(date)::date AS last_day
                  FROM loyalty_network_entry GROUP BY wallet_id) t
         WHERE w.id = t.wallet_id
        """,
    )
    step(cr, "analyze", "ANALYZE")
    conn.commit()
    cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    print(f"Database size: {cr.fetchone()[0]}")


if __name__ == "__main__":
    main(sys.argv[1], *[int(a) for a in sys.argv[2:]])
