#!/usr/bin/env bash
# Scale benchmark: a throw-away database with the core and settlement addons,
# filled by tests/benchmarks/generate_data.py, then measured by
# tests/benchmarks/run_benchmarks.py (figures printed as "BENCH ...").
#   MERCHANTS=1000 HOLDERS=1000000 ENTRIES=10000000 make bench-scale
#   DB=loyalty_bench KEEP_DB=1 to keep the database for another run
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_DIR/scripts/setup.sh"
DB="${DB:-loyalty_bench}"
cleanup() { [ "${KEEP_DB:-0}" = 1 ] || dropdb -h 127.0.0.1 --if-exists "$DB"; }
trap cleanup EXIT
if ! psql -h 127.0.0.1 -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    log "Installing the suite on $DB"
    odoo_bin -d "$DB" -i annonay_loyalty,loyalty_settlement --stop-after-init --log-level=warn
    log "Generating data"
    "$PYTHON" "$REPO_DIR/tests/benchmarks/generate_data.py" "$DB" \
        "${MERCHANTS:-1000}" "${HOLDERS:-1000000}" "${ENTRIES:-10000000}"
fi
"$PYTHON" "$REPO_DIR/tests/benchmarks/run_benchmarks.py" "$DB" 2>&1 | grep --line-buffered "BENCH"
