"""The hostile corpus (tests/data/bad/hostile_*, written by scripts/make_hostile_corpus.py): every
file a hostile reviewer tried is refused with exit 2 and one line naming the file and the defect —
by `check`, by `build --out result.json` and by `group --out groups.xlsx` — and nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.io.importer import MAX_LINES
from tests.conftest import DATA

runner = CliRunner()
BAD = DATA / "bad"
POOL = str(DATA / "ok" / "regions_pool.json")
MEMBERS = "toscana,severovychod,zapadne"

HOSTILE = {
    "hostile_pool_deep_array.json": "nested too deeply",
    "hostile_pool_deep_object.json": "nested too deeply",
    "hostile_pool_huge_integer.json": "a number with thousands of digits",
    "hostile_pool_id_is_huge_number.json": "a number with thousands of digits",
    "hostile_pool_huge_float.json": "the number 1e999 is too large to read",
    "hostile_pool_nan_literal.json": "NaN is not a JSON value",
    "hostile_pool_utf16.json": "not UTF-8 text (byte 1, it looks like UTF-16",
    "hostile_pool_utf32.json": "not UTF-8 text (byte 1, it looks like UTF-16 or UTF-32",
    "hostile_pool_nul_in_name.json": "key 'name', value 'A\\x00B': a control character (U+0000)",
    "hostile_pool_esc_in_name.json": "a control character (U+001B)",
    "hostile_pool_bell_in_id.json": "key 'id', value 'a\\x07': a control character (U+0007)",
    "hostile_pool_lone_surrogate.json": "key 'name', value 'A\\ud800'",
    "hostile_pool_binary.json": "not UTF-8 text (byte 129)",
    "hostile_pool_empty.json": "invalid JSON",
    "hostile_pool_whitespace_only.json": "invalid JSON",
    "hostile_pool_nul_in_cell.csv": "row 2 (id 'a'), column 'name', value 'A\\x00Cluster'",
    "hostile_pool_esc_in_name.csv": "column 'name', value 'A\\x1b[2J': a control character",
    "hostile_pool_utf16.csv": "not UTF-8 text (byte 1, it looks like UTF-16",
    "hostile_pool_control_in_id.csv": "column 'id', value 'a\\x08': a control character (U+0008)",
    "hostile_pool_lone_surrogate.csv": "not UTF-8 text (byte 153)",
    "hostile_pool_truncated_sheet.xlsx": "not a readable .xlsx workbook (ParseError)",
    "hostile_pool_far_cell.xlsx": "row 1048576: a cell beyond column 200",
    "hostile_pool_no_sheet.xlsx": "a workbook without a worksheet",
    "hostile_pool_entity_bomb.xlsx": "not a readable .xlsx workbook (ParseError)",
    "hostile_pool_vast_dimension.xlsx": "row 2 (id 'x2'), column 'name': an incomplete row",
    "hostile_pool_stray_cell_row_7.xlsx": "row 3 (id 'a3'), column 'name', value 'A Cluster': the same organisation as row 2",
    "hostile_call_deep_array.toml": "nested too deeply",
    "hostile_call_deep_inline_table.toml": "nested too deeply",
    "hostile_call_huge_integer.toml": "a number with thousands of digits",
    "hostile_call_utf16.toml": "not UTF-8 text (byte 1, it looks like UTF-16",
    "hostile_call_latin1.toml": "not UTF-8 text (byte 38)",
    "hostile_call_nul_byte.toml": "not valid TOML: Illegal character",
    "hostile_call_weight_nan.toml": "key 'objective.countries', value nan: Input should be a finite",
    "hostile_call_weight_inf.toml": "key 'objective.sector_links', value inf: Input should be a fin",
    "hostile_call_weight_1e300.toml": "key 'objective.needs_met', value 1e+300: Input should be less",
    "hostile_call_weight_negative_inf.toml": "key 'objective.size', value -inf",
    "hostile_call_size_max_2_70.toml": "key 'rules[0].max', value 1180591620717411303424",
    "hostile_call_size_min_huge.toml": "key 'rules[0].min', value 1e+30",
    "hostile_call_min_count_huge.toml": "less than or equal to 1000000",
    "hostile_call_min_distinct_huge.toml": "key 'rules[0].min', value 99999999999",
    "hostile_call_max_per_value_huge.toml": "key 'rules[0].max', value 1180591620717411303424",
    "hostile_call_search_max_huge.toml": "key 'search.max_size', value 1180591620717411303424",
    "hostile_call_links_absolute.toml": "value '/etc/passwd': a sector link matrix is a file in the",
    "hostile_call_links_parent.toml": "no absolute path, no '..'",
    "hostile_call_links_latin1.toml": "links/latin1.csv: not UTF-8 text (byte 25)",
    "hostile_call_links_utf16.toml": "links/utf16.csv: not UTF-8 text (byte 1, it looks like UTF-16",
    "hostile_call_links_secret.toml": "row 2: the first cell does not name a known sector",
    "hostile_call_links_nan.toml": "row 2, field 'health': link weights are numbers from 0 to 1",
    "hostile_call_links_directory.toml": "links: a folder, not a sector link matrix",
}


def _corpus() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.name.startswith("hostile_"))


def test_the_corpus_and_the_table_agree() -> None:
    """Every hostile file has its expected message, and there are more than 40 of them."""
    assert _corpus() == sorted(HOSTILE)
    assert len(HOSTILE) >= 40


def _commands(name: str, out: Path) -> list[list[str]]:
    path = str(BAD / name)
    if name.startswith("hostile_call_"):
        return [
            ["check", POOL, "--members", MEMBERS, "--call", path],
            ["build", POOL, "--call", path, "--time-limit", "5", "--out", str(out / "r.json")],
            ["group", POOL, "--call", path, "--time-limit", "1", "--out", str(out / "g.xlsx")],
        ]
    return [
        ["check", path, "--members", "a,b,c"],
        ["build", path, "--time-limit", "5", "--out", str(out / "r.json")],
        ["group", path, "--time-limit", "1", "--out", str(out / "g.xlsx")],
    ]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    """check, build --out .json and group --out .xlsx: exit 2, a line on stderr per problem (the
    first naming the file — the call model or the link matrix it names — and the defect), nothing
    on stdout, no file."""
    for args in _commands(name, tmp_path):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert 1 <= len(lines) <= MAX_LINES + 1, result.stderr  # a line per problem, then "… more"
        assert all(line.startswith(f"error: {BAD}") for line in lines[:-1]), lines
        assert lines[0].startswith(f"error: {BAD}"), lines[0]
        assert HOSTILE[name] in lines[0], lines[0]
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(n for n in HOSTILE if n.startswith("hostile_pool_")))
def test_hostile_sheets_are_never_imported(name: str, tmp_path: Path) -> None:
    """import --out .json --report .xlsx: exit 2, the defect said (on stderr when the file cannot be
    read, in the problems table otherwise), no pool written, never a traceback."""
    out, report = tmp_path / "p.json", tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["import", str(BAD / name), "--out", str(out), "--report", str(report)]
    )
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert "Traceback" not in result.output
    said = " ".join(result.output.split())
    if result.stderr:
        assert HOSTILE[name] in result.stderr
    else:
        assert "error(s)" in said and report.exists()  # the sheet was read: the report lists it


def test_a_link_matrix_error_never_quotes_the_file() -> None:
    """A call model pointing at a file that is not a matrix learns the row, never the contents."""
    result = runner.invoke(
        app,
        [
            "check",
            POOL,
            "--members",
            MEMBERS,
            "--call",
            str(BAD / "hostile_call_links_secret.toml"),
        ],
    )
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert "hunter2" in (BAD / "links" / "secret.csv").read_text()


def test_a_folder_or_a_pipe_is_named_as_such(tmp_path: Path) -> None:
    """A folder or a FIFO given as a pool is not reported as a missing file (and a FIFO is never
    opened: reading one would wait forever)."""
    folder = tmp_path / "pool.json"
    folder.mkdir()
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path, words in ((folder, "a folder, not a file"), (fifo, "not a regular file")):
        result = runner.invoke(app, ["check", str(path), "--members", "a"])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"error: {path}: {words}" + (
            "" if path == folder else " (a pipe or a device), not a file"
        )


def test_a_byte_order_mark_is_welcome_in_toml_as_in_json_and_csv(tmp_path: Path) -> None:
    call = tmp_path / "call.toml"
    call.write_bytes(b"\xef\xbb\xbf" + b'id = "T"\ntitle = "t"\n')
    result = runner.invoke(app, ["check", POOL, "--members", MEMBERS, "--call", str(call)])
    assert result.exit_code == 0, result.output


def test_csv_rows_with_trailing_empty_cells_are_read(tmp_path: Path) -> None:
    """Spreadsheets often save a few empty cells after the last column: they are not data."""
    text = (DATA / "ok" / "two_countries_pool.csv").read_text()
    lines = text.splitlines()
    padded = tmp_path / "padded.csv"
    padded.write_text("\n".join([lines[0] + ",,", *(line + ",,," for line in lines[1:])]) + "\n")
    plain = runner.invoke(
        app, ["build", str(DATA / "ok" / "two_countries_pool.csv"), "--json", "--deterministic"]
    )
    again = runner.invoke(app, ["build", str(padded), "--json", "--deterministic"])
    assert again.exit_code == plain.exit_code
    assert json.loads(again.stdout)["consortia"] == json.loads(plain.stdout)["consortia"]


@pytest.mark.parametrize("size", ["3..1180591620717411303424", "1180591620717411303424"])
def test_a_size_of_2_to_the_70_is_refused(size: str) -> None:
    for command in ("build", "group"):
        result = runner.invoke(app, [command, POOL, "--size", size])
        assert result.exit_code == 2
        assert "sizes are at most 1,000,000" in result.stderr
