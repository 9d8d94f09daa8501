"""Run Odoo with the given options and print the suite's closing line.

Odoo counts tests, failures, errors and skips in the registry's test report
but has no closing line of its own; this prints ``N passed, N failed,
N skipped`` from that report and exits non-zero on any failure, error or
skipped test (a tour skipped for want of a browser must not pass), or when no
test ran at all.
"""

import sys

from odoo.orm.registry import Registry
from odoo.service import db, server
from odoo.tools import config


def main(args):
    config.parse_config(args, setup_logging=True)
    for db_name in config["db_name"]:
        try:
            db._create_empty_database(db_name)
            config["init"]["base"] = True
        except db.DatabaseExists:
            pass
    rc = server.start(preload=config["db_name"], stop=True)

    run = failed = skipped = 0
    for db_name in config["db_name"]:
        registry = Registry.registries.get(db_name)
        report = registry and registry._assertion_report
        if not report:
            rc = rc or 1
            continue
        run += report.testsRun
        failed += report.failures_count + report.errors_count
        skipped += report.skipped
    passed = run - failed - skipped
    print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
    if rc:
        print("Odoo stopped with errors (see the log above).", file=sys.stderr)
    elif failed or skipped:
        print("Failed or skipped tests (see the log above).", file=sys.stderr)
    elif not run:
        print("No test ran.", file=sys.stderr)
    return 1 if rc or failed or skipped or not run else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
