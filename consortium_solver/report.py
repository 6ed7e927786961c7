"""Result documents for people: CSV, XLSX and Markdown (JSON is ``Result.to_json``).

Every writer goes through :func:`consortium_solver.io.atomic_write_bytes`, so a failure leaves no
half-written file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from consortium_solver.domain import Pool, Result, Term
from consortium_solver.errors import InputError
from consortium_solver.io import atomic_write_bytes

RESULT_SUFFIXES = (".json", ".csv", ".xlsx", ".md")
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


def member_rows(result: Result, pool: Pool) -> list[list[str]]:
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


def result_to_csv(result: Result, pool: Pool) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MEMBER_COLUMNS)
    writer.writerows(member_rows(result, pool))
    return buffer.getvalue()


def result_to_xlsx(result: Result, pool: Pool) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "consortia"
    summary.append(["rank", "score", "members", *(t.value for t in Term)])
    for rank, consortium in enumerate(result.consortia, start=1):
        summary.append(
            [
                rank,
                consortium.score,
                ", ".join(consortium.members),
                *(consortium.breakdown.get(t.value, 0.0) for t in Term),
            ]
        )
    members = workbook.create_sheet("members")
    members.append(list(MEMBER_COLUMNS))
    for row in member_rows(result, pool):
        members.append(row)
    about = workbook.create_sheet("run")
    for key in ("call", "pool", "status", "objective", "bound", "wall_time_s", "seed", "workers"):
        about.append([key, getattr(result, key)])
    for sheet in (summary, members):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def result_to_markdown(result: Result, pool: Pool) -> str:
    lines = [
        f"# Consortia for {result.call}",
        "",
        f"Pool **{result.pool}** · status **{result.status.value}** · objective "
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
                f"| {org.id} | {_md(org.name)} | {org.country} | {_md(region)} | "
                f"{org.region_category.value.replace('_', ' ')} | {', '.join(org.sectors)} | "
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
    return text.replace("|", "\\|")


def write_result(result: Result, pool: Pool, path: str | Path) -> None:
    """Write a result as .json (the document of DESIGN §5), .csv, .xlsx or .md."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = (result.to_json() + "\n").encode("utf-8")
    elif suffix == ".csv":
        data = result_to_csv(result, pool).encode("utf-8")
    elif suffix == ".xlsx":
        data = result_to_xlsx(result, pool)
    elif suffix == ".md":
        data = result_to_markdown(result, pool).encode("utf-8")
    else:
        known = ", ".join(RESULT_SUFFIXES)
        raise InputError(
            f"cannot write a result as {suffix or '(none)'!r}; use {known}", source=str(path)
        )
    atomic_write_bytes(path, data)
