"""One contract for every task (issue 26): every field of a task's options model reaches the run,
whichever surface started it — the command line, the web app's form handler and worker, a bench
suite; every task stops on an interruption with its best answer marked interrupted; every result
is a ``Result`` with one rule for empty sections."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from consortium_solver import demo_pool
from consortium_solver.bench.child import run as bench_run
from consortium_solver.builder import BuildOptions, Demands, build
from consortium_solver.cli import app
from consortium_solver.core.clock import interrupt, reset_interrupt
from consortium_solver.core.options import TaskOptions
from consortium_solver.domain import (
    BuildResult,
    CallResult,
    ExchangeResult,
    GroupingResult,
    MdgpResult,
    Result,
    Status,
    Table,
)
from consortium_solver.domain.fields import Balance
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.group import GroupOptions, group
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.mdgp import MdgpOptions, read_mdgp, solve_mdgp
from consortium_solver.rules import load_call, no_call
from consortium_solver.rules.scheme import load_scheme
from consortium_solver.synthetic import generate_exchange_pool, generate_pool
from consortium_solver.validate import check, check_grouping
from consortium_solver.validate.exchanges import check_plan
from consortium_solver.web.pages import read_task
from consortium_solver.web.runs import solve as web_solve
from consortium_solver.web.tasks import ConsortiumRun, ExchangeRun, GroupsRun

ROOT = Path(__file__).resolve().parent.parent
EXCHANGE_POOL = ROOT / "instances" / "exchange" / "cxc-60.json"
MDGP = ROOT / "instances" / "mdgplib" / "instances"
runner = CliRunner()


class Captured(Exception):
    """Raised by a task stand-in once it has the options it was handed."""


def capture(monkeypatch: pytest.MonkeyPatch, target: str) -> list[Any]:
    """Replace the task function ``target`` by one that keeps its arguments and stops the run."""
    seen: list[Any] = []

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        seen.append((args, kwargs))
        raise Captured

    monkeypatch.setattr(target, stand_in)
    return seen


def handed(seen: list[Any], model: type[BaseModel]) -> Any:
    """The one argument of type ``model`` the task was handed."""
    (args, kwargs), *_ = seen
    found = [a for a in (*args, *kwargs.values()) if isinstance(a, model)]
    assert len(found) == 1, f"{model.__name__} handed {len(found)} times"
    return found[0]


def not_default(model: BaseModel, skip: set[str]) -> None:
    """Each field of ``model`` but ``skip`` differs from its default: so a field a surface
    dropped on the way shows as a difference."""
    defaults = type(model)()
    same = [f for f in type(model).model_fields if f not in skip]
    same = [f for f in same if getattr(model, f) == getattr(defaults, f)]
    assert not same, f"{type(model).__name__}: set {same} in this test"


# ---------------------------------------------------------------------------- the command line

# Fields no flag sets, and why: they are set by the web app (re-optimising adjusted groups) or a
# bench suite (the greedy baseline).
NOT_ON_THE_COMMAND_LINE = {
    GroupOptions: {"improve", "start", "pinned"},
    BuildOptions: set(),
    ExchangeOptions: set(),
    MdgpOptions: set(),
}
COMMON = ["--time-limit", "7", "--deterministic", "--seed", "5", "--workers", "3"]
LIMITS = {"time_limit": 7.0, "deterministic": True, "seed": 5, "workers": 3}


def test_every_group_option_reaches_the_run_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = capture(monkeypatch, "consortium_solver.cli.group.group")
    args = ["group", *COMMON, "--size", "4..6", "--objective", "min", "--rounds", "2",
            "--allow-repeats", "--together", "demo-001,demo-002", "--apart", "demo-003,demo-004",
            "--max-meetings", "2", "--guests", "--hosts", "demo-005,demo-006",
            "--meet", "demo-007,demo-008", "--together", "demo-009,demo-010@2",
            "--apart", "demo-011,demo-012@1", "--balance", "Role:2",
            "--balance", "Role=Buyer:1..2", "--tables", "Garden:5,Hall:4"]  # fmt: skip
    runner.invoke(app, args)
    expected = GroupOptions(
        **LIMITS, size=(4, 6), objective="min", rounds=2, allow_repeats=True, max_meetings=2,
        guests=True, hosts=("demo-005", "demo-006"), meet=(("demo-007", "demo-008"),),
        together_in=(("demo-009", "demo-010", (2,)),),
        together=(("demo-001", "demo-002"),), apart=(("demo-003", "demo-004"),),
        apart_in=(("demo-011", "demo-012", (1,)),),
        balance=(Balance(column="Role", weight=2),
                 Balance(column="Role", value="Buyer", low=1, high=2)),
        tables=(Table(name="Garden", capacity=5), Table(name="Hall", capacity=4)),
    )  # fmt: skip
    assert handed(seen, GroupOptions) == expected
    # --fix seats at the hosts' tables here (together_in); at named tables in the next test
    not_default(expected, NOT_ON_THE_COMMAND_LINE[GroupOptions] | {"seated"})


def test_a_fixed_seat_at_a_named_table_reaches_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = capture(monkeypatch, "consortium_solver.cli.group.group")
    runner.invoke(app, ["group", "--tables", "Garden:5", "--fix", "demo-013=Garden@1"])
    options = handed(seen, GroupOptions)
    assert options.seated == (("demo-013", "Garden", (1,)),)
    assert options.tables == (Table(name="Garden", capacity=5),)


def test_every_build_option_and_demand_reaches_the_run_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = capture(monkeypatch, "consortium_solver.builder.build")
    args = ["build", *COMMON, "--top", "3", "--differ-by", "2", "--lead", "demo-001",
            "--include", "demo-002", "--exclude", "demo-003", "--size", "3..4"]  # fmt: skip
    runner.invoke(app, args)
    expected = BuildOptions(**LIMITS, top=3, differ_by=2)
    demands = Demands(lead="demo-001", include=("demo-002",), exclude=("demo-003",), size=(3, 4))
    assert handed(seen, BuildOptions) == expected
    assert handed(seen, Demands) == demands
    not_default(expected, NOT_ON_THE_COMMAND_LINE[BuildOptions])
    not_default(demands, set())


def test_every_exchange_option_reaches_the_run_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = capture(monkeypatch, "consortium_solver.exchange.plan_exchanges")
    earlier = tmp_path / "earlier.json"
    stay = {"host": "h", "working_days": 5, "distance_km": 500.0, "lump_sum": 780.0,
            "partnership": "P"}  # fmt: skip
    earlier.write_text(json.dumps({"exchanges": [{"visitor": "v1", **stay},
                                                 {"visitor": "v2", **stay}]}))  # fmt: skip
    running = tmp_path / "running.json"
    running.write_text(json.dumps({"exchanges": [{"visitor": "k1", **stay, "status": "done"},
                                                 {"visitor": "k2", **stay, "status": "cancelled"},
                                                 {"visitor": "k3", **stay}]}))  # fmt: skip
    args = ["exchange", str(EXCHANGE_POOL), *COMMON, "--top", "2", "--include", "a:b",
            "--exclude", "c:d", "--differ-by", "3", "--history", str(earlier),
            "--max-halved", "0.25", "--keep", str(running)]  # fmt: skip
    runner.invoke(app, args)
    expected = ExchangeOptions(
        **LIMITS, top=2, include=(("a", "b"),), exclude=(("c", "d"), ("k2", "h")), differ_by=3,
        history=("v1", "v2"), max_halved=0.25, keep=(("k1", "h", "done"),),
    )  # fmt: skip
    assert handed(seen, ExchangeOptions) == expected
    not_default(expected, NOT_ON_THE_COMMAND_LINE[ExchangeOptions])


def test_every_mdgp_option_reaches_the_run_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = capture(monkeypatch, "consortium_solver.mdgp.solve_mdgp")
    instance = MDGP / "RanReal_n010_ss_01.txt"
    args = ["group", "--mdgp", str(instance), *COMMON, "--search", "tabu", "--iterations", "50"]
    runner.invoke(app, args)
    expected = MdgpOptions(**LIMITS, search="tabu", iterations=50)
    assert handed(seen, MdgpOptions) == expected
    not_default(expected, NOT_ON_THE_COMMAND_LINE[MdgpOptions])


def test_the_command_line_names_its_flags_for_every_bad_option_at_once() -> None:
    """Bad values are refused by the options model, each named as the flag that gave it."""
    result = runner.invoke(app, ["group", "--time-limit", "0", "--rounds", "0", "--seed", "-1"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    for flag in ("--time-limit", "--rounds", "--seed"):
        assert any(f"field '{flag}'" in line for line in lines), lines


# ----------------------------------------------------------------------------------- the web app


class Form(dict[str, str]):
    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def test_the_web_form_builds_the_library_models() -> None:
    """The form handler's fields land in the task's options model (one thread per web run); an
    unknown task is refused, not taken for groups."""
    pool = demo_pool()
    roles = ("Buyer", "Supplier", "Expert")
    pool = pool.model_copy(update={"organisations": tuple(
        o.model_copy(update={"details": {"Role": roles[k % 3]}})
        for k, o in enumerate(pool.organisations))})  # fmt: skip
    a, b, c, d = (o for o in pool.organisations[:4])
    form = Form(task="groups", size_min="4", size_max="6", rounds="2", objective="min",
                balance="Role", balance_bounds="Role = Buyer : 1..2", tables="2x5",
                allow_repeats="on", max_meetings="2", guests="on", time_limit="17", seed="9",
                call="none", hosts=f"{pool.organisations[5].id}",
                meet=f"{pool.organisations[6].id}+{pool.organisations[7].id}",
                together=f"{a.name} + {b.name}\n{pool.organisations[8].id} + {pool.organisations[9].id} @ 2",
                apart=f"{c.id}+{d.id}\n{a.id} + {d.id} @ 1")  # fmt: skip
    spec, problems = read_task(form, pool)
    assert not problems
    assert spec == GroupsRun(
        call="none",
        options=GroupOptions(
            size=(4, 6), rounds=2, objective="min", allow_repeats=True, time_limit=17, seed=9,
            workers=1, together=((a.id, b.id),), apart=((c.id, d.id),), max_meetings=2,
            guests=True, hosts=(pool.organisations[5].id,),
            meet=((pool.organisations[6].id, pool.organisations[7].id),),
            together_in=((pool.organisations[8].id, pool.organisations[9].id, (2,)),),
            apart_in=((a.id, d.id, (1,)),),
            balance=(Balance(column="Role"), Balance(column="Role", value="Buyer", low=1, high=2)),
            tables=(Table(name="Table 1", capacity=5), Table(name="Table 2", capacity=5)),
        ),
    )  # fmt: skip
    form = Form(task="consortium", lead=a.id, size_min="3", size_max="4", top="3", seed="2")
    spec, problems = read_task(form, pool)
    assert spec == ConsortiumRun(
        demands=Demands(lead=a.id, size=(3, 4)),
        options=BuildOptions(top=3, seed=2, time_limit=10, workers=1),
    )
    assert read_task(Form(task="exchange", seed="4"), None)[0] == ExchangeRun(
        options=ExchangeOptions(seed=4, time_limit=10, workers=1)
    )
    spec, problems = read_task(Form(task="golf"), pool)
    assert spec is None and problems == ["task: choose one of the listed tasks"]


@pytest.mark.parametrize(
    ("spec", "target", "model"),
    [
        (
            GroupsRun(
                call="none",
                options=GroupOptions(
                    size=(4, 6),
                    rounds=2,
                    objective="min",
                    allow_repeats=True,
                    max_meetings=2,
                    guests=True,
                    hosts=("demo-006",),
                    meet=(("demo-007", "demo-008"),),
                    together_in=(("demo-009", "demo-010", (2,)),),
                    apart_in=(("demo-011", "demo-012", (1,)),),
                    balance=(Balance(column="Sector", value="Digital", low=0, high=3),),
                    tables=(Table(name="Garden", capacity=5),),
                    seated=(("demo-013", "Garden", (1,)),),
                    time_limit=9,
                    deterministic=True,
                    seed=4,
                    workers=1,
                    together=(("demo-001", "demo-002"),),
                    apart=(("demo-003", "demo-004"),),
                    improve=False,
                    start=((("demo-001", "demo-002", "demo-005"),),) * 2,
                    pinned=((1, "demo-001"),),
                ),
            ),
            "consortium_solver.group.group",
            GroupOptions,
        ),
        (
            ConsortiumRun(
                demands=Demands(
                    lead="demo-001", include=("demo-002",), exclude=("demo-003",), size=(3, 4)
                ),
                options=BuildOptions(
                    top=3, differ_by=2, time_limit=9, deterministic=True, seed=4, workers=3
                ),
            ),
            "consortium_solver.builder.build",
            BuildOptions,
        ),
        (
            ExchangeRun(
                options=ExchangeOptions(
                    top=2,
                    differ_by=2,
                    history=("v1",),
                    max_halved=0.3,
                    keep=(("k1", "h", "confirmed"),),
                    include=(("a", "b"),),
                    exclude=(("c", "d"),),
                    time_limit=9,
                    deterministic=True,
                    seed=4,
                    workers=3,
                )
            ),
            "consortium_solver.exchange.plan_exchanges",
            ExchangeOptions,
        ),
    ],
    ids=["groups", "consortium", "exchange"],
)
def test_the_web_worker_hands_the_stored_options_whole(
    spec: GroupsRun | ConsortiumRun | ExchangeRun,
    target: str,
    model: type[TaskOptions],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the store keeps (the spec's JSON) comes back equal, and the worker hands the task
    that very options model: every field reaches the run."""
    stored = type(spec).model_validate_json(spec.model_dump_json())
    assert stored == spec
    not_default(stored.options, {"workers"} if isinstance(spec, GroupsRun) else set())
    seen = capture(monkeypatch, target)
    pool = read_exchange_pool(EXCHANGE_POOL) if isinstance(spec, ExchangeRun) else demo_pool()
    with pytest.raises(Captured):
        web_solve(pool.model_dump_json(), stored, lambda *_: None)
    assert handed(seen, model) == spec.options
    if isinstance(spec, ConsortiumRun):
        assert handed(seen, Demands) == spec.demands


# ------------------------------------------------------------------------------- a bench suite


def _bench_spec(task: str, options: dict[str, Any], **instance: Any) -> dict[str, Any]:
    inst = {"name": "x", "task": task, "call": "none", "size": None, "rounds": 1,
            "objective": "sum", "best_known": None, "options": options, **instance}  # fmt: skip
    return {"instance": inst, "solver": instance.pop("solver", "search"), "seed": 4,
            "time_limit": 9.0, "workers": 3, "path": instance.get("path")}  # fmt: skip


@pytest.mark.parametrize(
    ("task", "options", "target", "model", "instance"),
    [
        (
            "group",
            {
                "deterministic": True,
                "size": [4, 6],
                "objective": "min",
                "rounds": 2,
                "allow_repeats": True,
                "max_meetings": 2,
                "guests": True,
                "hosts": ["org-006"],
                "meet": [["org-007", "org-008"]],
                "together_in": [["org-009", "org-010", [2]]],
                "together": [["org-001", "org-002"]],
                "apart": [["org-003", "org-004"]],
                "improve": False,
                "pinned": [[0, "org-001"]],
                "start": [[["org-001", "org-002"]], [["org-003"]]],
            },
            "consortium_solver.group.group",
            GroupOptions,
            {"generate": {"n": 20, "seed": 1}},
        ),
        (
            "build",
            {"deterministic": True, "top": 3, "differ_by": 2},
            "consortium_solver.builder.build",
            BuildOptions,
            {"generate": {"n": 20, "seed": 1}, "solver": "cpsat", "call": "COS-CLUSTER-2018-03-02"},
        ),
        (
            "exchange",
            {
                "deterministic": True,
                "top": 2,
                "differ_by": 2,
                "history": ["v1"],
                "max_halved": 0.3,
                "keep": [["k1", "h", "done"]],
                "include": [["a", "b"]],
                "exclude": [["c", "d"]],
            },
            "consortium_solver.exchange.plan_exchanges",
            ExchangeOptions,
            {"generate": {"n": 30, "seed": 1}, "solver": "planner"},
        ),
        (
            "mdgp",
            {"deterministic": True, "iterations": 40},
            "consortium_solver.mdgp.solve_mdgp",
            MdgpOptions,
            {"mdgp": "x", "path": str(MDGP / "RanReal_n010_ss_01.txt"), "solver": "tabu"},
        ),
    ],
    ids=["group", "build", "exchange", "mdgp"],
)
def test_every_option_of_a_bench_suite_reaches_the_run(
    task: str,
    options: dict[str, Any],
    target: str,
    model: type[TaskOptions],
    instance: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A suite instance's ``options`` table is the task's options model, field for field; the
    run's limit, seed and workers come from the suite."""
    seen = capture(monkeypatch, target)
    with pytest.raises(Captured):
        bench_run(_bench_spec(task, options, **instance))
    got = handed(seen, model)
    extra = {"search": "tabu"} if model is MdgpOptions else {}
    expected = model.model_validate({**options, **extra, "time_limit": 9, "seed": 4, "workers": 3})
    assert got == expected
    not_default(expected, set(model.model_fields) - set(options) - {"time_limit", "seed"})


# -------------------------------------------------------------------------------- interruptions


@pytest.fixture
def interrupt_on_first_progress() -> Iterator[Callable[..., None]]:
    """A progress callback that interrupts the run the first time it is told anything: the
    interruption comes in the middle of the work, at a point no clock decides."""

    def progress(*_: Any) -> None:
        interrupt()

    yield progress
    reset_interrupt()


LONG = 600.0  # a limit no test waits for: only the interruption ends these runs


@pytest.mark.slow
def test_an_interrupted_build_keeps_what_it_found(
    interrupt_on_first_progress: Callable[..., None],
) -> None:
    pool, call = generate_pool(1_500, seed=2), load_call("COS-CLUSTER-2018-03-02")
    options = BuildOptions(top=30, time_limit=LONG)
    result = build(pool, call, options=options, progress=interrupt_on_first_progress)
    assert result.interrupted and len(result.consortia) < 30
    assert result.status is not Status.OPTIMAL or len(result.consortia) == 30
    for consortium in result.consortia:
        assert check(pool, call, list(consortium.members)).eligible


@pytest.mark.slow
def test_an_interrupted_grouping_keeps_valid_groups(
    interrupt_on_first_progress: Callable[..., None],
) -> None:
    pool, call = generate_pool(600, seed=5), load_call("COS-CLUSTER-2018-03-02")
    options = GroupOptions(rounds=2, time_limit=LONG)
    result = group(pool, call, options, progress=interrupt_on_first_progress)
    assert result.interrupted and result.schedule()
    rounds = [[list(c.members) for c in groups] for groups in result.schedule()]
    verdict = check_grouping(pool, call, rounds, extra_rules=[options.size_rule()])
    assert verdict.valid or verdict.repeats_only


@pytest.mark.slow
def test_an_interrupted_exchange_plan_keeps_a_valid_programme(
    interrupt_on_first_progress: Callable[..., None],
) -> None:
    pool, scheme = generate_exchange_pool(400, seed=3), load_scheme()
    assert any(p.budget is not None for p in pool.partnerships)  # the CP-SAT path
    options = ExchangeOptions(time_limit=LONG)
    result = plan_exchanges(pool, scheme, options, progress=interrupt_on_first_progress)
    assert result.interrupted
    assert check_plan(pool, scheme, list(result.exchanges)).valid


@pytest.mark.slow
@pytest.mark.parametrize("search", ["memetic", "tabu"])
def test_an_interrupted_mdgp_search_keeps_its_best_grouping(
    search: str, interrupt_on_first_progress: Callable[..., None]
) -> None:
    inst = read_mdgp(MDGP / "RanReal_n120_ss_01.txt")
    options = MdgpOptions.checked(time_limit=LONG, search=search)
    result = solve_mdgp(inst, options, progress=interrupt_on_first_progress)
    assert result.interrupted and result.status is Status.FEASIBLE
    assert sorted(int(m) for c in result.consortia for m in c.members) == list(range(inst.n))


# ------------------------------------------------------------------------------------- results


def test_every_task_answers_with_a_result() -> None:
    """The four result documents share the base fields; consortia answers share the call's."""
    for consortia in (BuildResult, GroupingResult, MdgpResult):
        assert issubclass(consortia, CallResult)
    assert issubclass(ExchangeResult, Result) and not issubclass(ExchangeResult, CallResult)
    base = set(Result.model_fields)
    for answer in (BuildResult, GroupingResult, MdgpResult, ExchangeResult):
        assert base <= set(answer.model_fields)


def test_one_rule_for_empty_sections_and_threads_told_truthfully() -> None:
    """Base fields are always in the JSON (an objective of null says "no answer"); a section a
    task adds is left out when it is None; a deterministic run says it used one thread."""
    grouping = group(demo_pool(), no_call(), GroupOptions(time_limit=1, deterministic=True))
    data = json.loads(grouping.to_json())
    assert set(Result.model_fields) <= set(data)
    assert data["workers"] == 1 and data["interrupted"] is False
    assert "note" not in data and "conflict" not in data  # None: left out
    pool = read_exchange_pool(EXCHANGE_POOL)
    nobody = ExchangeResult(
        scheme="s", pool=pool.name, status=Status.UNKNOWN, objective=None, bound=None,
        wall_time_s=0.0, seed=0, workers=2,
    )  # fmt: skip
    shown = json.loads(nobody.to_json())
    assert shown["objective"] is None and "note" not in shown


@pytest.mark.parametrize(
    ("args", "flag"), [(["--search", "tabu"], "--search"), (["--iterations", "5"], "--iterations")]
)
def test_research_options_without_an_instance_are_refused(args: list[str], flag: str) -> None:
    """``--search`` and ``--iterations`` belong to research mode: without ``--mdgp`` they are
    refused in one line naming the flag given, before any grouping starts."""
    result = runner.invoke(app, ["group", *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"error: field '{flag}': research mode only: give an instance with --mdgp"
    )
