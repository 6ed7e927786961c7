"""ClusterXchange programmes: the validator's rules one by one, the lump sum and the distance, and
the planner held to the validator, to brute force on tiny pools, to the min-cost flow without
budgets, to monotonicity in the budgets, and to determinism; the command line end to end."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.core.geo import great_circle_km
from consortium_solver.domain import Status
from consortium_solver.domain.dates import first_start, stay_end
from consortium_solver.domain.exchanges import Exchange, ExchangePool, virtual_pair
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.exchange.reasons import ineligible_visitor
from consortium_solver.rules.scheme import Scheme, load_scheme
from consortium_solver.synthetic.exchanges import generate_exchange_pool
from consortium_solver.testing import exchange_pools, schemes
from consortium_solver.validate.exchanges import check_plan, lump_sum
from tests.conftest import counted, scaled
from tests.organiser import write_rows

runner = CliRunner()
SCHEME = load_scheme()


def _person(
    pid: str, country: str, nuts2: str | None, kind: str, role: str, **extra: object
) -> dict[str, object]:
    return {
        "id": pid,
        "name": pid.upper(),
        "country": country,
        "nuts2": nuts2,
        "participant_type": kind,
        "role": role,
        "partnership": extra.pop("partnership", "P1"),
        **extra,
    }


def tiny_pool(budget: float | None = None) -> ExchangePool:
    return ExchangePool.model_validate(
        {
            "name": "tiny",
            "partnerships": [
                {"id": "P1", "name": "One", "budget": budget},
                {"id": "P2", "name": "Two"},
            ],
            "participants": [
                _person("v1", "IT", "ITI1", "cluster_organisation", "visitor", seeks=["ai"]),
                _person("v2", "PL", "PL92", "sme", "visitor", working_days=3),
                _person("v3", "DE", "DE22", "cluster_organisation", "visitor"),
                _person(
                    "h1",
                    "DE",
                    "DE21",
                    "cluster_organisation",
                    "host",
                    offers=["ai"],
                    partnership="P2",
                ),
                _person("h2", "CZ", "CZ05", "large_company", "host", capacity=2, partnership="P2"),
            ],
        }
    )


def _exchange(
    pool: ExchangePool,
    v: str,
    h: str,
    scheme: Scheme = SCHEME,
    change: dict[str, object] | None = None,
) -> Exchange:
    visitor, host = pool.by_id[v], pool.by_id[h]
    km = great_circle_km(*visitor.point, *host.point)
    start = first_start(visitor.window, visitor.working_days, host.unavailable)
    virtual = virtual_pair(visitor.mode, host.mode) is True
    fields: dict[str, object] = {
        "virtual": virtual,
        "visitor": v,
        "host": h,
        "start": start,
        "end": None if start is None else stay_end(start, visitor.working_days),
        "working_days": visitor.working_days,
        "distance_km": km,
        "lump_sum": lump_sum(scheme, host, visitor.working_days, km, virtual),
        "partnership": visitor.partnership,
    }
    fields.update(change or {})
    return Exchange.model_validate(fields)


# ------------------------------------------------------------------------------------ definitions


def test_great_circle_distance_paris_london() -> None:
    """344 km between the two capitals (haversine on a 6,371 km sphere; published: about 344)."""
    assert great_circle_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.6, abs=0.5)


def test_the_lump_sum_is_halved_for_a_short_stay_or_a_short_trip() -> None:
    pool = tiny_pool()
    host = pool.by_id["h1"]
    assert lump_sum(SCHEME, host, 5, 800.0) == 780.0
    assert lump_sum(SCHEME, host, 4, 800.0) == 390.0  # below 5 working days
    assert lump_sum(SCHEME, host, 5, 199.9) == 390.0  # below 200 km
    assert lump_sum(SCHEME, host, 3, 10.0) == 390.0  # both: halved once


def test_a_valid_plan_passes_and_its_value_is_the_sum_of_the_terms() -> None:
    pool = tiny_pool()
    plan = [_exchange(pool, "v1", "h1"), _exchange(pool, "v2", "h2"), _exchange(pool, "v3", "h2")]
    verdict = check_plan(pool, SCHEME, plan)
    assert verdict.valid, verdict.problems
    w = SCHEME.objective
    # v1 (Tuscany) to h1 (Upper Bavaria): seeks "ai", offered; no shared sector; not lagging; 5 days.
    assert verdict.values[0] == w.exchange + w.fit + w.full_lump_sum
    assert verdict.value == pytest.approx(math.fsum(verdict.values))
    assert verdict.spending["P1"] == 780.0 + 390.0 + 780.0


@pytest.mark.parametrize(
    ("plan", "rule"),
    [
        ([("v3", "h1")], "different-countries"),
        ([("h1", "h2")], "visitor-type"),
        ([("v1", "v2")], "host-type"),
        ([("v1", "h1"), ("v1", "h2")], "visit-once"),
        ([("v1", "h1"), ("v2", "h1")], "host-capacity"),
    ],
)
def test_each_rule_is_judged(plan: list[tuple[str, str]], rule: str) -> None:
    pool = tiny_pool()
    verdict = check_plan(pool, SCHEME, [_exchange(pool, v, h) for v, h in plan])
    assert any(p.startswith(f"{rule}:") for p in verdict.problems), verdict.problems


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"lump_sum": 780.0, "working_days": 3}, "lump-sum"),
        ({"distance_km": 12.0}, "lump-sum"),
        ({"working_days": 2, "lump_sum": 390.0}, "duration"),
        ({"partnership": "P2"}, "budget"),
    ],
)
def test_stated_amounts_are_recomputed(change: dict[str, object], rule: str) -> None:
    pool = tiny_pool()
    verdict = check_plan(pool, SCHEME, [_exchange(pool, "v1", "h1", change=change)])
    assert any(p.startswith(f"{rule}:") for p in verdict.problems), verdict.problems


def test_visitors_of_one_period_fit_the_host_at_once() -> None:
    """v2 and v3 travel in the same month to h2 (capacity 2) which takes one at a time: the
    validator says host-at-once; in different months, or with room for two, it is valid."""
    pool = tiny_pool()

    def variant(periods: tuple[str, str], at_once: int) -> ExchangePool:
        people = []
        for p in pool.participants:
            if p.id in ("v2", "v3"):
                p = p.model_copy(update={"period": periods[p.id == "v3"]})
            if p.id == "h2":
                p = p.model_copy(update={"at_once": at_once})
            people.append(p)
        return pool.model_copy(update={"participants": tuple(people)})

    plan = [_exchange(pool, "v2", "h2"), _exchange(pool, "v3", "h2")]
    same = check_plan(variant(("2021-05", "2021-05"), 1), SCHEME, plan)
    assert [p.split(":")[0] for p in same.problems] == ["host-at-once"]
    assert check_plan(variant(("2021-05", "2021-06"), 1), SCHEME, plan).valid
    assert check_plan(variant(("2021-05", "2021-05"), 2), SCHEME, plan).valid


@settings(max_examples=scaled(12))
@given(seed=st.integers(0, 10_000), budgets=st.booleans())
@counted
def test_plans_with_periods_are_optimal_against_brute_force(seed: int, budgets: bool) -> None:
    """With travel periods and hosts taking 1 or 2 at once, the planner (CP-SAT: the flow cannot
    say "at once") still finds the best plan the validator accepts."""
    pool = generate_exchange_pool(5, seed, partnerships=2, budgets=budgets, periods=2)
    result = plan_exchanges(
        pool, SCHEME, ExchangeOptions(time_limit=10, deterministic=True, workers=1)
    )
    assert result.status is Status.OPTIMAL
    assert check_plan(pool, SCHEME, result.exchanges).valid
    assert (result.objective or 0.0) == pytest.approx(brute_force(pool, SCHEME))


def test_at_once_limits_bind_on_a_larger_pool() -> None:
    """300 participants over 2 months: the plan keeps every host's at-once limit (validator), and
    is worth no more than the same pool without the limits."""
    pool = generate_exchange_pool(300, 7, budgets=False, periods=2)
    free = pool.model_copy(
        update={
            "participants": tuple(p.model_copy(update={"at_once": None}) for p in pool.participants)
        }
    )
    limited = plan_exchanges(pool, SCHEME, ExchangeOptions(time_limit=10))
    unlimited = plan_exchanges(free, SCHEME, ExchangeOptions(time_limit=10))
    assert check_plan(pool, SCHEME, limited.exchanges).valid
    assert unlimited.status is Status.OPTIMAL
    assert (limited.objective or 0.0) <= (unlimited.objective or 0.0) + 1e-9
    assert limited.bound is not None and limited.bound >= (limited.objective or 0.0) - 1e-9


def test_a_budget_is_kept() -> None:
    pool = tiny_pool(budget=1_000.0)
    plan = [_exchange(pool, "v1", "h1"), _exchange(pool, "v3", "h2")]
    assert any(p.startswith("budget:") for p in check_plan(pool, SCHEME, plan).problems)


# ---------------------------------------------------------------------------------------- planner


def valid_plan_values(
    pool: ExchangePool,
    scheme: Scheme,
    visited: Sequence[str] = (),
    max_halved: float | None = None,
) -> list[float]:
    """The value of every distinct plan the validator accepts, best first: every assignment of
    visitors to hosts (or to none), each visitor's hosts being those it may visit alone (tiny pools
    only: at most (hosts + 1) ^ visitors plans). The empty plan is always among them."""
    options = []
    for v in pool.participants:
        hosts = [
            h.id
            for h in pool.participants
            if v.visits
            and h.hosts
            and h.id != v.id
            and check_plan(pool, scheme, [_exchange(pool, v.id, h.id, scheme)], visited).valid
        ]
        options.append([None, *hosts])
    values = []
    for choice in itertools.product(*options):
        plan = [
            _exchange(pool, v.id, h, scheme)
            for v, h in zip(pool.participants, choice, strict=True)
            if h is not None
        ]
        verdict = check_plan(pool, scheme, plan, visited, max_halved)
        if verdict.valid:
            values.append(verdict.value)
    return sorted(values, reverse=True)


def brute_force(
    pool: ExchangePool,
    scheme: Scheme,
    visited: Sequence[str] = (),
    max_halved: float | None = None,
) -> float:
    """The best value of a plan the validator accepts."""
    return valid_plan_values(pool, scheme, visited, max_halved)[0]


@settings(max_examples=scaled(8))
@given(seed=st.integers(0, 10_000))
@counted
def test_the_top_programmes_are_the_best_distinct_ones(seed: int) -> None:
    """--top 3: the best programme and the next two, each different from those before it, are
    worth what the three best valid plans of the brute force are worth (an empty programme is
    never listed after a non-empty best)."""
    pool = generate_exchange_pool(5, seed, partnerships=2)
    result = plan_exchanges(
        pool, SCHEME, ExchangeOptions(time_limit=20, deterministic=True, workers=1, top=3)
    )
    # (never the empty programme where the best is not empty: every exchange is worth > 0 here)
    values = valid_plan_values(pool, SCHEME)
    expected = [v for v in values if v > 0][:3] if values[0] > 0 else values[:3]
    got = [result.objective or 0.0, *(a.value for a in result.alternatives)]
    assert got == pytest.approx(expected)
    plans = [frozenset((x.visitor, x.host) for x in result.exchanges)] + [
        frozenset((x.visitor, x.host) for x in a.exchanges) for a in result.alternatives
    ]
    assert len(set(plans)) == len(plans)


@settings(max_examples=scaled(12))
@given(seed=st.integers(0, 10_000), budgets=st.booleans())
@counted
def test_the_plan_is_optimal_against_brute_force(seed: int, budgets: bool) -> None:
    pool = generate_exchange_pool(5, seed, partnerships=2, budgets=budgets)
    result = plan_exchanges(
        pool, SCHEME, ExchangeOptions(time_limit=10, deterministic=True, workers=1)
    )
    assert result.status is Status.OPTIMAL
    assert (result.objective or 0.0) == pytest.approx(brute_force(pool, SCHEME))


@settings(max_examples=scaled(15))
@given(seed=st.integers(0, 10_000), n=st.integers(2, 60), budgets=st.booleans())
@counted
def test_every_plan_passes_the_validator(seed: int, n: int, budgets: bool) -> None:
    """Soundness: the plan meets every rule, and states the validator's value and spending."""
    pool = generate_exchange_pool(n, seed, partnerships=3, budgets=budgets)
    result = plan_exchanges(
        pool, SCHEME, ExchangeOptions(time_limit=10, deterministic=True, workers=1)
    )
    verdict = check_plan(pool, SCHEME, list(result.exchanges))
    assert verdict.valid, verdict.problems
    assert result.objective == pytest.approx(verdict.value)
    assert result.spending == verdict.spending
    if result.bound is not None and result.objective is not None:
        assert result.bound >= result.objective - 1e-6


@settings(max_examples=scaled(10))
@given(seed=st.integers(0, 10_000))
@counted
def test_flow_and_cpsat_agree_without_binding_budgets(seed: int) -> None:
    """Without budgets the min-cost flow answers; with budgets too large to bind, CP-SAT does; the
    optima are equal."""
    pool = generate_exchange_pool(40, seed, partnerships=2, budgets=False)
    flow = plan_exchanges(
        pool, SCHEME, ExchangeOptions(time_limit=10, deterministic=True, workers=1)
    )
    rich = pool.model_copy(
        update={
            "partnerships": tuple(p.model_copy(update={"budget": 1e8}) for p in pool.partnerships)
        }
    )
    cpsat = plan_exchanges(
        rich, SCHEME, ExchangeOptions(time_limit=20, deterministic=True, workers=1)
    )
    assert flow.status is Status.OPTIMAL and cpsat.status is Status.OPTIMAL
    assert cpsat.objective == pytest.approx(flow.objective)


@settings(max_examples=scaled(8))
@given(seed=st.integers(0, 10_000))
@counted
def test_more_budget_never_lowers_the_optimum(seed: int) -> None:
    pool = generate_exchange_pool(30, seed, partnerships=2, budgets=True)
    richer = pool.model_copy(
        update={
            "partnerships": tuple(
                p.model_copy(update={"budget": (p.budget or 0) * 1.5}) for p in pool.partnerships
            )
        }
    )
    options = ExchangeOptions(time_limit=20, deterministic=True, workers=1)
    low, high = plan_exchanges(pool, SCHEME, options), plan_exchanges(richer, SCHEME, options)
    assert low.status is Status.OPTIMAL and high.status is Status.OPTIMAL
    assert (high.objective or 0.0) >= (low.objective or 0.0) - 1e-9


@settings(max_examples=scaled(25))
@given(pool=exchange_pools(2, 9), scheme=schemes(), data=st.data())
@counted
def test_plans_meet_every_variant_of_the_scheme(
    pool: ExchangePool, scheme: Scheme, data: st.DataObject
) -> None:
    """The testing kit's strategies: drawn pools (any types, roles, capacities, budgets, cluster
    membership, host-only types admitted per partnership) under drawn variants of the scheme, with
    some participants having visited in an earlier programme; every plan passes the validator and
    is optimal against brute force when small enough to enumerate."""
    ids = [p.id for p in pool.participants]
    visited = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=2), label="visited")
    cap = data.draw(st.sampled_from([None, None, 0.0, 0.5]), label="max_halved")
    options = ExchangeOptions(
        time_limit=10, deterministic=True, workers=1, history=tuple(visited), max_halved=cap
    )
    result = plan_exchanges(pool, scheme, options)
    assert not {x.visitor for x in result.exchanges} & set(visited)
    verdict = check_plan(pool, scheme, list(result.exchanges), visited, cap)
    assert verdict.valid, verdict.problems
    assert (result.objective or 0.0) == pytest.approx(verdict.value)
    # Every would-be visitor is placed or has a reason; a proven plan never blames the time.
    visitors = {p.id for p in pool.participants if p.visits}
    placed = {e.visitor for e in result.exchanges}
    assert sorted(u.id for u in result.unplaced) == sorted(visitors - placed)
    assert all(u.reason for u in result.unplaced)
    for u in result.unplaced:
        ineligible = ineligible_visitor(scheme, pool.by_id[u.id])
        assert ineligible is None or u.reason == ineligible
        if result.status is Status.OPTIMAL:
            assert "in the time given" not in u.reason
    if len(pool.participants) <= 5:
        assert result.status is Status.OPTIMAL
        assert (result.objective or 0.0) == pytest.approx(brute_force(pool, scheme, visited, cap))


def test_deterministic_plans_repeat() -> None:
    pool = generate_exchange_pool(80, 3, partnerships=3, budgets=True)
    options = ExchangeOptions(time_limit=3, deterministic=True, workers=2)
    first, second = (plan_exchanges(pool, SCHEME, options) for _ in range(2))
    assert first.model_dump(exclude={"wall_time_s"}) == second.model_dump(exclude={"wall_time_s"})


def test_an_included_pair_that_breaks_a_rule_is_explained() -> None:
    result = plan_exchanges(tiny_pool(), SCHEME, ExchangeOptions(include=[("v3", "h1")]))
    assert result.status is Status.INFEASIBLE and not result.exchanges
    assert result.note is not None and "different-countries" in result.note


def test_included_and_excluded_pairs_are_kept() -> None:
    pool = tiny_pool()
    options = ExchangeOptions(include=[("v2", "h1")], exclude=[("v1", "h1")], time_limit=5)
    pairs = {(e.visitor, e.host) for e in plan_exchanges(pool, SCHEME, options).exchanges}
    assert ("v2", "h1") in pairs and ("v1", "h1") not in pairs


# ----------------------------------------------------------------------------------- command line


def test_generate_plan_and_check_end_to_end(tmp_path: Path) -> None:
    """The issue's command: a generated pool of 300, a plan written as XLSX, HTML and JSON that
    check-exchange accepts; the page's map has a line per exchange."""
    pool, plan_json, plan_xlsx = tmp_path / "x.json", tmp_path / "plan.json", tmp_path / "plan.xlsx"
    plan_html = tmp_path / "plan.html"
    made = runner.invoke(
        app, ["generate", "--kind", "exchange", "--n", "300", "--seed", "1", "--out", str(pool)]
    )
    assert made.exit_code == 0, made.output
    planned = runner.invoke(
        app,
        [
            "exchange",
            str(pool),
            "--out",
            str(plan_xlsx),
            "--out",
            str(plan_json),
            "--out",
            str(plan_html),
            "--time-limit",
            "30",
        ],
    )
    assert planned.exit_code == 0, planned.output
    assert plan_xlsx.stat().st_size > 0
    checked = runner.invoke(app, ["check-exchange", str(pool), str(plan_json)])
    assert checked.exit_code == 0, checked.output
    assert "valid" in checked.stdout
    doc = json.loads(plan_json.read_text())
    assert doc["exchanges"] and doc["status"] in ("optimal", "feasible")
    page = plan_html.read_text(encoding="utf-8")
    # a line per exchange, or (a large programme) the overview's and the partnerships' lines
    lines = re.findall(r"<line [^>]*data-group='([^']*)'><title>([^<]*)</title>", page)
    counts = [re.search(r": (\d+) exchanges? \(", t) for g, t in lines if g != "*all"]
    assert sum(int(c[1]) if c else 1 for c in counts) == len(doc["exchanges"])
    assert page.count("<polygon ") > 100  # the NUTS-2 outlines around them
    for partnership in {x["partnership"] for x in doc["exchanges"]}:
        assert f"<h2>European Strategic Cluster Partnership {partnership[-2:]}</h2>" in page


def test_the_exchange_page_escapes_every_name(tmp_path: Path) -> None:
    """Names from the pool are text on the page, never markup; the map is inline SVG."""
    from consortium_solver.domain import ExchangeResult
    from consortium_solver.io.exchange_page import plan_page

    pool = generate_exchange_pool(12, 3, partnerships=2)
    renamed = tuple(
        p.model_copy(update={"name": f"<script>alert({k})</script>"})
        for k, p in enumerate(pool.participants)
    )
    hostile = pool.model_copy(update={"participants": renamed})
    result = plan_exchanges(hostile, load_scheme(), ExchangeOptions(time_limit=5))
    assert isinstance(result, ExchangeResult) and result.exchanges
    page = plan_page(result, hostile)
    assert page.count("<script>") == 1 and "<script>alert" not in page  # the page's own view
    assert "&lt;script&gt;alert(" in page and "<svg" in page


def test_a_broken_plan_is_refused_by_check_exchange(tmp_path: Path) -> None:
    pool = tmp_path / "x.json"
    runner.invoke(
        app, ["generate", "--kind", "exchange", "--n", "40", "--seed", "2", "--out", str(pool)]
    )
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["exchange", str(pool), "--out", str(plan)]).exit_code == 0
    doc = json.loads(plan.read_text())
    doc["exchanges"][0]["lump_sum"] += 1
    plan.write_text(json.dumps(doc))
    checked = runner.invoke(app, ["check-exchange", str(pool), str(plan)])
    assert checked.exit_code == 1
    assert "lump-sum:" in checked.stdout


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["participants"][0].update(partnership="nope"), "unknown partnership 'nope'"),
        (lambda d: d["participants"][0].update(nuts2=None), "a participant needs lat and lon"),
        (lambda d: d["participants"][0].update(lat=91.0, lon=0.0), "less than or equal to 90"),
    ],
)
def test_bad_exchange_pools_are_one_line_exit_2(change: object, words: str, tmp_path: Path) -> None:
    data = json.loads(tiny_pool().model_dump_json())
    change(data)  # type: ignore[operator]
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["exchange", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr


def _participant_sheet(pool: ExchangePool, path: Path, with_budgets: bool) -> None:
    """The pool as an organiser's workbook or CSV: words for types and roles, country names,
    sector names, shuffled columns, a title row; the partnerships on their own sheet."""
    import random

    from consortium_solver import reference
    from consortium_solver.io import vocabulary as vocab

    headers = list(vocab.PARTICIPANT_HEADERS.values())
    random.Random(5).shuffle(headers)
    field_of = {h: f for f, h in vocab.PARTICIPANT_HEADERS.items()}
    rows: list[list[object]] = [["ClusterXchange 2021 — participants"]]
    rows.append([*headers])
    for p in pool.participants:
        values = {
            "id": p.id,
            "name": p.name,
            "country": reference.countries()[p.country],
            "nuts2": p.nuts2 or "",
            "lat": "" if p.lat is None else p.lat,
            "lon": "" if p.lon is None else p.lon,
            "participant_type": vocab.words_for("participant_type", p.participant_type.value),
            "role": vocab.words_for("role", p.role.value),
            "partnership": pool.partnership_by_id[p.partnership].name
            if with_budgets
            else p.partnership,
            "sectors": ", ".join(vocab.words_for("sectors", s) for s in p.sectors),
            "offers": "; ".join(p.offers),
            "seeks": "; ".join(p.seeks),
            "capacity": p.capacity,
            "working_days": p.working_days,
            "period": p.period or "",
            "at_once": "" if p.at_once is None else p.at_once,
            "cluster_member": {None: "", True: "yes", False: "no"}[p.cluster_member],
            "travel_from": "" if p.travel_from is None else p.travel_from.isoformat(),
            "travel_to": "" if p.travel_to is None else p.travel_to.isoformat(),
            "unavailable": "; ".join(f"{a}..{b}" for a, b in p.unavailable),
            "mode": p.mode,
        }
        rows.append([values[field_of[h]] for h in headers])
    budgets: list[list[object]] = [["ID", "Name", "Budget"]]
    budgets += [[q.id, q.name, q.budget] for q in pool.partnerships]
    write_rows(path, rows, {"Partnerships": budgets} if with_budgets else None)


def test_an_exchange_pool_reads_from_a_workbook_with_its_budgets(tmp_path: Path) -> None:
    """A generated pool written as an organiser's workbook (words, names, a Partnerships sheet
    with the budgets) reads back as the same pool; `exchange` plans it, `check-exchange` agrees."""
    from consortium_solver.io.exchange_sheets import import_exchange_pool

    pool = generate_exchange_pool(60, 4, partnerships=3, periods=3)
    path = tmp_path / "participants.xlsx"
    _participant_sheet(pool, path, with_budgets=True)
    report = import_exchange_pool(path)
    assert report.problems == [], report.problems
    read = report.require_pool()
    assert read.participants == pool.participants
    assert read.partnerships == pool.partnerships
    plan = tmp_path / "plan.json"
    result = runner.invoke(app, ["exchange", str(path), "--time-limit", "5", "--out", str(plan)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check-exchange", str(path), str(plan)]).exit_code == 0


def test_an_exchange_csv_makes_its_partnerships_and_reports_every_problem(tmp_path: Path) -> None:
    """Without a Partnerships sheet each named partnership is one, with no budget; bad cells are
    listed together, one line each."""
    from consortium_solver.io.exchange_sheets import import_exchange_pool

    pool = generate_exchange_pool(20, 5, partnerships=2)
    path = tmp_path / "participants.csv"
    _participant_sheet(pool, path, with_budgets=False)
    read = import_exchange_pool(path).require_pool()
    assert [p.id for p in read.partnerships] == sorted({p.partnership for p in pool.participants})
    assert all(p.budget is None for p in read.partnerships)
    assert read.participants == pool.participants
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[2][rows[1].index("Role")] = "Tourist"
    rows[3][rows[1].index("Capacity")] = "five"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = runner.invoke(app, ["exchange", str(path), "--time-limit", "1"])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert "row 3" in lines[0] and "column 'Role', value 'Tourist': unknown role" in lines[0]
    assert "row 4" in lines[1] and "column 'Capacity', value 'five': not a number" in lines[1]


def test_import_checks_an_exchange_sheet_and_writes_its_pool(tmp_path: Path) -> None:
    """`import --exchange SHEET --report R --out P`: the report of the sheet, and the exchange pool
    as its JSON document, equal to the pool the sheet was written from."""
    import openpyxl

    pool = generate_exchange_pool(40, 2, partnerships=2, periods=2)
    sheet, report, out = tmp_path / "p.xlsx", tmp_path / "r.xlsx", tmp_path / "p.json"
    _participant_sheet(pool, sheet, with_budgets=True)
    args = ["import", "--exchange", str(sheet), "--report", str(report), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "40 participants read" in result.stdout
    written = ExchangePool.model_validate_json(out.read_text())
    assert written.participants == pool.participants
    assert written.partnerships == pool.partnerships
    assert written.name == "p"  # the sheet's name
    columns = openpyxl.load_workbook(report)["columns"]
    assert ("At once", "At once (at_once)") in [
        (r[0], r[1]) for r in columns.iter_rows(min_row=2, values_only=True)
    ]


def test_the_exchange_template_reads_back_with_its_partnership_and_budget(tmp_path: Path) -> None:
    """`template --exchange`: the columns the exchange reader takes, example rows that read
    without a problem, and a Partnerships sheet whose budget becomes the partnership's; the web
    app serves the same workbook."""
    from consortium_solver.io.exchange_sheets import import_exchange_pool
    from consortium_solver.io.sheets import exchange_template_workbook

    out = tmp_path / "cxc.xlsx"
    result = runner.invoke(app, ["template", "--exchange", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = import_exchange_pool(out)
    assert not report.problems, [p.message for p in report.problems]
    pool = report.require_pool()
    assert [(p.name, p.budget) for p in pool.partnerships] == [("ESCP Example", 60000.0)]
    assert {p.role.value for p in pool.participants} == {"visitor", "host", "both"}
    planned = runner.invoke(app, ["exchange", str(out), "--time-limit", "2", "--json"])
    assert planned.exit_code == 0 and json.loads(planned.stdout)["exchanges"]
    assert out.read_bytes()[:2] == exchange_template_workbook()[:2] == b"PK"


def test_a_plan_without_budgets_says_they_are_not_limited(tmp_path: Path) -> None:
    """Partnerships without a budget (a CSV sheet): the plan says its spending is not limited, in
    the terminal, the result, the workbook (its first sheet, and "not limited" beside each) and the
    page; with budgets it does not; with one partnership's budget missing, that one is named."""
    pool = generate_exchange_pool(20, 5, partnerships=2)
    path = tmp_path / "participants.csv"
    _participant_sheet(pool, path, with_budgets=False)
    book_path, page_path = tmp_path / "plan.xlsx", tmp_path / "plan.html"
    args = ["exchange", str(path), "--time-limit", "1", "--out", str(book_path)]
    result = runner.invoke(app, [*args, "--out", str(page_path), "--json"])
    assert "no budgets given" in (json.loads(result.stdout).get("note") or "")
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames[0] == "read first"
    assert str(book["read first"]["A2"].value).startswith("no budgets given")
    header = next(book["programme"].iter_rows(max_row=1, values_only=True))
    column = header.index("budget EUR")
    budgets = [row[column] for row in book["programme"].iter_rows(min_row=2, values_only=True)]
    assert budgets and all(b == "none given: not limited" for b in budgets)
    assert "no budgets given" in page_path.read_text(encoding="utf-8")
    shown = runner.invoke(app, ["exchange", str(path), "--time-limit", "1"]).stdout
    assert "no budgets given" in " ".join(shown.split())
    half = pool.model_copy(
        update={"partnerships": (pool.partnerships[0].model_copy(update={"budget": None}),
                                 pool.partnerships[1].model_copy(update={"budget": 5000.0}))}
    )  # fmt: skip
    note = plan_exchanges(half, load_scheme(), ExchangeOptions(time_limit=1)).note or ""
    assert f"no budget given for {pool.partnerships[0].id}: their spending is not limited" in note
    budgeted = tmp_path / "participants.xlsx"
    _participant_sheet(pool, budgeted, with_budgets=True)
    result = runner.invoke(app, ["exchange", str(budgeted), "--time-limit", "1", "--json"])
    assert "no budgets given" not in (json.loads(result.stdout).get("note") or "")
