"""Keeping events and runs in order: rename, duplicate and delete, a deletion only after a page
that says what goes with it (plain forms: no script needed, nothing deleted by a stray click)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from consortium_solver.io.plans import counted
from consortium_solver.web.context import ctx, page, path_id, posted_form, refused, stale
from consortium_solver.web.store import FINISHED, Project, Run

NAME_LIMIT = 120  # characters of an event's or a run's name


def _name(form: Any, field: str = "name") -> str:
    """A name from a form: spaces folded, at most :data:`NAME_LIMIT` characters."""
    text = str(form.get(field, "") or "")
    return " ".join(text.split())[:NAME_LIMIT]


def _project(request: Request) -> Project | None:
    pid = path_id(request, "pid")
    return ctx(request).store.project(pid) if pid is not None else None


def _run(request: Request) -> Run | None:
    rid = path_id(request, "rid")
    return ctx(request).store.run(rid) if rid is not None else None


async def rename_project(request: Request) -> Response:
    project = _project(request)
    if project is None:
        return refused(request, 404, "There is no such event.")
    form = await posted_form(request, 2)
    if form is None:
        return stale(request)
    if not (name := _name(form)):
        return refused(request, 400, "Give the event a name.")
    ctx(request).store.rename_project(project.id, name)
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


async def duplicate_project(request: Request) -> Response:
    project = _project(request)
    if project is None:
        return refused(request, 404, "There is no such event.")
    if await posted_form(request, 1) is None:
        return stale(request)
    name = f"{project.name} (copy)"[:NAME_LIMIT]
    copy = ctx(request).store.duplicate_project(project.id, name)
    return RedirectResponse(f"/projects/{copy.id}", status_code=303)


async def delete_project(request: Request) -> Response:
    """GET: the page that asks; POST: the event deleted (not while one of its runs is going)."""
    project = _project(request)
    if project is None:
        return refused(request, 404, "There is no such event.")
    store = ctx(request).store
    runs = store.runs(project.id)
    if request.method == "GET":
        sheets = len(store.pools(project.id))
        changes = sum(r.changes for r in runs)
        what = [counted(sheets, "sheet"), counted(len(runs), "run")]
        if changes:
            what.append(counted(changes, "change") + " made by hand")
        return page(
            request,
            "confirm.html",
            title=f"Delete the event “{project.name}”?",
            what=", ".join(what),
            action=f"/projects/{project.id}/delete",
            back=f"/projects/{project.id}",
            crumbs=[("All events", "/"), (project.name, f"/projects/{project.id}")],
        )
    if await posted_form(request, 1) is None:
        return stale(request)
    if any(r.status not in FINISHED for r in runs):
        return refused(request, 409, "A run of this event is going: cancel it first.")
    store.delete_project(project.id)
    return RedirectResponse("/", status_code=303)


async def rename_run(request: Request) -> Response:
    run = _run(request)
    if run is None:
        return refused(request, 404, "There is no such run.")
    form = await posted_form(request, 2)
    if form is None:
        return stale(request)
    ctx(request).store.rename_run(run.id, _name(form))  # an empty name: "Run 7" again
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


async def duplicate_run(request: Request) -> Response:
    """A copy of a finished run with its changes by hand, to try other changes on."""
    run = _run(request)
    if run is None:
        return refused(request, 404, "There is no such run.")
    if await posted_form(request, 1) is None:
        return stale(request)
    if not run.finished_ok:
        return refused(request, 409, "Only a finished run can be copied.")
    copy = ctx(request).store.duplicate_run(run.id)
    return RedirectResponse(f"/runs/{copy.id}", status_code=303)


async def delete_run(request: Request) -> Response:
    """GET: the page that asks; POST: the run deleted (refused while it is going: cancel first)."""
    run = _run(request)
    if run is None:
        return refused(request, 404, "There is no such run.")
    store = ctx(request).store
    project = store.project(run.project_id)
    assert project is not None  # a run is deleted with its event
    if request.method == "GET":
        what = "its answer" + (
            f" and {counted(run.changes, 'change')} made by hand" if run.changes else ""
        )
        return page(
            request,
            "confirm.html",
            title=f"Delete {run.title}?",
            what=what,
            action=f"/runs/{run.id}/delete",
            back=f"/runs/{run.id}",
            crumbs=[
                ("All events", "/"),
                (project.name, f"/projects/{project.id}"),
                (run.title, f"/runs/{run.id}"),
            ],
        )
    if await posted_form(request, 1) is None:
        return stale(request)
    if run.status not in FINISHED:
        return refused(request, 409, "This run is going: cancel it first, then delete it.")
    store.delete_run(run.id)
    return RedirectResponse(f"/projects/{project.id}#runs-h", status_code=303)
