"""Write the hostile part of the bad-input corpus (tests/data/bad/hostile_*): files a hostile reviewer
would try — nesting 100,000 deep, 100,000-digit numbers, text in UTF-16 and Latin-1, NaN and infinite
weights, sizes of 2^70, control characters and lone surrogates in names, truncated or vast
workbooks, link matrices outside the call's folder. Each must be refused with exit 2 and one line
(tests/test_hostile.py says what each line must contain).

Run from the repository root: ``python scripts/make_hostile_corpus.py`` (the output is the same
every time; the files are committed).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "bad"
DEEP = 100_000

ORG = (
    '{"id": "a", "name": "A", "country": "IT", "nuts2": "ITI1", "organisation_type":'
    ' "cluster_organisation", "eccp_status": "registered", "sectors": ["digital"],'
    ' "maturity": "none"}'
)
HEADER = "id,name,country,nuts2,organisation_type,eccp_status,sectors,offers,needs,maturity\n"
ROW = "a,A Cluster,IT,ITI1,cluster_organisation,registered,digital,,,none\n"
CALL = 'id = "T"\ntitle = "t"\n'


def pool_json(org: str = ORG) -> str:
    return '{"name": "x", "organisations": [' + org + "]}"


def files() -> dict[str, bytes]:
    out: dict[str, str | bytes] = {
        # JSON pools
        "hostile_pool_deep_array.json": '{"name": "x", "organisations": '
        + "[" * DEEP
        + "]" * DEEP
        + "}",
        "hostile_pool_deep_object.json": '{"name": "x", "organisations": [], "a": '
        + '{"": ' * DEEP
        + "1"
        + "}" * DEEP
        + "}",
        "hostile_pool_huge_integer.json": '{"name": ' + "9" * DEEP + ', "organisations": []}',
        "hostile_pool_huge_float.json": pool_json(ORG.replace('"none"}', '"none", "x": 1e999}')),
        "hostile_pool_nan_literal.json": pool_json(ORG.replace('"name": "A"', '"name": NaN')),
        "hostile_pool_utf16.json": pool_json().encode("utf-16"),
        "hostile_pool_utf32.json": pool_json().encode("utf-32"),
        "hostile_pool_nul_in_name.json": pool_json(ORG.replace('"A"', '"A\\u0000B"')),
        "hostile_pool_esc_in_name.json": pool_json(ORG.replace('"A"', '"A\\u001b[31mred"')),
        "hostile_pool_bell_in_id.json": pool_json(ORG.replace('"id": "a"', '"id": "a\\u0007"')),
        "hostile_pool_lone_surrogate.json": pool_json(ORG.replace('"A"', '"A\\ud800"')),
        "hostile_pool_binary.json": bytes(range(256)) * 4,
        "hostile_pool_empty.json": b"",
        "hostile_pool_whitespace_only.json": b"  \n\t \n",
        "hostile_pool_id_is_huge_number.json": pool_json(
            ORG.replace('"id": "a"', '"id": ' + "1" * 5000)
        ),
        # CSV pools
        "hostile_pool_nul_in_cell.csv": HEADER + ROW.replace("A Cluster", "A\x00Cluster"),
        "hostile_pool_esc_in_name.csv": HEADER + ROW.replace("A Cluster", "A\x1b[2J"),
        "hostile_pool_utf16.csv": (HEADER + ROW).encode("utf-16"),
        "hostile_pool_control_in_id.csv": HEADER + ROW.replace("a,A", "a\x08,A"),
        "hostile_pool_lone_surrogate.csv": (HEADER + ROW).encode("utf-8")
        + b"b,B\xed\xa0\x80,IT,ITI1,cluster_organisation,registered,digital,,,none\n",
        # XLSX pools
        "hostile_pool_truncated_sheet.xlsx": _xlsx(_sheet_xml()[: len(_sheet_xml()) // 2]),
        "hostile_pool_far_cell.xlsx": _xlsx(_sheet_xml(far=True)),
        "hostile_pool_no_sheet.xlsx": _xlsx(None),
        "hostile_pool_entity_bomb.xlsx": _xlsx(_entity_bomb()),
        "hostile_pool_vast_dimension.xlsx": _xlsx(_sheet_xml(rows=20_001)),
        "hostile_pool_stray_cell_row_7.xlsx": _xlsx(_sheet_xml(stray_row=7)),
        # TOML call models
        "hostile_call_deep_array.toml": CALL + "x = " + "[" * DEEP + "]" * DEEP + "\n",
        "hostile_call_deep_inline_table.toml": CALL + "x = " + "{a = " * DEEP + "1" + "}" * DEEP,
        "hostile_call_huge_integer.toml": CALL + "[search]\nmax_size = " + "9" * DEEP + "\n",
        "hostile_call_utf16.toml": CALL.encode("utf-16"),
        "hostile_call_latin1.toml": (CALL + 'description = "Région"\n').encode("latin-1"),
        "hostile_call_nul_byte.toml": CALL + 'description = "a\x00b"\n',
        "hostile_call_weight_nan.toml": CALL + "[objective]\ncountries = nan\n",
        "hostile_call_weight_inf.toml": CALL + "[objective]\nsector_links = inf\n",
        "hostile_call_weight_1e300.toml": CALL + "[objective]\nneeds_met = 1e300\n",
        "hostile_call_weight_negative_inf.toml": CALL + "[objective]\nsize = -inf\n",
        "hostile_call_size_max_2_70.toml": CALL
        + '[[rules]]\nid = "s"\nkind = "size"\nmin = 3\nmax = 1180591620717411303424\n',
        "hostile_call_size_min_huge.toml": CALL
        + '[[rules]]\nid = "s"\nkind = "size"\nmin = 1e30\n',
        "hostile_call_min_count_huge.toml": CALL
        + '[[rules]]\nid = "m"\nkind = "min_count"\nfield = "country"\nvalues = ["IT"]\n'
        + "min = 4611686018427387904\n",
        "hostile_call_min_distinct_huge.toml": CALL
        + '[[rules]]\nid = "d"\nkind = "min_distinct"\nfield = "country"\nmin = 99999999999\n',
        "hostile_call_max_per_value_huge.toml": CALL
        + '[[rules]]\nid = "p"\nkind = "max_per_value"\nfield = "country"\n'
        + "max = 1180591620717411303424\n",
        "hostile_call_search_max_huge.toml": CALL + "[search]\nmax_size = 1180591620717411303424\n",
        "hostile_call_links_absolute.toml": CALL + 'sector_links_file = "/etc/passwd"\n',
        "hostile_call_links_parent.toml": CALL
        + 'sector_links_file = "../ok/two_countries_pool.csv"\n',
        "hostile_call_links_latin1.toml": CALL + 'sector_links_file = "links/latin1.csv"\n',
        "hostile_call_links_utf16.toml": CALL + 'sector_links_file = "links/utf16.csv"\n',
        "hostile_call_links_secret.toml": CALL + 'sector_links_file = "links/secret.csv"\n',
        "hostile_call_links_nan.toml": CALL + 'sector_links_file = "links/nan.csv"\n',
        "hostile_call_links_directory.toml": CALL + 'sector_links_file = "links"\n',
        # helpers of the link-matrix cases (read through the call models above)
        "links/latin1.csv": ",digital\ndigital,0.5\n# Région\n".encode("latin-1"),
        "links/utf16.csv": ",digital\ndigital,0.5\n".encode("utf-16"),
        "links/secret.csv": ",digital\nhunter2-password,1\n",
        "links/nan.csv": ",digital,health\ndigital,0,nan\nhealth,nan,0\n",
    }
    return {name: v.encode("utf-8") if isinstance(v, str) else v for name, v in out.items()}


def _sheet_xml(far: bool = False, rows: int = 0, stray_row: int = 0) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEADER.strip().split(","))
    )
    extra = ""
    if far:
        extra = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    if stray_row:  # two good rows, then (rows 4 to 6 absent) a stray cell in column L
        values = ROW.strip().split(",")
        good = "".join(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}{r if i == 0 else ""}</t></is></c>'
                for i, v in enumerate(values)
                if v
            )
            + "</row>"
            for r in (2, 3)
        )
        extra = (
            good
            + f'<row r="{stray_row}"><c r="L{stray_row}" t="inlineStr"><is><t>x</t></is></c></row>'
        )
    dimension = f'<dimension ref="A1:XFD{max(rows, 1)}"/>' if rows else ""
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'
        for r in range(2, rows + 1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{dimension}<sheetData><row r="1">{cells}</row>{body}{extra}</sheetData></worksheet>'
    )
    return xml.encode()


def _entity_bomb() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def _xlsx(sheet: bytes | None) -> bytes:
    """A minimal workbook with one worksheet (or none listed), written byte for byte the same."""
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main"'
            f' xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            + ('<sheet name="pool" sheetId="1" r:id="rId1"/>' if sheet is not None else "")
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
        if sheet is not None:
            info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, sheet)
    return buffer.getvalue()


def main() -> None:
    for name, data in files().items():
        path = OUT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files())} files to {OUT}")


if __name__ == "__main__":
    main()
