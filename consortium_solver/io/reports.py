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

from consortium_solver.core.errors import InputError
from consortium_solver.domain import (
    BuildResult,
    GroupingResult,
    Pool,
    Result,
    Term,
)
from consortium_solver.io.atomic import atomic_write_bytes, check_writable
from consortium_solver.io.plans import (
    MEMBER_HEADERS,
    detail_keys,
    grouping_page,
    grouping_workbook,
    member_cells,
    reasons,
)
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


def grouping_rows(result: GroupingResult, pool: Pool) -> tuple[list[str], list[list[Cell]]]:
    """One row per organisation and round: its group (its table's name where the event lists
    tables; guests too, without the group's score), or why it has none, in words, with the
    sheet's extra columns."""
    extra = detail_keys(pool)
    header = ["round", "group", "id", *MEMBER_HEADERS, *extra, "group score", "not placed because"]
    why = reasons(result, pool)
    rows: list[list[Cell]] = []
    # After changes by hand, or with problems, every row carries the validator's verdict.
    verdict = [result.verdict()] if result.edited or result.problems else []
    header += ["verdict"] if verdict else []
    # With no groups at all (an impossible request), every organisation still gets its row.
    for r, groups in enumerate(result.schedule() or [()], start=1):
        for g, grp in enumerate(groups, start=1):
            for member in (*grp.members, *grp.guests):  # a guest: seated, not scored
                org = pool.by_id[member]
                details = [org.details.get(k, "") for k in extra]
                score = grp.score if member in grp.members else None
                rows.append(
                    [r, grp.table or g, org.id, *member_cells(org), *details, score, "", *verdict]
                )
        placed = {m for grp in groups for m in (*grp.members, *grp.guests)}
        for org in pool.organisations:
            if org.id not in placed:
                details = [org.details.get(k, "") for k in extra]
                reason = why.get(org.id, "not placed")
                rows.append([r, None, org.id, *member_cells(org), *details, None, reason, *verdict])
    return header, rows


def grouping_to_csv(result: GroupingResult, pool: Pool) -> str:
    header, rows = grouping_rows(result, pool)
    return csv_text(header, rows)


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
    ".xlsx": grouping_workbook,
    ".html": grouping_page,
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
