"""Do `group` and `build` keep their --time-limit at every pool size? (issue 12)

For pools of 1,000 to 100,000 organisations (generated, seed 1) and limits of 1, 5 and 30 s, runs
`consortium group POOL --time-limit L --json` and `consortium build POOL --time-limit L --json` as
separate processes and measures each one's wall time and peak memory (the child's own maximum
resident set, from wait4). Beside it, in the same run, the start-up: `consortium check POOL
--members <one id>` (starting Python, importing, reading and validating the pool: what every command
pays before its search can begin). The target: wall <= start-up + limit x 1.1.

    .venv/bin/python benchmarks/limits.py                       # the table in benchmarks/README.md
    .venv/bin/python benchmarks/limits.py --sizes 1000 --limits 1 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("consortium"))


def measured(args: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak resident MB, exit code, stdout) of one run of the command line."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, process.returncode, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--limits", type=float, nargs="+", default=[1.0, 5.0, 30.0])
    parser.add_argument("--commands", nargs="+", default=["group", "build"])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    import json

    from consortium_solver.io import write_pool
    from consortium_solver.synthetic.pools import generate_pool

    print(
        "| command | pool | limit s | start-up s | wall s | wall − start-up s"
        " | within limit + 10 % | peak MB | objective |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            pool = generate_pool(n, seed=1)
            path = Path(folder) / f"pool-{n}.json"
            write_pool(pool, path)
            first = pool.organisations[0].id
            startup = statistics.median(
                measured(["check", str(path), "--members", first])[0] for _ in range(args.repeats)
            )
            for command in args.commands:
                for limit in args.limits:
                    runs = [
                        measured([command, str(path), "--time-limit", f"{limit:g}", "--json"])
                        for _ in range(args.repeats)
                    ]
                    wall = statistics.median(r[0] for r in runs)
                    peak = max(r[1] for r in runs)
                    objective = json.loads(runs[0][3]).get("objective") if runs[0][3] else None
                    over = wall - startup
                    ok = "yes" if over <= limit * 1.1 else "**no**"
                    print(
                        f"| {command} | {n:,} | {limit:g} | {startup:.1f} | {wall:.1f}"
                        f" | {over:.1f} | {ok} | {peak:,.0f} | {objective} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
