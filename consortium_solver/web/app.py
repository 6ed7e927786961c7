"""The ASGI app of ``consortium serve`` (Starlette, Jinja2 templates, a little vendored script).

Security, in one place: every template autoescapes; every POST carries a CSRF token (cookie and
form field must agree); responses forbid framing, sniffing and scripts from anywhere but the app
itself (Content-Security-Policy); the Host header must name this server (no DNS rebinding); and
with an access token (required when the server listens beyond this machine) every request must
present it, once in the address, then as a cookie.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consortium_solver.web import consortium_pages, manage, pages, run_pages
from consortium_solver.web.context import UPLOAD_LIMIT, Context, Warming, templates
from consortium_solver.web.runs import Runner
from consortium_solver.web.store import Store

ACCESS_COOKIE = "consortium_access"
HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]  # fmt: skip
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


# Wrong access tokens a client may offer in a window before it is made to wait (a token of 24
# random bytes cannot be guessed, but a scan should not get answers at the server's full speed).
WRONG_TOKENS, WRONG_WINDOW_S = 10, 60.0


class Guard:
    """Security headers on every response; the access token when one is set, with wrong tokens
    counted per client (:data:`WRONG_TOKENS` in :data:`WRONG_WINDOW_S`, then 429 until the window
    has passed)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token
        self.wrong: dict[str, list[float]] = {}

    def too_many(self, client: str, now: float) -> bool:
        recent = [t for t in self.wrong.get(client, []) if now - t < WRONG_WINDOW_S]
        self.wrong[client] = recent
        return len(recent) >= WRONG_TOKENS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + HEADERS
            await send(message)

        if self.token is not None:
            request = Request(scope)
            client = request.client.host if request.client else "?"
            now = time.monotonic()
            if self.too_many(client, now):
                response: Response = PlainTextResponse(
                    "Too many wrong access tokens from this computer: wait a minute, then open"
                    " the address the server printed.",
                    status_code=429,
                    headers={"retry-after": str(int(WRONG_WINDOW_S))},
                )
                await response(scope, receive, send_with_headers)
                return
            offered = request.query_params.get("token")
            cookie = request.cookies.get(ACCESS_COOKIE)
            if (offered is not None and not hmac.compare_digest(offered, self.token)) or (
                offered is None
                and cookie is not None
                and not hmac.compare_digest(cookie, self.token)
            ):
                self.wrong.setdefault(client, []).append(now)
                if len(self.wrong) > 10_000:  # a bound on what is remembered
                    self.wrong.pop(next(iter(self.wrong)))
            if offered is not None and hmac.compare_digest(offered, self.token):
                response = RedirectResponse(scope["path"], status_code=303)
                response.set_cookie(ACCESS_COOKIE, self.token, httponly=True, samesite="strict")
                await response(scope, receive, send_with_headers)
                return
            if not hmac.compare_digest(cookie or "", self.token):
                response = PlainTextResponse(
                    "This server needs its access token: open the address it printed when it"
                    " started (it ends in ?token=...).",
                    status_code=401,
                )
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


def create_app(
    data: Path,
    *,
    token: str | None = None,
    hosts: Sequence[str] = LOCAL_HOSTS,
    warm: bool = False,
    max_runs: int = 2,
    upload_limit: int = UPLOAD_LIMIT,
) -> Starlette:
    """The app over the data folder ``data`` (made when missing); ``warm``: compile the search
    engines in the background at start-up (``consortium serve``), the pages saying so meanwhile."""
    store = Store(data)
    context = Context(store, Runner(store, limit=max_runs), templates(), upload_limit)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store.fail_unfinished()
        if warm:
            context.warming = Warming()
        yield
        context.runner.shutdown()
        if context.warming is not None:
            context.warming.stop()

    static = Path(__file__).parent / "static"
    routes: list[Any] = [
        Route("/", pages.index),
        Route("/projects", pages.create_project, methods=["POST"]),
        Route("/projects/{pid:int}", pages.project_page),
        Route("/projects/{pid:int}/pools", pages.upload, methods=["POST"]),
        Route("/projects/{pid:int}/rename", manage.rename_project, methods=["POST"]),
        Route("/projects/{pid:int}/duplicate", manage.duplicate_project, methods=["POST"]),
        Route("/projects/{pid:int}/delete", manage.delete_project, methods=["GET", "POST"]),
        Route("/projects/{pid:int}/pools/{pool_id:int}/fix", pages.fix, methods=["POST"]),
        Route("/projects/{pid:int}/runs", pages.start_run, methods=["POST"]),
        Route("/projects/{pid:int}/check", consortium_pages.check_consortium, methods=["POST"]),
        Route("/template.xlsx", pages.template),
        Route("/template-exchange.xlsx", pages.template),
        Route("/runs/{rid:int}", run_pages.run_page),
        Route("/runs/{rid:int}/events", run_pages.events),
        Route("/runs/{rid:int}/cancel", run_pages.cancel, methods=["POST"]),
        Route("/runs/{rid:int}/adjust", run_pages.adjust, methods=["POST"]),
        Route("/runs/{rid:int}/reset", run_pages.reset, methods=["POST"]),
        Route("/runs/{rid:int}/undo", run_pages.undo, methods=["POST"]),
        Route("/runs/{rid:int}/redo", run_pages.redo, methods=["POST"]),
        Route("/runs/{rid:int}/pin", run_pages.pin, methods=["POST"]),
        Route("/runs/{rid:int}/reoptimise", run_pages.reoptimise, methods=["POST"]),
        Route("/runs/{rid:int}/rename", manage.rename_run, methods=["POST"]),
        Route("/runs/{rid:int}/duplicate", manage.duplicate_run, methods=["POST"]),
        Route("/runs/{rid:int}/delete", manage.delete_run, methods=["GET", "POST"]),
        Route("/runs/{rid:int}/groups.{kind:str}", run_pages.download),
        Route("/runs/{rid:int}/rounds/{r:int}/map.svg", run_pages.round_map),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(Guard, token=token),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
        ],
    )
    app.state.context = context
    return app


def new_token() -> str:
    return secrets.token_urlsafe(24)
