#!/usr/bin/env bash
# Benchmarks: install the suite on a throw-away database and run only the
# tests tagged loyalty_benchmark (Odoo's pos_loyalty too, to compare with it);
# they print their figures in the log.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ADDONS="${ADDONS:-$SUITE_MODULES,$TEST_MODULE,pos_loyalty}" \
TEST_TAGS="${TEST_TAGS:-loyalty_benchmark}" \
    bash "$REPO_DIR/scripts/test.sh"
