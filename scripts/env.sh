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
# OCA addons installed as wheels (requirements-oca.txt) land in the virtualenv's
# site-packages/odoo/addons; Odoo's own `odoo` package still comes from ODOO_SRC.
# On a fresh machine the virtualenv does not exist yet when this file is sourced:
# the folder is where the setup (run before Odoo by every command) installs them.
if [ -x "$PYTHON" ]; then
    OCA_SITE=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
else
    OCA_SITE="$VENV_DIR/lib/$("${SYSTEM_PYTHON:-python3}" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')/site-packages"
fi
ADDONS_PATH="$ADDONS_PATH,$OCA_SITE/odoo/addons"
SUITE_MODULES="annonay_loyalty,loyalty_pos,loyalty_portal,loyalty_settlement,loyalty_sponsorship,loyalty_sepa,loyalty_api,loyalty_voucher"
TEST_MODULE="loyalty_network_tests"
HTTP_PORT="${HTTP_PORT:-8069}"

log() { printf '\033[1m[loyalty]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[loyalty] %s\033[0m\n' "$*" >&2; exit 1; }

odoo_bin() {
    "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
        --data-dir="$VAR_DIR/filestore" --http-port="$HTTP_PORT" "$@"
}
