"""Events as they really run: people who attend some rounds only.

The sheet's *Rounds attended* column read as people write it, the validator's attendance rule, and
the grouping search seating each round's attendees only — judged by the validator every time.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Pool
from consortium_solver.group import GroupOptions, group
from consortium_solver.io import import_pool
from consortium_solver.io.cells import read_attendance
from consortium_solver.rules import load_call, no_call, user_size
from consortium_solver.testing import pools
from consortium_solver.validate import check_grouping
from tests.conftest import counted, scaled

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "rounds"),
    [
        ("", None),
        ("all", None),
        ("Alle", None),
        ("tous", None),
        ("1, 2", (1, 2)),
        ("2-3", (2, 3)),
        ("2 – 3", (2, 3)),
        ("3 only", (3,)),
        ("1 3", (1, 3)),
        ("Round 2", (2,)),
        ("rounds 1 and 3", (1, 3)),
        ("R1, R3", (1, 3)),
        ("sessions 2 to 4", (2, 3, 4)),
        ("1;3", (1, 3)),
        ("none", ()),
    ],
)
def test_rounds_attended_as_people_write_them(text: str, rounds: tuple[int, ...] | None) -> None:
    assert read_attendance(text) == (rounds, [])


@pytest.mark.parametrize("text", ["morning", "2-1", "1, two", "round x", "=1+2"])
def test_a_cell_that_is_no_list_of_rounds_is_an_error_saying_what_to_write(text: str) -> None:
    value, findings = read_attendance(text)
    assert value is None
    assert [f.message for f in findings] == ["not a list of rounds"]
    assert "e.g. all, 1, 2, 2-3 or 3 only" in (findings[0].suggestion or "")


def _sheet(tmp_path: Path, rows: list[tuple[str, str, str]], header: str = "Rounds") -> Path:
    path = tmp_path / "event.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Organisation", "Country", "Type", "ECCP", "Sectors", header])
        for name, country, rounds in rows:
            writer.writerow([name, country, "Cluster organisation", "Yes", "Digital", rounds])
    return path


def test_the_column_is_read_and_a_bad_cell_named_with_its_row(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [("A", "Germany", "1, 2"), ("B", "France", "all"), ("C", "Italy", "?")])
    report = import_pool(path)
    assert report.pool is None
    assert [(p.where, p.column, p.value, p.message) for p in report.errors] == [
        ("row 4", "Rounds", "?", "not a list of rounds")
    ]
    path = _sheet(tmp_path, [("A", "Germany", "1, 2"), ("B", "France", "")], "Teilnahme")
    pool = import_pool(path).require_pool()
    assert [o.rounds for o in pool.organisations] == [(1, 2), None]
    result = runner.invoke(app, ["import", str(path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0 and "Teilnahme → rounds attended" in result.stdout


# ------------------------------------------------------------------------------- the validator


def _event(n: int, rounds: dict[int, tuple[int, ...]]) -> Pool:
    """n eligible organisations of three countries, some attending only some rounds."""
    from consortium_solver.domain import EccpStatus, Organisation, OrganisationType

    return Pool(
        name="event",
        organisations=tuple(
            Organisation(
                id=f"o{i}",
                name=f"Org {i}",
                country=("DE", "FR", "PL")[i % 3],
                organisation_type=OrganisationType.CLUSTER_ORGANISATION,
                eccp_status=EccpStatus.REGISTERED,
                sectors=("digital",),
                rounds=rounds.get(i),
            )
            for i in range(n)
        ),
    )


def test_the_validator_refuses_a_member_seated_in_a_round_it_does_not_attend() -> None:
    pool = _event(6, {0: (2,)})
    rounds = [[["o0", "o1", "o2"], ["o3", "o4", "o5"]], [["o0", "o3"], ["o1", "o4"]]]
    verdict = check_grouping(pool, no_call(), rounds, allow_repeats=True)
    assert verdict.problems == [
        "attendance: round 1, group 1: o0 does not attend round 1 (it attends round 2)"
    ]
    # Absent from a round it does not attend: not left out. o2 and o5 attend round 2: left out.
    assert verdict.unassigned == ["o2", "o5"]


# ------------------------------------------------------------------------------- the search


def test_each_round_seats_its_attendees_only(tmp_path: Path) -> None:
    """12 organisations, 3 rounds: two arrive for round 2, two leave after round 1, one comes to
    round 3 only. Every round's groups hold exactly that round's attendees, and the validator
    accepts the schedule."""
    attendance = {0: (2, 3), 1: (2, 3), 2: (1,), 3: (1,), 4: (3,)}
    pool = _event(12, attendance)
    options = GroupOptions(
        size=(3, 4), rounds=3, time_limit=2, deterministic=True, seed=1, workers=1
    )
    result = group(pool, no_call(), options)
    assert result.rounds is not None
    for r, groups in enumerate(result.rounds, start=1):
        seated = sorted(m for g in groups for m in g.members)
        expected = sorted(o.id for o in pool.organisations if o.attends(r))
        assert seated == expected, r
    schedule = [[g.members for g in groups] for groups in result.rounds]
    verdict = check_grouping(pool, no_call(), schedule, extra_rules=[user_size(3, 4)])
    assert verdict.valid, verdict.problems
    assert result.unassigned == ()


def test_rounds_attended_beyond_the_event_are_refused_naming_them() -> None:
    pool = _event(9, {0: (1, 4)})
    with pytest.raises(OptionError) as info:
        group(pool, no_call(), GroupOptions(size=(3, 3), rounds=3, time_limit=1))
    assert info.value.problems[0][0] == "rounds"
    assert "Org 0 (4)" in info.value.problems[0][2]


def test_together_partners_must_attend_the_same_rounds() -> None:
    pool = _event(9, {0: (1,)})
    options = GroupOptions(size=(3, 3), rounds=2, together=(("o0", "o1"),), time_limit=1)
    with pytest.raises(OptionError) as info:
        group(pool, no_call(), options)
    assert "attend different rounds" in info.value.problems[0][2]


def test_an_organisation_attending_no_round_is_set_aside_with_the_reason() -> None:
    pool = _event(7, {6: ()})
    result = group(pool, no_call(), GroupOptions(size=(3, 3), rounds=2, time_limit=1, seed=1))
    assert [(i.id, i.why) for i in result.ineligible] == [
        ("o6", "attends none of the event's rounds")
    ]


@settings(max_examples=scaled(25), deadline=None)
@given(
    pool=pools(6, 16, eligible_share=1.0),
    size=st.sampled_from(((3, 3), (3, 4), (2, 4))),
    n_rounds=st.integers(2, 4),
    data=st.data(),
)
@counted
def test_any_attendance_gives_a_schedule_the_validator_accepts(
    pool: Pool, size: tuple[int, int], n_rounds: int, data: st.DataObject
) -> None:
    """Random attendance over 2-4 rounds, the 2018 call's rules: every group passes the
    validator, nobody sits in a round they do not attend, and whoever is not seated in a round
    they attend is listed as unassigned."""
    attended = [
        data.draw(st.one_of(st.none(), st.sets(st.integers(1, n_rounds), min_size=1).map(sorted)))
        for _ in pool.organisations
    ]
    pool = Pool(
        name=pool.name,
        organisations=tuple(
            o.model_copy(update={"rounds": None if a is None else tuple(a)})
            for o, a in zip(pool.organisations, attended, strict=True)
        ),
    )
    call = load_call("cos-cluster-2018-03-02")
    options = GroupOptions(
        size=size,
        rounds=n_rounds,
        allow_repeats=True,
        time_limit=0.3,
        deterministic=True,
        seed=3,
        workers=1,
    )
    result = group(pool, call, options)
    if not result.rounds:
        assert result.note
        return
    schedule = [[g.members for g in groups] for groups in result.rounds]
    verdict = check_grouping(
        pool, call, schedule, extra_rules=[user_size(*size)], allow_repeats=True
    )
    assert verdict.valid, verdict.problems
    by_id = pool.by_id
    for r, groups in enumerate(schedule, start=1):
        assert all(by_id[m].attends(r) for g in groups for m in g)
    assert set(result.unassigned) == set(verdict.unassigned)


def test_the_days_workbook_shows_who_is_where_round_by_round_empty_when_absent() -> None:
    import io

    import openpyxl

    from consortium_solver.io.plans import grouping_workbook

    pool = _event(13, {0: (2, 3), 1: (2, 3), 2: (1,), 12: ()})
    options = GroupOptions(
        size=(3, 4), rounds=3, time_limit=2, deterministic=True, seed=1, workers=1
    )
    result = group(pool, no_call(), options)
    book = openpyxl.load_workbook(io.BytesIO(grouping_workbook(result, pool)))
    rows = list(book["Overview"].iter_rows(values_only=True))
    header = list(rows[0])
    assert "Rounds attended" in header
    at = {name: header.index(name) for name in ("ID", "Rounds attended", "Round 1", "Round 3")}
    by_id = {row[at["ID"]]: row for row in rows[1:]}
    assert by_id["o0"][at["Rounds attended"]] == "2, 3"
    assert by_id["o0"][at["Round 1"]] is None and isinstance(by_id["o0"][at["Round 3"]], int)
    assert by_id["o2"][at["Round 3"]] is None and isinstance(by_id["o2"][at["Round 1"]], int)
    assert by_id["o5"][at["Rounds attended"]] == "all"
    left = list(book["Not placed"].iter_rows(values_only=True))
    assert left[1:] == [("Org 12", "o12", "Germany", "attends none of the event's rounds")]


# ---------------------------------------------------------------------------- --max-meetings


def test_pairs_may_meet_as_often_as_allowed_and_no_more() -> None:
    """6 organisations in threes over 4 rounds: each meets 8 times among 5 others, impossible
    with one meeting a pair (the reason is given), done with two, and the validator agrees."""
    pool = _event(6, {})
    strict = GroupOptions(size=(3, 3), rounds=4, time_limit=2, deterministic=True, workers=1)
    refused = group(pool, no_call(), strict)
    assert not refused.consortia and "impossible" in (refused.note or "")
    twice = strict.model_copy(update={"max_meetings": 2})
    result = group(pool, no_call(), twice)
    assert result.rounds is not None and not result.repeated_pairs
    schedule = [[g.members for g in groups] for groups in result.rounds]
    once = check_grouping(pool, no_call(), schedule, extra_rules=[user_size(3, 3)])
    assert not once.valid and once.repeats_only  # some pair meets twice: allowed, not once
    verdict = check_grouping(
        pool, no_call(), schedule, extra_rules=[user_size(3, 3)], max_meetings=2
    )
    assert verdict.valid, verdict.problems


@settings(max_examples=scaled(20), deadline=None)
@given(
    pool=pools(6, 14, eligible_share=1.0),
    allowed=st.integers(1, 3),
    n_rounds=st.integers(2, 5),
)
@counted
def test_a_schedule_never_has_a_pair_meet_more_than_allowed(
    pool: Pool, allowed: int, n_rounds: int
) -> None:
    options = GroupOptions(
        size=(3, 4),
        rounds=n_rounds,
        max_meetings=allowed,
        time_limit=0.3,
        deterministic=True,
        seed=5,
        workers=1,
    )
    result = group(pool, no_call(), options)
    if not result.rounds or result.repeated_pairs:
        assert result.note  # no schedule, or the best one with its repeats listed
        return
    schedule = [[g.members for g in groups] for groups in result.rounds]
    verdict = check_grouping(
        pool, no_call(), schedule, extra_rules=[user_size(3, 4)], max_meetings=allowed
    )
    assert verdict.valid, verdict.problems


# ----------------------------------------------------------------------------------- guests


def _with_outsiders(n: int, outsiders: int, late: bool = True) -> Pool:
    """n eligible organisations, then ``outsiders`` the 2018 call leaves out (a university, a
    cluster not on the ECCP, …)."""
    from consortium_solver.domain import EccpStatus, Organisation, OrganisationType, RegionCategory

    lagging = RegionCategory.LESS_DEVELOPED
    base = _event(n, {})
    base = Pool(
        name="event",
        organisations=tuple(
            o.model_copy(update={"region_category": lagging}) for o in base.organisations
        ),
    )
    kinds: list[dict[str, object]] = [
        {"organisation_type": OrganisationType.OTHER},
        {"eccp_status": EccpStatus.NONE},
    ]
    extra = [
        Organisation(
            id=f"x{k}",
            name=f"Outsider {k}",
            country="DE",
            organisation_type=OrganisationType.CLUSTER_ORGANISATION,
            eccp_status=EccpStatus.REGISTERED,
            sectors=("digital",),
            rounds=(2,) if k == 0 and late else None,
        ).model_copy(update=kinds[k % 2])
        for k in range(outsiders)
    ]
    return Pool(name="event", organisations=(*base.organisations, *extra))


def test_guests_seat_everyone_the_call_leaves_out_and_the_groups_still_meet_the_call() -> None:
    pool = _with_outsiders(12, 5)
    call = load_call("cos-cluster-2018-03-02")
    options = GroupOptions(
        size=(3, 4),
        rounds=2,
        guests=True,
        allow_repeats=True,
        time_limit=2,
        deterministic=True,
        seed=1,
        workers=1,
    )
    result = group(pool, call, options)
    assert result.rounds is not None and result.ineligible == ()
    assert result.unassigned == ()
    for r, groups in enumerate(result.rounds, start=1):
        seated = [m for g in groups for m in g.guests]
        expected = [f"x{k}" for k in range(5) if k != 0 or r == 2]  # x0 comes to round 2 only
        assert sorted(seated) == expected
        counts = [len(g.guests) for g in groups]
        assert max(counts) - min(counts) <= 1  # spread evenly
    schedule = [[g.members for g in groups] for groups in result.rounds]
    guests = [[g.guests for g in groups] for groups in result.rounds]
    verdict = check_grouping(
        pool, call, schedule, extra_rules=[user_size(3, 4)], guests=guests, allow_repeats=True
    )
    assert verdict.valid, verdict.problems
    assert verdict.unassigned == []
    without = group(pool, call, options.model_copy(update={"guests": False}))
    assert {i.id for i in without.ineligible} == {f"x{k}" for k in range(5)}
    why = {i.id: i.why for i in without.ineligible}  # in words, not the model's codes
    assert why["x0"] == (
        "its organisation type is other; the call takes cluster organisation or business network"
        " organisation"
    )
    assert why["x1"] == "its ECCP status is not registered; the call takes registered or applied"


def test_the_validator_refuses_a_guest_who_meets_the_member_rules() -> None:
    pool = _with_outsiders(6, 1, late=False)
    call = load_call("cos-cluster-2018-03-02")
    rounds = [[["o0", "o1", "o2"], ["o3", "o4"]]]
    verdict = check_grouping(pool, call, rounds, guests=[[["x0"], ["o5"]]])
    assert any(p.startswith("guests: round 1, group 2: o5 meets") for p in verdict.problems)
    assert not any("x0" in p for p in verdict.problems)


def test_the_plan_marks_the_guests(tmp_path: Path) -> None:
    import io

    import openpyxl

    from consortium_solver.io.plans import grouping_page, grouping_workbook

    pool = _with_outsiders(9, 2, late=False)
    call = load_call("cos-cluster-2018-03-02")
    options = GroupOptions(size=(3, 3), guests=True, time_limit=2, deterministic=True, workers=1)
    result = group(pool, call, options)
    book = openpyxl.load_workbook(io.BytesIO(grouping_workbook(result, pool)))
    text = [c for row in book["Groups"].iter_rows(values_only=True) for c in row if c]
    assert "Outsider 0 (guest)" in text and "Outsider 1 (guest)" in text
    assert "Outsider 0 (guest)" in grouping_page(result, pool)
    left = list(book["Not placed"].iter_rows(values_only=True))
    assert left[1][0] == "Everyone has a place in every round."


# ------------------------------------------------------------------------------ table hosts


def test_hosts_stay_at_their_tables_while_the_others_rotate() -> None:
    """5 hosts, 10 others, 3 rounds at tables of 3: every round has one table per host, each
    with its host; group k of each round is host k's table; nobody meets twice; the validator
    agrees. (Tables of 5 for 15 would make repeats certain: a round-2 table can take only one
    from each of the 3 round-1 tables.)"""
    pool = _event(15, {})
    hosts = ("o0", "o3", "o6", "o9", "o12")
    options = GroupOptions(
        size=(3, 3), rounds=3, hosts=hosts, time_limit=2, deterministic=True, seed=2, workers=1
    )
    result = group(pool, no_call(), options)
    assert result.rounds is not None and result.hosts == hosts
    for groups in result.rounds:
        assert len(groups) == 5
        for k, grp in enumerate(groups):
            assert [m for m in grp.members if m in hosts] == [hosts[k]]
    schedule = [[g.members for g in groups] for groups in result.rounds]
    verdict = check_grouping(pool, no_call(), schedule, extra_rules=[user_size(3, 3)], hosts=hosts)
    assert verdict.valid, verdict.problems
    assert not result.repeated_pairs


def test_the_validator_wants_one_host_a_table() -> None:
    pool = _event(8, {})
    rounds = [[["o0", "o1", "o2", "o3"], ["o4", "o5", "o6", "o7"]]]
    verdict = check_grouping(pool, no_call(), rounds, hosts=("o0", "o1"))
    assert verdict.problems == [
        "hosts: round 1, group 1: 2 hosts (o0, o1)",
        "hosts: round 1, group 2: no table host",
    ]


def test_hosts_from_a_column_of_the_sheet(tmp_path: Path) -> None:
    from consortium_solver.group.options import hosts_named

    path = tmp_path / "event.csv"
    lines = ["Organisation,Country,Type,ECCP,Sectors,Table host"]
    for i in range(9):
        country = ("Germany", "France", "Poland")[i % 3]
        mark = "yes" if i in (0, 4) else ""
        lines.append(f"Org {i},{country},Cluster organisation,Yes,Digital,{mark}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pool = import_pool(path).require_pool()
    assert hosts_named(pool, "table host") == ("org-0", "org-4")
    assert hosts_named(pool, "Org 4, org-0") == ("org-4", "org-0")
    with pytest.raises(OptionError) as info:
        hosts_named(pool, "Org 99")
    assert "neither a column of the sheet (its extra columns: Table host)" in str(info.value)
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["group", str(path), "--size", "3..5", "--rounds", "2", "--hosts", "Table host",
         "--call", "none", "--deterministic", "--allow-repeats", "--out", str(out)],
        env={"COLUMNS": "250"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Org 0 · Germany (host)" in result.stdout


def test_the_per_table_sheet_lists_who_sits_at_each_table_round_by_round() -> None:
    """Table cards: each host's table lists its host and who joins it in each round, and a table
    whose host is away is closed that round."""
    import io

    import openpyxl

    from consortium_solver.io.plans import grouping_workbook

    pool = _event(15, {3: (1, 3)})  # host o3 is away in round 2
    hosts = ("o0", "o3", "o6", "o9", "o12")
    options = GroupOptions(
        size=(2, 4), rounds=3, hosts=hosts, time_limit=2, deterministic=True, seed=2, workers=1,
        allow_repeats=True,
    )  # fmt: skip
    result = group(pool, no_call(), options)
    book = openpyxl.load_workbook(io.BytesIO(grouping_workbook(result, pool)))
    cells = [[c for c in row if c] for row in book["Per table"].iter_rows(values_only=True)]
    titles = [row[0] for row in cells if row and str(row[0]).startswith("Table")]
    assert titles == [f"Table {k + 1} · host Org {3 * k}" for k in range(5)]
    second = cells[[row[0] if row else "" for row in cells].index("Table 2 · host Org 3") :]
    block = second[
        : next(i for i, row in enumerate(second[1:], 1) if row and str(row[0]).startswith("Table"))
    ]
    rounds = [row[0] for row in block if row and str(row[0]).startswith("Round")]
    assert rounds == ["Round 1", "Round 3"]  # closed in round 2
    assert ["Org 3 (host)"] in block


# ----------------------------------------------------------------------------------- --meet


def test_meet_pairs_share_a_group_in_some_round_and_nobody_meets_twice() -> None:
    pool = _event(12, {1: (2, 3)})
    pairs = (("o0", "o1"), ("o2", "o3"), ("o4", "o5"), ("o6", "o7"))
    options = GroupOptions(
        size=(3, 3), rounds=3, meet=pairs, time_limit=2, deterministic=True, seed=4, workers=1
    )
    result = group(pool, no_call(), options)
    assert result.rounds is not None and not result.repeated_pairs
    schedule = [[g.members for g in groups] for groups in result.rounds]
    for a, b in pairs:
        assert any(a in g and b in g for groups in schedule for g in groups), (a, b)
    verdict = check_grouping(pool, no_call(), schedule, extra_rules=[user_size(3, 3)], meet=pairs)
    assert verdict.valid, verdict.problems
    apart = [[["o0", "o2", "o4"], ["o1", "o3", "o5"]]]
    refused = check_grouping(_event(6, {}), no_call(), apart, meet=(("o0", "o1"),))
    assert refused.problems == ["user:meet:o0+o1: o0 and o1 share no group in any round"]


def test_a_meet_pair_that_never_attends_together_is_refused() -> None:
    pool = _event(9, {0: (1,), 1: (2,)})
    options = GroupOptions(size=(3, 3), rounds=2, meet=(("o0", "o1"),), time_limit=1)
    with pytest.raises(OptionError) as info:
        group(pool, no_call(), options)
    assert info.value.problems[0][2] == "o0 and o1 attend no round together"


# -------------------------------------------------- together in some rounds, and fixed seats


def test_together_in_some_rounds_only() -> None:
    pool = _event(12, {})
    options = GroupOptions(
        size=(3, 3), rounds=3, together_in=(("o0", "o1", (1, 3)),), max_meetings=2,
        time_limit=2, deterministic=True, seed=3, workers=1,
    )  # fmt: skip
    result = group(pool, no_call(), options)
    assert result.rounds is not None
    schedule = [[g.members for g in groups] for groups in result.rounds]
    for r in (0, 2):
        assert any("o0" in g and "o1" in g for g in schedule[r])
    verdict = check_grouping(
        pool, no_call(), schedule, extra_rules=[user_size(3, 3)], max_meetings=2,
        together_in=options.together_in,
    )  # fmt: skip
    assert verdict.valid, verdict.problems
    wrong = [[["o0", "o2", "o3"], ["o1", "o4", "o5"]]]
    refused = check_grouping(_event(6, {}), no_call(), wrong, together_in=[("o0", "o1", (1,))])
    assert refused.problems == ["user:together:o0+o1@1: o0 and o1 are apart in round 1"]


def test_a_fixed_seat_at_a_hosts_table(tmp_path: Path) -> None:
    """`--fix "Org 7=2@1"`: Org 7 sits at the second host's table in round 1 (and anywhere in
    round 2); `--fix` without hosts is refused."""
    from consortium_solver.group.options import fixed_seats

    pool = _event(15, {})
    hosts = ("o0", "o3", "o6", "o9", "o12")
    seats, at_tables = fixed_seats(pool, ["Org 7=2@1", "o8=Org 12"], hosts, 2)
    assert seats == (("o7", "o3", (1,)), ("o8", "o12", (1, 2))) and not at_tables
    options = GroupOptions(
        size=(3, 3), rounds=2, hosts=hosts, together_in=seats, time_limit=2, deterministic=True,
        seed=1, workers=1, allow_repeats=True,
    )  # fmt: skip
    result = group(pool, no_call(), options)
    assert result.rounds is not None
    assert "o7" in result.rounds[0][1].members  # table 2 is o3's
    assert all("o8" in result.rounds[r][4].members for r in (0, 1))  # table 5 is o12's
    with pytest.raises(OptionError) as info:
        fixed_seats(pool, ["o7=1"], (), 2)
    assert "give --tables or --hosts too" in str(info.value)


def test_too_few_tables_for_a_second_round_without_repeats_is_said_at_once() -> None:
    """15 at 3 hosts' tables of 5: a second round cannot avoid repeats (a table takes one from
    each table of the first); the reason is given, not a search's best effort."""
    pool = _event(15, {})
    options = GroupOptions(size=(5, 5), rounds=2, hosts=("o0", "o5", "o10"), time_limit=1)
    result = group(pool, no_call(), options)
    assert not result.consortia and result.status.value == "infeasible"
    assert "impossible at 3 tables" in (result.note or "")
    allowed = group(pool, no_call(), options.model_copy(update={"allow_repeats": True}))
    assert allowed.rounds is not None


def test_enough_groups_for_a_second_round_without_repeats() -> None:
    """12 in groups of 3..4 over 2 rounds: three groups of four make repeats certain (a group of
    round 2 takes one from each group of round 1, so at most three), four groups of three do not —
    the construction lays four."""
    pool = _event(12, {})
    options = GroupOptions(size=(3, 4), rounds=2, time_limit=2, deterministic=True, workers=1)
    result = group(pool, no_call(), options)
    assert result.rounds is not None and not result.repeated_pairs
    assert [len(groups) for groups in result.rounds] == [4, 4]
