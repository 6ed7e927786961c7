"""How soon does Ctrl-C stop each task, at each size? (issue 26: within 2 s at any size.)

Each case runs the command line as its own process with a limit of 600 s, waits until the task's
clock has started (``--verbose`` says "the clock starts") and then ``--into`` seconds more, sends
SIGINT, and measures the seconds from the signal to the end of the process — the answer printed
and written, marked interrupted. With ``--baseline REV`` the same cases run on the code of an
earlier commit in the same run (which says nothing of its clock: the signal goes at the moment this
commit's clock started plus ``--into``). Medians of ``--repeats`` runs.

    .venv/bin/python benchmarks/interrupt.py --baseline 071170b        # benchmarks/README.md
    .venv/bin/python benchmarks/interrupt.py --cases group-1000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MDGP = ROOT / "instances" / "mdgplib" / "instances"
LIMIT = ["--time-limit", "600"]


def cases(folder: Path) -> dict[str, list[str]]:
    """Case name -> the command's arguments (pools generated into ``folder`` once)."""
    out: dict[str, list[str]] = {}
    for n in (1_000, 10_000, 100_000):
        out[f"group-{n}"] = ["group", _pool(folder, n), *LIMIT, "--json"]
    out["group-1000-3-rounds"] = ["group", _pool(folder, 1_000), "--rounds", "3", *LIMIT, "--json"]
    for n in (1_000, 10_000):
        out[f"build-{n}-top-50"] = ["build", _pool(folder, n), "--top", "50", *LIMIT, "--json"]
    for n in (500, 2_000):
        out[f"exchange-{n}"] = ["exchange", _exchange(folder, n), *LIMIT, "--json"]
    for name in ("RanReal_n120_ss_01", "RanReal_n240_ss_01", "RanReal_n480_ss_01"):
        path = MDGP / f"{name}.txt"
        if not path.exists():
            path = path.with_suffix(".txt.gz")
        if path.exists():
            out[f"mdgp-{name}"] = ["group", "--mdgp", str(path), *LIMIT, "--json"]
    return out


def _pool(folder: Path, n: int) -> str:
    path = folder / f"pool-{n}.json"
    if not path.exists():
        from consortium_solver.io import write_pool
        from consortium_solver.synthetic import generate_pool

        write_pool(generate_pool(n, seed=1), path)
    return str(path)


def _exchange(folder: Path, n: int) -> str:
    path = folder / f"exchange-{n}.json"
    if not path.exists():
        exe = str(Path(sys.executable).with_name("consortium"))
        args = ["generate", "--kind", "exchange", "--n", str(n), "--seed", "4", "--out", str(path)]
        subprocess.run([exe, *args], check=True, capture_output=True)
    return str(path)


def ours(args: list[str], into: float) -> tuple[float, float, bool]:
    """(seconds from the start to the clock, seconds from SIGINT to the end, interrupted?)."""
    exe = str(Path(sys.executable).with_name("consortium"))
    began = time.perf_counter()
    process = subprocess.Popen(
        [exe, "--verbose", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "the clock starts" in line:
            break
    clock = time.perf_counter() - began
    time.sleep(into)
    return (clock, *_stop(process))


def before(rev: str, args: list[str], at: float) -> tuple[float, bool]:
    """The earlier commit's command, SIGINT at ``at`` seconds from its start."""
    from baseline import checkout

    tree = checkout(rev)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = "import sys; from consortium_solver.cli import main; sys.argv[0] = 'consortium'; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    time.sleep(at)
    return _stop(process)


WAIT = 120.0  # seconds after the signal before a run that goes on is killed (shown as > WAIT)


def _stop(process: subprocess.Popen[str]) -> tuple[float, bool]:
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    try:
        out, _ = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return float("inf"), False
    took = time.perf_counter() - sent
    try:
        said = bool(json.loads(out).get("interrupted"))
    except json.JSONDecodeError:
        said = False
    return took, said


def _seconds(runs: list[float]) -> str:
    median = statistics.median(runs)
    return f"> {WAIT:g} (killed)" if median == float("inf") else f"{median:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--baseline", help="an earlier commit, measured in the same run")
    parser.add_argument("--cases", nargs="+", help="only these cases (default: all)")
    parser.add_argument("--into", type=float, default=3.0, help="seconds into the search")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / "consortium-interrupt-bench"
    folder.mkdir(exist_ok=True)
    table = cases(folder)
    head = "| case | stop after Ctrl-C, s (median) | marked interrupted |"
    rule = "| --- | ---: | --- |"
    if args.baseline:
        head += f" {args.baseline}: stop, s | {args.baseline}: marked |"
        rule += " ---: | --- |"
    print(head)
    print(rule)
    for name in args.cases or list(table):
        now, said, then, then_said = [], [], [], []
        for _ in range(args.repeats):
            clock, took, marked = ours(table[name], args.into)
            now.append(took)
            said.append(marked)
            if args.baseline:
                took, marked = before(args.baseline, table[name], clock + args.into)
                then.append(took)
                then_said.append(marked)
        row = f"| {name} | {_seconds(now)} | {sum(said)}/{len(said)} |"
        if args.baseline:
            row += f" {_seconds(then)} | {sum(then_said)}/{len(then_said)} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
