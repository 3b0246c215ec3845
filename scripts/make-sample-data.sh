#!/usr/bin/env bash
# Regenerates sample-data/: returns of 13 fictional cities for 2025 and 2026 (made from the
# template of framework 2026.1) and 2027 (from the current one), with the flaws listed in
# sample-data/README.md; and sample-recommendations/, the fictional UN recommendations
# that the 2027 workbooks list. Needs LibreOffice (soffice) for the .ods and
# .xls copies: apt-get install -y libreoffice-calc-nogui
set -euo pipefail
cd "$(dirname "$0")/.."

out=sample-data
rm -f "$out"/*.xlsx "$out"/*.ods "$out"/*.xls
cargo run --quiet --example sample_data -- "$out" sample-recommendations

# Two returns arrive in other formats: saved by LibreOffice as .ods and as Excel 97 .xls.
convert() {
    local file=$1 filter=$2 ext=$3
    soffice --headless --convert-to "$filter" --outdir "$out" "$out/$file.xlsx" >/dev/null
    test -s "$out/$file.$ext"
    rm "$out/$file.xlsx"
}
convert port-aurore-2025 ods ods
convert puerto-lumbre-2025 "xls:MS Excel 97" xls

ls "$out"
