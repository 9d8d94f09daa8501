"""Measure the network at scale on a generated database (see generate_data.py).

    python tests/benchmarks/run_benchmarks.py DBNAME

Prints: credit latency p50/p99 and credits/s through the JSON API with 1 and
4 workers (servers started here on loopback, bounded request counts),
the inactivity forfeit run, the statistics refresh and queries, a monthly
settlement run, and the database size. The in-process measurements are
rolled back, so the database can be measured again.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta

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


def http_benchmarks(dbname, cards):
    for workers, clients, total, port in ((0, 1, 300, 8391), (4, 8, 800, 8392)):
        server = subprocess.Popen(odoo_args(dbname, port, workers), stdout=subprocess.DEVNULL)
        try:
            for _attempt in range(120):
                try:
                    requests.get(f"http://127.0.0.1:{port}/web/login", timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(1)
            load(dbname, port, cards, 20, 1)  # warm-up
            latencies, errors, wall = load(dbname, port, cards, total, clients)
            if not latencies:
                print(f"BENCH credit via HTTP failed: {errors[:3]}", flush=True)
                continue
            latencies.sort()
            label = f"{max(workers, 1)} worker(s), {clients} client(s)"
            print(
                f"BENCH credit via HTTP, {label}: p50 {statistics.median(latencies) * 1000:.1f} ms, "
                f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms, "
                f"{len(latencies) / wall:.0f} credits/s, {len(errors)} errors",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    database = sys.argv[1]
    card_numbers = in_process(database)
    http_benchmarks(database, card_numbers)
