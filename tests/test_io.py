"""Pool readers and writers: round trips through JSON, CSV and XLSX, and refusals of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from consortium_solver import Pool, read_pool, write_pool
from consortium_solver.core.errors import InputError
from consortium_solver.io import atomic_write_text, pool_to_csv
from consortium_solver.synthetic.pools import generate_pool
from consortium_solver.testing import pools


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_round_trip_of_a_generated_pool(tmp_path: Path, suffix: str) -> None:
    """A pool written and read back is the same pool (CSV and XLSX take the file stem as name)."""
    pool = generate_pool(60, seed=3, name="rt")
    path = tmp_path / f"rt{suffix}"
    write_pool(pool, path)
    back = read_pool(path)
    assert back.organisations == pool.organisations
    assert back.name == "rt"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(pools(max_size=6))
def test_round_trip_of_drawn_pools(tmp_path: Path, pool: Pool) -> None:
    """Drawn pools (any category, empty lists, non-EU regions) survive every format."""
    for suffix in (".json", ".csv", ".xlsx"):
        path = tmp_path / f"drawn{suffix}"
        write_pool(pool, path)
        assert read_pool(path).organisations == pool.organisations


def test_csv_lists_use_semicolons(tmp_path: Path) -> None:
    """List fields are joined by ';' in CSV, and blank cells read as empty lists."""
    pool = generate_pool(3, seed=1)
    text = pool_to_csv(pool)
    first = pool.organisations[0]
    assert ";".join(first.sectors) in text
    path = tmp_path / "p.csv"
    path.write_text(
        "id,name,country,organisation_type,eccp_status,sectors,maturity\n"
        "a,A,IT,cluster_organisation,registered, digital ; health ,none\n",
        encoding="utf-8",
    )
    org = read_pool(path).organisations[0]
    assert org.sectors == ("digital", "health")
    assert org.offers == () and org.nuts2 is None


def test_xlsx_numbers_read_as_text(tmp_path: Path) -> None:
    """Spreadsheet cells holding numbers (e.g. numeric ids) are read as their text."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["id", "name", "country", "organisation_type", "eccp_status", "sectors", "maturity"]
    )
    sheet.append([17, "A", "IT", "cluster_organisation", "registered", "digital", "none"])
    workbook.save(tmp_path / "n.xlsx")
    assert read_pool(tmp_path / "n.xlsx").organisations[0].id == "17"


def test_csv_error_names_row_field_and_value(tmp_path: Path) -> None:
    """The message counts rows as a spreadsheet does (header = row 1)."""
    path = tmp_path / "p.csv"
    path.write_text(
        "id,name,country,organisation_type,eccp_status,sectors,maturity\n"
        "a,A,IT,cluster_organisation,registered,digital,none\n"
        "b,B,DE,cluster_organisation,registered,digital,platinum\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_pool(path)
    message = str(info.value)
    assert message.startswith(f"{path}: row 3 (id 'b'), column 'maturity', value 'platinum': ")


def test_json_error_names_the_path(tmp_path: Path) -> None:
    """JSON errors name organisations[i], its id, the field and the value."""
    path = tmp_path / "p.json"
    path.write_text(
        '{"name": "p", "organisations": [{"id": "a", "name": "A", "country": "IT",'
        ' "organisation_type": "cluster_organisation", "eccp_status": "registered",'
        ' "sectors": ["digital"], "maturity": "none", "nuts2": "DE21"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_pool(path)
    assert str(info.value).startswith(
        f"{path}: organisations[0] (id 'a'), key 'nuts2', value 'DE21': "
    )
    assert "lies in Germany, not in Italy" in str(info.value)


def test_atomic_write_leaves_no_partial_file(tmp_path: Path) -> None:
    """A failed write leaves neither the target nor a temporary file behind."""
    target = tmp_path / "out.json"

    class Boom(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write_text(target, Boom("x"))
    assert list(tmp_path.iterdir()) == []


def test_writing_into_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    """An output path in a folder that does not exist is an input error, not a crash."""
    with pytest.raises(InputError, match="no such folder"):
        write_pool(generate_pool(2, seed=1), tmp_path / "nope" / "p.json")


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Atomic writes go through a private temporary file; the result is readable like any other."""
    import os

    from consortium_solver.io import atomic_write_text

    umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "out.json", "{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o644
