"""Tables of an event (issue 28, items 2 and 5): named tables with seats, laid in some rounds,
from a file, the participants' workbook or a short spec; every group at a table within its seats,
fixed seats held — judged by the validator, which checks each table on its own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Pool, Table
from consortium_solver.group import GroupOptions, group
from consortium_solver.group.options import fixed_seats
from consortium_solver.io import import_pool
from consortium_solver.io.event_tables import read_tables_file, tables_spec
from consortium_solver.io.importer import SheetProblems
from consortium_solver.rules import no_call, user_size
from consortium_solver.testing import pools
from consortium_solver.validate import check_grouping
from tests.conftest import counted, scaled

runner = CliRunner()


def people(n: int) -> Pool:
    return Pool(
        name="event",
        organisations=tuple(
            Organisation(
                id=f"p{i}",
                name=f"Person {i}",
                country=("DE", "FR", "PL")[i % 3],
                organisation_type="cluster_organisation",
                eccp_status="registered",
                sectors=("digital",),
            )
            for i in range(n)
        ),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3x4", [("Table 1", 4, None), ("Table 2", 4, None), ("Table 3", 4, None)]),
        ("2x6@1,2 1x5@3", [("Table 1", 6, (1, 2)), ("Table 2", 6, (1, 2)), ("Table 3", 5, (3,))]),
        ("Garden:8,Hall:6@2-3", [("Garden", 8, None), ("Hall", 6, (2, 3))]),
        ("A:6@1,2,B:4", [("A", 6, (1, 2)), ("B", 4, None)]),
    ],
)
def test_tables_as_a_spec(
    text: str, expected: list[tuple[str, int, tuple[int, ...] | None]]
) -> None:
    assert [(t.name, t.capacity, t.rounds) for t in tables_spec(text)] == expected


def test_every_unreadable_part_of_a_spec_is_named() -> None:
    with pytest.raises(OptionError) as caught:
        tables_spec("3x4 three Hall:x 2x0")
    assert [value for _, value, _ in caught.value.problems] == ["three", "Hall:x", "2x0"]


def test_a_tables_file_in_the_usual_languages_and_its_problems_all_at_once(tmp_path: Path) -> None:
    good = tmp_path / "tische.csv"
    good.write_text("Tisch;Plätze;Runden\nGarten;8;alle\nSaal;6;2-3\n", encoding="utf-8")
    assert read_tables_file(good) == (
        Table(name="Garten", capacity=8),
        Table(name="Saal", capacity=6, rounds=(2, 3)),
    )
    bad = tmp_path / "tables.csv"
    bad.write_text("Table,Seats,Rounds\nA,six,\n,4,\nB,5,\nB,5,\nC,4,morning\n", encoding="utf-8")
    with pytest.raises(SheetProblems) as caught:
        read_tables_file(bad)
    lines = [p.line("tables.csv") for p in caught.value.errors]
    assert len(lines) == 4
    assert "row 2" in lines[0] and "not a number of seats" in lines[0] and "'six'" in lines[0]
    assert "row 3" in lines[1] and "no table name" in lines[1]
    assert "row 5" in lines[2] and "listed twice (first in row 4)" in lines[2]
    assert "row 6" in lines[3] and "not a list of rounds" in lines[3]


def test_the_participants_workbook_brings_its_tables(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Participants"
    sheet.append(["Name", "Country", "Type", "ECCP", "Sectors"])
    for i in range(12):
        sheet.append([f"Org {i}", ("Germany", "France", "Poland")[i % 3], "cluster", "registered",
                      "digital"])  # fmt: skip
    tables = book.create_sheet("Tables")
    tables.append(["Table", "Capacity"])
    tables.append(["Window", 5])
    tables.append(["Door", 4])
    tables.append(["Corner", 4])
    path = tmp_path / "event.xlsx"
    book.save(path)
    pool = import_pool(path).require_pool()
    assert [t.name for t in pool.tables] == ["Window", "Door", "Corner"]
    result = group(pool, no_call(), GroupOptions(size=(3, 5), time_limit=1, deterministic=True))
    assert sorted(g.table or "" for g in result.consortia) == ["Corner", "Door", "Window"]
    assert all(len(g.members) <= {"Window": 5}.get(g.table or "", 4) for g in result.consortia)


@settings(max_examples=scaled(20), deadline=None)
@given(
    pool=pools(6, 24, eligible_share=1.0),
    seats=st.lists(st.integers(2, 7), min_size=1, max_size=8),
    n_rounds=st.integers(1, 3),
    data=st.data(),
)
@counted
def test_every_group_sits_at_a_laid_table_within_its_seats(
    pool: Pool, seats: list[int], n_rounds: int, data: st.DataObject
) -> None:
    laid = [
        data.draw(st.one_of(st.none(), st.sets(st.integers(1, n_rounds), min_size=1).map(sorted)))
        for _ in seats
    ]
    tables = tuple(
        Table(name=f"T{k}", capacity=c, rounds=None if r is None else tuple(r))
        for k, (c, r) in enumerate(zip(seats, laid, strict=True))
    )
    options = GroupOptions(size=(2, 4), rounds=n_rounds, tables=tables, allow_repeats=True,
                           time_limit=0.3, deterministic=True, workers=1)  # fmt: skip
    result = group(pool, no_call(), options)
    by_name = {t.name: t for t in tables}
    for r, groups in enumerate(result.schedule(), start=1):
        names = [g.table for g in groups]
        assert len(names) == len(set(names))  # one group to a table
        for grp in groups:
            table = by_name[grp.table or ""]
            assert table.laid(r) and len(grp.members) <= table.capacity
    seated = sum(len(g.members) for groups in result.schedule() for g in groups)
    room = sum(sum(t.capacity for t in tables if t.laid(r)) for r in range(1, n_rounds + 1))
    if room < len(pool) * n_rounds:
        assert result.note and "too few seats" in result.note
    assert seated <= room


def test_the_validator_judges_each_table() -> None:
    pool = people(7)
    a, b = Table(name="A", capacity=3), Table(name="B", capacity=4, rounds=(2,))
    rounds = [[["p0", "p1", "p2", "p3"], ["p4", "p5", "p6"]]]
    verdict = check_grouping(pool, no_call(), rounds, tables=[[a, b]],
                             extra_rules=[user_size(1, 9)])  # fmt: skip
    assert verdict.problems == [
        "tables: round 1, group 1: 4 seated at A, which has 3 seats",
        "tables: round 1, group 2: B is not laid in round 1",
    ]
    assert [g.table for g in verdict.rounds[0]] == ["A", "B"]
    twice = check_grouping(pool, no_call(), [[["p0"], ["p1"]]], tables=[[a, a]])
    assert "tables: round 1, group 2: A holds another group too" in twice.problems


def test_a_fixed_seat_at_a_named_table() -> None:
    pool = people(12)
    tables = (Table(name="Garden", capacity=4), Table(name="Hall", capacity=4),
              Table(name="Bar", capacity=4))  # fmt: skip
    _, seats = fixed_seats(pool, ["Person 5=Bar@2", "p7=2"], (), 2, tables)
    assert seats == (("p5", "Bar", (2,)), ("p7", "Hall", (1, 2)))
    options = GroupOptions(size=(3, 4), rounds=2, tables=tables, seated=seats, time_limit=1,
                           deterministic=True)  # fmt: skip
    result = group(pool, no_call(), options)
    rounds = result.schedule()
    at = {(r, m): g.table for r, groups in enumerate(rounds, 1) for g in groups for m in g.members}
    assert at[(2, "p5")] == "Bar" and at[(1, "p7")] == at[(2, "p7")] == "Hall"
    moved = [[list(g.members) for g in groups] for groups in rounds]
    by_name = {t.name: t for t in tables}
    laid = [[by_name[g.table or ""] for g in groups] for groups in rounds]
    verdict = check_grouping(pool, no_call(), moved, tables=laid, seated=[("p7", "Garden", (1,))])
    assert any(p.startswith("fix: round 1: p7 sits at") for p in verdict.problems)
    with pytest.raises(OptionError) as caught:
        fixed_seats(pool, ["p1=Cellar", "nobody=Bar", "p2=Bar@x"], (), 2, tables)
    assert len(caught.value.problems) == 3


def test_tables_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(people(14).model_dump_json(), encoding="utf-8")
    out = tmp_path / "plan.csv"
    args = ["group", str(path), "--call", "none", "--rounds", "2", "--tables", "Garden:5,2x4@2",
            "--fix", "Person 3=Garden", "--allow-repeats", "--deterministic", "--time-limit", "1",
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Garden" in result.stdout and "too few seats" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["group"] for r in rows if r["round"] == "1" and r["group"]} == {"Garden"}
    assert {r["group"] for r in rows if r["id"] == "p3"} == {"Garden"}
    bad = runner.invoke(app, ["group", str(path), "--tables", "2xfour", "--fix", "p1=Cellar"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_a_hostile_table_name_is_never_a_live_formula(tmp_path: Path) -> None:
    """A table named like a formula is kept as text: a CSV plan neutralises it, a bad seats cell
    (a formula, a huge number) is a one-line error, exit 2."""
    path = tmp_path / "event.json"
    path.write_text(people(6).model_dump_json(), encoding="utf-8")
    tables = tmp_path / "tables.csv"
    tables.write_text('Table,Seats\n"=HYPERLINK(""http://x"")",6\n', encoding="utf-8")
    out = tmp_path / "plan.csv"
    result = runner.invoke(app, ["group", str(path), "--call", "none", "--tables", str(tables),
                                 "--deterministic", "--time-limit", "1", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    cells = {r["group"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert cells == {'\'=HYPERLINK("http://x")'}
    tables.write_text("Table,Seats\nA,=2+3\nB,99999\n", encoding="utf-8")
    bad = runner.invoke(app, ["group", str(path), "--call", "none", "--tables", str(tables)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert bad.output.count("not a number of seats") == 2
