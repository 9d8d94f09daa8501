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
    # The association is French: the database starts in French (English is
    # loaded too, for users who prefer it) with a French main company in euros on Paris time. Accounting
    # is installed first, so that the company gets the French chart of accounts
    # (l10n_fr), then the suite, all without demo data; then the demo data of
    # every module but Odoo's accounting ones, which would put the generic chart
    # in dollars on the association.
    odoo_cli() {
        "$PYTHON" "$ODOO_SRC/odoo-bin" "$1" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
            --data-dir="$VAR_DIR/filestore" "${@:2}"
    }
    { odoo_cli db init "$DB" --language=fr_FR --country=FR \
      && odoo_bin -d "$DB" -i l10n_fr_account --load-language=en_US --stop-after-init --log-level=warn \
      && odoo_bin -d "$DB" -i "$SUITE_MODULES" --stop-after-init --log-level=warn \
      && odoo_cli shell -d "$DB" --no-http --log-level=warn <<'PY'
from odoo.modules.loading import load_demo
from odoo.modules.module_graph import ModuleGraph

env.cr.execute("UPDATE ir_module_module SET demo = True WHERE state = 'installed'")
env.cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
graph = ModuleGraph(env.cr, mode="load")
graph.extend([name for (name,) in env.cr.fetchall()])
for package in graph:
    if package.name != "account" and not package.name.startswith("l10n_"):
        load_demo(env, package, {}, "init")
env.cr.commit()
PY
    } \
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
