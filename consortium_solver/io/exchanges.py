"""Exchange pools in (JSON) and programmes of exchanges out: the plan document (JSON), one row per
exchange (CSV), a workbook with a sheet per partnership and one for the hosts (XLSX), and a page with
a map (HTML, :mod:`.exchange_page`)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from consortium_solver.core.errors import InputError, decode_text, too_deep_or_too_long
from consortium_solver.domain import ExchangeResult
from consortium_solver.domain.exchanges import Exchange, ExchangePool
from consortium_solver.io.atomic import atomic_write_bytes, check_writable
from consortium_solver.io.exchange_kpis import KPI_HEADERS, fit_words, partnership_kpis
from consortium_solver.io.pools import error_message, error_value
from consortium_solver.io.sheet_files import bounded_input
from consortium_solver.io.tables import Cell, csv_text, workbook_bytes
from consortium_solver.rules import format_loc
from consortium_solver.rules.scheme import Scheme

PLAN_FORMATS = (".json", ".csv", ".xlsx", ".html")
EXCHANGE_COLUMNS = (
    "partnership",
    "visitor",
    "visitor name",
    "visitor country",
    "host",
    "host name",
    "host country",
    "working days",
    "distance km",
    "lump sum EUR",
    "value",
    "host partnership",
    "why it fits",
    "visitor details",
    "host details",
    "first day",
    "last day",
    "status",
)


def _json_document(path: Path) -> Any:
    source = str(path)
    text = decode_text(bounded_input(path), source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"invalid JSON: {exc.msg}", source=source, where=where) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(too_deep_or_too_long(exc) or str(exc), source=source) from None


def _one_line(exc: ValidationError, source: str) -> InputError:
    """The first of pydantic's errors in the words the pool reader uses, with its JSON path."""
    errors = exc.errors()
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    field = format_loc(errors[0]["loc"]) or None
    return InputError(
        error_message(errors[0]) + more, source=source, field=field, value=error_value(errors[0])
    )


def read_exchange_pool(path: str | Path) -> ExchangePool:
    """An exchange pool from JSON (``consortium schema exchange-pool``), or from a participant
    sheet (.csv, .xlsx: :func:`~consortium_solver.io.exchange_sheets.import_exchange_pool`, every
    problem listed)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".xlsx"):
        from consortium_solver.io.exchange_sheets import import_exchange_pool

        return import_exchange_pool(path).require_pool()
    if path.suffix.lower() != ".json":
        raise InputError("an exchange pool is a .json, .csv or .xlsx file", source=str(path))
    data = _json_document(path)
    if not isinstance(data, dict):
        raise InputError(
            "an exchange pool is a JSON object with name, partnerships and participants",
            source=str(path),
        )
    try:
        return ExchangePool.model_validate(data)
    except ValidationError as exc:
        raise _one_line(exc, str(path)) from None


def exchange_pool_to_json(pool: ExchangePool) -> str:
    """The exchange pool document (``consortium schema exchange-pool``), as every writer writes it."""
    return pool.model_dump_json(indent=2, exclude_none=True) + "\n"


def read_plan(path: str | Path) -> list[Exchange]:
    """The exchanges of a plan document (the JSON that ``consortium exchange`` writes)."""
    return read_plan_stated(path)[0]


def read_plan_stated(
    path: str | Path,
) -> tuple[list[Exchange], dict[str, float] | None, float | None]:
    """A plan document's exchanges and what else it states: each partnership's spending and the
    programme's value (``objective``), None where it states none."""
    path = Path(path)
    data = _json_document(path)
    spending = data.get("spending") if isinstance(data, dict) else None
    objective = data.get("objective") if isinstance(data, dict) else None
    if spending is not None and not (
        isinstance(spending, dict)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in spending.values())
    ):
        raise InputError("a plan's 'spending' maps partnership ids to EUR", source=str(path))
    if objective is not None and (
        isinstance(objective, bool) or not isinstance(objective, int | float)
    ):
        raise InputError("a plan's 'objective' is a number", source=str(path))
    return _plan_exchanges(data, path), spending, objective


def _plan_exchanges(data: object, path: Path) -> list[Exchange]:
    items = data.get("exchanges") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError("a plan is a JSON object with a list 'exchanges'", source=str(path))
    out = []
    for k, item in enumerate(items):
        try:
            out.append(Exchange.model_validate(item))
        except ValidationError as exc:
            raise _one_line(exc, str(path)).located(where=f"exchanges[{k}]") from None
    return out


def _rows(result: ExchangeResult, pool: ExchangePool) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for ex in sorted(result.exchanges, key=lambda e: (e.partnership, e.visitor)):
        visitor, host = pool.by_id[ex.visitor], pool.by_id[ex.host]
        rows.append(
            [
                ex.partnership,
                visitor.id,
                visitor.name,
                visitor.country,
                host.id,
                host.name,
                host.country,
                ex.working_days,
                ex.distance_km,
                ex.lump_sum,
                ex.value,
                host.partnership,
                fit_words(visitor, host),
                _details(visitor.details),
                _details(host.details),
                "" if ex.start is None else ex.start.isoformat(),
                "" if ex.end is None else ex.end.isoformat(),
                ex.status,
            ]
        )
    return rows


def _details(found: dict[str, str]) -> str:
    """A participant's other columns (contact, e-mail) on one line: "Contact: Ana · E-mail: …"."""
    return " · ".join(f"{k}: {v}" for k, v in found.items())


def plan_to_xlsx(result: ExchangeResult, pool: ExchangePool, scheme: Scheme | None = None) -> bytes:
    """The programme's figures per partnership (:func:`partnership_kpis`), a sheet per partnership
    (its visitors, their hosts, distances, lump sums, why each fits, contacts), one for the hosts
    (who visits them) and one for the visitors not placed (why); first, the plan's notes (budgets
    not given, …). Every sheet has its header frozen and a filter."""
    by_partnership: dict[str, list[list[Cell]]] = defaultdict(list)
    for row in _rows(result, pool):
        by_partnership[str(row[0])].append(row[1:])
    sheets: list[tuple[str, list[str] | None, list[list[Cell]]]] = []
    summary: list[list[Cell]] = []
    for kpi in partnership_kpis(result, pool, scheme):
        figures: list[Cell] = kpi.row()  # type: ignore[assignment]
        if kpi.budget is None:
            figures[KPI_HEADERS.index("budget EUR")] = "none given: not limited"
        summary.append(figures)
    if result.note:  # e.g. no budgets given: the first sheet says it before any number
        sheets.append(("read first", ["note"], [[part] for part in result.note.split("; ")]))
    sheets.append(("programme", KPI_HEADERS, summary))
    for p in pool.partnerships:
        sheets.append((_sheet_title(p.id), list(EXCHANGE_COLUMNS[1:]), by_partnership[p.id]))
    hosted: dict[str, list[str]] = defaultdict(list)
    for ex in result.exchanges:
        hosted[ex.host].append(f"{pool.by_id[ex.visitor].name} ({pool.by_id[ex.visitor].country})")
    hosts: list[list[Cell]] = [
        [h.id, h.name, h.country, h.capacity, len(hosted[h.id]), ", ".join(hosted[h.id])]
        for h in pool.participants
        if h.id in hosted
    ]
    sheets.append(("hosts", ["host", "name", "country", "capacity", "visits", "visitors"], hosts))
    left_out: list[list[Cell]] = [
        [u.id, pool.by_id[u.id].name, pool.by_id[u.id].country, pool.by_id[u.id].partnership,
         u.reason]
        for u in result.unplaced
    ]  # fmt: skip
    sheets.append(("not placed", ["visitor", "name", "country", "partnership", "why"], left_out))
    return workbook_bytes(sheets, for_print=True)


def _sheet_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in text)
    return cleaned[:31] or "partnership"


def write_plan(
    result: ExchangeResult, pool: ExchangePool, path: str | Path, scheme: Scheme | None = None
) -> None:
    """Write a plan as .json (the plan document), .csv (one row per exchange), .xlsx or .html (the
    programme with a map)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        data: bytes = (result.to_json() + "\n").encode("utf-8")
    elif suffix == ".csv":
        data = csv_text(EXCHANGE_COLUMNS, _rows(result, pool)).encode("utf-8")
    elif suffix == ".xlsx":
        data = plan_to_xlsx(result, pool, scheme)
    elif suffix == ".html":
        from consortium_solver.io.exchange_page import plan_page

        data = plan_page(result, pool).encode("utf-8")
    else:
        raise InputError(
            f"cannot write a plan as {suffix or '(none)'!r}; use .json, .csv, .xlsx, .html"
        )
    atomic_write_bytes(path, data)


def check_plan_output(path: str | Path) -> None:
    """Before any work: a plan can be written at ``path``."""
    if Path(path).suffix.lower() not in PLAN_FORMATS:
        raise InputError(
            "cannot write a plan as this; use .json, .csv, .xlsx, .html", source=str(path)
        )
    check_writable(Path(path))
