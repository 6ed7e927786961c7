"""What a sweep leaves behind: results.csv, traces.csv, summary.md and two PNG plots."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from consortium_solver.bench.runner import COLUMNS
from consortium_solver.io import atomic_write_bytes, atomic_write_text, csv_text

BASELINE = "greedy"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def results_csv(rows: Sequence[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, ([_cell(row.get(c)) for c in COLUMNS] for row in rows))


def traces_csv(rows: Sequence[dict[str, Any]]) -> str:
    header = ("instance", "solver", "seed", "t_s", "objective")
    lines = (
        [row["instance"], row["solver"], str(row["seed"]), _cell(t), _cell(v)]
        for row in rows
        for t, v in row.get("trace") or ()
    )
    return csv_text(header, lines)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summary(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per (instance, solver): medians over seeds, and the objective against greedy's."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["instance"], row["solver"]].append(row)
    baseline = {
        inst: _median([r["objective"] for r in runs if r.get("objective") is not None])
        for (inst, solver), runs in groups.items()
        if solver == BASELINE
    }
    out = []
    for (inst, solver), runs in groups.items():
        objective = _median([r["objective"] for r in runs if r.get("objective") is not None])
        base = baseline.get(inst)
        statuses: dict[str, int] = defaultdict(int)
        for r in runs:
            statuses[r.get("status", "error")] += 1
        out.append(
            {
                "instance": inst,
                "solver": solver,
                "n": runs[0].get("n"),
                "runs": len(runs),
                "statuses": ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
                "objective": objective,
                "vs_greedy": objective / base if objective is not None and base else None,
                "gap": _median([r["gap"] for r in runs if r.get("gap") is not None]),
                "time": _median(
                    [r["wall_time_s"] for r in runs if r.get("wall_time_s") is not None]
                ),
                "mem": _median(
                    [r["peak_mem_mb"] for r in runs if r.get("peak_mem_mb") is not None]
                ),
            }
        )
    return out


def summary_markdown(lines: Sequence[dict[str, Any]], title: str) -> str:
    def fmt(value: float | None, spec: str) -> str:
        return "—" if value is None else format(value, spec)

    out = [
        f"# {title}",
        "",
        "Medians over seeds. gap: to the run's own bound (build) or to the instance's best known"
        " value (mdgp). vs greedy: median objective over the greedy baseline's on the same instance.",
        "",
        "| instance | solver | n | runs | statuses | objective | vs greedy | gap % | time s | peak MB |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in lines:
        gap = None if s["gap"] is None else 100 * s["gap"]
        out.append(
            f"| {s['instance']} | {s['solver']} | {s['n'] or '—'} | {s['runs']} | {s['statuses']} |"
            f" {fmt(s['objective'], '.6g')} | {fmt(s['vs_greedy'], '.3f')} | {fmt(gap, '.2f')} |"
            f" {fmt(s['time'], '.2f')} | {fmt(s['mem'], '.0f')} |"
        )
    return "\n".join(out) + "\n"


def write_report(rows: Sequence[dict[str, Any]], out: Path, title: str) -> list[Path]:
    """Write every file of the report into ``out``; returns their paths. Plots need matplotlib
    (the ``bench`` extra); without it they are left out and the rest is written."""
    out.mkdir(parents=True, exist_ok=True)
    lines = summary(rows)
    written = []
    for name, text in (
        ("results.csv", results_csv(rows)),
        ("traces.csv", traces_csv(rows)),
        ("summary.md", summary_markdown(lines, title)),
    ):
        atomic_write_text(out / name, text)
        written.append(out / name)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return written
    for name, png in (
        ("objective_over_time.png", _plot_traces(rows)),
        ("time_vs_size.png", _plot_sizes(lines)),
    ):
        atomic_write_bytes(out / name, png)
        written.append(out / name)
    return written


def _figure_bytes(fig: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _plot_traces(rows: Sequence[dict[str, Any]]) -> bytes:
    """Best objective over time, one panel per instance, one colour per solver."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    instances = list(dict.fromkeys(r["instance"] for r in rows))
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    colours = {s: f"C{k % 10}" for k, s in enumerate(solvers)}
    cols = min(3, len(instances))
    rows_n = math.ceil(len(instances) / cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(5 * cols, 3.4 * rows_n), squeeze=False)
    for ax, inst in zip(axes.flat, instances, strict=False):
        for row in (r for r in rows if r["instance"] == inst):
            trace = row.get("trace") or []
            if not trace:
                continue
            times = [t for t, _ in trace] + [row.get("wall_time_s") or trace[-1][0]]
            values = [v for _, v in trace] + [trace[-1][1]]
            colour = colours[row["solver"]]
            ax.step(times, values, where="post", color=colour, alpha=0.8, lw=1.2)
            ax.plot(times[-1:], values[-1:], "o", color=colour, ms=4)  # where the run ended
        ax.set_title(inst, fontsize=10)
        ax.set_xlabel("seconds")
        ax.set_ylabel("best objective")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(instances) :]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=colours[s], label=s) for s in solvers]
    fig.legend(handles=handles, loc="upper right")
    fig.suptitle("Best objective over time (one line per run)")
    data = _figure_bytes(fig)
    plt.close(fig)
    return data


def _plot_sizes(lines: Sequence[dict[str, Any]]) -> bytes:
    """Median wall time against instance size, one line per solver."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    by_solver: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for s in lines:
        if s["n"] and s["time"] is not None:
            by_solver[s["solver"]].append((int(s["n"]), float(s["time"])))
    for k, (solver, points) in enumerate(sorted(by_solver.items())):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], "o-", color=f"C{k}", label=solver)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("instance size (organisations or elements)")
    ax.set_ylabel("median wall time, s")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    ax.set_title("Time against size")
    data = _figure_bytes(fig)
    plt.close(fig)
    return data
