#!/usr/bin/env bash
# Idempotent setup: PostgreSQL, system packages, Odoo 19.0 source, virtualenv.
# Re-running it does nothing when everything is in place.
#   ODOO_SRC=/path/to/odoo   use this Odoo 19.0 source tree instead of the cache
#   WITH_BROWSER=1           also install Debian's chromium (needed by the tests)
#   WITH_PDF=1               also install Debian's wkhtmltopdf (PDF reports; the run command)
#   APT_LOCK_WAIT=600        seconds to wait for another apt/dpkg run to release its locks
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "Run as root (or install sudo) to set up: $*"
    fi
}

# Another apt/dpkg run (unattended upgrades, a package window) may hold the locks:
# wait for it, up to APT_LOCK_WAIT seconds, instead of failing.
APT_LOCK_WAIT="${APT_LOCK_WAIT:-600}"
APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock)
wait_for_apt_locks() {
    command -v fuser >/dev/null || return 0  # apt-get's own lock timeout below still waits
    local waited=0
    while as_root fuser "${APT_LOCKS[@]}" >/dev/null 2>&1; do
        [ "$waited" = 0 ] && log "Another apt/dpkg process is running: waiting for it to finish (up to ${APT_LOCK_WAIT}s)"
        [ "$waited" -ge "$APT_LOCK_WAIT" ] && die "apt/dpkg is still busy after ${APT_LOCK_WAIT}s: let it finish, then run this again."
        sleep 5
        waited=$((waited + 5))
    done
}
apt_get() {
    wait_for_apt_locks
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@"
}

APT_UPDATED=
apt_install() {
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "Installing Debian packages: ${missing[*]}"
    [ -n "$APT_UPDATED" ] || { apt_get update -qq; APT_UPDATED=1; }
    apt_get install -y -qq "${missing[@]}" >/dev/null
}

setup_postgresql() {
    if ! command -v pg_isready >/dev/null || ! pg_isready -q -h 127.0.0.1 -p 5432; then
        command -v pg_ctlcluster >/dev/null || apt_install postgresql
        log "Starting PostgreSQL"
        as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n1)" main start \
            || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL does not answer on 127.0.0.1:5432."
    fi
    # A role for the current OS user, allowed to create databases.
    if ! psql -h 127.0.0.1 -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        log "Creating the PostgreSQL role $(id -un)"
        as_root su postgres -c "createuser --createdb --superuser $(id -un)" \
            || die "Create a PostgreSQL role for $(id -un): sudo -u postgres createuser -s $(id -un)"
    fi
}

setup_system_packages() {
    command -v git >/dev/null || apt_install git
    "${SYSTEM_PYTHON:-python3}" -c "import ensurepip, venv" 2>/dev/null || apt_install python3-venv
    if [ "${WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null; then
        apt_install chromium
    fi
    # PDF reports (settlement statements, invoices) are printed by wkhtmltopdf.
    if [ "${WITH_PDF:-0}" = 1 ] && ! command -v wkhtmltopdf >/dev/null; then
        apt_install wkhtmltopdf
    fi
}

setup_odoo_source() {
    if [ -f "$ODOO_SRC/odoo-bin" ]; then return 0; fi
    [ -e "$ODOO_SRC" ] && die "ODOO_SRC=$ODOO_SRC exists but holds no odoo-bin."
    log "Cloning Odoo 19.0 into $ODOO_SRC (shallow)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --quiet --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC"
}

setup_virtualenv() {
    local stamp="$VENV_DIR/.requirements.sha1" wanted
    [ -x "$PYTHON" ] || { log "Creating the virtualenv $VENV_DIR"; "${SYSTEM_PYTHON:-python3}" -m venv "$VENV_DIR"; }
    wanted=$(cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements.txt" "$REPO_DIR/requirements-oca.txt" "$REPO_DIR/scripts/odoo_requirements.py" | sha1sum | cut -d' ' -f1)
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && return 0
    log "Installing Python requirements (Odoo's and the project's)"
    "$PYTHON" "$REPO_DIR/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" > "$VENV_DIR/odoo-requirements.txt"
    # (grep drops warnings about local package folders some machines configure)
    "$PYTHON" -m pip install -q -r "$VENV_DIR/odoo-requirements.txt" -r "$REPO_DIR/requirements.txt" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    # OCA addons (wheels): without their `odoo` dependency, the source tree is Odoo.
    "$PYTHON" -m pip install -q --no-deps -r "$REPO_DIR/requirements-oca.txt" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    echo "$wanted" > "$stamp"
}

setup_postgresql
setup_system_packages
setup_odoo_source
setup_virtualenv
mkdir -p "$VAR_DIR"
