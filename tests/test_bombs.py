"""Spreadsheet bombs (issue 29, item 1): a workbook that unpacks far beyond its size, a cell longer
than a spreadsheet holds, rows without end — refused in words (exit 2, no traceback) before they are
read whole, by the command line, the library and the web app alike. The caps are made small here
(monkeypatched) so that each bomb is small too: what is tested is where reading stops and what it
says, never how fast it is (benchmarks/web.py measures that on full-size bombs)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.core.errors import InputError
from consortium_solver.io import import_pool, sheet_files
from tests.web_client import WebClient

runner = CliRunner()
HEADER = ["Name", "Country", "Type", "ECCP", "Sectors"]


def workbook(path: Path, rows: list[list[object]], far: int | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if far is not None:
        sheet.cell(row=far, column=1, value="stray")
    book.save(path)
    return path


def participants(n: int) -> list[list[object]]:
    return [[f"Org {i}", "Germany", "cluster", "registered", "digital"] for i in range(n)]


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path / "bomb.xlsx", participants(200))
    inflated = sum(p.file_size for p in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(sheet_files, "MAX_INFLATED", inflated - 1)
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "the workbook unpacks to" in result.output and "is it the right file?" in result.output
    assert not opened  # refused from the zip's directory, before a part was inflated


def test_a_cell_longer_than_a_spreadsheet_holds_is_named(tmp_path: Path) -> None:
    """A CSV cell beyond Excel's 32,767 characters is refused with its place (a workbook's reader
    already cuts its cells there)."""
    csv = tmp_path / "long.csv"
    csv.write_text(",".join(HEADER) + "\n" + "y" * 40_000 + ",Germany,cluster,yes,digital\n")
    result = runner.invoke(app, ["import", str(csv)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "a cell of 40,000 characters" in result.output and "row 2, column 1" in result.output
    with pytest.raises(InputError):
        import_pool(csv)


def test_rows_without_end_stop_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_files, "MAX_ROWS", 50)
    path = workbook(tmp_path / "far.xlsx", participants(10), far=80)
    with pytest.raises(InputError) as caught:
        import_pool(path)
    assert "more than 50 rows" in str(caught.value) and "row 80" in str(caught.value)
    # Empty rows far below are passed over, and the sheet is fine.
    quiet = workbook(tmp_path / "quiet.xlsx", participants(10))
    book = openpyxl.load_workbook(quiet)
    book.active.cell(row=500, column=1, value=None)
    book.active.row_dimensions[500].height = 20  # an empty row the file lists
    book.save(quiet)
    assert len(import_pool(quiet).require_pool().organisations) == 10


def test_a_file_beyond_the_size_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_files, "MAX_FILE", 100)
    path = tmp_path / "big.csv"
    path.write_text(",".join(HEADER) + "\n" + "Org,Germany,cluster,yes,digital\n" * 10)
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2 and "is it the right file?" in result.output


def test_the_web_app_refuses_a_bomb_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled_kernels: None
) -> None:
    path = workbook(tmp_path / "bomb.xlsx", participants(200))
    monkeypatch.setattr(sheet_files, "MAX_INFLATED", 1000)
    web = WebClient(tmp_path / "data")
    try:
        pid = web.project()
        page = web.upload(pid, "bomb.xlsx", path.read_bytes())
        assert page.status_code in (400, 422)
        assert "the workbook unpacks to" in page.text
        assert web.http.get(f"/projects/{pid}").status_code == 200  # the app is still up
    finally:
        web.close()
