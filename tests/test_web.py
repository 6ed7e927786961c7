"""The web app through its HTTP interface (Starlette's test client): the organiser's flow, every
answer judged again by the validator, and the app's defences (CSRF, escaping, uploads, tokens,
hosts, crashed workers, limits on runs)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import openpyxl
import pytest

from consortium_solver import DEFAULT_CALL, Pool, load_call, read_pool
from consortium_solver.builder import BuildOptions, Demands
from consortium_solver.domain import BuildResult, ExchangeResult, GroupingResult
from consortium_solver.domain.results import Status
from consortium_solver.exchange import ExchangeOptions
from consortium_solver.group import GroupOptions
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.rules import no_call, packaged_calls, user_size
from consortium_solver.rules.scheme import load_scheme
from consortium_solver.validate import check, check_grouping
from consortium_solver.validate.exchanges import check_plan
from consortium_solver.web.store import MIGRATIONS, Store
from consortium_solver.web.tasks import ConsortiumRun, ExchangeRun, GroupsRun
from tests.web_client import ORGANISER_SHEET, WebClient, verdict_line

DEMO = Path(__file__).resolve().parent.parent / "instances" / "demo" / "pool.json"
DATA = Path(__file__).resolve().parent / "data" / "ok"


@pytest.fixture
def web(tmp_path: Path, compiled_kernels: None) -> Iterator[WebClient]:
    client = WebClient(tmp_path / "data")
    yield client
    client.close()


def hostile_pool(n: int = 24) -> bytes:
    """The demo pool's first ``n`` organisations, two of them with names a page or a
    spreadsheet could run."""
    data = json.loads(DEMO.read_text())
    data["organisations"] = data["organisations"][:n]
    data["organisations"][0]["name"] = "<script>alert('x')</script> Cluster"
    data["organisations"][1]["name"] = '=HYPERLINK("http://evil","click")'
    return json.dumps(data).encode()


def result_of(web: WebClient, rid: int) -> GroupingResult:
    run = web.store.run(rid)
    return GroupingResult.model_validate_json(run.result_json)


def test_the_organisers_sheet_is_reported_fixed_in_the_page_and_grouped(web: WebClient) -> None:
    """Upload the organiser's sheet: its two errors are listed with row, column, value and a
    suggestion, and nothing can run; correcting the country and keeping the first of the
    duplicates in the page gives a pool, and a run of 3 rounds whose groups the validator accepts."""
    pid = web.project()
    page = web.upload(pid, "participants.xlsx", ORGANISER_SHEET.read_bytes()).text
    assert "✗ 2 problem(s) to fix" in page
    assert "Germnay" in page and "did you mean Germany (DE)?" in page
    assert 'name="fix-15-3"' in page
    # The duplicate's hint names the page's own box, never a command-line option.
    assert "tick “keep the first of organisations listed twice”" in page
    assert "--merge-duplicates" not in page
    refused = web.start(pid)
    assert refused.status_code == 400 and "Upload a sheet without errors first" in refused.text
    pool_id = web.store.pools(pid)[0].id
    fixed = web.post(
        f"/projects/{pid}/pools/{pool_id}/fix", {"fix-15-3": "Germany", "merge": "on"}
    ).text
    assert re.search(r"✓ 8\d organisations read", fixed), fixed
    assert "merged into it (the first row kept" in fixed
    run = web.run_to_end(pid, rounds="3", size_min="4", size_max="5", time_limit="3")
    assert run.status == "done", run.error
    result = result_of(web, run.id)
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    rounds = [[list(g.members) for g in groups] for groups in result.schedule()]
    assert len(rounds) == 3
    assert pool.name == "participants"  # named as the file uploaded, not as the copy read
    verdict = check_grouping(pool, no_call(), rounds, extra_rules=[user_size(4, 5)])
    assert verdict.valid, verdict.problems
    page = web.http.get(f"/runs/{run.id}").text
    assert verdict_line(page).startswith("✓ Every group meets every rule")
    assert pool.organisations[0].name.split()[0] in page or "Cluster" in page


def test_a_move_is_judged_at_once_and_can_be_undone(web: WebClient) -> None:
    """Moving a member into a full group breaks the size rule: the verdict turns to ✗ naming the
    rule, the score delta is shown, the edit is kept; undoing returns to ✓."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, size_min="4", size_max="4", time_limit="2")
    result = result_of(web, run.id)
    groups = [list(g.members) for g in result.consortia]
    member = groups[0][0]
    moved = web.post(
        f"/runs/{run.id}/adjust",
        {"round": "1", "member": member, "group": "2"},
        headers={"X-Requested-With": "fetch"},
    )
    assert moved.status_code == 200
    assert verdict_line(moved.text).startswith("✗")
    assert "size" in moved.text and "against the groups as found" in moved.text
    edits = web.store.edits(run.id)
    assert len(edits) == 1 and member in edits[0].rounds[0][1]
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    independent = check_grouping(pool, no_call(), edits[0].rounds, extra_rules=[user_size(4, 4)])
    assert not independent.valid
    web.post(f"/runs/{run.id}/reset")
    assert web.store.edits(run.id) == []
    assert verdict_line(web.http.get(f"/runs/{run.id}").text).startswith("✓")


def test_a_swap_keeps_sizes_and_the_verdict_matches_the_validator(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, size_min="4", size_max="4", time_limit="2")
    groups = [list(g.members) for g in result_of(web, run.id).consortia]
    a, b = groups[0][0], groups[1][0]
    page = web.post(
        f"/runs/{run.id}/adjust",
        {"round": "1", "member": a, "other": b},
        headers={"X-Requested-With": "fetch"},
    ).text
    rounds = web.store.edits(run.id)[-1].rounds
    assert b in rounds[0][0] and a in rounds[0][1]
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    verdict = check_grouping(pool, no_call(), rounds, extra_rules=[user_size(4, 4)])
    assert verdict_line(page).startswith("✓" if verdict.valid else "✗")


def test_bad_changes_are_refused_in_words(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, time_limit="1")
    for fields in (
        {"round": "9", "member": "x", "group": "1"},
        {"round": "1", "member": "nobody", "group": "1"},
        {"round": "1", "member": "x", "group": "abc"},
    ):
        response = web.post(f"/runs/{run.id}/adjust", fields)
        assert response.status_code == 400 and "That change cannot be made" in response.text
    assert web.store.edits(run.id) == []


def test_every_value_is_escaped_and_every_download_is_safe(web: WebClient) -> None:
    """An organisation named ``<script>`` shows as text on every page; in the CSV a cell
    starting with ``=`` gets an apostrophe; the workbook stores it as text; every download opens."""
    pid = web.project("<b>Event</b>")
    assert "&lt;b&gt;Event&lt;/b&gt;" in web.http.get(f"/projects/{pid}").text
    web.upload(pid, "pool.json", hostile_pool())
    run = web.run_to_end(pid, time_limit="1")
    page = web.http.get(f"/runs/{run.id}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    for kind in ("html", "csv", "json", "xlsx"):
        response = web.http.get(f"/runs/{run.id}/groups.{kind}")
        assert response.status_code == 200
        assert response.headers["content-disposition"] == (
            f'attachment; filename="groups-run-{run.id}.{kind}"'
        )
    assert "<script>alert" not in web.http.get(f"/runs/{run.id}/groups.html").text
    cells = [
        c
        for row in csv.reader(io.StringIO(web.http.get(f"/runs/{run.id}/groups.csv").text))
        for c in row
    ]
    assert '\'=HYPERLINK("http://evil","click")' in cells
    assert not any(c.startswith("=") for c in cells)
    book = openpyxl.load_workbook(io.BytesIO(web.http.get(f"/runs/{run.id}/groups.xlsx").content))
    values = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert '=HYPERLINK("http://evil","click")' in values
    formula_cells = [
        c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formula_cells == []


def test_posts_without_the_csrf_token_are_refused(web: WebClient) -> None:
    for data in ({"name": "x"}, {"name": "x", "csrf": "forged" * 7 + "x"}):
        response = web.http.post("/projects", data=data)
        assert response.status_code == 403
    assert web.store.projects() == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "not a sheet this app reads"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a sheet this app reads"),
        (b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
        (b"", "no header row"),
    ],
)
def test_what_is_not_a_sheet_is_refused_in_words(
    web: WebClient, content: bytes, words: str
) -> None:
    pid = web.project()
    response = web.upload(pid, "../../etc/passwd", content)
    assert response.status_code in (200, 400)
    assert words in response.text, response.text[-3000:]
    assert web.store.pools(pid) == [] or web.store.pools(pid)[0].pool_json is None
    assert "/etc/passwd" not in response.text  # the name is shown as its last part only


def test_an_upload_over_the_limit_is_refused(tmp_path: Path) -> None:
    client = WebClient(tmp_path / "data", upload_limit=1000)
    try:
        pid = client.project()
        response = client.upload(pid, "big.csv", b"Organisation,Country\n" + b"x,DE\n" * 400)
        assert response.status_code == 413 and "larger than" in response.text
        assert client.store.pools(pid) == []
    finally:
        client.close()


def test_a_second_run_of_an_event_waits_and_cancel_keeps_the_best(web: WebClient) -> None:
    """While a long run goes, another run of the same event is refused with a reason; Cancel
    stops it within seconds, and the groups found so far are kept and valid."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    first = web.start(pid, time_limit="120", rounds="2")
    rid = int(first.headers["location"].rsplit("/", 1)[1])
    second = web.start(pid)
    assert second.status_code == 409 and "still going" in second.text
    web.wait_for(lambda: (web.store.run(rid).progress or {}).get("best") is not None)
    web.post(f"/runs/{rid}/cancel")
    assert web.runner.wait(rid, timeout=30)
    run = web.store.run(rid)
    assert run.status == "cancelled"
    result = result_of(web, rid)
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    rounds = [[list(g.members) for g in groups] for groups in result.schedule()]
    assert check_grouping(pool, no_call(), rounds, extra_rules=[user_size(3, 5)]).valid


def test_a_killed_worker_fails_its_run_and_the_app_stays_up(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    rid = int(web.start(pid, time_limit="120").headers["location"].rsplit("/", 1)[1])
    web.wait_for(lambda: web.store.run(rid).progress is not None)
    assert web.runner.kill(rid)
    # Cancelling the dead worker returns at once (a multiprocessing Event would block for good
    # here: setting it waits for every process that slept on it to wake).
    cancelling = threading.Thread(target=web.runner.cancel, args=(rid,), daemon=True)
    cancelling.start()
    cancelling.join(timeout=5)
    assert not cancelling.is_alive()
    assert web.runner.wait(rid, timeout=30)
    run = web.store.run(rid)
    assert run.status == "failed" and "worker stopped" in (run.error or "")
    assert "This run failed" in web.http.get(f"/runs/{rid}").text
    assert web.http.get("/").status_code == 200
    assert web.run_to_end(pid, time_limit="1").status == "done"


def test_progress_streams_as_server_sent_events(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, time_limit="1")
    with web.http.stream("GET", f"/runs/{run.id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    events = re.findall(r"event: (\w+)\ndata: (.*)\n\n", text)
    assert [name for name, _ in events] == ["progress", "done"]
    assert json.loads(events[1][1]) == {"status": "done"}


def test_the_access_token_and_the_host_header_are_required(tmp_path: Path) -> None:
    client = WebClient(tmp_path / "data", token="s3cret-token")
    try:
        client.http.cookies.clear()
        assert client.http.get("/").status_code == 401
        assert client.http.get("/?token=wrong").status_code == 401
        entered = client.http.get("/?token=s3cret-token", follow_redirects=False)
        assert entered.status_code == 303
        assert client.http.get("/").status_code == 200
    finally:
        client.close()
    local = WebClient(tmp_path / "other")
    try:
        assert local.http.get("/", headers={"host": "evil.example"}).status_code == 400
    finally:
        local.close()


def test_wrong_access_tokens_are_rate_limited_and_the_host_checked_with_a_token(
    tmp_path: Path,
) -> None:
    """Ten wrong tokens from one client, then 429 in words for a minute; with a token, the Host
    header must still name the server."""
    from consortium_solver.web.app import WRONG_TOKENS

    client = WebClient(tmp_path / "data", token="s3cret-token")
    try:
        client.http.cookies.clear()
        for _ in range(WRONG_TOKENS):
            assert client.http.get("/?token=guess").status_code == 401
        refused = client.http.get("/?token=s3cret-token", follow_redirects=False)
        assert refused.status_code == 429 and "wait a minute" in refused.text
        assert refused.headers["retry-after"] == "60"
    finally:
        client.close()
    other = WebClient(tmp_path / "other", token="s3cret-token")
    try:
        other.http.get("/?token=s3cret-token")
        assert other.http.get("/").status_code == 200
        assert other.http.get("/", headers={"host": "evil.example"}).status_code == 400
    finally:
        other.close()


def test_serving_beyond_this_machine_prints_every_address_with_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve --host 0.0.0.0`: each address others can open, with the token, never 0.0.0.0; the
    Host check keeps those addresses, the machine's name and --allow-host names."""
    import uvicorn
    from typer.testing import CliRunner

    from consortium_solver.cli import app as cli
    from consortium_solver.cli.serve import reachable

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: seen.update(app=web, **kw))
    monkeypatch.setattr(
        "consortium_solver.cli.serve.reachable", lambda h: ["192.0.2.7", "127.0.0.1"]
    )
    args = ["serve", "--host", "0.0.0.0", "--port", "8123", "--data", str(tmp_path / "d"),
            "--allow-host", "events.example.org"]  # fmt: skip
    out = CliRunner().invoke(cli, args).stdout
    assert "0.0.0.0" not in out
    assert "http://192.0.2.7:8123/?token=" in out and "also at http://127.0.0.1:8123/?token=" in out
    assert seen["host"] == "0.0.0.0"
    token = out.split("?token=")[1].split()[0]
    from starlette.testclient import TestClient

    with TestClient(seen["app"], base_url="http://events.example.org") as named:  # type: ignore[arg-type]
        assert named.get(f"/?token={token}", follow_redirects=False).status_code == 303
    with TestClient(seen["app"], base_url="http://evil.example") as rebound:  # type: ignore[arg-type]
        assert rebound.get(f"/?token={token}").status_code == 400
    assert reachable("10.1.2.3") == ["10.1.2.3"] and reachable("0.0.0.0")[-1] == "127.0.0.1"


def test_security_headers_are_on_every_page(web: WebClient) -> None:
    for url in ("/", "/projects/999", "/static/app.js"):
        headers = web.http.get(url).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


def test_unknown_ids_are_404_in_words(web: WebClient) -> None:
    for url in ("/projects/999", "/runs/999", "/runs/999/groups.xlsx", "/projects/abc"):
        response = web.http.get(url)
        assert response.status_code == 404


def test_the_data_survives_a_restart_and_the_schema_is_versioned(tmp_path: Path) -> None:
    """Projects, sheets and runs are kept across restarts; a run left going by a stopped server is
    marked failed; the database's version is the number of migrations."""
    first = WebClient(tmp_path / "data")
    pid = first.project("Kept")
    first.upload(pid, "pool.json", DEMO.read_bytes())
    first.close()
    store = Store(tmp_path / "data")
    assert store.version == len(MIGRATIONS)
    pool = store.pools(pid)[0]
    stuck = store.add_run(pid, pool.id, GroupsRun())
    store.set_status(stuck.id, "running")
    store.close()
    second = WebClient(tmp_path / "data")
    try:
        assert "Kept" in second.http.get("/").text
        assert second.store.run(stuck.id).status == "failed"
        assert read_pool(DEMO).name == Pool.model_validate_json(pool.pool_json or "").name
    finally:
        second.close()
    with sqlite3.connect(tmp_path / "data" / "consortium.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_the_template_downloads(web: WebClient) -> None:
    response = web.http.get("/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames


def test_the_best_consortium_for_a_lead_is_found_and_judged(web: WebClient) -> None:
    """A "best consortium" run with a lead: every consortium proposed contains the lead, meets
    the call's rules by the validator, and its page says so rule by rule."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    pool = read_pool(DEMO)
    lead = pool.organisations[5].id
    run = web.run_to_end(pid, task="consortium", lead=lead, top="2", size_min="3",
                         size_max="5", call="COS-CLUSTER-2018-03-02", time_limit="5")  # fmt: skip
    assert run.status == "done", run.error
    result = BuildResult.model_validate_json(run.result_json or "")
    assert 1 <= len(result.consortia) <= 2
    call = load_call("COS-CLUSTER-2018-03-02")
    for consortium in result.consortia:
        assert lead in consortium.members and 3 <= len(consortium.members) <= 5
        assert check(pool, call, list(consortium.members)).eligible
    page = web.http.get(f"/runs/{run.id}").text
    assert "each meeting every rule" in page and pool.by_id[lead].name in page
    for kind in ("xlsx", "csv", "json", "html"):
        assert web.http.get(f"/runs/{run.id}/groups.{kind}").status_code == 200
    moved = web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": lead, "group": "1"})
    assert moved.status_code == 409


def test_a_consortium_in_mind_is_checked_rule_by_rule(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    pool = read_pool(DEMO)
    members = [o.id for o in pool.organisations[:3]]
    call = load_call("COS-CLUSTER-2018-03-02")
    expected = check(pool, call, members)
    fields = {"member": members, "call": call.id, "csrf": web.csrf}
    page = web.http.post(f"/projects/{pid}/check", data=fields).text
    headline = "It meets every rule" if expected.eligible else "It breaks"
    assert headline in page
    described = {rule.id: rule.describe() for rule in call.rules}
    for verdict in expected.verdicts:  # each rule in words, never its id or a stored code
        words = described[verdict.rule]
        mark = "✓" if verdict.passed else "✗"
        assert f"{mark} <b>{words[:1].upper() + words[1:]}</b>" in html.unescape(page)
        assert f"<b>{verdict.rule}</b>" not in page
    assert not re.search(
        r"\b(less_developed|cluster_organisation|business_network_organisation)\b", page
    )
    assert not any(f"{m} (" in page for m in members)  # ids standing alone named
    refused = web.http.post(
        f"/projects/{pid}/check", data={"member": ["nobody"], "call": call.id, "csrf": web.csrf}
    )
    assert refused.status_code == 400


def test_todays_calls_are_offered_and_judged(web: WebClient) -> None:
    """The forms offer every packaged call; a consortium checked under Horizon Europe gets the
    validator's verdicts, the entities under one control named by name."""
    pid = web.project()
    calls_pool = DATA / "calls_pool.json"
    web.upload(pid, "calls.json", calls_pool.read_bytes())
    project = web.http.get(f"/projects/{pid}").text
    for call_id in packaged_calls():
        assert f'value="{call_id}"' in project
    members = ["fr-uni", "de-priv", "it-priv"]
    fields = {"member": members, "call": "horizon-europe-ria-ia", "csrf": web.csrf}
    page = html.unescape(web.http.post(f"/projects/{pid}/check", data=fields).text)
    expected = check(read_pool(calls_pool), load_call("horizon-europe-ria-ia"), members)
    assert not expected.eligible
    assert "It breaks" in page and "independent of each other" in page
    assert "Brandenburg Mobility GmbH" in page and "Acme Holding" in page


def test_pinned_members_stay_when_the_rest_is_reoptimised(web: WebClient) -> None:
    """Pin two members of a group and one of another, re-optimise: the new run starts from the
    groups as they stand and its groups keep the pinned members where they were."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, rounds="2", time_limit="2")
    groups = [list(g.members) for g in result_of(web, run.id).schedule()[0]]
    pins = [(groups[0][0], 1), (groups[0][1], 1), (groups[1][0], 1), (groups[2][0], 2)]
    for member, r in pins:
        web.post(f"/runs/{run.id}/pin", {"round": str(r), "member": member})
    page = web.http.get(f"/runs/{run.id}").text
    assert page.count("📌 pinned") == 4 and "keeps 4 pinned" in page
    again = web.post(f"/runs/{run.id}/reoptimise", {"time_limit": "2"}, follow_redirects=False)
    rid = int(again.headers["location"].rsplit("/", 1)[1])
    assert web.runner.wait(rid, timeout=120)
    new = web.store.run(rid)
    assert new.status == "done", new.error
    # The new run says where it came from and whom it kept, by name; the list says so too.
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    origin = re.search(r'<p class="muted" id="origin">(.*?)</p>', web.http.get(f"/runs/{rid}").text)
    assert origin and f'Re-optimised from <a href="/runs/{run.id}">Run {run.id}</a>' in origin[1]
    assert "keeping 4 pinned where they were" in origin[1]
    for member, r in pins:
        assert f"{html.escape(pool.by_id[member].name)} (round {r})" in origin[1]
    listed = web.http.get(f"/projects/{pid}").text
    assert f're-optimised from <a href="/runs/{run.id}">Run {run.id}</a>' in listed
    before = [[list(g.members) for g in r] for r in result_of(web, run.id).schedule()]
    after = [[list(g.members) for g in r] for r in result_of(web, rid).schedule()]
    for member, r in pins:
        old = next(g for g in before[r - 1] if member in g)
        now = next(g for g in after[r - 1] if member in g)
        kept = {m for m, k in pins if k == r and m in old}
        assert kept <= set(now)
    pool = Pool.model_validate_json(web.store.pool(new.pool_id).pool_json)
    assert check_grouping(pool, no_call(), after, extra_rules=[user_size(3, 5)]).valid


def test_events_and_runs_are_renamed_copied_and_deleted_after_asking(web: WebClient) -> None:
    """Rename, copy and delete, for an event and for a run: a copy carries the changes made by hand
    and leaves the original as it was; a delete asks first (a page saying what goes) and only a
    POST with the form's token deletes; the list of runs says when, the state, the score and the
    changes by hand."""
    pid = web.project("Lyon day")
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, rounds="2", time_limit="1")
    groups = result_of(web, run.id).schedule()[0]
    web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": groups[0].members[0], "group": "2"})
    web.post(f"/runs/{run.id}/rename", {"name": "  Morning,   tables of 5 "})
    page = web.http.get(f"/runs/{run.id}").text
    assert f"<h1>Run {run.id} · Morning, tables of 5:" in page
    listed = web.http.get(f"/projects/{pid}").text
    row = re.search(rf'<tr><td data-label="Run"><a href="/runs/{run.id}">.*?</tr>', listed)
    assert row is not None
    assert time.strftime("%d %b %Y", time.localtime(run.created)) in row[0]
    found = result_of(web, run.id)
    assert "1 change</td>" in row[0] and f">{found.status.words}</td>" in row[0]
    assert f">{found.objective:,.6g}</td>" in row[0]

    # A copy of the run: its own changes by hand, the original's untouched.
    response = web.post(f"/runs/{run.id}/duplicate", follow_redirects=False)
    copy = int(response.headers["location"].rsplit("/", 1)[1])
    assert web.store.edits(copy)[-1].rounds == web.store.edits(run.id)[-1].rounds
    web.post(f"/runs/{copy}/undo")
    assert len(web.store.edits(copy)) == 0 and len(web.store.edits(run.id)) == 1
    assert (
        f'A copy of <a href="/runs/{run.id}">Run {run.id}</a>' in web.http.get(f"/runs/{copy}").text
    )

    # Deleting asks first; a GET deletes nothing, a POST without the token neither.
    ask = web.http.get(f"/runs/{run.id}/delete")
    assert ask.status_code == 200 and "1 change made by hand" in ask.text
    assert "cannot be undone" in ask.text and web.store.run(run.id) is not None
    assert web.http.post(f"/runs/{run.id}/delete").status_code == 403
    web.post(f"/runs/{run.id}/delete")
    assert web.store.run(run.id) is None
    assert "A copy of a run since deleted" in web.http.get(f"/runs/{copy}").text

    # The event: renamed, copied with its sheet and finished runs, deleted with all it holds.
    web.post(f"/projects/{pid}/rename", {"name": "Lyon, 7 December"})
    assert web.store.project(pid).name == "Lyon, 7 December"
    assert web.post(f"/projects/{pid}/rename", {"name": "   "}).status_code == 400
    response = web.post(f"/projects/{pid}/duplicate", follow_redirects=False)
    twin = int(response.headers["location"].rsplit("/", 1)[1])
    assert web.store.project(twin).name == "Lyon, 7 December (copy)"
    (copied,) = web.store.runs(twin)
    assert copied.result_json == web.store.run(copy).result_json and copied.parent_id is None
    assert web.store.usable_pool(twin).pool_json == web.store.usable_pool(pid).pool_json
    asked = web.http.get(f"/projects/{pid}/delete").text
    assert "1 sheet, 1 run" in asked
    web.post(f"/projects/{pid}/delete")
    assert web.store.project(pid) is None and web.store.runs(pid) == []
    assert web.store.pools(pid) == [] and web.store.runs(twin) != []  # the copy stays
    assert web.store.run(copy) is None


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    """A data folder written before pins (schema version 1) opens, gains the column, keeps its
    edits (with no pins)."""
    folder = tmp_path / "data"
    folder.mkdir()
    with sqlite3.connect(folder / "consortium.sqlite3") as db:
        db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        db.execute("INSERT INTO projects (name, created) VALUES ('old', 0)")
        db.execute(
            "INSERT INTO pools (project_id, filename, created, content, kind, fixes_json, merge,"
            " pool_json, report_json) VALUES (1, 'a.csv', 0, x'', '.csv', '[]', 0, NULL, '{}')"
        )
        db.execute(
            "INSERT INTO runs (project_id, pool_id, task, options_json, status, created)"
            " VALUES (1, 1, 'groups', '{}', 'done', 0)"
        )
        db.execute(
            "INSERT INTO edits (run_id, created, rounds_json, note) VALUES (1, 0, '[[[\"a\"]]]', 'x')"
        )
    store = Store(folder)
    assert store.version == len(MIGRATIONS) == 6
    (edit,) = store.edits(1)
    assert edit.rounds == [[["a"]]] and edit.pins == []
    run = store.run(1)
    assert run is not None and run.spec == GroupsRun(options=GroupOptions(workers=1))
    assert (run.name, run.parent_id, run.origin, run.changes) == ("", None, "", 1)
    store.close()


def test_runs_of_a_version_3_database_become_typed_specs(tmp_path: Path) -> None:
    """Runs stored as loose options (schema version 3) become the library's options models: each
    task's fields land in its model, a task of no known name (run as groups then) is groups."""
    folder = tmp_path / "data"
    folder.mkdir()
    old = {
        "groups": {"call": "none", "size": [4, 6], "rounds": 2, "objective": "min",
                   "allow_repeats": True, "time_limit": 12.0, "seed": 3,
                   "together": [["a", "b"]], "apart": [], "start": None, "pinned": [[1, "a"]]},
        "consortium": {"call": "COS-CLUSTER-2018-03-02", "lead": "a", "size": [3, 5],
                       "top": 4, "time_limit": 8.0, "seed": 2},
        "exchange": {"time_limit": 7, "seed": 5, "top": 1, "scheme": "clusterxchange-2020"},
        "something else": {"size": [3, 4]},
    }  # fmt: skip
    with sqlite3.connect(folder / "consortium.sqlite3") as db:
        db.executescript(";".join(MIGRATIONS[:3]) + "; PRAGMA user_version = 3;")
        db.execute("INSERT INTO projects (name, created) VALUES ('old', 0)")
        db.execute(
            "INSERT INTO pools (project_id, filename, created, content, kind, fixes_json, merge,"
            " pool_json, report_json) VALUES (1, 'a.csv', 0, x'', '.csv', '[]', 0, NULL, '{}')"
        )
        for task, options in old.items():
            db.execute(
                "INSERT INTO runs (project_id, pool_id, task, options_json, status, created)"
                " VALUES (1, 1, ?, ?, 'done', 0)",
                (task, json.dumps(options)),
            )
    store = Store(folder)
    groups, consortium, exchange, other = (store.run(i) for i in (1, 2, 3, 4))
    store.close()
    assert groups is not None and isinstance(groups.spec, GroupsRun)
    assert groups.spec.call == "none"
    assert groups.spec.options == GroupOptions(
        size=(4, 6), rounds=2, objective="min", allow_repeats=True, time_limit=12.0, seed=3,
        together=(("a", "b"),), pinned=((1, "a"),), workers=1,
    )  # fmt: skip
    assert consortium is not None and isinstance(consortium.spec, ConsortiumRun)
    assert consortium.spec.demands == Demands(lead="a", size=(3, 5))
    assert consortium.spec.options == BuildOptions(top=4, time_limit=8.0, seed=2, workers=1)
    assert exchange is not None and isinstance(exchange.spec, ExchangeRun)
    assert exchange.spec.options == ExchangeOptions(time_limit=7, seed=5, workers=1)
    assert other is not None and other.task == "groups"
    assert isinstance(other.spec, GroupsRun) and other.spec.options.size == (3, 4)


def test_a_clusterxchange_programme_is_planned_and_judged(web: WebClient) -> None:
    """An exchange pool uploaded as ClusterXchange participants: the programme's run ends with
    exchanges the exchange validator accepts, listed by name; its files download; a grouping
    task on that sheet is refused in words."""
    pid = web.project()
    cxc = Path(__file__).resolve().parent.parent / "instances" / "exchange" / "cxc-60.json"
    web.http.post(
        f"/projects/{pid}/pools",
        data={"csrf": web.csrf, "sheet_kind": "exchange"},
        files={"sheet": ("cxc-60.json", cxc.read_bytes())},
    )
    refused = web.start(pid)
    assert refused.status_code == 400 and "ClusterXchange sheet" in refused.text
    # The sheet kind chosen last stays chosen for the next upload.
    assert '<option value="exchange" selected>' in web.http.get(f"/projects/{pid}").text
    run = web.run_to_end(pid, task="exchange", time_limit="10")
    assert run.status == "done", run.error
    result = ExchangeResult.model_validate_json(run.result_json or "")
    pool = read_exchange_pool(cxc)
    assert result.exchanges
    assert check_plan(pool, load_scheme(), result.exchanges).problems == []
    page = web.http.get(f"/runs/{run.id}").text
    assert "every rule of the scheme met" in page
    assert pool.by_id[result.exchanges[0].visitor].name in page
    # The partnerships' figures, one row each, and a reason for everyone left out.
    kpis = re.search(r'<table class="report" id="kpis">.*?</table>', page, re.S)
    assert kpis and kpis[0].count('<td data-label="Partnership">') == len(pool.partnerships)
    for u in result.unplaced:
        assert html.escape(u.reason) in page
    for kind in ("html", "xlsx", "json"):
        assert web.http.get(f"/runs/{run.id}/groups.{kind}").status_code == 200
    assert (
        web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": "x", "group": "1"}).status_code
        == 404
    )


def test_pairs_kept_together_and_apart_by_name(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    pool = read_pool(DEMO)
    a, b, c, d = (o.name for o in pool.organisations[:4])
    typo = web.start(pid, together=f"{a} + {b[:-2]}xx")
    assert typo.status_code == 400 and f"did you mean {b}?" in typo.text
    run = web.run_to_end(pid, rounds="2", together=f"{a} + {b}", apart=f"{c.upper()} + {d}")
    assert run.status == "done", run.error
    ids = {o.name: o.id for o in pool.organisations}
    for groups in result_of(web, run.id).schedule():
        placed = {m: k for k, g in enumerate(groups) for m in g.members}
        if ids[a] in placed or ids[b] in placed:
            assert placed.get(ids[a]) == placed.get(ids[b])
        if ids[c] in placed and ids[d] in placed:
            assert placed[ids[c]] != placed[ids[d]]


def test_a_rounds_map_names_its_members(web: WebClient) -> None:
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, time_limit="1")
    svg = web.http.get(f"/runs/{run.id}/rounds/1/map.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    from consortium_solver.reference import region_points

    pool = read_pool(DEMO)
    # Members placed on the map: those with a NUTS-2 region (a Moldovan cluster has none).
    located = [
        (g, m)
        for g, grp in enumerate(result_of(web, run.id).consortia, start=1)
        for m in grp.members
        if pool.by_id[m].nuts2 in region_points()
    ]
    g, member = located[0]
    assert f"<title>Group {g}: {html.escape(pool.by_id[member].name)}</title>" in svg.text
    assert web.http.get(f"/runs/{run.id}/rounds/9/map.svg").status_code == 404


def test_the_first_groups_show_while_a_long_search_goes_on(web: WebClient) -> None:
    """A run of 60 s shows groups after a first look of about a second, read-only, while the
    search resumes from them; cancelled, its answer is at least as good as the first look."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    rid = int(web.start(pid, time_limit="60").headers["location"].rsplit("/", 1)[1])
    web.wait_for(lambda: web.store.run(rid).result_json is not None)
    first = GroupingResult.model_validate_json(web.store.run(rid).result_json or "")
    page = web.http.get(f"/runs/{rid}").text
    assert web.store.run(rid).status == "running"
    assert "The best groups so far" in page and "data-member=" in page
    assert 'class="move"' not in page
    web.post(f"/runs/{rid}/cancel")
    assert web.runner.wait(rid, timeout=60)
    final = result_of(web, rid)
    assert web.store.run(rid).status == "cancelled"
    assert final.objective is not None and first.objective is not None
    assert final.objective >= first.objective - 1e-9


def _served(args: list[str], data: Path) -> tuple[subprocess.Popen[str], str]:
    """``consortium serve`` on a free port; the process and the address it printed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = str(Path(sys.executable).with_name("consortium"))
    process = subprocess.Popen(
        [exe, "serve", "--data", str(data), "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, re.findall(r"http://\S+", line)[0]


def test_the_serve_command_serves_and_stops(tmp_path: Path) -> None:
    """On this machine by default (no token); beyond it, a token is made, printed with the
    address, and required; a SIGTERM stops the server."""
    process, address = _served([], tmp_path / "a")
    try:
        assert address.startswith("http://127.0.0.1:") and "token" not in address
        response = _get(address)
        assert response.status_code == 200 and "Your events" in response.text
    finally:
        process.terminate()
        assert process.wait(timeout=20) is not None
    process, address = _served(["--host", "0.0.0.0"], tmp_path / "b")
    try:
        assert "?token=" in address
        local = address.replace("0.0.0.0", "127.0.0.1")
        assert _get(local.split("?")[0]).status_code == 401
        assert _get(local).status_code == 200
    finally:
        process.terminate()
        assert process.wait(timeout=20) is not None


def _get(url: str) -> Any:
    end = time.monotonic() + 30
    while True:
        try:
            return httpx2.get(url, follow_redirects=True, timeout=30)
        except httpx2.TransportError:
            assert time.monotonic() < end, "the server did not answer"
            time.sleep(0.1)


def test_a_bug_in_a_worker_keeps_its_traceback_in_the_record(web: WebClient) -> None:
    """A worker that fails on a bug (here: a pool it cannot read) sends the words and the
    traceback; the run fails with the words and its record keeps the traceback."""
    import multiprocessing as mp
    import queue as queues

    from consortium_solver.web.runs import work

    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.store.add_run(pid, web.store.pools(pid)[0].id, GroupsRun())
    updates: queues.Queue[tuple[str, ...]] = queues.Queue()
    receiving, sending = mp.Pipe(duplex=False)
    work("not a pool", GroupsRun().model_dump_json(), updates, receiving)
    sending.close()
    messages = []
    while not updates.empty():
        messages.append(updates.get())
    last = messages[-1]
    assert last[0] == "error" and last[1].startswith("internal error (ValidationError)")
    assert "Traceback (most recent call last)" in last[2]
    assert web.runner._record(run.id, last) is True
    assert web.store.run(run.id).status == "failed"
    assert "Traceback" in (web.store.trace(run.id) or "")


def test_a_region_suggestion_is_one_click_away(web: WebClient) -> None:
    """An unknown region's suggestion is a button ("use Noord-Brabant (NL41)"); pressing it reads
    the sheet again with that region in the cell. Every place is listed with its category."""
    pid = web.project()
    sheet = (
        "Organisation,Country,Region,Type,ECCP,Sectors\n"
        "Brabant Cluster,Netherlands,Nord Brabnt,Cluster organisation,Yes,Digital\n"
        "Debrecen Cluster,Hungary,Debrecen,Cluster organisation,Yes,Digital\n"
    )
    page = web.upload(pid, "sheet.csv", sheet.encode()).text
    assert 'name="use-2-3" value="NL41"' in page
    assert "use Noord-Brabant (NL41)" in page
    assert "Észak-Alföld (HU32)" in page and "less developed region" in page
    assert "the town Debrecen" in page
    pool_id = web.store.pools(pid)[0].id
    fixed = web.post(
        f"/projects/{pid}/pools/{pool_id}/fix", {"fix-2-3": "Nord Brabnt", "use-2-3": "NL41"}
    )
    assert fixed.status_code == 200
    latest = web.store.pools(pid)[0]  # newest first
    pool = Pool.model_validate_json(latest.pool_json or "")
    assert [o.nuts2 for o in pool.organisations] == ["NL41", "HU32"]


def test_the_groups_form_reads_attendance_from_the_sheet(web: WebClient) -> None:
    """A sheet with a Rounds attended column: the form says how many attend some rounds only and
    starts at the last round attended; the run's rounds seat each round's attendees only."""
    pid = web.project()
    lines = ["Organisation,Country,Type,ECCP,Sectors,Rounds attended"]
    for i in range(12):
        rounds = {0: "2-3", 1: "2, 3", 2: "1 only", 3: "3 only"}.get(i, "")
        country = ("Germany", "France", "Poland")[i % 3]
        lines.append(f"Org {i},{country},Cluster organisation,Yes,Digital,{rounds}")
    page = web.upload(pid, "event.csv", "\n".join(lines).encode()).text
    assert "4 organisation(s) attend some rounds only" in page
    assert 'name="rounds" value="3"' in page
    run = web.run_to_end(pid, rounds="3", size_min="3", size_max="4", call="none", time_limit="2")
    assert run.status == "done", run.error
    result = result_of(web, run.id)
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    assert result.rounds is not None
    for r, groups in enumerate(result.rounds, start=1):
        assert all(pool.by_id[m].attends(r) for g in groups for m in g.members)


def test_a_runs_guests_show_in_its_groups_and_stay_through_a_move(web: WebClient) -> None:
    """With the form's default (guests seated), those the 2018 call leaves out show as guests in
    the run's cards and its downloads, and stay when the organiser moves a member."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(
        pid, rounds="1", size_min="4", size_max="5", time_limit="2", guests="on", call=DEFAULT_CALL
    )
    assert run.status == "done", run.error
    result = result_of(web, run.id)
    guests = [m for g in result.consortia for m in g.guests]
    assert guests, "the demo pool has organisations the call leaves out"
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    page = web.http.get(f"/runs/{run.id}").text
    assert f'{html.escape(pool.by_id[guests[0]].name)}</b> <span class="muted">(guest)' in page
    member = result.consortia[0].members[0]
    web.post(
        f"/runs/{run.id}/adjust",
        {"round": "1", "member": member, "group": "2"},
        headers={"X-Requested-With": "fetch"},
    )
    page = web.http.get(f"/runs/{run.id}").text
    assert "(guest)" in page
    assert "Not placed" not in page or pool.by_id[guests[0]].name not in page.split("Not placed")[1]


def test_the_groups_form_balances_the_sheets_columns_at_its_tables(web: WebClient) -> None:
    """The form offers the sheet's own columns to balance and takes tables; the run's groups sit
    at the named tables, the page says how balanced they are; a bad table spec or an unknown
    value in a bound is refused in words."""
    pid = web.project()
    lines = ["Organisation,Country,Type,ECCP,Sectors,Role"]
    for i in range(12):
        country = ("Germany", "France", "Poland")[i % 3]
        role = ("Buyer", "Supplier", "Supplier", "Expert")[i % 4]
        lines.append(f"Org {i},{country},Cluster organisation,Yes,Digital,{role}")
    page = web.upload(pid, "event.csv", "\n".join(lines).encode()).text
    assert 'name="balance" value="Role"' in page
    run = web.run_to_end(pid, rounds="1", size_min="3", size_max="4", call="none", time_limit="2",
                         balance="Role", balance_bounds="Role = Buyer : 1..1",
                         tables="Window:4, Door:4, Corner:4")  # fmt: skip
    assert run.status == "done", run.error
    result = result_of(web, run.id)
    assert sorted(g.table or "" for g in result.consortia) == ["Corner", "Door", "Window"]
    pool = Pool.model_validate_json(web.store.pool(run.pool_id).pool_json)
    for grp in result.consortia:
        assert sum(pool.by_id[m].details["Role"] == "Buyer" for m in grp.members) == 1
    page = web.http.get(f"/runs/{run.id}").text
    assert "Role: every group within one of its ideal count of each value" in page
    assert ">Window · score" in page
    refused = web.start(pid, rounds="1", call="none", tables="three tables",
                        balance_bounds="Role = Chef : 1..2")  # fmt: skip
    assert refused.status_code == 400
    assert "tables (three)" in refused.text and "no organisation has" in refused.text


def test_every_download_tells_the_truth_after_a_change_by_hand(web: WebClient) -> None:
    """A move that breaks the size rule: the JSON, the workbook's Run sheet, the printable page and
    the CSV all carry the validator's verdict on the groups as they stand — changed by hand, the
    rule broken, the objective of the groups now and a status that no longer claims the search's."""
    import io as bytes_io

    import openpyxl

    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, size_min="4", size_max="4", time_limit="2")
    found = result_of(web, run.id)
    member = found.consortia[0].members[0]
    web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": member, "group": "2"},
             headers={"X-Requested-With": "fetch"})  # fmt: skip
    doc = json.loads(web.http.get(f"/runs/{run.id}/groups.json").text)
    assert doc["edited"] == 1 and doc["status"] == "unknown"
    assert any("size" in p for p in doc["problems"])
    assert doc["objective"] == pytest.approx(sum(g["score"] for g in doc["consortia"]))
    book = openpyxl.load_workbook(
        bytes_io.BytesIO(web.http.get(f"/runs/{run.id}/groups.xlsx").content)
    )
    facts = {row[0]: row[1] for row in book["Run"].iter_rows(values_only=True)}
    assert facts["Status"] == Status.UNKNOWN.words and facts["Objective"] == doc["objective"]
    assert str(facts["Verdict"]).startswith("changed by hand (1 change); 2 problem(s): Group size")
    assert "user:size" in doc["problems"][0]  # the JSON keeps the ids; people read words
    assert not any("user:size" in str(v) for v in facts.values())
    page = web.http.get(f"/runs/{run.id}/groups.html").text
    assert "changed by hand (1 change)" in page and f"<b>{Status.UNKNOWN.words}</b>" in page
    assert "user:size" not in page
    csv_text = web.http.get(f"/runs/{run.id}/groups.csv").text
    assert csv_text.splitlines()[0].endswith(",verdict")
    assert "changed by hand (1 change)" in csv_text.splitlines()[1]


def test_the_pages_say_the_search_engine_is_being_prepared_on_a_first_start(
    web: WebClient,
) -> None:
    """While the background warm-up runs (a first start: the kernels being compiled), every page
    says so; once it has ended, none does. (A stand-in process: the test decides when it ends.)"""

    class Running:
        done = False

        def ready(self) -> bool:
            return self.done

        def stop(self) -> None:
            self.done = True

    warming = Running()
    context = web.app.state.context
    context.warming = warming
    assert "Preparing the search engine (first start only, about 30 s)" in web.http.get("/").text
    warming.done = True
    assert "Preparing the search engine" not in web.http.get("/").text


def test_warm_up_builds_the_search_engines_and_says_so() -> None:
    from typer.testing import CliRunner

    from consortium_solver.cli import app as cli

    result = CliRunner().invoke(cli, ["warm-up"])
    assert result.exit_code == 0 and "the search engines are ready" in result.stdout


def test_undo_and_redo_one_change_at_a_time(web: WebClient) -> None:
    """Two moves; Undo takes back the last, Redo makes it again, a new move after an Undo drops
    what could be redone; the move field starts empty, and a Move without a number is refused in
    words."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, size_min="4", size_max="5", time_limit="2")
    found = result_of(web, run.id)
    a, b = found.consortia[0].members[0], found.consortia[1].members[0]
    fetch = {"X-Requested-With": "fetch"}
    web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": a, "group": "2"}, headers=fetch)
    web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": b, "group": "1"}, headers=fetch)
    assert len(web.store.edits(run.id)) == 2
    page = web.http.get(f"/runs/{run.id}").text
    assert 'name="group" min="1"' in page and 'value="" placeholder=' in page
    assert ">Undo</button>" in page and ">Redo</button>" not in page
    web.post(f"/runs/{run.id}/undo")
    edits = web.store.edits(run.id)
    assert len(edits) == 1 and a in edits[-1].rounds[0][1] and b in edits[-1].rounds[0][1]
    assert ">Redo</button>" in web.http.get(f"/runs/{run.id}").text
    web.post(f"/runs/{run.id}/redo")
    edits = web.store.edits(run.id)
    assert len(edits) == 2 and b in edits[-1].rounds[0][0]
    web.post(f"/runs/{run.id}/undo")
    web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": b, "group": "3"}, headers=fetch)
    assert web.store.redoable(run.id) == 0 and len(web.store.edits(run.id)) == 2
    empty = web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": a, "group": ""})
    assert empty.status_code == 400 and "Give the number of the group" in empty.text


def test_a_rounds_map_has_a_legend_and_numbered_dots_in_twenty_colours() -> None:
    """Each group a colour of twenty (Kelly's) and its number in its dots, a legend row per group;
    names escaped."""
    from consortium_solver import demo_pool
    from consortium_solver.io.maps import PALETTE
    from consortium_solver.web.views import members_map

    assert len(set(PALETTE)) == 20
    pool = demo_pool()
    placed = [o.id for o in pool.organisations if o.nuts2][:44]
    groups = [placed[k : k + 2] for k in range(0, 44, 2)]  # 22 groups: colours come round again
    svg, missing = members_map(pool, groups, "Round 1")
    assert missing == 0
    for g in range(1, 23):
        assert f">Group {g}</text>" in svg
        assert f">{g}</text>" in svg
    assert svg.count(f"fill='{PALETTE[0]}'") >= 2 * 2  # groups 1 and 21, dots and legend


def test_the_exchange_template_is_a_download_of_the_page(web: WebClient) -> None:
    import io as bytes_io

    import openpyxl

    pid = web.project()
    page = web.http.get(f"/projects/{pid}").text
    assert 'href="/template-exchange.xlsx"' in page
    response = web.http.get("/template-exchange.xlsx")
    assert response.status_code == 200
    assert "clusterxchange-template.xlsx" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(bytes_io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Participants", "Partnerships"]


def test_the_page_words_the_rules_a_change_breaks(web: WebClient) -> None:
    """After a move that breaks the size rule, the page names the rule in words, not by its id."""
    pid = web.project()
    web.upload(pid, "pool.json", DEMO.read_bytes())
    run = web.run_to_end(pid, size_min="4", size_max="4", time_limit="2")
    member = result_of(web, run.id).consortia[0].members[0]
    page = web.post(f"/runs/{run.id}/adjust", {"round": "1", "member": member, "group": "2"},
                    headers={"X-Requested-With": "fetch"}).text  # fmt: skip
    assert "Group size (between 4 and 4 members): round 1, group 2: 5 members" in page
    assert "user:size" not in page


def test_a_sheet_of_the_other_kind_is_named_and_its_columns_say_what_they_are_for(
    web: WebClient,
) -> None:
    """The exchange template uploaded as organisations: the first problem says it looks like a
    ClusterXchange participant sheet and how to read it as one, in the page's own words; uploaded
    as one, the column table says what each column was used for (Role, Partnership, Working days
    among them, none "kept as an extra column"). The event's template as participants: the same,
    the other way round."""
    from consortium_solver.io.sheets import exchange_template_workbook, template_workbook

    pid = web.project()
    wrong = web.upload(pid, "exchange.xlsx", exchange_template_workbook()).text
    first = re.search(r'<tr class="error">.*?</tr>', wrong, re.S)
    assert first and "this looks like a ClusterXchange participant sheet" in first[0]
    assert "upload it again with “ClusterXchange participants” chosen" in first[0]
    assert "Role, Partnership" in first[0] and "--exchange" not in wrong
    right = web.http.post(
        f"/projects/{pid}/pools",
        data={"csrf": web.csrf, "sheet_kind": "exchange"},
        files={"sheet": ("exchange.xlsx", exchange_template_workbook())},
    ).text
    used = dict(
        re.findall(r'<td data-label="Column">(.*?)</td><td data-label="Used for">(.*?)</td>', right)
    )
    assert used["Role"] == "Role (visitor, host or both)" and used["Partnership"] == "Partnership"
    assert used["Working days"] == "Working days"
    assert not any("extra column" in v for k, v in used.items() if k != "Notes")
    other = web.http.post(
        f"/projects/{pid}/pools",
        data={"csrf": web.csrf, "sheet_kind": "exchange"},
        files={"sheet": ("event.xlsx", template_workbook())},
    ).text
    assert "this looks like an event’s sheet of organisations" in html.unescape(other).replace(
        "'", "’"
    )
    assert "upload it again with “organisations” chosen" in other


def test_the_country_lists_are_read_on_the_day_the_form_gives(web: WebClient) -> None:
    """The check and consortium forms take the day the call's country lists are read on: the UK
    counts toward Horizon Europe's three on 2024-01-01, not on 2023-12-31; a bad day is refused."""
    pid = web.project()
    web.upload(pid, "calls.json", (DATA / "calls_pool.json").read_bytes())
    fields = {"member": ["fr-uni", "de-pub", "gb-co"], "call": "horizon-europe-ria-ia"}
    after = web.http.post(
        f"/projects/{pid}/check", data={**fields, "date": "2024-01-01", "csrf": web.csrf}
    ).text
    before = web.http.post(
        f"/projects/{pid}/check", data={**fields, "date": "2023-12-31", "csrf": web.csrf}
    ).text
    assert "It meets every rule" in after and "It breaks" in before
    assert "2023-12-31" in html.unescape(before)
    wrong = web.http.post(
        f"/projects/{pid}/check", data={**fields, "date": "31.12.2023", "csrf": web.csrf}
    )
    assert wrong.status_code == 400 and "2026-03-01" in wrong.text
    run = web.run_to_end(
        pid, task="consortium", lead="gb-co", top="1", size_min="3", size_max="4",
        call="horizon-europe-ria-ia", date="2023-12-31", time_limit="5",
    )  # fmt: skip
    assert run.status == "done", run.error
    result = BuildResult.model_validate_json(run.result_json or "")
    members = result.consortia[0].members
    then = load_call("horizon-europe-ria-ia", on=date(2023, 12, 31))
    judged_then = check(read_pool(DATA / "calls_pool.json"), then, list(members))
    assert judged_then.eligible
    counted = {read_pool(DATA / "calls_pool.json").by_id[m].country for m in members}
    assert "gb-co" in members and len(counted - {"GB"}) >= 3  # the UK did not count in 2023
