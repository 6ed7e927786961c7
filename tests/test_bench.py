"""The benchmark harness: suites as data, one row per run in the documented columns, the same
form from the local and the Dask executor, bad suites refused with one line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consortium_solver.bench import COLUMNS, Plan, load_suite, packaged_suites
from consortium_solver.cli import app
from consortium_solver.core.errors import InputError

runner = CliRunner()


def read_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "results.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def check_report(folder: Path, expected_runs: int) -> list[dict[str, str]]:
    rows = read_rows(folder)
    assert len(rows) == expected_runs
    for row in rows:
        assert row["status"] in {"optimal", "feasible"}, row
        assert float(row["objective"]) > 0 and float(row["wall_time_s"]) > 0
        assert float(row["peak_mem_mb"]) > 10  # a whole Python process with its solver
        if row["solver"] in {"cpsat", "highs"}:
            bound, objective = float(row["bound"]), float(row["objective"])
            assert bound >= objective - 1e-6
            # The gap column: the distance to the run's own bound, relative to it (CSV: 6 digits).
            expected_gap = (bound - objective) / abs(bound)
            assert float(row["gap"]) == pytest.approx(expected_gap, rel=1e-5, abs=1e-9)  # 6 digits
    for name in ("summary.md", "traces.csv", "objective_over_time.png", "time_vs_size.png"):
        assert (folder / name).stat().st_size > 0
    assert (folder / "objective_over_time.png").read_bytes().startswith(b"\x89PNG")
    return rows


def test_packaged_suites_load_and_plan() -> None:
    """Every packaged suite loads and finds its files from the repository."""
    assert {"smoke", "event", "scaling", "tight", "mdgplib", "exchange"} <= set(packaged_suites())
    for name in packaged_suites():
        loaded = load_suite(name)
        assert Plan(loaded, loaded.time_limit, loaded.seeds, loaded.workers).runs()
    suite = load_suite("smoke")
    runs = Plan(suite, time_limit=1.0, seeds=(1, 2), workers=1).runs()
    assert len(runs) == 2 * sum(len(i.solvers) for i in suite.instance)
    assert len({(r["instance"]["name"], r["solver"], r["seed"]) for r in runs}) == len(runs)


def test_smoke_suite_locally_and_on_dask(tmp_path: Path) -> None:
    """`consortium bench smoke` twice, with the local executor and on a two-worker LocalCluster:
    the same runs, the same columns, and the same optimum where CP-SAT proves one."""
    local, dask = tmp_path / "local", tmp_path / "dask"
    result = runner.invoke(app, ["bench", "smoke", "--out", str(local), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "Suite smoke" in result.stdout
    n_runs = sum(len(i.solvers) for i in load_suite("smoke").instance)
    rows_local = check_report(local, n_runs)
    args = ["bench", "smoke", "--out", str(dask), "--executor", "dask", "--dask-workers", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows_dask = check_report(dask, n_runs)
    key = ("instance", "solver", "seed", "config")
    assert [tuple(r[k] for k in key) for r in rows_local] == [
        tuple(r[k] for k in key) for r in rows_dask
    ]
    for a, b in zip(rows_local, rows_dask, strict=True):
        if a["status"] == b["status"] == "optimal":
            assert float(a["objective"]) == pytest.approx(float(b["objective"]))


def test_greedy_is_a_baseline_the_search_beats(tmp_path: Path) -> None:
    """On an event pool the grouping search ends at or above the greedy construction."""
    suite = tmp_path / "s.toml"
    suite.write_text(
        'name = "s"\ntime_limit = 2.0\n[[instance]]\nname = "e"\n'
        'generate = { n = 80, seed = 8 }\ntask = "group"\nsolvers = ["search", "greedy"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["bench", str(suite), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rows = {r["solver"]: r for r in read_rows(tmp_path / "out")}
    assert float(rows["search"]["objective"]) >= float(rows["greedy"]["objective"])
    assert "unassigned" in rows["search"]["note"]


BAD_SUITES = {
    "not toml": ("name = ", "not valid TOML"),
    "two sources": (
        'name="x"\n[[instance]]\nname="a"\npool="demo"\ngenerate={n=5}\ntask="build"\nsolvers=["cpsat"]\n',
        "exactly one of pool, generate or mdgp",
    ),
    "unknown solver": (
        'name="x"\n[[instance]]\nname="a"\npool="demo"\ntask="build"\nsolvers=["gurobi"]\n',
        "unknown solver 'gurobi' for task build",
    ),
    "duplicate names": (
        'name="x"\n[[instance]]\nname="a"\npool="demo"\ntask="build"\nsolvers=["cpsat"]\n'
        '[[instance]]\nname="a"\npool="demo"\ntask="build"\nsolvers=["cpsat"]\n',
        "duplicate instance name 'a'",
    ),
    "unknown key": (
        'name="x"\ncolour="red"\n[[instance]]\nname="a"\npool="demo"\ntask="build"\nsolvers=["cpsat"]\n',
        "unknown key",
    ),
    "bad seeds": (
        'name="x"\nseeds=[]\n[[instance]]\nname="a"\npool="demo"\ntask="build"\nsolvers=["cpsat"]\n',
        "seeds",
    ),
    "mdgp task without file": (
        'name="x"\n[[instance]]\nname="a"\npool="demo"\ntask="mdgp"\nsolvers=["tabu"]\n',
        "task 'mdgp' goes with an mdgp file",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SUITES))
def test_bad_suites_exit_2(case: str, tmp_path: Path) -> None:
    text, fragment = BAD_SUITES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        load_suite(str(path))
    result = runner.invoke(app, ["bench", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["nosuch"], "no such suite"),
        (["smoke", "--seeds", "a,b"], "field '--seeds'"),
        (["smoke", "--time-limit", "0"], "field '--time-limit'"),
        (["smoke", "--scheduler", "tcp://x:8786"], "--scheduler goes with --executor dask"),
        (["smoke", "--workers", "0"], "field '--workers'"),
        (["smoke", "--jobs", "0"], "field '--jobs'"),
        (["smoke", "--executor", "dask", "--dask-workers", "0"], "field '--dask-workers'"),
    ],
)
def test_bad_bench_options_exit_2(args: list[str], fragment: str, tmp_path: Path) -> None:
    """Checked by the harness itself (Plan, execute) before any run: nothing is written."""
    result = runner.invoke(app, ["bench", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_exchange_suite_runs_the_planner_the_flow_and_the_greedy_side_by_side(
    tmp_path: Path,
) -> None:
    """A small ClusterXchange suite: the planner's plan is worth at least the greedy baseline's and
    at most the budget-free flow's (an upper bound, marked 'relaxation' when budgets bind); without
    budgets the planner is the flow, proven optimal."""
    suite = tmp_path / "cxc.toml"
    suite.write_text(
        'name = "cxc"\ntime_limit = 5.0\nseeds = [1]\n'
        '[[instance]]\nname = "budgets"\ngenerate = { n = 60, seed = 4, partnerships = 3 }\n'
        'task = "exchange"\nsolvers = ["planner", "flow", "greedy"]\n'
        '[[instance]]\nname = "open"\ngenerate = { n = 60, seed = 4, partnerships = 3,'
        ' budgets = false }\ntask = "exchange"\nsolvers = ["planner", "flow", "greedy"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["bench", str(suite), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = {(r["instance"], r["solver"]): r for r in read_rows(out)}
    for inst in ("budgets", "open"):
        planner, flow, greedy = (
            float(rows[(inst, s)]["objective"]) for s in ("planner", "flow", "greedy")
        )
        assert greedy <= planner + 1e-9 <= flow + 2e-9
    assert rows[("open", "planner")]["status"] == "optimal"
    assert rows[("open", "flow")]["objective"] == rows[("open", "planner")]["objective"]
    assert "scheme=clusterxchange-2020" in rows[("open", "planner")]["config"]


def test_mdgp_suite_runs_the_memetic_and_the_tabu_search_side_by_side(tmp_path: Path) -> None:
    """Both MDGP solvers on two small MDGPLIB instances: each row holds that solver's value, which
    on n = 10 and 12 is the exhaustive optimum of best_known.csv (to the CSV's two decimals)."""
    lib = Path(__file__).resolve().parent.parent / "instances" / "mdgplib"
    with (lib / "best_known.csv").open(encoding="utf-8") as handle:
        best = {
            row["instance"]: float(row["best_known"])
            for row in csv.DictReader(handle)
            if row["best_known"]
        }
    names = ["Geo_n010_ds_01", "RanReal_n012_ss_01"]
    suite = tmp_path / "mdgp.toml"
    suite.write_text(
        'name = "small"\ntime_limit = 0.5\nseeds = [1]\n'
        + "".join(
            f'[[instance]]\nname = "{name}"\nmdgp = "{lib / "instances" / name}.txt"\n'
            'task = "mdgp"\nsolvers = ["memetic", "tabu"]\n'
            for name in names
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["bench", str(suite), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = {(r["instance"], r["solver"]): r for r in read_rows(out)}
    assert set(rows) == {(name, solver) for name in names for solver in ("memetic", "tabu")}
    for (name, _), row in rows.items():
        assert float(row["objective"]) == pytest.approx(best[name], abs=0.01)  # the CSV rounds
