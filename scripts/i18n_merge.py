"""Merge each addon's fresh template (i18n/<addon>.pot) into its French file.

Existing translations are kept, new terms are added untranslated, terms gone
from the code are dropped: what gettext's msgmerge does, with polib (the
library Odoo itself reads .po files with), so nothing else needs installing.
"""

import sys
from pathlib import Path

import polib


def merge(addon_dir):
    i18n = Path(addon_dir) / "i18n"
    template = polib.pofile(str(i18n / f"{Path(addon_dir).name}.pot"), wrapwidth=78)
    french_path = i18n / "fr.po"
    french = polib.pofile(str(french_path), wrapwidth=78) if french_path.exists() else None
    known = {(e.msgctxt, e.msgid): e.msgstr for e in (french or []) if e.msgstr}
    merged = polib.POFile(wrapwidth=78)
    merged.header = template.header
    merged.metadata = dict(template.metadata)
    merged.metadata["Language"] = "fr"
    for entry in template:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
        merged.append(entry)
    merged.save(str(french_path))
    missing = sum(1 for entry in merged if not entry.msgstr)
    print(f"{french_path}: {len(merged)} terms, {missing} to translate")


if __name__ == "__main__":
    for addon in sys.argv[1:]:
        merge(addon)
