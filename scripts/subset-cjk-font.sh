#!/bin/sh
# Remakes assets/fonts/NotoSansCJKkr-Subset.otf: Noto Sans CJK KR Regular cut down to all
# Hangul, kana, CJK punctuation, fullwidth forms, and the Han characters of GB 2312 and
# Big5 level 1 (8,930), so Korean, Chinese and Japanese place names render in charts and
# reports without shipping the whole 19 MB collection. It leaves out Latin letters, digits
# and ASCII punctuation, which Noto Sans has: renderers that fall back to this font for a
# Hangul or Han letter in a line of Latin text (usvg, in charts and inside the reports'
# PDFs) shape the whole line with it when it has every letter of the line, which drew a
# bold "광주광역시: right scores" in this font's regular Latin.
# Needs: apt-get install fonts-noto-cjk; pip install fonttools.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 - "$tmp/han.txt" <<'PY'
import sys
chars = set()
for b1 in range(0xB0, 0xF8):          # GB 2312 Han characters
    for b2 in range(0xA1, 0xFF):
        try: chars.add(bytes([b1, b2]).decode("gb2312"))
        except UnicodeDecodeError: pass
for b1 in range(0xA4, 0xC7):          # Big5 level 1
    for b2 in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
        try: chars.add(bytes([b1, b2]).decode("big5"))
        except UnicodeDecodeError: pass
open(sys.argv[1], "w").write("".join(sorted(chars)))
PY
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=1 \
  --text-file="$tmp/han.txt" \
  --unicodes="U+0020,U+3000-303F,U+3040-30FF,U+3130-318F,U+AC00-D7A3,U+FF00-FFEF,U+1100-11FF" \
  --layout-features='*' --no-hinting --output-file=assets/fonts/NotoSansCJKkr-Subset.otf
rm -r "$tmp"
