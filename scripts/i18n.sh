#!/usr/bin/env bash
# Refresh the translation files of the suite: install the four addons on a
# throw-away database with French loaded (the current fr.po files included),
# then export each addon's template (i18n/<addon>.pot) and merge it into its
# French file (i18n/fr.po: existing translations kept, new terms added
# untranslated, terms gone from the code dropped).
# Translate the empty msgstr of fr.po, then run `make test`: the test
# TestFrenchTranslations fails while a term lacks its French translation.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_DIR/scripts/setup.sh"

DB="loyalty_i18n_$$"
CONF="$(mktemp --suffix=.conf)"
cleanup() { dropdb -h 127.0.0.1 --if-exists "$DB" 2>/dev/null || true; rm -f "$CONF"; }
trap cleanup EXIT
sed '/^\[options\]/a addons_path = '"$ADDONS_PATH" "$ODOO_CONF" > "$CONF"

log "Installing $SUITE_MODULES on $DB with French"
odoo_bin -d "$DB" -i "$SUITE_MODULES" --load-language=fr_FR \
    --stop-after-init --log-level=warn
for module in ${SUITE_MODULES//,/ }; do mkdir -p "$REPO_DIR/addons/$module/i18n"; done
log "Exporting the templates, merging them into the French files"
"$PYTHON" "$ODOO_SRC/odoo-bin" i18n export -c "$CONF" -d "$DB" -l pot -- ${SUITE_MODULES//,/ }
(cd "$REPO_DIR/addons" && "$PYTHON" "$REPO_DIR/scripts/i18n_merge.py" ${SUITE_MODULES//,/ })
git -C "$REPO_DIR" status --short -- 'addons/*/i18n'
