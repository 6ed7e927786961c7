"""ClusterXchange for coordinators (issue 30): money in whole cents end to end, a reason for every
visitor left out, the 200-km rule on the exact distance, `check-exchange` checking everything a plan
states, and `--debug` accepted after the command's name."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver.cli import app, hoisted
from consortium_solver.core.geo import EARTH_RADIUS_KM, great_circle_km
from consortium_solver.core.money import euros, half, rounded, to_cents
from consortium_solver.domain.exchanges import Exchange, ExchangePool
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.rules.scheme import load_scheme
from consortium_solver.synthetic.exchanges import generate_exchange_pool
from consortium_solver.validate.exchanges import check_plan, check_stated, lump_sum
from tests.conftest import counted, scaled
from tests.test_exchange import _exchange, _person

runner = CliRunner()
SCHEME = load_scheme()
OPTIONS = ExchangeOptions(time_limit=5, deterministic=True, workers=1)


# ---------------------------------------------------------------------------------------- money


@given(st.integers(0, 10**9), st.sampled_from(["", "0", "4", "5", "9", "49", "50", "51"]))
def test_an_amount_is_rounded_to_the_cent_half_up_by_its_written_digits(
    cents: int, below: str
) -> None:
    """EUR x.yz followed by more digits: rounded half up on what is written (0.285 → 29 cents)."""
    text = f"{cents // 100}.{cents % 100:02d}{below}"  # at most 14 digits: a float keeps them
    up = bool(below) and below[0] >= "5"
    assert to_cents(float(text)) == cents + up
    assert rounded(float(text)) == bool(below.rstrip("0"))
    assert euros(cents) * 100 == pytest.approx(cents)


def test_half_a_lump_sum_is_rounded_down_to_the_cent() -> None:
    assert half(to_cents(780.01)) == 39000 and half(to_cents(780.0)) == 39000
    assert half(to_cents(0.01)) == 0


def _budget_pool(budget: float, ceiling_country: str = "CZ") -> ExchangePool:
    """Three visitors who would each cost a full lump sum at one host: the budget decides."""
    people = [
        _person(f"v{k}", "PL", "PL92", "cluster_organisation", "visitor", partnership="P1")
        for k in range(3)
    ]
    people.append(_person("h", ceiling_country, "CZ05", "cluster_organisation", "host", capacity=3))
    return ExchangePool.model_validate(
        {
            "name": "money",
            "partnerships": [{"id": "P1", "name": "One", "budget": budget}],
            "participants": people,
        }
    )


@pytest.mark.parametrize(
    ("budget", "ceiling"),
    [
        (1169.996, 390.0),  # EUR 1,170.00 once rounded: three stays of 390 fit exactly
        (1169.994, 390.0),  # EUR 1,169.99: the third does not fit
        (780.02, 390.01),  # two of 390.01
        (780.01, 390.005),  # the ceiling is EUR 390.01 once rounded: one fits, not two
    ],
)
def test_budgets_and_ceilings_below_the_cent_never_break_the_plan(
    budget: float, ceiling: float
) -> None:
    """Amounts below the cent are rounded once on the way in and said in the note; the planner
    and the validator count the same cents, so the plan is always valid (no exit 3)."""
    pool = _budget_pool(budget)
    scheme = SCHEME.model_copy(update={"ceilings": {"CZ": ceiling}})
    result = plan_exchanges(pool, scheme, OPTIONS)
    assert check_plan(pool, scheme, list(result.exchanges)).valid
    assert len(result.exchanges) == min(3, to_cents(budget) // to_cents(ceiling))
    spent = to_cents(result.spending["P1"])
    assert spent == len(result.exchanges) * to_cents(ceiling) <= to_cents(budget)
    if rounded(budget) or rounded(ceiling):
        assert "amounts rounded to the cent" in (result.note or "")


def test_a_budget_below_the_cent_is_a_plan_from_the_command_line(tmp_path: Path) -> None:
    """The reported case: EUR 1,169.996 — exit 0, never 3, and the plan says how it was read."""
    pool = tmp_path / "pool.json"
    pool.write_text(_budget_pool(1169.996).model_dump_json(), encoding="utf-8")
    ceilings = tmp_path / "ceilings.csv"
    ceilings.write_text("country,eur\nCZ,390\n", encoding="utf-8")
    args = ["exchange", str(pool), "--ceilings", str(ceilings), "--time-limit", "5", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["exchanges"]) == 3 and doc["spending"]["P1"] == 1170.0
    assert "the budget of P1 EUR 1169.996 as EUR 1,170.00" in doc["note"]


# --------------------------------------------------------------------------- everyone left out


def _left_out_pool() -> ExchangePool:
    people = [
        _person("big", "PL", "PL92", "large_company", "visitor"),  # may only host
        _person("far", "US", None, "cluster_organisation", "visitor", lat=40.7, lon=-74.0),
        _person("two", "PL", "PL92", "cluster_organisation", "visitor", working_days=2),
        _person("long", "PL", "PL92", "cluster_organisation", "visitor", working_days=23),
        _person("home", "CZ", "CZ05", "cluster_organisation", "visitor"),  # the only host is home
        _person("ok1", "PL", "PL92", "cluster_organisation", "visitor"),
        _person("ok2", "PL", "PL92", "cluster_organisation", "visitor"),
        _person("h", "CZ", "CZ05", "cluster_organisation", "host", capacity=1),
    ]
    return ExchangePool.model_validate(
        {"name": "left", "partnerships": [{"id": "P1", "name": "One"}], "participants": people}
    )


def test_every_visitor_left_out_has_a_reason(tmp_path: Path) -> None:
    """A type that may only host, a country outside COSME, stays of 2 and 23 days, no host abroad,
    every host full: each named with its reason in the result, the terminal and the workbook."""
    pool = _left_out_pool()
    result = plan_exchanges(pool, SCHEME, OPTIONS)
    why = {u.id: u.reason for u in result.unplaced}
    assert len(result.exchanges) == 1
    assert sorted(why) == sorted(
        {"big", "far", "two", "long", "home", "ok1", "ok2"} - {result.exchanges[0].visitor}
    )
    assert why["big"].startswith("a large company may host but not visit")
    assert why["far"].startswith("US is not a country of the scheme")
    assert why["two"] == "a stay of 2 working days: the scheme takes 3 to 22"
    assert why["long"] == "a stay of 23 working days: the scheme takes 3 to 22"
    assert why["home"].startswith("no host in another country of the scheme")
    other = ({"ok1", "ok2"} - {result.exchanges[0].visitor}).pop()
    assert why[other].startswith("every host that could take it is full")
    path = tmp_path / "pool.json"
    path.write_text(pool.model_dump_json(), encoding="utf-8")
    book = tmp_path / "plan.xlsx"
    shown = runner.invoke(app, ["exchange", str(path), "--time-limit", "5", "--out", str(book)])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    assert "6 visitors not placed" in text and "Not placed" in text
    assert "a stay of 23 working days" in text
    rows = list(openpyxl.load_workbook(book)["not placed"].iter_rows(values_only=True))
    assert rows[0] == ("visitor", "name", "country", "partnership", "why")
    assert {r[0]: r[4] for r in rows[1:]} == why


def test_a_spent_budget_is_the_reason(tmp_path: Path) -> None:
    pool = _budget_pool(780.0)
    result = plan_exchanges(pool, SCHEME, OPTIONS)
    assert len(result.exchanges) == 1  # 780 a stay (PL → CZ, 5 days, far enough)
    reasons = {u.reason for u in result.unplaced}
    assert reasons == {
        "the budget of P1 is spent: EUR 0.00 left, its cheapest stay costs EUR 780.00"
    }


def test_the_import_warns_of_visitors_who_will_not_visit(tmp_path: Path) -> None:
    sheet = tmp_path / "participants.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,Role,Partnership,Working days\n"
        "Big Co,Poland,PL92,large company,visitor,P1,5\n"
        "Short Stay,Poland,PL92,cluster organisation,visitor,P1,2\n"
        "Host,Czechia,CZ05,cluster organisation,host,P1,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "--exchange", str(sheet)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "will not visit: a large company may host but not visit" in text
    assert "will not visit: a stay of 2 working days" in text


def test_working_days_given_as_true_are_refused(tmp_path: Path) -> None:
    doc = json.loads(_left_out_pool().model_dump_json())
    doc["participants"][5]["working_days"] = True
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["exchange", str(path)])
    assert result.exit_code == 2 and "working_days" in result.output


# ------------------------------------------------------------------------- the exact distance


def test_a_trip_of_199_96_km_is_below_200() -> None:
    """Two places 199.96 km apart on one meridian: half the lump sum (the rule takes the exact
    distance; shown rounded it reads 200.0)."""
    degrees = math.degrees(199.96 / EARTH_RADIUS_KM)
    km = great_circle_km(50.0, 15.0, 50.0 + degrees, 15.0)
    assert km == pytest.approx(199.96, abs=1e-6) and f"{km:.1f}" == "200.0"
    people = [
        _person("v", "PL", "PL92", "cluster_organisation", "visitor", lat=50.0, lon=15.0),
        _person("h", "CZ", "CZ05", "cluster_organisation", "host", lat=50.0 + degrees, lon=15.0),
    ]
    pool = ExchangePool.model_validate(
        {"name": "near", "partnerships": [{"id": "P1", "name": "One"}], "participants": people}
    )
    (exchange,) = plan_exchanges(pool, SCHEME, OPTIONS).exchanges
    assert exchange.lump_sum == lump_sum(SCHEME, pool.by_id["h"], 5, km) == 390.0
    assert exchange.distance_km == pytest.approx(199.96, abs=1e-6)


# ----------------------------------------------------------------- what check-exchange checks


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["exchanges"][0].update(working_days=d["exchanges"][0]["working_days"] + 3),
         "duration:"),
        (lambda d: d["exchanges"][0].update(lump_sum=d["exchanges"][0]["lump_sum"] + 0.004),
         "lump-sum:"),
        (lambda d: d["exchanges"][0].update(value=d["exchanges"][0]["value"] + 1), "value: exchange 1"),
        (lambda d: d["spending"].update({k: v + 10 for k, v in d["spending"].items()}),
         "budget: the plan states"),
        (lambda d: d.update(objective=d["objective"] * 2), "value: the plan states a value"),
    ],
)  # fmt: skip
def test_check_exchange_checks_everything_a_plan_states(
    change: object, words: str, tmp_path: Path
) -> None:
    """Days raised, a lump sum, a value, the spending or the objective raised by hand: refused,
    naming what; the plan as written passes."""
    pool = tmp_path / "x.json"
    runner.invoke(
        app, ["generate", "--kind", "exchange", "--n", "40", "--seed", "2", "--out", str(pool)]
    )
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["exchange", str(pool), "--out", str(plan)]).exit_code == 0
    assert runner.invoke(app, ["check-exchange", str(pool), str(plan)]).exit_code == 0
    doc = json.loads(plan.read_text())
    change(doc)  # type: ignore[operator]
    plan.write_text(json.dumps(doc))
    checked = runner.invoke(app, ["check-exchange", str(pool), str(plan)])
    assert checked.exit_code == 1 and words in checked.stdout, checked.stdout


def test_check_stated_accepts_what_the_planner_states() -> None:
    pool = _budget_pool(2000.0)
    result = plan_exchanges(pool, SCHEME, OPTIONS)
    verdict = check_stated(
        pool, SCHEME, list(result.exchanges), dict(result.spending), result.objective
    )
    assert verdict.valid, verdict.problems


# ---------------------------------------------------------------------------------- --debug


def test_debug_and_verbose_are_read_after_the_command_too() -> None:
    assert hoisted(["exchange", "p.json", "--debug"]) == ["--debug", "exchange", "p.json"]
    assert hoisted(["build", "--verbose", "x", "--", "--debug"]) == [
        "--verbose", "build", "x", "--", "--debug",
    ]  # fmt: skip
    shown = subprocess.run(
        [sys.executable, "-c", "from consortium_solver.cli import main; main()",
         "calls", "--debug"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "COS-CLUSTER-2018-03-02" in shown.stdout


# ------------------------------------------------------------------------------ next-best


def _plan_values(pool: ExchangePool) -> list[tuple[float, frozenset[tuple[str, str]]]]:
    """Every valid plan of a tiny pool with its value (the brute force of test_exchange)."""
    options = []
    for v in pool.participants:
        hosts = [
            h.id
            for h in pool.participants
            if v.visits and h.hosts and h.id != v.id
            and check_plan(pool, SCHEME, [_exchange(pool, v.id, h.id)]).valid
        ]  # fmt: skip
        options.append([None, *hosts])
    out = []
    for choice in itertools.product(*options):
        pairs = [(v.id, h) for v, h in zip(pool.participants, choice, strict=True) if h]
        verdict = check_plan(pool, SCHEME, [_exchange(pool, v, h) for v, h in pairs])
        if verdict.valid:
            out.append((verdict.value, frozenset(pairs)))
    return out


@settings(max_examples=scaled(10))
@given(seed=st.integers(0, 10_000), differ_by=st.integers(1, 2), budgets=st.booleans())
@counted
def test_next_best_programmes_are_next_best(seed: int, differ_by: int, budgets: bool) -> None:
    """--top 4 --differ-by N on small pools: values never increase down the list, each programme
    leaves out at least N exchanges of every one above it (all, when it has fewer), none is empty
    while the best is not, each passes the validator; the second is the best plan the brute force
    finds among those that leave out N of the best's exchanges."""
    pool = generate_exchange_pool(5, seed, partnerships=2, budgets=budgets)
    options = ExchangeOptions(time_limit=20, deterministic=True, workers=1, top=4,
                              differ_by=differ_by)  # fmt: skip
    result = plan_exchanges(pool, SCHEME, options)
    listed = [frozenset((x.visitor, x.host) for x in result.exchanges)]
    values = [result.objective or 0.0]
    for alt in result.alternatives:
        plan = frozenset((x.visitor, x.host) for x in alt.exchanges)
        assert check_plan(pool, SCHEME, list(alt.exchanges)).valid
        assert plan or not listed[0]
        for earlier in listed:
            assert len(earlier - plan) >= min(differ_by, len(earlier)) if earlier else plan
        listed.append(plan)
        values.append(alt.value)
    assert values == sorted(values, reverse=True)
    if result.exchanges:
        best = listed[0]
        others = [
            v for v, plan in _plan_values(pool)
            if plan and len(best - plan) >= min(differ_by, len(best))
        ]  # fmt: skip
        if others:
            assert result.alternatives and result.alternatives[0].value == pytest.approx(
                max(others)
            )


# ------------------------------------------------------------------ coordinates and regions


def test_every_regions_own_point_lies_in_it_and_a_swapped_one_is_named() -> None:
    """Each NUTS-2 region's label point is in its outline; Munich's coordinates swapped are not
    in Oberbayern, and the sentence asks whether lat/lon were swapped; Berlin's are named with
    their distance."""
    from consortium_solver import reference
    from consortium_solver.domain.places import in_region, place_problem

    points = reference.region_points()
    judged = [in_region(code, *points[code]) for code in reference.region_outlines()]
    assert judged and all(judged)
    assert place_problem("DE21", 48.14, 11.58) is None
    swapped = place_problem("DE21", 11.58, 48.14, "Oberbayern (DE21)")
    assert swapped == (
        "the point 11.58, 48.14 is not in Oberbayern (DE21): lat/lon swapped? (48.14, 11.58 is in it)"
    )
    far = place_problem("DE21", 52.52, 13.40)
    assert far is not None and far.startswith("the point 52.52, 13.4 is not in DE21 (")


def test_a_point_outside_its_region_is_a_warning_and_a_note(tmp_path: Path) -> None:
    """In a sheet: a warning at the row naming both; in a pool document: the plan's note."""
    sheet = tmp_path / "participants.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,Role,Partnership,Latitude,Longitude\n"
        "Munich Cluster,Germany,DE21,cluster organisation,visitor,P1,11.58,48.14\n"
        "Prague Host,Czechia,CZ01,cluster organisation,host,P1,50.08,14.44\n",
        encoding="utf-8",
    )
    shown = runner.invoke(app, ["import", "--exchange", str(sheet)], env={"COLUMNS": "300"})
    assert shown.exit_code == 0, shown.output
    assert "lat/lon swapped?" in shown.output and "Oberbayern (DE21)" in shown.output
    people = [
        _person("v", "DE", "DE21", "cluster_organisation", "visitor", lat=11.58, lon=48.14),
        _person("h", "CZ", "CZ01", "cluster_organisation", "host", lat=50.08, lon=14.44),
    ]
    pool = ExchangePool.model_validate(
        {"name": "swap", "partnerships": [{"id": "P1", "name": "One"}], "participants": people}
    )
    note = plan_exchanges(pool, SCHEME, OPTIONS).note or ""
    assert "coordinates outside the declared region: v: the point 11.58, 48.14" in note
    assert "lat/lon swapped?" in note


# ------------------------------------------------------------------ what coordinators report


def test_each_partnerships_figures_and_why_each_exchange_fits(tmp_path: Path) -> None:
    """The workbook's programme sheet: per partnership, exchanges paid, visitors its hosts
    receive, countries, less developed and transition regions, SMEs, share halved, spent, budget
    and left — recomputed here from the plan; each exchange with its host's partnership, why it
    fits and the sheet's other columns; every sheet with a filter and a frozen header."""
    sheet = tmp_path / "participants.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,Role,Partnership,Working days,Seeks,Offers,Sectors,"
        "E-mail\n"
        "Lodz Textile,Poland,PL71,sme,visitor,P1,5,ai,,digital,ana@lodz.pl\n"
        "Brno Digital,Czechia,CZ06,cluster organisation,host,P2,,,ai,digital,host@brno.cz\n"
        "Kosice Short,Slovakia,SK04,cluster organisation,visitor,P1,3,,,tourism,\n"
        "Graz Host,Austria,AT22,cluster organisation,host,P2,,,,tourism,\n",
        encoding="utf-8",
    )
    book_path = tmp_path / "plan.xlsx"
    args = ["exchange", str(sheet), "--time-limit", "5", "--out", str(book_path), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["exchanges"]) == 2
    book = openpyxl.load_workbook(book_path)
    rows = list(book["programme"].iter_rows(values_only=True))
    figures = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    one, two = figures["P1"], figures["P2"]
    assert (one["exchanges"], one["visitors hosted"], two["exchanges"], two["visitors hosted"]) == (
        2, 0, 0, 2,
    )  # fmt: skip
    assert one["countries"] == 4 and one["SMEs"] == 1
    halved = sum(x["working_days"] < 5 or x["distance_km"] < 200 for x in doc["exchanges"])
    assert one["share halved"] == pytest.approx(halved / 2)
    assert one["spent EUR"] == doc["spending"]["P1"]
    for name in book.sheetnames:
        ws = book[name]
        if ws.max_row > 1 and name != "read first":
            assert ws.freeze_panes == "A2" and ws.auto_filter.ref, name
    exchanges = list(book["P1"].iter_rows(values_only=True))
    head = exchanges[0]
    lodz = next(dict(zip(head, r, strict=True)) for r in exchanges[1:] if r[1] == "Lodz Textile")
    assert lodz["host partnership"] == "P2"
    assert lodz["why it fits"] == "seeks ai, offered by the host; both in Digital"
    assert lodz["visitor details"] == "E-mail: ana@lodz.pl"
    assert lodz["host details"] == "E-mail: host@brno.cz"


# ------------------------------------------------------------------- the scheme's rules as data


def _rules_pool(admits: list[str] | None) -> ExchangePool:
    people = [
        _person("member", "PL", "PL92", "sme", "visitor", cluster_member=True),
        _person("outsider", "PL", "PL92", "sme", "both", cluster_member=False, capacity=1),
        _person("unsaid", "PL", "PL92", "sme", "visitor"),  # not stated: taken as a member
        _person("uni", "CZ", "CZ05", "training_provider", "host", capacity=3, partnership="P2"),
        _person("cz", "CZ", "CZ05", "cluster_organisation", "visitor", partnership="P2"),
    ]
    return ExchangePool.model_validate(
        {
            "name": "rules",
            "partnerships": [{"id": "P1", "name": "One"},
                             {"id": "P2", "name": "Two", "admits": admits}],
            "participants": people,
        }
    )  # fmt: skip


def test_membership_host_only_types_and_history_are_rules_the_validator_judges() -> None:
    """A non-member SME hosts but never visits; a training provider hosts only where its
    partnership admits the type; who visited before does not visit again — refused by the
    validator with the rule's name, kept out by the planner, and each said as a reason."""
    admitted = _rules_pool(["training_provider"])
    result = plan_exchanges(admitted, SCHEME, OPTIONS)
    visitors = {x.visitor for x in result.exchanges}
    assert visitors == {"member", "unsaid", "cz"}  # cz → outsider (PL), who may host
    assert {x.host for x in result.exchanges if x.visitor == "cz"} == {"outsider"}
    why = {u.id: u.reason for u in result.unplaced}
    assert why["outsider"].startswith("an SME visits only as a member of a cluster taking part")
    bad = [_exchange(admitted, "outsider", "uni")]
    assert any(
        p.startswith("membership: outsider") for p in check_plan(admitted, SCHEME, bad).problems
    )

    refused = _rules_pool([])
    assert not {x.host for x in plan_exchanges(refused, SCHEME, OPTIONS).exchanges} & {"uni"}
    problems = check_plan(refused, SCHEME, [_exchange(refused, "member", "uni")]).problems
    assert problems and problems[0].startswith("host-type: uni (training provider) is a type its")
    assert check_plan(_rules_pool(None), SCHEME, [_exchange(refused, "member", "uni")]).valid

    options = OPTIONS.model_copy(update={"history": ("member",)})
    again = plan_exchanges(admitted, SCHEME, options)
    assert "member" not in {x.visitor for x in again.exchanges}
    assert {u.id: u.reason for u in again.unplaced}["member"].startswith("visited in an earlier")
    earlier = check_plan(admitted, SCHEME, [_exchange(admitted, "member", "uni")], ["member"])
    assert earlier.problems == ["visit-once: member visited in an earlier programme (history)"]


def test_membership_and_admitted_hosts_come_from_the_sheet(tmp_path: Path) -> None:
    """A *Cluster member* column (yes/no, several languages) and a *Hosts admitted* column of the
    Partnerships sheet; `--history` takes an earlier plan."""
    book = openpyxl.Workbook()
    people = book.active
    people.title = "Participants"
    people.append(["Organisation", "Country", "Region", "Type", "Role", "Partnership",
                   "Cluster member"])  # fmt: skip
    people.append(["Lodz SME", "Poland", "PL71", "SME", "visitor", "P1", "nein"])
    people.append(["Krakow SME", "Poland", "PL21", "SME", "visitor", "P1", "ja"])
    people.append(["Brno Uni", "Czechia", "CZ06", "training provider", "host", "P2", ""])
    partnerships = book.create_sheet("Partnerships")
    partnerships.append(["ID", "Name", "Budget", "Hosts admitted"])
    partnerships.append(["P1", "One", 5000, ""])
    partnerships.append(["P2", "Two", 5000, "training provider; public authority"])
    path = tmp_path / "participants.xlsx"
    book.save(path)
    out = tmp_path / "plan.json"
    args = ["exchange", str(path), "--time-limit", "5", "--out", str(out), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(x["visitor"], x["host"]) for x in doc["exchanges"]] == [("krakow-sme", "brno-uni")]
    assert {u["id"] for u in doc["unplaced"]} == {"lodz-sme"}
    again = runner.invoke(app, [*args[:-3], "--history", str(out), "--json"])
    assert again.exit_code == 1 and json.loads(again.stdout)["exchanges"] == []
    checked = runner.invoke(app, ["check-exchange", str(path), str(out), "--history", str(out)])
    assert (
        checked.exit_code == 1 and "visit-once: krakow-sme visited in an earlier" in checked.stdout
    )


# ------------------------------------------------------------------------------ maps at scale


def test_a_large_programme_is_drawn_by_countries_and_by_partnership(tmp_path: Path) -> None:
    """Above AGGREGATE_ABOVE exchanges the page's map draws one line per pair of countries (as
    wide as its exchanges) for the overview, and per partnership one line per pair of regions;
    a select chooses the view; every line is counted once in each."""
    import re

    from consortium_solver.io.exchange_page import AGGREGATE_ABOVE, ALL, plan_page
    from consortium_solver.synthetic.exchanges import generate_exchange_pool as generated

    pool = generated(300, 1, partnerships=4, budgets=False)
    result = plan_exchanges(pool, SCHEME, OPTIONS)
    assert len(result.exchanges) > AGGREGATE_ABOVE
    page = plan_page(result, pool)
    lines = re.findall(r"<line [^>]*stroke-width='([\d.]+)'[^>]*data-group='([^']*)'>", page)
    overview = [float(w) for w, g in lines if g == ALL]
    pairs: dict[tuple[str, str], int] = {}
    for x in result.exchanges:
        key = (pool.by_id[x.visitor].country, pool.by_id[x.host].country)
        pairs[key] = pairs.get(key, 0) + 1
    assert len(overview) == len(pairs)
    assert sorted(overview) == sorted(min(1.0 + 0.5 * (n - 1), 10.0) for n in pairs.values())
    titles = re.findall(r"data-group='([^']*)'><title>[^<]*: (\d+) exchanges?", page)
    for p in pool.partnerships:
        drawn = sum(int(n) for g, n in titles if g == p.id)
        assert drawn == sum(x.partnership == p.id for x in result.exchanges)
    assert (
        "<select id='view'>" in page and page.count("<option value=") == len(pool.partnerships) + 1
    )


# ------------------------------------------------------------------- a programme as it runs


def test_keep_replans_around_the_confirmed_and_done_exchanges(tmp_path: Path) -> None:
    """A plan whose coordinator marked one exchange done, one confirmed and one cancelled:
    `--keep` keeps the first two with their status (in budgets and capacities), never proposes the
    cancelled pair again, plans the rest anew (each new one "proposed"); the validator accepts it."""
    pool_path = tmp_path / "x.json"
    runner.invoke(
        app, ["generate", "--kind", "exchange", "--n", "60", "--seed", "4", "--out", str(pool_path)]
    )
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["exchange", str(pool_path), "--out", str(plan),
                               "--time-limit", "5"]).exit_code == 0  # fmt: skip
    doc = json.loads(plan.read_text())
    assert len(doc["exchanges"]) >= 3 and {x["status"] for x in doc["exchanges"]} == {"proposed"}
    done, confirmed, cancelled = doc["exchanges"][:3]
    done["status"], confirmed["status"], cancelled["status"] = "done", "confirmed", "cancelled"
    plan.write_text(json.dumps(doc))
    again = runner.invoke(
        app, ["exchange", str(pool_path), "--keep", str(plan), "--time-limit", "5", "--json"]
    )
    assert again.exit_code == 0, again.output
    new = json.loads(again.stdout)
    by_pair = {(x["visitor"], x["host"]): x["status"] for x in new["exchanges"]}
    assert by_pair[(done["visitor"], done["host"])] == "done"
    assert by_pair[(confirmed["visitor"], confirmed["host"])] == "confirmed"
    assert (cancelled["visitor"], cancelled["host"]) not in by_pair
    others = [s for pair, s in by_pair.items()
              if pair not in {(done["visitor"], done["host"]),
                              (confirmed["visitor"], confirmed["host"])}]  # fmt: skip
    assert others and set(others) == {"proposed"}
    pool = read_exchange_pool(pool_path)
    assert check_plan(pool, SCHEME, [Exchange.model_validate(x) for x in new["exchanges"]]).valid


def test_stays_are_dated_in_the_travel_window_off_the_hosts_closed_days(tmp_path: Path) -> None:
    """A sheet with travel windows and a host's closed days: each stay starts on the first working
    day that fits (Monday to Friday, its working days, inside the window, none of them closed);
    a window too short is the visitor's reason; dates moved by hand are refused."""
    sheet = tmp_path / "participants.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,Role,Partnership,Working days,Travel from,Travel to,"
        "Unavailable\n"
        "Lodz,Poland,PL71,cluster organisation,visitor,P1,5,2021-05-01,2021-05-31,\n"
        "Short,Poland,PL21,cluster organisation,visitor,P1,5,03.05.2021,05.05.2021,\n"
        "Brno,Czechia,CZ06,cluster organisation,host,P2,,,,2021-05-03..2021-05-07; 2021-05-12\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.json"
    args = ["exchange", str(sheet), "--time-limit", "5", "--out", str(plan), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (stay,) = doc["exchanges"]
    # 3–7 May closed, 12 May closed: the first 5 working days free are 13–19 May
    assert (stay["start"], stay["end"]) == ("2021-05-13", "2021-05-19")
    assert {u["id"]: u["reason"] for u in doc["unplaced"]}["short"] == (
        "its travel window 2021-05-03..2021-05-05 holds no 5 working days"
    )
    assert runner.invoke(app, ["check-exchange", str(sheet), str(plan)]).exit_code == 0
    moved = json.loads(plan.read_text())
    moved["exchanges"][0].update(start="2021-05-10", end="2021-05-14")
    plan.write_text(json.dumps(moved))
    checked = runner.invoke(app, ["check-exchange", str(sheet), str(plan)])
    assert checked.exit_code == 1 and "dates: brno cannot receive anyone" in checked.stdout


def test_virtual_exchanges_are_data_of_the_scheme() -> None:
    """One side only virtual, the other accepting: a virtual exchange, paid the scheme's virtual
    lump sum whatever the distance; the packaged scheme gives none (no source), so such a visitor
    is told why it is left out; a stay stated virtual that is not is refused."""
    people = [
        _person("online", "PL", "PL92", "cluster_organisation", "visitor", mode="virtual"),
        _person("stay", "PL", "PL92", "cluster_organisation", "visitor"),
        _person("open", "CZ", "CZ05", "cluster_organisation", "host", capacity=2, mode="either"),
    ]
    pool = ExchangePool.model_validate(
        {"name": "virtual", "partnerships": [{"id": "P1", "name": "One"}], "participants": people}
    )
    offered = SCHEME.model_copy(update={"virtual_lump_sum": 150.0})
    result = plan_exchanges(pool, offered, OPTIONS)
    by_visitor = {x.visitor: x for x in result.exchanges}
    assert by_visitor["online"].virtual and by_visitor["online"].lump_sum == 150.0
    assert not by_visitor["stay"].virtual and by_visitor["stay"].lump_sum == 780.0
    packaged = plan_exchanges(pool, SCHEME, OPTIONS)
    assert {u.id: u.reason for u in packaged.unplaced}["online"] == (
        "it takes part only virtually, and clusterxchange-2020 offers no virtual exchanges"
    )
    wrong = by_visitor["stay"].model_copy(update={"virtual": True, "lump_sum": 150.0})
    problems = check_plan(pool, offered, [wrong]).problems
    assert any(p.startswith("virtual: the exchange is stated virtual") for p in problems)
