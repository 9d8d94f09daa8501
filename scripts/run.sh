#!/usr/bin/env bash
# Command 1: set up what is missing, create the demo database once (all four
# addons with demo data), and serve it on http://localhost:${HTTP_PORT:-8069}.
#   DB=name          demo database name (default annonay_demo)
#   RESET_DEMO=1     drop the demo database and create it again
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
WITH_PDF=1 bash "$REPO_DIR/scripts/setup.sh"

DB="${DB:-annonay_demo}"
if [ "${RESET_DEMO:-0}" = 1 ]; then
    log "Dropping $DB"
    dropdb -h 127.0.0.1 --if-exists "$DB"
fi
if ! psql -h 127.0.0.1 -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    log "Creating the demo database $DB (all four addons, demo data; a few minutes)"
    odoo_bin -d "$DB" -i "$SUITE_MODULES" --with-demo --stop-after-init --log-level=warn \
        || { dropdb -h 127.0.0.1 --if-exists "$DB"; die "Demo database creation failed."; }
fi

cat <<MSG

  Loyalty network demo on http://localhost:$HTTP_PORT  (database $DB)
    association staff : admin / admin
    merchant user     : merchant@demo.annonay.example / merchant
    cardholder portal : holder@demo.annonay.example / holder
    member directory  : http://localhost:$HTTP_PORT/loyalty/shops
  Stop with Ctrl-C.

MSG
exec_odoo() { odoo_bin -d "$DB" --db-filter="^$DB\$" "$@"; }
exec_odoo
