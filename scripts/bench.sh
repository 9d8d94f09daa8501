#!/usr/bin/env bash
# Benchmarks: install the suite on a throw-away database and run only the
# tests tagged loyalty_benchmark (Odoo's pos_loyalty too, to compare with it);
# they print their figures in the log. Then a small generated network is
# measured through HTTP as bench-scale does (credit p50/p95, credits/s with 1
# and 4 workers next to the PostgreSQL floor measured with pgbench).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ADDONS="${ADDONS:-$SUITE_MODULES,$TEST_MODULE,pos_loyalty}" \
TEST_TAGS="${TEST_TAGS:-loyalty_benchmark}" \
    bash "$REPO_DIR/scripts/test.sh"
log "Small network: ${SMALL_MERCHANTS:-20} shops, ${SMALL_HOLDERS:-5000} holders, ${SMALL_ENTRIES:-50000} entries"
DB="loyalty_bench_small_$$" KEEP_DB=0 MERCHANTS="${SMALL_MERCHANTS:-20}" \
HOLDERS="${SMALL_HOLDERS:-5000}" ENTRIES="${SMALL_ENTRIES:-50000}" \
    bash "$REPO_DIR/scripts/bench_scale.sh"
