#!/usr/bin/env python3
"""Writes the corpus of bad returns in tests/fixtures/bad/ from the sample returns.

Each file is a real file of the kind that arrives by e-mail; tests/fixtures/bad/EXPECTED.tsv
says which diagnostic each must give (tests/it/bad_files.rs checks them all). The files are
committed; rerun this script only to change them:

    python3 scripts/make-bad-fixtures.py          # needs msoffcrypto-tool for the encrypted one

Standard library only, except the password-protected workbook (pip install msoffcrypto-tool).
"""

import io
import os
import re
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SAMPLE = os.path.join(ROOT, "sample-data")
OUT = os.path.join(ROOT, "tests", "fixtures", "bad")
XLSX = os.path.join(SAMPLE, "bahia-serena-2026.xlsx")
ODS = os.path.join(SAMPLE, "port-aurore-2025.ods")
# A fixed time for every zip entry, so the files are the same bytes on every run.
STAMP = (2026, 1, 1, 0, 0, 0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def rezip(src, change, add=()):
    """The zip `src` with each part passed through change(name, bytes) and `add` appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(zipfile.ZipInfo(info.filename, STAMP), data, compress_type=kind)
        for name, data in add:
            zout.writestr(zipfile.ZipInfo(name, STAMP), data, compress_type=zipfile.ZIP_DEFLATED,
                          compresslevel=9)
    return out.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    good = open(XLSX, "rb").read()

    # Nothing at all.
    write("empty.xlsx", b"")
    # A text file and a PDF that were given a spreadsheet's name.
    write("text-renamed.xlsx", "Respuestas de Bahía Serena: ver adjunto.\n".encode())
    write("pdf-renamed.xlsx", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n")
    # Cut off in transfer: the first half of a good workbook.
    write("truncated.xlsx", good[: len(good) // 2])
    # A sheet whose XML is broken: an element left open in the middle of the answers.
    write("malformed-xml.xlsx", rezip(XLSX, lambda n, d: d.replace(b"</sheetData>", b"<row r=\"999\"><c r=\"C999\" t=\"s\"><v>1</v></sheetData>") if n == "xl/worksheets/sheet3.xml" else d))
    # A zip bomb: 300 MB of zeros in a part, compressed to a few hundred kilobytes.
    write("zip-bomb.xlsx", rezip(XLSX, lambda n, d: d, add=[("xl/media/image1.bin", bytes(300 * 1024 * 1024))]))
    # A sheet whose filled cells run from B1 to the last cell Excel has (XFD1048576).
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    write("million-rows.xlsx", rezip(XLSX, lambda n, d: d.replace(b"</sheetData>", far) if n == "xl/worksheets/sheet2.xml" else d))
    # The same in OpenDocument: one row element repeated a million times, a thousand filled
    # cells wide (a few hundred bytes of XML describing a billion cells).
    table_row = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
                 b'office:value-type="string" table:number-columns-repeated="1000"><text:p>x'
                 b'</text:p></table:table-cell></table:table-row></table:table>')

    def ods_bomb(name, data):
        if name != "content.xml":
            return data
        return data.replace(b"</table:table>", table_row, 1)

    write("repeated-rows.ods", rezip(ODS, ods_bomb))
    # Answers as spreadsheets hold them when something went wrong, each in the return of
    # another city or year (so that no two are returns of the same city and year). The
    # profile (sheet2) has the answers in column C: C5 the name, C11 the level of
    # government, C12 the population, C15 the date of joining (a date cell), C16 a contact.
    def cell_fixture(name, source, sheet, changes, extra=None):
        def change(part, data):
            if part != f"xl/worksheets/{sheet}.xml":
                return data
            text = data.decode()
            for ref, new in changes.items():
                pattern = re.compile(r'<c r="%s"[^>]*?(/>|>.*?</c>)' % ref, re.S)
                assert pattern.search(text), ref
                text = pattern.sub(lambda _m: new, text, count=1)
            if extra:
                text = extra(text)
            return text.encode()
        write(name, rezip(os.path.join(SAMPLE, source), change))

    # A formula whose result was never saved (written by a program that does not calculate).
    cell_fixture("formula-no-value.xlsx", "bahia-serena-2026.xlsx", "sheet2", {"C12": '<c r="C12" s="17"><f>39000+340</f></c>'})
    # An Excel error value where the population should be.
    cell_fixture("excel-error.xlsx", "villa-esperanza-del-sur-2025.xlsx", "sheet2", {"C12": '<c r="C12" s="17" t="e"><v>#DIV/0!</v></c>'})
    # The date of joining as a bare number (the cell lost its date format): 45574 is 2024-10-09.
    cell_fixture("date-as-number.xlsx", "nyota-bay-2026.xlsx", "sheet2", {"C15": '<c r="C15" s="17"><v>45574</v></c>'})
    # A 40,000-character answer (over Excel's 32,767 per cell: made by another program).
    long = "Oficina de Derechos Humanos. " * 1380
    cell_fixture("long-answer.xlsx", "port-aurore-2026.xlsx", "sheet2", {"C16": '<c r="C16" s="13" t="inlineStr"><is><t>%s</t></is></c>' % long[:40000]})
    # A name with a control character (BEL, written _x0007_ in the file), a right-to-left
    # override that turns the rest around on screen, and Arabic.
    cell_fixture("control-rtl-name.xlsx", "puerto-lumbre-2026.xlsx", "sheet2", {"C5": '<c r="C5" s="13" t="inlineStr"><is><t>Bahía_x0007_ Serena ‮gnp.exe مدينة</t></is></c>'})
    # The answers C11 and C12 merged into one cell: the population lies under the merge.
    cell_fixture(
        "merged-cells.xlsx", "bahia-serena-2025.xlsx", "sheet2", {"C12": '<c r="C12" s="17"/>'},
        extra=lambda t: t.replace('<mergeCells count="1"><mergeCell ref="A2:G2"/></mergeCells>',
                                  '<mergeCells count="2"><mergeCell ref="A2:G2"/><mergeCell ref="C11:C12"/></mergeCells>'))
    # The population asked twice: a row pasted at the end of the housing sheet (sheet3).
    cell_fixture(
        "duplicate-question.xlsx", "harborview-heights-2025.xlsx", "sheet3", {},
        extra=lambda t: t.replace("</sheetData>", '<row r="300"><c r="A300" t="inlineStr"><is><t>population</t></is></c><c r="C300"><v>40000</v></c></row></sheetData>'))

    # A return on last year's questionnaire: its hidden _hrcities sheet (sheet18) names
    # framework version 2024.1.
    cell_fixture("old-template.xlsx", "cedar-gate-2025.xlsx", "sheet18", {"B3": '<c r="B3" t="inlineStr"><is><t>2024.1</t></is></c>'})

    # Hostile text (tests/it/untrusted.rs): a name with Typst markup, a formula, HTML and a
    # path; a city id that climbs out of folders and is a name Windows reserves; answers
    # that spreadsheets would run as formulas. A valid return otherwise, in its own folder.
    def inline(ref, style, text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return '<c r="%s" s="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, style, text)

    hostile = {
        "C5": inline("C5", "13", '#read("/etc/passwd") =HYPERLINK("http://evil.example") <script>alert(1)</script> ../../x'),
        "C6": inline("C6", "13", "../../outside/CON"),
        "C16": inline("C16", "13", '=HYPERLINK("http://evil.example","click")'),
        "C17": inline("C17", "13", "@SUM(1+1)"),
    }
    os.makedirs(os.path.join(ROOT, "tests", "fixtures", "hostile"), exist_ok=True)
    cell_fixture(os.path.join("..", "hostile", "hostile-2026.xlsx"), "nyota-bay-2025.xlsx", "sheet2", hostile)

    # Formats people send instead of the workbook.
    write("answers.csv", "id,answer\nHOU_Q01,yes\n".encode())
    numbers = io.BytesIO()
    with zipfile.ZipFile(numbers, "w") as z:
        z.writestr(zipfile.ZipInfo("Index/Document.iwa", STAMP), b"\x00" * 64)
    write("answers.numbers", numbers.getvalue())
    # Password-protected (Excel's "Encrypt with password"): an OLE container, not a zip.
    try:
        import msoffcrypto.format.ooxml as ooxml

        enc = io.BytesIO()
        ooxml.OOXMLFile(io.BytesIO(good)).encrypt("secreto", enc)
        write("password.xlsx", enc.getvalue())
    except ImportError:
        print("msoffcrypto-tool is not installed: password.xlsx left as it is")


if __name__ == "__main__":
    main()
