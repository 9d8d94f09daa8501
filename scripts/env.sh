# Shared settings of the project scripts (sourced, not run).
# Everything heavy lives outside the checkout, in a cache folder, so that a
# fresh clone (CI) reuses the Odoo tree and the virtualenv.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${LOYALTY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/annonay-loyalty}"
ODOO_SRC="${ODOO_SRC:-$CACHE_DIR/odoo}"
VENV_DIR="${LOYALTY_VENV:-$CACHE_DIR/venv}"
PYTHON="$VENV_DIR/bin/python"
VAR_DIR="$REPO_DIR/var"
ODOO_CONF="$REPO_DIR/odoo.conf"
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_DIR/addons,$REPO_DIR/tests"
SUITE_MODULES="annonay_loyalty,loyalty_pos,loyalty_portal,loyalty_settlement,loyalty_voucher"
TEST_MODULE="loyalty_network_tests"
HTTP_PORT="${HTTP_PORT:-8069}"

log() { printf '\033[1m[loyalty]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[loyalty] %s\033[0m\n' "$*" >&2; exit 1; }

odoo_bin() {
    "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
        --data-dir="$VAR_DIR/filestore" --http-port="$HTTP_PORT" "$@"
}
