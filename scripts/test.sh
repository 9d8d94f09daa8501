#!/usr/bin/env bash
# Command 2: set up what is missing, lint, then install the suite on a fresh
# throw-away database with tests enabled, run every addon's tests and the
# tests/ suite, print "N passed, N failed, N skipped" and drop the database.
#   ADDONS=loyalty_pos     run only this addon's tests (comma-separated list)
#   TEST_TAGS=...          Odoo --test-tags spec instead of the default
#   KEEP_DB=1              keep the test database afterwards
#   HTTP_PORT=8069         port of the test server (tours)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
WITH_BROWSER=1 WITH_PDF=1 bash "$REPO_DIR/scripts/setup.sh"
bash "$REPO_DIR/scripts/lint.sh"

DB="loyalty_test_$$"
MODULES="${ADDONS:-$SUITE_MODULES,$TEST_MODULE}"
if [ -z "${TEST_TAGS:-}" ]; then
    TEST_TAGS=$(echo "$MODULES" | tr ',' '\n' | sed 's|^|/|' | paste -sd, -)",-loyalty_benchmark"
fi
cleanup() { [ "${KEEP_DB:-0}" = 1 ] || dropdb -h 127.0.0.1 --if-exists "$DB" 2>/dev/null || true; }
trap cleanup EXIT

mkdir -p "$VAR_DIR/log"
log "Testing $MODULES on $DB (tags $TEST_TAGS)"
PYTHONPATH="$ODOO_SRC" "$PYTHON" "$REPO_DIR/scripts/run_tests.py" \
    -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" --data-dir="$VAR_DIR/filestore" \
    --http-port="$HTTP_PORT" -d "$DB" -i "$MODULES" \
    --test-enable --test-tags="$TEST_TAGS" --log-level=test 2>&1 \
    | tee "$VAR_DIR/log/test.log"
