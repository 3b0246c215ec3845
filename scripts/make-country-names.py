#!/usr/bin/env python3
"""Writes src/i18n/country-names.tsv: each ISO 3166-1 alpha-3 code with the country's name
in English, Spanish and French, for printing in reports.

Source: the Debian iso-codes project, via pycountry (pip install pycountry==26.2.16): the
ISO 3166-1 short name and its iso-codes translations.
"""
import gettext
import pathlib

import pycountry

out = pathlib.Path(__file__).resolve().parent.parent / "src/i18n/country-names.tsv"
tr = {
    lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    for lang in ("es", "fr")
}
lines = [
    "# ISO 3166-1 alpha-3 code, then the country's name in English, Spanish and French.",
    "# Source: the Debian iso-codes project via pycountry %s (scripts/make-country-names.py)."
    % pycountry.__version__ if hasattr(pycountry, "__version__") else "",
]
for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
    names = [c.name, tr["es"].gettext(c.name), tr["fr"].gettext(c.name)]
    lines.append("\t".join([c.alpha_3, *names]))
out.write_text("\n".join(l for l in lines if l) + "\n", encoding="utf-8")
