"""Events (projects), their sheets and starting a run: the pages before the groups."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Message

from consortium_solver import DEFAULT_CALL
from consortium_solver.core.errors import InputError
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Pool
from consortium_solver.domain.fields import Balance
from consortium_solver.group.balance import resolve
from consortium_solver.group.options import balance_of, hosts_named
from consortium_solver.io.event_tables import tables_spec
from consortium_solver.io.importer import ImportReport
from consortium_solver.io.sheets import exchange_template_workbook, template_workbook
from consortium_solver.rules import load_call, packaged_calls
from consortium_solver.rules.scheme import DEFAULT_SCHEME
from consortium_solver.web.context import csrf_ok, ctx, page, path_id, posted_form, refused, stale
from consortium_solver.web.imports import display_name, read_exchange_upload, read_upload, sniff
from consortium_solver.web.store import Upload
from consortium_solver.web.tasks import SPECS, RunSpec, Task
from consortium_solver.web.views import report_summary

FORM_SLACK = 64 * 1024  # bytes of a form beyond its file (boundaries, headers, fields)


def _calls() -> dict[str, str]:
    """The rule sets a form offers: the 2018 call first, today's packaged calls by their titles
    (their country lists read on the call's deadline, else today), then none."""
    today = {c: load_call(c).title for c in packaged_calls() if c != DEFAULT_CALL}
    return {
        DEFAULT_CALL: "the 2018 call's rules (COS-CLUSTER-2018-03-02)",
        **today,
        "none": "no call rules",
    }


CALLS = _calls()


def read_day(text: str, problems: list[str]) -> date | None:
    """The form's "country lists on" day (empty: None, the call's deadline or today); a problem
    in words when it is not a date."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append("country lists on: write a date as 2026-03-01")
        return None


async def index(request: Request) -> Response:
    return page(request, "index.html", projects=ctx(request).store.projects())


async def create_project(request: Request) -> Response:
    form = await posted_form(request, 4)
    if form is None:
        return stale(request)
    name = " ".join(str(form.get("name", "")).split())[:120]
    if not name:
        return refused(request, 400, "Give the event a name.")
    project = ctx(request).store.add_project(name)
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


async def project_page(request: Request, status: int = 200, **extra: Any) -> Response:
    store = ctx(request).store
    pid = path_id(request, "pid")
    project = store.project(pid) if pid is not None else None
    if project is None:
        return refused(request, 404, "There is no such event.")
    pools = store.pools(project.id)
    usable = store.usable_pool(project.id)
    exchange = usable is not None and usable.upload.sheet_kind == "exchange"
    the_pool = pool_of(usable.pool_json) if usable and usable.pool_json and not exchange else None
    organisations = the_pool.organisations if the_pool else ()
    return page(
        request,
        "project.html",
        status=status,
        project=project,
        pools=pools,
        latest=pools[0] if pools else None,
        organisations=sorted(organisations, key=lambda o: o.name.casefold()),
        attendance=attendance_of(organisations),
        tables=the_pool.tables if the_pool else (),
        columns=list(dict.fromkeys(k for o in organisations for k in o.details)),
        exchange=exchange,
        runs=store.runs(project.id),
        calls=CALLS,
        busy=ctx(request).runner.busy_reason(project.id),
        **extra,
    )


def attendance_of(organisations: Sequence[Organisation]) -> dict[str, int] | None:
    """What the groups form says of the sheet's Rounds attended column: how many attend some
    rounds only, and the last round any attends (the form's rounds start there)."""
    partial = [o for o in organisations if o.rounds is not None]
    if not partial:
        return None
    last = max((max(o.rounds or (1,)) for o in partial), default=1)
    return {"partial": len(partial), "last": last}


async def upload(request: Request) -> Response:
    """Read an uploaded sheet into the event: the import report, and the pool when it has no
    errors. The file goes to a temporary folder under a name made here, and is deleted after."""
    context = ctx(request)
    pid = path_id(request, "pid")
    if pid is None or context.store.project(pid) is None:
        return refused(request, 404, "There is no such event.")
    limit = context.upload_limit
    length = request.headers.get("content-length", "0")
    if not length.isdigit() or int(length) > limit + FORM_SLACK:
        return await project_page(request, 413, upload_error=_too_big(limit))
    try:
        form = await _bounded(request, limit + FORM_SLACK).form(max_files=1, max_fields=8)
    except _TooLarge:
        return await project_page(request, 413, upload_error=_too_big(limit))
    if not csrf_ok(request, form):
        return stale(request)
    sheet = form.get("sheet")
    if not isinstance(sheet, UploadFile):
        return await project_page(request, 400, upload_error="Choose a sheet to upload.")
    content = await sheet.read(limit + 1)
    name = display_name(sheet.filename)
    if len(content) > limit:
        return await project_page(request, 413, upload_error=_too_big(limit))
    suffix = sniff(content)
    if suffix is None:
        return await project_page(
            request,
            400,
            upload_error=f"{name} is not a sheet this app reads: save it as .xlsx or .csv"
            " (an old .xls workbook: File › Save as › Excel Workbook).",
        )
    kind = "exchange" if form.get("sheet_kind") == "exchange" else "organisations"
    return await _import(request, pid, Upload(name, content, suffix, {}, sheet_kind=kind))


async def _import(request: Request, pid: int, upload: Upload) -> Response:
    """Read the upload, store it with its report (and its pool when it has no errors)."""
    try:
        exchange = upload.sheet_kind == "exchange"
        reader = read_exchange_upload if exchange else read_upload
        report: ImportReport[Any] = await run_in_threadpool(reader, upload)  # off the event loop
    except InputError as exc:
        return await project_page(request, 400, upload_error=f"{upload.filename}: {exc.message}")
    pool_json = report.pool.model_dump_json() if report.pool is not None else None
    ctx(request).store.add_pool(pid, upload, pool_json, report_summary(report, upload.filename))
    return RedirectResponse(f"/projects/{pid}#report", status_code=303)


async def fix(request: Request) -> Response:
    """The report's cells corrected in the page (``fix-ROW-COLUMN`` fields, or the suggestion a
    ``use-ROW-COLUMN`` button names) and the choice to merge duplicates: the same upload read
    again, as a new version of the sheet."""
    context = ctx(request)
    pid, pool_id = path_id(request, "pid"), path_id(request, "pool_id")
    stored = context.store.pool(pool_id) if pool_id is not None else None
    if pid is None or stored is None or stored.project_id != pid:
        return refused(request, 404, "There is no such sheet.")
    form = await posted_form(request, 2000)
    if form is None:
        return stale(request)
    fixes = dict(stored.upload.fixes)
    chosen: dict[tuple[int, int], str] = {}
    for key, value in form.multi_items():
        found = re.fullmatch(r"(fix|use)-(\d{1,7})-(\d{1,4})", key)
        if found and isinstance(value, str):
            cell = (int(found.group(2)), int(found.group(3)))
            (fixes if found.group(1) == "fix" else chosen)[cell] = value[:1000]
    fixes.update(chosen)  # a suggestion's button ("use Noord-Brabant (NL41)") wins over its cell
    upload = replace(stored.upload, fixes=fixes, merge=form.get("merge") == "on")
    return await _import(request, pid, upload)


class _TooLarge(Exception):
    pass


def _bounded(request: Request, limit: int) -> Request:
    """The request, reading at most ``limit`` bytes of body whatever its headers say (a body
    sent in chunks has no length to check first)."""
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await request.receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise _TooLarge
        return message

    return Request(request.scope, receive)


def _too_big(limit: int) -> str:
    return f"The sheet is larger than {limit // (1024 * 1024)} MB: split it, or remove pictures."


def _reader(form: Any, problems: list[str]) -> Any:
    """``whole(field, low, high, default)``: a whole number from the form, or a problem noted."""

    def whole(field: str, low: int, high: int, default: int) -> int:
        text = str(form.get(field, default)).strip()
        if not re.fullmatch(r"\d{1,6}", text) or not low <= int(text) <= high:
            problems.append(f"{field.replace('_', ' ')}: give a whole number from {low} to {high}")
            return default
        return int(text)

    return whole


# The form's words for the options' fields, in the problems the page lists.
LABELS = {"time_limit": "time limit", "lead": "lead partner", "allow_repeats": "repeats",
          "max_meetings": "meetings a pair may have", "guests": "guests",
          "size": "size", "top": "consortia to list"}  # fmt: skip


def read_task(form: Any, pool: Pool | None) -> tuple[RunSpec | None, list[str]]:
    """The run the form asks for — the task, its call and the library's options model — or every
    problem with it in words. An unknown task is refused, never guessed."""
    problems: list[str] = []
    whole = _reader(form, problems)
    try:
        task = Task(str(form.get("task", Task.GROUPS)))
    except ValueError:
        return None, ["task: choose one of the listed tasks"]
    smallest, largest = whole("size_min", 2, 50, 3), whole("size_max", 2, 50, 5)
    call = str(form.get("call", DEFAULT_CALL))
    if call not in CALLS:
        problems.append("rules: choose one of the listed rule sets")
    day = read_day(str(form.get("date", "")), problems)
    # Web runs use one thread each: two runs may go at once on a small machine.
    common = {"seed": whole("seed", 0, 999999, 0), "time_limit": whole("time_limit", 1, 3600, 10),
              "workers": 1}  # fmt: skip
    spec: dict[str, Any] = {"task": task}
    if task is Task.EXCHANGE:
        spec |= {"scheme": DEFAULT_SCHEME, "options": common}
    elif task is Task.CONSORTIUM:
        lead = str(form.get("lead", "")) or None
        if lead and (pool is None or lead not in pool.by_id):
            problems.append("lead partner: choose one of the organisations of the sheet")
        spec |= {"call": call, "date": day, "demands": {"lead": lead, "size": (smallest, largest)},
                 "options": {**common, "top": whole("top", 1, 10, 1)}}  # fmt: skip
    else:
        assert pool is not None  # groups are made from an organisation sheet
        spec |= {"call": call, "date": day, "options": {
            **common, "size": (smallest, largest), "rounds": whole("rounds", 1, 20, 1),
            "objective": "min" if form.get("objective") == "min" else "sum",
            "allow_repeats": form.get("allow_repeats") == "on",
            "max_meetings": whole("max_meetings", 1, 20, 1),
            "guests": form.get("guests") == "on",
            "hosts": read_hosts(str(form.get("hosts", "")), pool, problems),
            "together": read_pairs(str(form.get("together", "")), "together", pool, problems),
            "apart": read_pairs(str(form.get("apart", "")), "apart", pool, problems),
            "meet": read_pairs(str(form.get("meet", "")), "meet", pool, problems),
            "together_in": read_pairs(str(form.get("together", "")), "together", pool, problems,
                                      rounds=True),
            "apart_in": read_pairs(str(form.get("apart", "")), "apart", pool, problems,
                                   rounds=True),
            "balance": read_balance(form, pool, problems),
            "tables": read_tables(str(form.get("tables", "")), problems)}}  # fmt: skip
    if problems:
        return None, problems
    try:
        return SPECS.validate_python(spec), []
    except ValidationError as exc:
        named = OptionError.of(exc).named(LABELS)
        return None, [f"{field.split('.')[-1]}: {message}" for field, _, message in named.problems]


def read_balance(form: Any, pool: Pool, problems: list[str]) -> list[dict[str, Any]]:
    """The columns to balance (ticked: the sheet's own columns) and the bounds on a value (one a
    line), each checked against the sheet's columns and values."""
    ticked = form.getlist("balance") if hasattr(form, "getlist") else form.get("balance", [])
    names = [str(c) for c in ([ticked] if isinstance(ticked, str) else ticked) if str(c).strip()]
    known = {k for o in pool.organisations for k in o.details}
    specs = [Balance(column=c) for c in dict.fromkeys(names) if c in known]
    found: list[str] = []
    for number, line in enumerate(str(form.get("balance_bounds", "")).splitlines(), start=1):
        if line.strip():
            try:
                specs.append(balance_of(_bound_line(line)))
            except OptionError as exc:
                found += [f"balance, line {number}: {m}" for _, _, m in exc.problems]
    try:
        resolve(pool, pool.organisations, specs)
    except OptionError as exc:
        found += [f"balance ({value}): {message}" for _, value, message in exc.problems]
    problems += found
    return [] if found else [spec.model_dump() for spec in specs]


def read_tables(text: str, problems: list[str]) -> list[dict[str, Any]]:
    """The tables the form lists (``10x6``, ``Garden:8, Hall:6``); none: the sheet's own."""
    if not text.strip():
        return []
    try:
        return [t.model_dump() for t in tables_spec(text)]
    except OptionError as exc:
        problems += [f"tables ({value}): {message}" for _, value, message in exc.problems]
        return []


def _bound_line(line: str) -> str:
    """``Role = Buyer : 1..2`` as the command line writes it."""
    column, _, rest = line.partition("=")
    value, _, bounds = rest.rpartition(":")
    return f"{column.strip()}={value.strip()}:{bounds.strip()}"


def read_hosts(text: str, pool: Pool, problems: list[str]) -> list[str]:
    """The table hosts the form names: the column that marks them (or names, comma-separated)."""
    if not text.strip():
        return []
    try:
        return list(hosts_named(pool, text))
    except OptionError as exc:
        problems += [f"table hosts: {message}" for _, _, message in exc.problems]
        return []


def read_pairs(
    text: str, field: str, pool: Pool, problems: list[str], rounds: bool = False
) -> list[list[Any]]:
    """Pairs of organisations, one a line, the two separated by ``+`` (names as in the sheet, or
    ids); every line that does not name two organisations is a problem, with the closest name.
    Lines limited to rounds (``A + B @ 1, 2``) are read only with ``rounds`` (and then only
    they), as [A, B, [rounds]]."""
    by_name = {o.name.casefold(): o.id for o in pool.organisations}
    out: list[list[Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or ("@" in line) != rounds:
            continue
        line, _, when = line.partition("@")
        numbers = [w.strip() for w in when.split(",") if w.strip()]
        if rounds and (not numbers or not all(w.isdigit() and int(w) >= 1 for w in numbers)):
            problems.append(f"{field}, line {number}: write the rounds after @, e.g. @ 1, 2")
            continue
        parts = [p.strip() for p in line.split("+")]
        ids = [pool.by_id[p].id if p in pool.by_id else by_name.get(p.casefold()) for p in parts]
        if len(parts) != 2 or None in ids or ids[0] == ids[1]:
            unknown = next((p for p, i in zip(parts, ids, strict=True) if i is None), None)
            hint = closest_name(unknown, [o.name for o in pool.organisations]) if unknown else None
            problems.append(
                f"{field}, line {number} ({line.strip()[:80]}): write two different organisations"
                " of the sheet separated by +" + (f"; did you mean {hint}?" if hint else "")
            )
            continue
        pair: list[Any] = [str(ids[0]), str(ids[1])]
        out.append([*pair, sorted({int(w) for w in numbers})] if rounds else pair)
    return out


def closest_name(text: str, names: list[str]) -> str | None:
    from rapidfuzz import process

    found = process.extractOne(text, names, processor=str.casefold, score_cutoff=70)
    return None if found is None else str(found[0])


async def start_run(request: Request) -> Response:
    context = ctx(request)
    pid = path_id(request, "pid")
    if pid is None or context.store.project(pid) is None:
        return refused(request, 404, "There is no such event.")
    form = await posted_form(request, 20)
    if form is None:
        return stale(request)
    usable = context.store.usable_pool(pid)
    if usable is None or usable.pool_json is None:
        return await project_page(
            request, 400, task_errors=["Upload a sheet without errors first."]
        )
    exchange = usable.upload.sheet_kind == "exchange"
    if exchange != (form.get("task") == "exchange"):
        which = "a ClusterXchange" if exchange else "an organisation"
        return await project_page(request, 400, task_errors=[f"The sheet is {which} sheet."])
    pool = None if exchange else pool_of(usable.pool_json)
    spec, problems = read_task(form, pool)
    if spec is None:
        return await project_page(request, 400, task_errors=problems)
    if (reason := context.runner.busy_reason(pid)) is not None:
        return await project_page(request, 409, task_errors=[reason[0].upper() + reason[1:] + "."])
    # Off the event loop: starting a worker writes the pool down a pipe the new process must
    # first read, and the live progress of other pages must not wait for that.
    run = await run_in_threadpool(context.runner.launch, pid, usable.id, usable.pool_json, spec)
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


async def template(request: Request) -> Response:
    """The participant sheet to fill in: an event's, or (``/template-exchange.xlsx``) a
    ClusterXchange programme's with its Partnerships sheet."""
    exchange = request.url.path.endswith("exchange.xlsx")
    name = "clusterxchange-template.xlsx" if exchange else "participants-template.xlsx"
    return Response(
        exchange_template_workbook() if exchange else template_workbook(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def pool_of(pool_json: str) -> Pool:
    return Pool.model_validate_json(pool_json)
