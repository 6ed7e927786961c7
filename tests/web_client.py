"""A test client of the web app that behaves like a browser's forms: it sends the CSRF token back
with every POST, and reads the ids the pages link to."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from consortium_solver.web import create_app
from consortium_solver.web.context import CSRF_COOKIE
from consortium_solver.web.store import Run

ORGANISER_SHEET = Path(__file__).parent / "data" / "organiser" / "participants.xlsx"


class WebClient:
    def __init__(self, data: Path, **options: Any) -> None:
        self.app = create_app(data, hosts=["testserver"], **options)
        self.http = TestClient(self.app)
        self.http.__enter__()  # runs the app's lifespan
        self.http.get("/")

    def close(self) -> None:
        self.http.__exit__(None, None, None)

    @property
    def csrf(self) -> str:
        token = self.http.cookies.get(CSRF_COOKIE)
        assert token
        return token

    @property
    def store(self) -> Any:
        return self.app.state.context.store

    @property
    def runner(self) -> Any:
        return self.app.state.context.runner

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.http.post(url, data={"csrf": self.csrf, **(data or {})}, **kw)

    def project(self, name: str = "Matchmaking day") -> int:
        response = self.post("/projects", {"name": name}, follow_redirects=False)
        assert response.status_code == 303
        return int(response.headers["location"].rsplit("/", 1)[1])

    def upload(self, pid: int, name: str, content: bytes) -> Any:
        return self.http.post(
            f"/projects/{pid}/pools",
            data={"csrf": self.csrf},
            files={"sheet": (name, content)},
        )

    def start(self, pid: int, **fields: str) -> Any:
        form = {"size_min": "3", "size_max": "5", "rounds": "1", "call": "none",
                "objective": "sum", "time_limit": "2", "seed": "0", **fields}  # fmt: skip
        return self.post(f"/projects/{pid}/runs", form, follow_redirects=False)

    def run_to_end(self, pid: int, **fields: str) -> Run:
        response = self.start(pid, **fields)
        assert response.status_code == 303, response.text
        rid = int(response.headers["location"].rsplit("/", 1)[1])
        assert self.runner.wait(rid, timeout=120)
        run: Run = self.store.run(rid)
        return run

    def wait_for(self, condition: Any, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < end, "timed out"
            time.sleep(0.05)


def verdict_line(page: str) -> str:
    """The verdict's headline on a run page or fragment."""
    found = re.search(r"<p><b>(✓[^<]*|✗[^<]*)</b></p>", page)
    assert found, page[:2000]
    return found.group(1)
