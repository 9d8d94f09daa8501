"""Measure the network at scale on a generated database (see generate_data.py).

    python tests/benchmarks/run_benchmarks.py DBNAME

Prints: credit latency p50/p95/p99 and credits/s through the JSON API with 1
and 4 workers (servers started here on loopback, bounded request counts), next
to the floor of bare PostgreSQL measured with pgbench in the same run (lock a
wallet row, insert an entry, update the balance, commit, on tables of the
ledger's shape) and their ratio; the inactivity forfeit run, the statistics
refresh and queries, a monthly settlement run, and the database size. The
in-process measurements are rolled back, so the database can be measured
again. Figures only: nothing is asserted about time.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta

import psutil
import psycopg2
import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("LOYALTY_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "annonay-loyalty"
)
ODOO_SRC = os.environ.get("ODOO_SRC") or os.path.join(CACHE, "odoo")
sys.path.insert(0, ODOO_SRC)

LOGIN, PASSWORD = "bench-cashier", "bench-cashier-password"


def odoo_args(dbname, port, workers):
    addons = ",".join(
        [f"{ODOO_SRC}/addons", f"{ODOO_SRC}/odoo/addons", f"{REPO}/addons", f"{REPO}/tests"]
    )
    return [
        sys.executable,
        f"{ODOO_SRC}/odoo-bin",
        "-c",
        f"{REPO}/odoo.conf",
        f"--addons-path={addons}",
        f"--data-dir={REPO}/var/filestore",
        "-d",
        dbname,
        f"--db-filter=^{dbname}$",
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
        f"--workers={workers}",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]


def in_process(dbname):
    import odoo
    from odoo import api
    from odoo.orm.registry import Registry
    from odoo.tools import config

    config.parse_config(odoo_args(dbname, 8399, 0)[2:], setup_logging=False)
    registry = Registry(dbname)
    figures = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        # A cashier for the HTTP load, committed once.
        merchant = env["loyalty.network.merchant"].search(
            [("name", "=like", "Bench shop %")], limit=1
        )
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Bench cashier",
                    "login": LOGIN,
                    "password": PASSWORD,
                    "group_ids": [
                        (
                            6,
                            0,
                            [
                                env.ref("base.group_user").id,
                                env.ref("annonay_loyalty.annonay_loyalty_group_merchant").id,
                            ],
                        )
                    ],
                }
            )
            merchant.user_ids = [(4, user.id)]
            cr.commit()
        cards = (
            env["loyalty.network.card"]
            .search([("merchant_id", "=", merchant.id), ("state", "=", "active")], limit=2000)
            .mapped("name")
        )
        if os.environ.get("BENCH_CREDIT_ONLY"):  # only the credit and the floor
            return cards

        def timed(label, function):
            start = time.perf_counter()
            result = function()
            figures[label] = time.perf_counter() - start
            print(f"BENCH {label}: {figures[label]:.2f} s ({result})", flush=True)
            cr.rollback()

        timed(
            "inactivity forfeit run",
            lambda: f"{env['loyalty.network.wallet']._forfeit_inactive_wallets(company)} wallets",
        )
        company.loyalty_inactivity_months = 1  # rolled back: most wallets are due
        timed(
            "inactivity forfeit run, 1-month period (most wallets due)",
            lambda: f"{env['loyalty.network.wallet']._forfeit_inactive_wallets(company)} wallets",
        )
        timed(
            "statistics refresh (materialized views)",
            lambda: env["loyalty.network.statistics"]._refresh(),
        )
        env["loyalty.network.statistics"]._refresh()
        cr.commit()
        timed(
            "statistics query: yearly network table",
            lambda: len(
                env["loyalty.network.statistics.year"].search_read([], ["year", "turnover"])
            ),
        )
        timed(
            "statistics query: pivot by month and shop",
            lambda: len(
                env["loyalty.network.statistics"]._read_group(
                    [], ["month:month", "merchant_id"], ["turnover:sum", "credits_given:sum"]
                )
            ),
        )
        if "loyalty.network.settlement" in env:
            settlement_run(env, company)
        cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"BENCH database size: {cr.fetchone()[0]}", flush=True)
    return cards


def settlement_run(env, company):
    """Last month settled as the monthly cron does it, rolled back afterwards:
    the ledger closed in one transaction, then merchants invoiced by batches
    (each batch is committed by the cron; here the batches are timed only)."""
    from odoo.addons.loyalty_settlement.models.loyalty_network_settlement import (
        INVOICE_BATCH_SIZE,
    )

    last = date.today().replace(day=1) - timedelta(days=1)
    Settlement = env["loyalty.network.settlement"]
    start = time.perf_counter()
    settlements = Settlement._run_period(company, last.replace(day=1), last, invoice=False)
    closed = time.perf_counter() - start
    print(
        f"BENCH monthly settlement, ledger close (all shops, everything unsettled up to"
        f" last month): {closed:.2f} s ({len(settlements)} settlements,"
        f" {sum(settlements.mapped('entry_count'))} entries)",
        flush=True,
    )
    pending = settlements.filtered("merchant_id")
    start = time.perf_counter()
    for batch in range(0, len(pending), INVOICE_BATCH_SIZE):
        pending[batch : batch + INVOICE_BATCH_SIZE]._create_moves()
    invoiced = time.perf_counter() - start
    print(
        f"BENCH monthly settlement, merchant invoices (batches of {INVOICE_BATCH_SIZE}):"
        f" {invoiced:.2f} s ({len(pending)} invoices,"
        f" {1000 * invoiced / max(len(pending), 1):.0f} ms each)",
        flush=True,
    )
    env.cr.rollback()


def load(dbname, port, cards, requests_total, clients):
    """Credits through the JSON API from ``clients`` threads; returns latencies (s)."""
    latencies, lock, errors = [], threading.Lock(), []
    per_client = requests_total // clients

    def client(index):
        session = requests.Session()
        session.post(
            f"http://127.0.0.1:{port}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": dbname, "login": LOGIN, "password": PASSWORD},
            },
            timeout=30,
        )
        for n in range(per_client):
            card = cards[(index * per_client + n) % len(cards)]
            start = time.perf_counter()
            response = session.post(
                f"http://127.0.0.1:{port}/loyalty/api/credit",
                json={
                    "jsonrpc": "2.0",
                    "params": {"card_number": card, "amount": 25.0, "source_ref": uuid.uuid4().hex},
                },
                timeout=30,
            ).json()
            elapsed = time.perf_counter() - start
            with lock:
                (errors if "error" in response else latencies).append(
                    response.get("error", {}).get("data", {}).get("message") or elapsed
                )

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    wall = time.perf_counter() - start
    return latencies, errors, wall


def server_cpu(pid):
    """CPU seconds used so far by the Odoo server and its workers."""
    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def percentile(sorted_values, share):
    return sorted_values[max(int(len(sorted_values) * share) - 1, 0)]


def http_benchmarks(dbname, cards):
    """Credits through the JSON API with 1 worker (1 client) and 4 workers
    (8 clients); returns {workers: credits/s}."""
    throughput = {}
    runs = ((1, 1, 300, 8391), (4, 8, 800, 8392))
    if os.environ.get("BENCH_WORKERS"):  # e.g. BENCH_WORKERS=1: only that run
        runs = [run for run in runs if str(run[0]) in os.environ["BENCH_WORKERS"].split(",")]
    for workers, clients, total, port in runs:
        server = subprocess.Popen(odoo_args(dbname, port, workers), stdout=subprocess.DEVNULL)
        try:
            for _attempt in range(120):
                try:
                    requests.get(f"http://127.0.0.1:{port}/web/login", timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(1)
            load(dbname, port, cards, 20 * clients, clients)  # warm-up of every worker
            cpu_before = server_cpu(server.pid)
            latencies, errors, wall = load(dbname, port, cards, total, clients)
            cpu = (server_cpu(server.pid) - cpu_before) / max(len(latencies), 1)
            if not latencies:
                print(f"BENCH credit via HTTP failed: {errors[:3]}", flush=True)
                continue
            latencies.sort()
            throughput[workers] = len(latencies) / wall
            print(
                f"BENCH credit via HTTP, {workers} worker(s), {clients} client(s):"
                f" p50 {statistics.median(latencies) * 1000:.1f} ms,"
                f" p95 {percentile(latencies, 0.95) * 1000:.1f} ms,"
                f" p99 {percentile(latencies, 0.99) * 1000:.1f} ms,"
                f" {throughput[workers]:.0f} credits/s, {len(errors)} errors;"
                f" Odoo CPU {cpu * 1000:.1f} ms per credit (less sensitive to the load)",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(60)
    return throughput


FLOOR_SCRIPT = """
\\set w random(1, {wallets})
BEGIN;
SELECT balance FROM bench_floor_wallet WHERE id = :w FOR UPDATE;
INSERT INTO bench_floor_entry (wallet_id, partner_id, company_id, currency_id, user_id,
    merchant_id, plan_id, date, entry_type, family, source_ref, purchase_amount,
    eligible_amount, cardholder_rate, base_credit, merchant_contribution, network_fee, amount,
    balance_after, create_uid, create_date, write_uid, write_date)
SELECT id, partner_id, company_id, {currency}, 2, {merchant}, {plan}, now() AT TIME ZONE 'UTC',
    'earn', 'earning', 'floor/' || md5(random()::text), 25.00, 25.00, 4, 1.00, 1.25, 0.25, 1.00,
    balance + 1.00, 2, now() AT TIME ZONE 'UTC', 2, now() AT TIME ZONE 'UTC'
  FROM bench_floor_wallet WHERE id = :w;
UPDATE bench_floor_wallet SET balance = balance + 1.00 WHERE id = :w;
COMMIT;
"""


def pgbench_floor(dbname, cards, seconds=15):
    """Bare PostgreSQL doing what a credit must do at least: lock the wallet
    row, insert an entry, update the balance, commit. On copies of the wallet
    (the benchmark's wallets) and ledger tables: same columns, indexes, unique
    reference and foreign keys; the copy of the ledger starts empty.
    Returns {clients: transactions/s}."""
    pgbench = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    if not os.path.exists(pgbench):
        print("BENCH PostgreSQL floor: pgbench not found (postgresql-contrib)", flush=True)
        return {}
    conn = psycopg2.connect(dbname=dbname, host="127.0.0.1")
    try:
        with conn, conn.cursor() as cr:
            cr.execute("DROP TABLE IF EXISTS bench_floor_entry, bench_floor_wallet")
            cr.execute(
                "CREATE TABLE bench_floor_wallet (LIKE loyalty_network_wallet INCLUDING ALL)"
            )
            cr.execute("CREATE TABLE bench_floor_entry (LIKE loyalty_network_entry INCLUDING ALL)")
            cr.execute("CREATE SEQUENCE IF NOT EXISTS bench_floor_entry_seq")
            cr.execute(
                "ALTER TABLE bench_floor_entry ALTER id SET DEFAULT nextval('bench_floor_entry_seq')"
            )
            cr.execute(
                """
                INSERT INTO bench_floor_wallet
                SELECT w.* FROM loyalty_network_wallet w
                  JOIN loyalty_network_card c ON c.partner_id = w.partner_id
                 WHERE c.name = ANY(%s)
                """,
                [cards],
            )
            # Wallets numbered 1..n, so that pgbench picks one at random.
            cr.execute(
                """
                UPDATE bench_floor_wallet w SET id = -n.rank
                  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank
                          FROM bench_floor_wallet) n
                 WHERE w.id = n.id
                """
            )
            cr.execute("UPDATE bench_floor_wallet SET id = -id")
            cr.execute(
                """
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = 'loyalty_network_entry'::regclass AND contype = 'f'
                """
            )
            for name, definition in cr.fetchall():
                definition = definition.replace(
                    "REFERENCES loyalty_network_wallet(", "REFERENCES bench_floor_wallet("
                )
                cr.execute(
                    f'ALTER TABLE bench_floor_entry ADD CONSTRAINT "floor_{name}" {definition}'
                )
            cr.execute("SELECT count(*) FROM bench_floor_wallet")
            wallets = cr.fetchone()[0]
            cr.execute("SELECT currency_id FROM res_company ORDER BY id LIMIT 1")
            currency = cr.fetchone()[0]
            cr.execute(
                "SELECT id, plan_id FROM loyalty_network_merchant"
                " WHERE name LIKE 'Bench shop %%' ORDER BY id LIMIT 1"
            )
            merchant, plan = cr.fetchone()
            cr.execute("ANALYZE bench_floor_wallet")
        script = FLOOR_SCRIPT.format(
            wallets=wallets, currency=currency, merchant=merchant, plan=plan
        )
        floor = {}
        with tempfile.NamedTemporaryFile("w", suffix=".sql") as handle:
            handle.write(script)
            handle.flush()
            for clients in (1, 4):
                result = subprocess.run(
                    [
                        pgbench,
                        "-h",
                        "127.0.0.1",
                        "-n",
                        "-f",
                        handle.name,
                        "-c",
                        str(clients),
                        "-j",
                        str(clients),
                        "-T",
                        str(seconds),
                        dbname,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                found = re.search(r"tps = ([0-9.]+)", result.stdout)
                if not found:
                    print(f"BENCH PostgreSQL floor failed: {result.stderr[-300:]}", flush=True)
                    continue
                latency = re.search(r"latency average = ([0-9.]+) ms", result.stdout)
                floor[clients] = float(found.group(1))
                print(
                    f"BENCH PostgreSQL floor (pgbench: lock wallet, insert entry, update"
                    f" balance, commit), {clients} client(s): {floor[clients]:.0f} tps,"
                    f" latency {latency.group(1) if latency else '?'} ms",
                    flush=True,
                )
    finally:
        with conn, conn.cursor() as cr:
            cr.execute("DROP TABLE IF EXISTS bench_floor_entry, bench_floor_wallet")
            cr.execute("DROP SEQUENCE IF EXISTS bench_floor_entry_seq")
        conn.close()
    return floor


def report_ratio(throughput, floor):
    for workers, clients in ((1, 1), (4, 4)):
        if workers in throughput and clients in floor:
            ratio = 100 * throughput[workers] / floor[clients]
            print(
                f"BENCH credit throughput vs PostgreSQL floor: Odoo {workers} worker(s)"
                f" {throughput[workers]:.0f} credits/s, floor {clients} client(s)"
                f" {floor[clients]:.0f} tps: {ratio:.1f} % of the floor (goal >= 10 %)",
                flush=True,
            )


if __name__ == "__main__":
    database = sys.argv[1]
    started = time.perf_counter()
    print(f"BENCH machine load (1, 5, 15 min): {os.getloadavg()}, {os.cpu_count()} CPU", flush=True)
    card_numbers = in_process(database)
    credits_per_second = http_benchmarks(database, card_numbers)
    if os.environ.get("BENCH_FLOOR", "1") != "0":
        report_ratio(credits_per_second, pgbench_floor(database, card_numbers))
    print(
        f"BENCH run took {time.perf_counter() - started:.0f} s;"
        f" machine load (1, 5, 15 min): {os.getloadavg()}",
        flush=True,
    )
