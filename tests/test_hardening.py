"""What a hostile reviewer found (issue 12), each kept fixed: repeatable --deterministic runs,
Ctrl-C keeping the best answer, --out checked before the work, safe exports, user text shown as
text, ids with spaces, one-line usage errors, no bound claimed without a solution."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import zipfile
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consortium_solver import DEFAULT_CALL, demo_pool
from consortium_solver.builder import BuildOptions, build
from consortium_solver.cli import app
from consortium_solver.core.clock import interrupt, reset_interrupt
from consortium_solver.domain import Pool, Status
from consortium_solver.group import GroupOptions, group
from consortium_solver.io import write_grouping, write_pool, write_result
from consortium_solver.rules import load_call
from consortium_solver.synthetic.pools import generate_pool
from tests.conftest import DATA

runner = CliRunner()
EXE = [str(Path(sys.executable).with_name("consortium"))]


def _without_timings(text: str) -> str:
    data = json.loads(text)
    data.pop("wall_time_s")
    return json.dumps(data, sort_keys=True)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, check=False)


# ------------------------------------------------------------------------------------ determinism


@pytest.mark.slow
def test_build_top_3_on_two_workers_is_repeatable() -> None:
    """build --top 3 --workers 2 --deterministic, three runs: the same document apart from the
    wall time (before: 3 different answers in 5 runs on the demo pool)."""
    args = ["build", "--top", "3", "--workers", "2", "--deterministic", "--time-limit", "6"]
    outputs = [_run([*args, "--json"]) for _ in range(3)]
    assert {o.returncode for o in outputs} == {0}
    assert len({_without_timings(o.stdout) for o in outputs}) == 1
    assert len(json.loads(outputs[0].stdout)["consortia"]) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("extra", [[], ["--rounds", "3"], ["--objective", "min", "--size", "4..6"]])
def test_group_is_repeatable(extra: list[str], tmp_path: Path) -> None:
    """group --deterministic, three runs (in separate processes): byte-identical apart from the
    wall time, for one round and several (before: no such option, different groups each run)."""
    pool = tmp_path / "pool.json"
    write_pool(generate_pool(60, seed=4), pool)
    args = ["group", str(pool), "--deterministic", "--time-limit", "1", "--json", *extra]
    outputs = [_run(args) for _ in range(3)]
    assert {o.returncode for o in outputs} == {0}, outputs[0].stderr
    assert len({_without_timings(o.stdout) for o in outputs}) == 1


@pytest.mark.slow
def test_deterministic_build_spends_one_budget_for_the_whole_top_k() -> None:
    """The deterministic limit is the run's, not each solve's: with --top 3 the solves together
    stay within it (CP-SAT reports the deterministic time each one used)."""
    from consortium_solver.encode import runner as cp

    used: list[float] = []
    original = cp.solve

    def spy(*args: object, **kwargs: object) -> cp.Outcome:
        outcome = original(*args, **kwargs)  # type: ignore[arg-type]
        used.append(outcome.deterministic_time)
        return outcome

    cp_solve = "consortium_solver.builder.builder.solve"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cp_solve, spy)
        options = BuildOptions(top=3, time_limit=2.0, deterministic=True, seed=1)
        build(demo_pool(), load_call(DEFAULT_CALL), options=options)
    assert len(used) >= 2
    assert sum(used) <= 2.0 * 1.05  # CP-SAT checks its limit between steps


# ------------------------------------------------------------------------------------ interruption


class Running:
    """A command run with ``--verbose``, its log read line by line on stderr: a test acts when
    the command says it reached a point (``the clock starts``), never after a guessed delay."""

    def __init__(self, args: list[str]) -> None:
        self.process = subprocess.Popen(
            [*EXE, "--verbose", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.log: list[str] = []

    def reach(self, words: str) -> None:
        """Read the log until a line holds ``words`` (the command ending first fails)."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            if words in line:
                return
        raise AssertionError(f"never said {words!r}: {''.join(self.log)}")

    def interrupt(self) -> None:
        self.process.send_signal(signal.SIGINT)

    def end(self) -> subprocess.CompletedProcess[str]:
        out, err = self.process.communicate(timeout=600)
        return subprocess.CompletedProcess(
            self.process.args, self.process.returncode, out, "".join(self.log) + err
        )


def _interrupted(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``args`` run until the task's clock starts, then Ctrl-C."""
    running = Running(args)
    running.reach("the clock starts")
    running.interrupt()
    return running.end()


@pytest.mark.slow
def test_ctrl_c_stops_group_and_keeps_its_best_grouping(tmp_path: Path) -> None:
    """SIGINT during a 600 s grouping: it stops, prints and writes the best grouping so far,
    marked interrupted, and it is a valid one (exit 0)."""
    pool = tmp_path / "pool.json"
    write_pool(generate_pool(2_000, seed=5), pool)
    out = tmp_path / "groups.json"
    done = _interrupted(["group", str(pool), "--time-limit", "600", "--json", "--out", str(out)])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["interrupted"] is True and data["consortia"]
    assert json.loads(out.read_text()) == data


@pytest.mark.slow
def test_ctrl_c_stops_build_and_keeps_what_it_found(tmp_path: Path) -> None:
    """SIGINT during a long --top search: the consortia found so far are printed and written,
    marked interrupted (the solver is stopped, not waited for)."""
    pool = tmp_path / "pool.json"
    write_pool(generate_pool(3_000, seed=2), pool)
    out = tmp_path / "result.json"
    args = ["build", str(pool), "--top", "40", "--time-limit", "600", "--json", "--out", str(out)]
    done = _interrupted(args)
    data = json.loads(done.stdout)
    assert data["interrupted"] is True
    assert done.returncode == (0 if data["consortia"] else 130)
    assert len(data["consortia"]) < 40
    assert json.loads(out.read_text()) == data


@pytest.mark.slow
def test_ctrl_c_stops_research_mode_and_keeps_its_best_grouping(tmp_path: Path) -> None:
    """SIGINT during a 600 s MDGP search (before: it ran on for seconds and said it was not
    interrupted): the best grouping, marked interrupted, every element placed once."""
    instance = Path(__file__).resolve().parent.parent / "instances" / "mdgplib" / "instances"
    args = ["group", "--mdgp", str(instance / "RanReal_n240_ss_01.txt"), "--time-limit", "600"]
    done = _interrupted([*args, "--json"])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["interrupted"] is True
    assert sorted(int(m) for c in data["consortia"] for m in c["members"]) == list(range(240))


@pytest.mark.slow
def test_ctrl_c_stops_an_exchange_plan_and_keeps_a_valid_programme(tmp_path: Path) -> None:
    pool = tmp_path / "cxc.json"
    generated = _run(
        ["generate", "--kind", "exchange", "--n", "2000", "--seed", "4", "--out", str(pool)]
    )
    assert generated.returncode == 0, generated.stderr
    plan = tmp_path / "plan.json"
    done = _interrupted(["exchange", str(pool), "--time-limit", "600", "--out", str(plan)])
    assert done.returncode in (0, 130), done.stderr
    if done.returncode == 0:
        assert json.loads(plan.read_text())["interrupted"] is True
        assert _run(["check-exchange", str(pool), str(plan)]).returncode == 0


@pytest.mark.slow
def test_a_large_answer_is_written_whole_through_ctrl_c(tmp_path: Path) -> None:
    """Ctrl-C pressed again and again while a large JSON answer is being written to a pipe
    nobody reads yet (the write blocks): the answer comes out whole, then the second Ctrl-C
    ends the command (exit 130). Before, a JSON answer cut at 131,066 characters was seen."""
    pool = tmp_path / "pool.json"
    write_pool(generate_pool(3_000, seed=5), pool)
    running = Running(["group", str(pool), "--time-limit", "600", "--json"])
    running.reach("the clock starts")
    running.interrupt()
    running.reach("writing the answer")
    for _ in range(5):  # the pipe is full (the answer is larger than its buffer) and unread
        running.interrupt()
    done = running.end()
    data = json.loads(done.stdout)  # whole: it parses
    assert data["interrupted"] is True and len(done.stdout) > 200_000
    assert done.returncode == 130


def test_a_second_ctrl_c_stops_at_once() -> None:
    """The first Ctrl-C asks the task to stop at its next step; the second raises at once."""
    from consortium_solver.cli import _on_sigint
    from consortium_solver.core.clock import interrupted

    try:
        _on_sigint(signal.SIGINT, None)
        assert interrupted()
        with pytest.raises(KeyboardInterrupt):
            _on_sigint(signal.SIGINT, None)
    finally:
        reset_interrupt()


def test_interrupted_before_anything_is_found_says_so() -> None:
    """Interrupted before the search: no answer, status unknown, no claim of optimality; the
    command line then exits 130 and says why."""
    interrupt()
    try:
        result = build(demo_pool(), load_call(DEFAULT_CALL), options=BuildOptions(time_limit=5))
        grouping = group(demo_pool(), load_call(DEFAULT_CALL), GroupOptions(time_limit=5))
        cli = runner.invoke(app, ["build", "--time-limit", "5"])
    finally:
        reset_interrupt()
    assert result.interrupted and result.status is Status.UNKNOWN and not result.consortia
    assert result.bound is None
    assert grouping.interrupted
    assert cli.exit_code == 130
    assert "interrupted before any answer was found" in cli.stderr


# ------------------------------------------------------------------------------------------ --out


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("missing-folder/out.json", "no such folder for the output file"),
        ("FOLDER", "a folder, not a file to write"),
        ("/proc/out.json", "cannot write here"),
    ],
)
def test_out_is_checked_before_the_work(target: str, words: str, tmp_path: Path) -> None:
    """A bad --out is refused at once (exit 2, one line), not after the whole search."""
    if target == "FOLDER":
        target = str(tmp_path / "out.json")
        Path(target).mkdir()
    started: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        for target_task in ("consortium_solver.builder.build", "consortium_solver.cli.group.group"):
            mp.setattr(target_task, lambda *_, **__: started.append("a task"))
        for command in ("build", "group"):
            result = runner.invoke(app, [command, "--time-limit", "60", "--out", target])
            assert not started  # refused before the work began
            assert result.exit_code == 2
            assert result.stdout == ""
            assert words in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_late_write_failure_still_prints_the_answer(tmp_path: Path) -> None:
    """The folder vanishes during the search: the answer is printed all the same, then the failed
    write is reported (exit 2)."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "groups.json"
    with pytest.MonkeyPatch.context() as mp:
        real = group

        def group_then_remove_folder(*args: object, **kwargs: object) -> object:
            answer = real(*args, **kwargs)  # type: ignore[arg-type]
            folder.rmdir()
            return answer

        mp.setattr("consortium_solver.cli.group.group", group_then_remove_folder)
        result = runner.invoke(app, ["group", "--time-limit", "1", "--json", "--out", str(target)])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["consortia"]
    assert "no such folder for the output file" in result.stderr


# --------------------------------------------------------------------------------- safe exports


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]


def _pool_named(names: list[str]) -> Pool:
    pool = generate_pool(len(names) + 6, seed=3, ineligible_share=0.0)
    orgs = [
        org.model_copy(update={"name": names[k]}) if k < len(names) else org
        for k, org in enumerate(pool.organisations)
    ]
    return Pool(name="=1+1", organisations=tuple(orgs))


def test_no_formula_survives_in_csv_or_xlsx_and_json_keeps_the_text(tmp_path: Path) -> None:
    """Names that are formulas: never a live formula in the XLSX (stored as text, unchanged), a
    leading apostrophe in the CSV, and the original text in the JSON."""
    pool = _pool_named(FORMULAS)
    result = group(pool, load_call(DEFAULT_CALL), GroupOptions(time_limit=1))
    for suffix in (".csv", ".xlsx", ".json"):
        write_grouping(result, pool, tmp_path / f"g{suffix}")
    with zipfile.ZipFile(tmp_path / "g.xlsx") as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet for sheet in sheets)  # no formula cell anywhere
    assert all(escape(name, quote=False) in "".join(sheets) for name in FORMULAS)
    with (tmp_path / "g.csv").open(newline="") as f:
        names = [row[3] for row in csv.reader(f)][1:]
    written = {name for name in names if name.lstrip("'") in FORMULAS}
    assert written == {"'" + name for name in FORMULAS}
    grouping = (tmp_path / "g.json").read_text()
    assert json.loads(grouping)["pool"] == "=1+1"


def test_markdown_escapes_html(tmp_path: Path) -> None:
    pool = _pool_named(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
    result = build(pool, load_call(DEFAULT_CALL), options=BuildOptions(time_limit=5))
    path = tmp_path / "r.md"
    write_result(result, pool, path)
    text = path.read_text()
    assert "<script>" not in text and "<img" not in text


# ---------------------------------------------------------------------------- text shown as text


def test_markup_in_pool_text_is_shown_as_written(tmp_path: Path) -> None:
    """A name with ``[/bold]`` or ``[link=...]`` and an id ``a[/]``: shown as written by check,
    build and group (before: MarkupError, exit 3, or a silently changed name)."""
    data = json.loads((DATA / "ok" / "regions_pool.json").read_text())
    data["organisations"][0]["id"] = "a[/]"
    data["organisations"][0]["name"] = "[/bold] Alpha [link=https://evil.example]x[/link]"
    pool = tmp_path / "pool.json"
    pool.write_text(json.dumps(data))
    members = ",".join(o["id"] for o in data["organisations"][:3])
    for args in (
        ["check", str(pool), "--members", members],
        ["build", str(pool), "--include", "a[/]", "--time-limit", "5"],
        ["group", str(pool), "--time-limit", "1"],
    ):
        result = runner.invoke(app, args, env={"COLUMNS": "300"})
        assert result.exit_code in (0, 1), result.output
        assert "a[/]" in result.stdout
    shown = runner.invoke(app, ["check", str(pool), "--members", members], env={"COLUMNS": "300"})
    assert "[link=https://evil.example]x[/link]" in shown.stdout


def test_ids_with_spaces_work_in_every_id_option(tmp_path: Path) -> None:
    """--lead, --include and --exclude take the ids that check and --together take (before: a
    validation error, exit 3)."""
    data = json.loads((DATA / "ok" / "regions_pool.json").read_text())
    for k, org in enumerate(data["organisations"]):
        org["id"] = f"org {k}"
    pool = tmp_path / "pool.json"
    pool.write_text(json.dumps(data))
    args = ["build", str(pool), "--lead", "org 0", "--include", "org 1", "--exclude", "org 2"]
    result = runner.invoke(app, [*args, "--json", "--time-limit", "5"])
    assert result.exit_code in (0, 1), result.output
    for consortium in json.loads(result.stdout)["consortia"]:
        assert consortium["members"][0] == "org 0"
        assert "org 1" in consortium["members"] and "org 2" not in consortium["members"]


# --------------------------------------------------------------------------------- small things


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["build", "--no-such-option"], "No such option: --no-such-option"),
        (["build", "--time-limit", "soon"], "Invalid value for '--time-limit'"),
        (["group", "--rounds", "0"], "field '--rounds', value 0"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], words: str) -> None:
    """The README's promise: one line on stderr, exit 2 (typer draws a 5-line box)."""
    done = _run(args)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]


def test_no_bound_is_claimed_without_a_solution() -> None:
    """A solve stopped before any solution reports no bound (before: 0.0, a false claim)."""
    from consortium_solver.encode import SelectionModel, SolveLimits, encode_objective, solve

    pool = generate_pool(2_000, seed=1)
    call = load_call(DEFAULT_CALL)
    m = SelectionModel(list(pool.organisations), max_size=6)
    m.model.maximize(encode_objective(m, call.objective, call.link_weights()).expr)
    outcome = solve(m, SolveLimits(deterministic_time=0.0))
    assert outcome.status is Status.UNKNOWN and outcome.members is None
    assert outcome.bound is None
