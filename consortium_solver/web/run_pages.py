"""A run's pages: live progress, cancel, the groups judged, moves and swaps by hand, downloads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from consortium_solver.domain import BuildResult, GroupingResult, Pool
from consortium_solver.io.plans import TERM_WORDS, grouping_page, grouping_workbook, term_label
from consortium_solver.io.reports import (
    grouping_to_csv,
    result_to_csv,
    result_to_markdown,
    result_to_xlsx,
)
from consortium_solver.web.consortium_pages import consortium_values
from consortium_solver.web.context import ctx, page, path_id, path_run, posted_form, refused, stale
from consortium_solver.web.exchange_pages import exchange_download, exchange_page, exchange_run
from consortium_solver.web.store import FINISHED, Edit, Run
from consortium_solver.web.tasks import ConsortiumRun, GroupsRun
from consortium_solver.web.views import (
    Rounds,
    edited_result,
    in_words,
    members_map,
    move,
    schedule_of,
    schedule_view,
    swap,
)

DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _loaded(request: Request) -> tuple[Run, Pool] | None:
    """The run of the path with its pool; None for exchange runs (pages of their own)."""
    found = path_run(request)
    if found is None or found[0].task == "exchange":
        return None
    return found[0], Pool.model_validate_json(found[1])


CHANGE_LATER = "Groups can be changed once a grouping run has finished."


def _finished_groups(request: Request, why: str = CHANGE_LATER) -> tuple[Run, Pool] | Response:
    """The finished grouping run of the path with its pool, or the page that says why not."""
    loaded = _loaded(request)
    if loaded is None:
        return refused(request, 404, "There is no such run.")
    if not loaded[0].finished_ok or loaded[0].task != "groups":
        return refused(request, 409, why)
    return loaded


@dataclass
class Standing:
    """A grouping run's answer and its groups as they stand, the edits read once."""

    result: GroupingResult
    found: Rounds  # the groups as the run found them
    rounds: Rounds  # as they stand (the last edit)
    pins: list[tuple[int, str]]  # (round from 0, id) pinned in the last edit
    edits: list[Edit]


def _standing(request: Request, run: Run) -> Standing:
    assert run.result_json is not None
    result = GroupingResult.model_validate_json(run.result_json)
    found = schedule_of(result)
    edits = ctx(request).store.edits(run.id)
    if not edits:
        return Standing(result, found, found, [], edits)
    return Standing(result, found, edits[-1].rounds, list(edits[-1].pins), edits)


def _schedule_values(request: Request, run: Run, pool: Pool) -> dict[str, Any]:
    assert isinstance(run.spec, GroupsRun)  # the callers ask for a grouping run's page
    now = _standing(request, run)
    view = schedule_view(pool, run.spec, now.rounds, now.result)
    # The groups as found were judged when the run ended: their scores are in the result.
    found_score = sum(c.score for groups in now.result.schedule() for c in groups)
    return {
        "result": now.result,
        "view": view,
        "found_score": found_score if now.rounds != now.found else None,
        "edits": now.edits,
        "redoable": ctx(request).store.redoable(run.id),
        "pins": {(r + 1, m) for r, m in now.pins},
        "terms": [(term_label(t), words) for t, words in TERM_WORDS.items()],
    }


async def run_page(request: Request) -> Response:
    if (exchange := exchange_run(request)) is not None:
        return exchange_page(request, *exchange)
    loaded = _loaded(request)
    if loaded is None:
        return refused(request, 404, "There is no such run.")
    run, pool = loaded
    project = ctx(request).store.project(run.project_id)
    values: dict[str, Any] = {}
    groups = isinstance(run.spec, GroupsRun)
    if run.finished_ok and run.result_json is not None and isinstance(run.spec, ConsortiumRun):
        values = consortium_values(run.result_json, pool, run.spec)
    elif run.finished_ok and groups:
        values = _schedule_values(request, run, pool)
    elif run.result_json is not None and groups:  # a first look; the search goes on
        values = {**_schedule_values(request, run, pool), "readonly": True}
    return page(request, "run.html", run=run, pool=pool, project=project, **values)


async def events(request: Request) -> Response:
    """Server-sent events: the run's progress whenever it changes, then ``done``."""
    store = ctx(request).store
    rid = path_id(request, "rid")
    if rid is None or store.progress(rid) is None:
        return refused(request, 404, "There is no such run.")

    async def stream() -> AsyncIterator[str]:
        last = None
        while True:
            # Only the progress columns, read in a worker thread: the event loop never waits on
            # the database, whatever the size of a run's first answer.
            now = await run_in_threadpool(store.progress, rid)
            if now is None:  # the run is gone
                return
            payload = {"status": now.status, "interim": now.interim, **(now.progress or {})}
            if payload != last:
                yield f"event: progress\ndata: {json.dumps(payload)}\n\n"
                last = payload
            if now.status in FINISHED:
                yield f"event: done\ndata: {json.dumps({'status': now.status})}\n\n"
                return
            await asyncio.sleep(0.2)  # a closed page ends the stream: StreamingResponse
            # listens for the disconnect and cancels this generator

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


async def _on_run(request: Request, act: Callable[[int], object]) -> Response:
    """A posted form acting on the run of the path (``act(run id)``), then back to its page."""
    form = await posted_form(request, 4)
    if form is None:
        return stale(request)
    rid = path_id(request, "rid")
    if rid is None or ctx(request).store.progress(rid) is None:
        return refused(request, 404, "There is no such run.")
    act(rid)
    return RedirectResponse(f"/runs/{rid}", status_code=303)


async def cancel(request: Request) -> Response:
    """Cancel a going run: it stops at its next step and keeps its best answer."""
    return await _on_run(request, ctx(request).runner.cancel)


async def adjust(request: Request) -> Response:
    """A move (``member`` to ``group``) or a swap (``member`` with ``other``) in one round,
    judged at once. From the page's script: the new groups as HTML; from a plain form: back to
    the page."""
    form = await posted_form(request, 8)
    if form is None:
        return stale(request)
    loaded = _finished_groups(request)
    if isinstance(loaded, Response):
        return loaded
    run, pool = loaded
    now = _standing(request, run)
    rounds = now.rounds
    try:
        r = int(str(form.get("round", ""))) - 1
        member, other = str(form.get("member", "")), str(form.get("other", ""))
        if other:
            changed, note = swap(rounds, r, member, other), f"round {r + 1}: swapped two"
        else:
            if not str(form.get("group", "")).strip():
                return refused(request, 400, "Give the number of the group to move it to.")
            g = int(str(form.get("group", ""))) - 1
            changed, note = move(rounds, r, member, g), f"round {r + 1}: moved to group {g + 1}"
    except ValueError as exc:
        return refused(request, 400, f"That change cannot be made: {exc}.")
    if changed != rounds:
        ctx(request).store.add_edit(run.id, changed, note, now.pins)
    if request.headers.get("x-requested-with") == "fetch":
        values = _schedule_values(request, run, pool)
        return page(request, "schedule.html", run=run, pool=pool, **values)
    return RedirectResponse(f"/runs/{run.id}#round-{r + 1}", status_code=303)


async def undo(request: Request) -> Response:
    """Undo the last change made by hand (it can be made again with Redo)."""
    return await _on_run(request, ctx(request).store.undo_edit)


async def redo(request: Request) -> Response:
    """Make the change last undone again."""
    return await _on_run(request, ctx(request).store.redo_edit)


async def reset(request: Request) -> Response:
    """Undo every change made to a run's groups by hand."""
    return await _on_run(request, ctx(request).store.drop_edits)


async def download(request: Request) -> Response:
    """The groups as they stand (edits included) as XLSX, HTML, CSV or JSON; every text cell
    goes through the package's writers, which neutralise spreadsheet formulas."""
    kind = str(request.path_params.get("kind", ""))
    if (exchange := exchange_run(request)) is not None:
        return exchange_download(*exchange, kind)
    loaded = _loaded(request)
    if loaded is None or kind not in DOWNLOADS:
        return refused(request, 404, "There is no such download.")
    run, pool = loaded
    if not run.finished_ok or run.result_json is None:
        return refused(request, 409, "The run has no answer yet.")
    if not isinstance(run.spec, GroupsRun):
        return _consortium_download(run.id, run.result_json, pool, kind)
    now = _standing(request, run)
    final = edited_result(now.result, pool, run.spec, now.rounds, len(now.edits))
    if kind != "json":  # read by people: rules and organisations by name
        final = in_words(final, pool, run.spec)
    body: str | bytes
    if kind == "xlsx":
        body = grouping_workbook(final, pool)
    elif kind == "html":
        body = grouping_page(final, pool)
    elif kind == "csv":
        body = grouping_to_csv(final, pool)
    else:
        body = final.to_json() + "\n"
    name = f"groups-run-{run.id}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=DOWNLOADS[kind], headers=headers)


def _consortium_download(rid: int, result_json: str, pool: Pool, kind: str) -> Response:
    """A "best consortium" run's answer: workbook, CSV, JSON, or the Markdown report as text."""
    result = BuildResult.model_validate_json(result_json)
    body: str | bytes
    if kind == "xlsx":
        body = result_to_xlsx(result, pool)
    elif kind == "csv":
        body = result_to_csv(result, pool)
    elif kind == "json":
        body = result.to_json() + "\n"
    else:
        return Response(result_to_markdown(result, pool), media_type="text/plain; charset=utf-8")
    headers = {"Content-Disposition": f'attachment; filename="consortia-run-{rid}.{kind}"'}
    return Response(body, media_type=DOWNLOADS[kind], headers=headers)


async def round_map(request: Request) -> Response:
    """The map of one round's members as they stand (an SVG image, loaded when opened)."""
    loaded = _loaded(request)
    r = path_id(request, "r")
    if loaded is None or r is None or not loaded[0].finished_ok or loaded[0].task != "groups":
        return refused(request, 404, "There is no such map.")
    run, pool = loaded
    rounds = _standing(request, run).rounds
    if not 1 <= r <= len(rounds):
        return refused(request, 404, "There is no such round.")
    svg, _ = members_map(pool, rounds[r - 1], f"round {r}: members by group")
    empty = "<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"
    return Response(svg or empty, media_type="image/svg+xml")


async def pin(request: Request) -> Response:
    """Pin a member to its group in a round, or unpin it: "re-optimise the rest" keeps it there."""
    form = await posted_form(request, 6)
    if form is None:
        return stale(request)
    loaded = _finished_groups(request)
    if isinstance(loaded, Response):
        return loaded
    run = loaded[0]
    now = _standing(request, run)
    rounds = now.rounds
    member, text = str(form.get("member", "")), str(form.get("round", ""))
    r = int(text) - 1 if text.isdigit() else -1
    if not 0 <= r < len(rounds) or not any(member in g for g in rounds[r]):
        return refused(request, 400, "That organisation is not in a group of that round.")
    pins = set(now.pins) ^ {(r, member)}
    note = f"round {r + 1}: {'pinned' if (r, member) in pins else 'unpinned'} one"
    ctx(request).store.add_edit(run.id, rounds, note, sorted(pins))
    return RedirectResponse(f"/runs/{run.id}#round-{r + 1}", status_code=303)


async def reoptimise(request: Request) -> Response:
    """A new run from the groups as they stand, the pinned members kept in their groups."""
    form = await posted_form(request, 4)
    if form is None:
        return stale(request)
    loaded = _finished_groups(
        request, "Only the groups of a finished grouping run can be re-optimised."
    )
    if isinstance(loaded, Response):
        return loaded
    run = loaded[0]
    context = ctx(request)
    if (reason := context.runner.busy_reason(run.project_id)) is not None:
        return refused(request, 409, reason[0].upper() + reason[1:] + ".")
    now = _standing(request, run)
    assert isinstance(run.spec, GroupsRun)  # _finished_groups: a grouping run
    text = str(form.get("time_limit", ""))
    seconds = int(text) if text.isdigit() and 1 <= int(text) <= 3600 else run.options.time_limit
    start = tuple(tuple(tuple(g) for g in groups) for groups in now.rounds)
    update = {"start": start, "pinned": tuple(now.pins), "time_limit": seconds}
    spec = run.spec.model_copy(update={"options": run.spec.options.model_copy(update=update)})
    stored = context.store.pool(run.pool_id)
    assert stored is not None and stored.pool_json is not None
    again = await run_in_threadpool(
        context.runner.launch, run.project_id, run.pool_id, stored.pool_json, spec, run.id
    )
    return RedirectResponse(f"/runs/{again.id}", status_code=303)
