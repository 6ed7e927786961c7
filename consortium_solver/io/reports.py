"""Result documents for people: a build's consortia as CSV, XLSX and Markdown, a grouping as CSV,
XLSX and an HTML page (JSON is ``Result.to_json``).

Every writer goes through :func:`consortium_solver.io.atomic.atomic_write_bytes`, so a failure leaves
no half-written file.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from consortium_solver.domain import (
    BuildResult,
    GroupingResult,
    Organisation,
    Pool,
    Result,
    Term,
)
from consortium_solver.errors import InputError
from consortium_solver.io.atomic import atomic_write_bytes, check_writable
from consortium_solver.io.tables import Cell, csv_text, visible_controls, workbook_bytes

MEMBER_COLUMNS = (
    "rank",
    "score",
    "member",
    "name",
    "country",
    "nuts2",
    "region",
    "region_category",
    "organisation_type",
    "sectors",
    "maturity",
)


def member_rows(result: BuildResult, pool: Pool) -> list[list[str]]:
    """One row per member of each consortium, best consortium first."""
    rows = []
    for rank, consortium in enumerate(result.consortia, start=1):
        for member in consortium.members:
            org = pool.by_id[member]
            rows.append(
                [
                    str(rank),
                    f"{consortium.score:g}",
                    org.id,
                    org.name,
                    org.country,
                    org.nuts2 or "",
                    org.region_name or "",
                    org.region_category.value,
                    org.organisation_type.value,
                    ";".join(org.sectors),
                    org.maturity.value,
                ]
            )
    return rows


def result_to_csv(result: BuildResult, pool: Pool) -> str:
    return csv_text(MEMBER_COLUMNS, member_rows(result, pool))


def result_to_xlsx(result: BuildResult, pool: Pool) -> bytes:
    summary: list[list[Cell]] = [
        [
            rank,
            consortium.score,
            ", ".join(consortium.members),
            *(consortium.breakdown.get(t.value, 0.0) for t in Term),
        ]
        for rank, consortium in enumerate(result.consortia, start=1)
    ]
    keys = ("call", "pool", "status", "objective", "bound", "wall_time_s", "seed", "workers")
    return workbook_bytes(
        [
            ("consortia", ["rank", "score", "members", *(t.value for t in Term)], summary),
            ("members", MEMBER_COLUMNS, member_rows(result, pool)),
            ("run", None, [[key, getattr(result, key)] for key in keys]),
        ]
    )


def result_to_markdown(result: BuildResult, pool: Pool) -> str:
    lines = [
        f"# Consortia for {_md(result.call)}",
        "",
        f"Pool **{_md(result.pool)}** · status **{result.status.value}** · objective "
        f"{_num(result.objective)} · bound {_num(result.bound)} · {result.wall_time_s:g} s · "
        f"seed {result.seed} · {result.workers} workers",
        "",
    ]
    for rank, consortium in enumerate(result.consortia, start=1):
        lines += [f"## {rank}. Score {consortium.score:g}", ""]
        lines += ["| id | name | country | NUTS-2 | category | sectors | maturity |"]
        lines += ["| --- | --- | --- | --- | --- | --- | --- |"]
        for member in consortium.members:
            org = pool.by_id[member]
            region = f"{org.nuts2} {org.region_name}" if org.nuts2 else ""
            lines.append(
                f"| {_md(org.id)} | {_md(org.name)} | {org.country} | {_md(region)} | "
                f"{org.region_category.value.replace('_', ' ')} | {_md(', '.join(org.sectors))} | "
                f"{org.maturity.value} |"
            )
        lines += ["", "| term | points |", "| --- | ---: |"]
        lines += [f"| {term} | {points:g} |" for term, points in consortium.breakdown.items()]
        lines.append("")
    if result.conflict:
        lines += ["## No consortium: these rules conflict", ""]
        lines += [f"- **{c.rule}**: {_md(c.why)}" for c in result.conflict]
        lines.append("")
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _md(text: str) -> str:
    """Text for a Markdown table or list: HTML escaped (Markdown passes raw HTML through, so a name
    like ``<script>`` would run in a viewer), table pipes and controls neutralised."""
    return visible_controls(html.escape(text, quote=False)).replace("|", "\\|")


# --------------------------------------------------------------------------------------- groupings

ORG_COLUMNS = (
    "round",
    "group",
    "id",
    "name",
    "country",
    "nuts2",
    "region_category",
    "sectors",
    "maturity",
    "group_score",
    "note",
)


def grouping_rows(result: GroupingResult, pool: Pool) -> list[list[str]]:
    """One row per organisation and round: its group (or why it has none)."""
    why = {i.id: i.why for i in result.ineligible}

    def cells(org: Organisation) -> list[str]:
        return [
            org.id,
            org.name,
            org.country,
            org.nuts2 or "",
            org.region_category.value,
            ";".join(org.sectors),
            org.maturity.value,
        ]

    rows = []
    # With no groups at all (an impossible request), every organisation still gets its row.
    for r, groups in enumerate(result.schedule() or [()], start=1):
        placed = set()
        for g, grp in enumerate(groups, start=1):
            for member in grp.members:
                placed.add(member)
                rows.append([str(r), str(g), *cells(pool.by_id[member]), f"{grp.score:g}", ""])
        for org in pool.organisations:
            if org.id not in placed:
                note = f"ineligible: {why[org.id]}" if org.id in why else "unassigned"
                rows.append([str(r), "", *cells(org), "", note])
    return rows


def grouping_to_csv(result: GroupingResult, pool: Pool) -> str:
    return csv_text(ORG_COLUMNS, grouping_rows(result, pool))


def grouping_to_xlsx(result: GroupingResult, pool: Pool) -> bytes:
    groups: list[list[Cell]] = []
    for r, grps in enumerate(result.schedule(), start=1):
        for g, grp in enumerate(grps, start=1):
            names = ", ".join(
                f"{pool.by_id[m].name} ({pool.by_id[m].country})" for m in grp.members
            )
            terms = (grp.breakdown.get(t.value, 0.0) for t in Term)
            groups.append([r, g, len(grp.members), grp.score, *terms, names])
    header = ["round", "group", "count", "score", *(t.value for t in Term), "members"]
    return workbook_bytes(
        [
            ("organisations", ORG_COLUMNS, grouping_rows(result, pool)),
            ("groups", header, groups),
        ],
        for_print=True,
    )


def grouping_to_html(result: GroupingResult, pool: Pool) -> str:
    """A page an organiser can open without a server: groups as cards and a bar chart of scores."""
    e = html.escape
    rounds = result.schedule()
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Groups · {e(result.pool)} · {e(result.call)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}"
        ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr));gap:1rem}"
        ".card{border:1px solid #ccc;border-radius:.5rem;padding:.8rem;break-inside:avoid}"
        ".card h3{margin:.1rem 0 .5rem;font-size:1.05rem}.card ul{padding-left:1.1rem;margin:.3rem 0}"
        ".muted{color:#666;font-size:.85rem}table{border-collapse:collapse;font-size:.85rem}"
        "td{padding:.1rem .5rem}.bar{fill:#3b7dd8}.lbl{font-size:10px;fill:#333}"
        "@media print{.cards{display:block}.card{margin-bottom:.6rem}}</style></head><body>",
        f"<h1>Groups for {e(result.call)}</h1>",
        f"<p>Pool <b>{e(result.pool)}</b> · status <b>{e(result.status.value)}</b> · "
        f"objective {e(_num(result.objective))} · {len(rounds)} round(s) · {result.wall_time_s:g} s · "
        f"seed {result.seed}</p>",
    ]
    if result.note:
        parts.append(f"<p><b>{e(result.note)}</b></p>")
    for r, groups in enumerate(rounds, start=1):
        if len(rounds) > 1:
            parts.append(f"<h2>Round {r}</h2>")
        parts.append(_bar_chart([g.score for g in groups]))
        parts.append("<div class='cards'>")
        for g, grp in enumerate(groups, start=1):
            items = "".join(
                f"<li>{e(pool.by_id[m].name)} <span class='muted'>{e(pool.by_id[m].country)}"
                f"{' · ' + e(pool.by_id[m].nuts2 or '') if pool.by_id[m].nuts2 else ''} · "
                f"{e(pool.by_id[m].region_category.value.replace('_', ' '))} · "
                f"{e(', '.join(pool.by_id[m].sectors))}</span></li>"
                for m in grp.members
            )
            terms = "".join(
                f"<tr><td>{e(k)}</td><td align='right'>{v:g}</td></tr>"
                for k, v in grp.breakdown.items()
            )
            parts.append(
                f"<div class='card'><h3>Group {g} · score {grp.score:g}</h3><ul>{items}</ul>"
                f"<table>{terms}</table></div>"
            )
        parts.append("</div>")
    why = {i.id: i.why for i in result.ineligible}
    placed = {m for groups in rounds for grp in groups for m in grp.members}
    left = [o for o in pool.organisations if o.id not in placed]
    if left:
        parts.append("<h2>Not placed</h2><ul>")
        for org in left:
            reason = (
                f"ineligible: {why[org.id]}" if org.id in why else "no place left in a valid group"
            )
            parts.append(
                f"<li>{e(org.name)} <span class='muted'>({e(org.id)}) — {e(reason)}</span></li>"
            )
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _bar_chart(scores: list[float]) -> str:
    if not scores:
        return ""
    width, bar_h, gap = 640, 14, 4
    top = max(max(scores), 1e-9)
    height = len(scores) * (bar_h + gap) + 20
    bars = []
    for k, score in enumerate(scores):
        y = 10 + k * (bar_h + gap)
        w = max(0.0, score) / top * (width - 120)
        bars.append(
            f"<text class='lbl' x='0' y='{y + 11}'>group {k + 1}</text>"
            f"<rect class='bar' x='60' y='{y}' width='{w:.1f}' height='{bar_h}'></rect>"
            f"<text class='lbl' x='{64 + w:.1f}' y='{y + 11}'>{score:g}</text>"
        )
    return (
        f"<svg role='img' aria-label='group scores' width='{width}' height='{height}' "
        f"xmlns='http://www.w3.org/2000/svg'>{''.join(bars)}</svg>"
    )


R = TypeVar("R", bound=Result)
Writer = Callable[[R, Pool], "str | bytes"]


def _json(result: Result, pool: Pool) -> str:
    return result.to_json() + "\n"


RESULT_WRITERS: dict[str, Writer[BuildResult]] = {
    ".json": _json,
    ".csv": result_to_csv,
    ".xlsx": result_to_xlsx,
    ".md": result_to_markdown,
}
GROUPING_WRITERS: dict[str, Writer[GroupingResult]] = {
    ".json": _json,
    ".csv": grouping_to_csv,
    ".xlsx": grouping_to_xlsx,
    ".html": grouping_to_html,
}


def output_writer(path: str | Path, writers: dict[str, Writer[R]], what: str) -> Writer[R]:
    """The writer for a file's suffix; an unknown suffix is bad input (checked before any work)."""
    suffix = Path(path).suffix.lower()
    if suffix not in writers:
        known = ", ".join(writers)
        raise InputError(
            f"cannot write a {what} as {suffix or '(none)'!r}; use {known}", source=str(path)
        )
    return writers[suffix]


def check_output(path: str | Path, writers: dict[str, Writer[R]], what: str) -> None:
    """Before any work: the suffix has a writer and the file can be written (see
    :func:`~consortium_solver.io.atomic.check_writable`)."""
    output_writer(path, writers, what)
    check_writable(Path(path))


def _write(
    result: R, pool: Pool, path: str | Path, writers: dict[str, Writer[R]], what: str
) -> None:
    data = output_writer(path, writers, what)(result, pool)
    atomic_write_bytes(Path(path), data.encode("utf-8") if isinstance(data, str) else data)


def write_result(result: BuildResult, pool: Pool, path: str | Path) -> None:
    """Write a build's result as .json (the result document), .csv, .xlsx or .md."""
    _write(result, pool, path, RESULT_WRITERS, "result")


def write_grouping(result: GroupingResult, pool: Pool, path: str | Path) -> None:
    """Write a grouping as .json, .csv (one row per organisation), .xlsx or .html."""
    _write(result, pool, path, GROUPING_WRITERS, "grouping")
