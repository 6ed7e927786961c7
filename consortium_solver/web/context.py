"""What every page handler shares: the store, the runner, the templates, the limits; and the
small guards every request goes through (CSRF token, whole-number path ids, escaped pages)."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from consortium_solver.web.runs import Runner
from consortium_solver.web.store import Run, Store

CSRF_COOKIE = "consortium_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes of one uploaded sheet


@dataclass
class Context:
    store: Store
    runner: Runner
    templates: Environment
    upload_limit: int = UPLOAD_LIMIT
    warming: Warming | None = None  # the search engines being compiled, on a first start


class Warming:
    """``consortium warm-up`` in a process of its own, started with the server: on a machine's
    first start it compiles the search engines (about 30 s) while the pages stay quick; later
    starts load them from the disk cache in a second or two."""

    def __init__(self) -> None:
        import subprocess
        import sys

        code = "from consortium_solver.cli import main; import sys; sys.argv=['consortium','warm-up']; main()"
        self.process: Any = subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def ready(self) -> bool:
        return self.process.poll() is not None

    def stop(self) -> None:
        if not self.ready():
            self.process.kill()
            self.process.wait()


def templates() -> Environment:
    """Jinja2 with autoescaping on for every template: an organisation named ``<script>`` shows
    as text."""
    env = Environment(
        loader=PackageLoader("consortium_solver.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "—" if v is None else f"{v:,.6g}"
    env.filters["when"] = lambda t: time.strftime("%d %b %Y, %H:%M", time.localtime(t))
    return env


def ctx(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


def csrf_token(request: Request) -> str:
    """The browser's CSRF token (made on its first page; sent back in every form)."""
    token = request.cookies.get(CSRF_COOKIE)
    if token is None or len(token) != 43:
        token = request.scope.setdefault("consortium.csrf", secrets.token_urlsafe(32))
    return token


def csrf_ok(request: Request, form: Any | None) -> bool:
    """Whether a POST carries the cookie's token back (a form field or a header): a page of
    another site cannot read the cookie, so it cannot forge the request."""
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER) or (form.get(CSRF_FIELD) if form else None)
    if not cookie or not isinstance(sent, str):
        return False
    return hmac.compare_digest(cookie.encode(), sent.encode())


STALE = "This form is out of date: reload the page and try again."


async def posted_form(request: Request, max_fields: int = 8) -> Any | None:
    """The form of a POST without files when it carries the CSRF token back; None when it does
    not (answer with :func:`stale`)."""
    form = await request.form(max_files=0, max_fields=max_fields)
    return form if csrf_ok(request, form) else None


def stale(request: Request) -> Response:
    return refused(request, 403, STALE)


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A rendered template, with the CSRF token set as a cookie when the browser had none."""
    token = csrf_token(request)
    warming = ctx(request).warming
    preparing = warming is not None and not warming.ready()
    body = (
        ctx(request)
        .templates.get_template(name)
        .render(csrf=token, request=request, preparing=preparing, **values)
    )
    response = HTMLResponse(body, status_code=status)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def refused(request: Request, status: int, message: str) -> Response:
    """A page that says, in words, why the request was not carried out."""
    return page(request, "message.html", status=status, message=message)


def path_run(request: Request) -> tuple[Run, str] | None:
    """The run named by the path, and the JSON of the pool it ran on."""
    store = ctx(request).store
    rid = path_id(request, "rid")
    run = store.run(rid) if rid is not None else None
    if run is None:
        return None
    stored = store.pool(run.pool_id)
    assert stored is not None and stored.pool_json is not None  # runs start from usable pools
    return run, stored.pool_json


def path_id(request: Request, name: str) -> int | None:
    """A whole-number id from the path (the routes' ``:int`` converters guarantee digits)."""
    value = request.path_params.get(name)
    return value if isinstance(value, int) else None
