"""How long does an organiser wait in the web app, and how much memory does it hold? (issue 16)

``consortium serve`` runs as a separate process on a free local port, with a fresh data folder,
and is driven over HTTP as a browser would (forms with the CSRF token). Medians of the repeats;
each with its baseline, measured in the same run:

- upload of a 1,000-row organiser sheet (.xlsx, benchmarks/importing.py's sheet) until the page
  with the import report has arrived — against the importer alone on the same file, in-process;
- a run of groups for the 300 organisations of ``instances/event/event-300.json`` (3 rounds, groups
  of 3–5, the 2018 call's rules, the shortest time limit the form takes, 1 s) from the click until
  the run page shows the groups — against ``group()`` in-process with the same options (the worker
  process's start-up is the difference); and with the form's 10 s, until the page shows the first
  groups (a first look after 1 s of search, shown while the search goes on; the run is then
  cancelled, outside the time measured);
- a manual move in a finished run (300 organisations, 3 rounds): the round-trip of the request
  that returns the judged groups — against ``check_grouping`` alone on the same groups;
- the server's resident memory (VmRSS) idle after start-up, and with 5 events loaded, each with
  the 300-organisation pool and a finished run whose page was viewed;
- the first run on a fresh kernel cache (issue 29, ``--first-run``; the cache files are deleted):
  ``consortium group`` of 92 organisations × 3 rounds with a 10 s limit as the first command, and
  after ``consortium warm-up`` (what ``make run`` does);
- spreadsheet bombs (issue 29) sent to a fresh server: a 0.3 MB workbook holding one 300 MB cell and
  a 10 MB workbook of two million tiny rows — the time until the page refusing it has arrived, the
  server's peak memory (VmHWM) and its memory afterwards against before — beside
  ``consortium import`` of the same file (its time and peak memory).

    .venv/bin/python benchmarks/web.py               # the table in benchmarks/README.md
    .venv/bin/python benchmarks/web.py --repeats 3
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
EXE = str(Path(sys.executable).with_name("consortium"))
EVENT_300 = ROOT / "instances" / "event" / "event-300.json"
TASK = {"size_min": "3", "size_max": "5", "rounds": "3", "call": "COS-CLUSTER-2018-03-02",
        "objective": "sum", "time_limit": "1", "seed": "0"}  # fmt: skip


class Served:
    """``consortium serve`` in a process of its own, and a client with the CSRF token."""

    def __init__(self, data: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [EXE, "serve", "--data", str(data), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
        )
        self.http = httpx2.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=120)
        end = time.monotonic() + 60
        while True:
            try:
                self.http.get("/")
                break
            except httpx2.TransportError:
                assert time.monotonic() < end, "the server did not start"
                time.sleep(0.1)
        self.csrf = self.http.cookies["consortium_csrf"]

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        return self.http.post(url, data={"csrf": self.csrf, **(data or {})}, **kw)

    def project(self) -> int:
        response = self.post("/projects", {"name": "benchmark"})
        return int(response.headers["location"].rsplit("/", 1)[1])

    def upload(self, pid: int, path: Path) -> Any:
        files = {"sheet": (path.name, path.read_bytes())}
        return self.http.post(
            f"/projects/{pid}/pools", data={"csrf": self.csrf}, files=files, follow_redirects=True
        )

    def first_look(self, pid: int, task: dict[str, str]) -> float:
        """Seconds from starting a run until its page shows groups; the run is then cancelled
        and waited for (not counted)."""
        start = time.perf_counter()
        rid = self.groups(pid, task)
        seconds = time.perf_counter() - start
        self.post(f"/runs/{rid}/cancel")
        while "Download the plan" not in self.http.get(f"/runs/{rid}").text:
            time.sleep(0.05)
        return seconds

    def groups(self, pid: int, task: dict[str, str] | None = None) -> int:
        """Start a run and wait until its page shows groups; the run's id."""
        while (
            started := self.post(f"/projects/{pid}/runs", {**TASK, **(task or {})})
        ).status_code == 409:
            time.sleep(0.01)  # the event's last run is still being put away
        rid = int(started.headers["location"].rsplit("/", 1)[1])
        while "data-member=" not in (page := self.http.get(f"/runs/{rid}").text):
            assert "This run failed" not in page, page
            time.sleep(0.02)
        return rid

    def memory_kib(self, field: str = "VmRSS") -> int:
        """The server's resident memory (``VmHWM``: its peak so far), KiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(rf"{field}:\s+(\d+) kB", status)
        assert found
        return int(found.group(1))

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=30)


_XML = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
    'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0"?><workbook {_XML} xmlns:r="{_REL}"><sheets><sheet'
    ' name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/'
    f'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def bomb(path: Path, cell_mb: int = 0, rows: int = 1) -> Path:
    """A workbook of one shared string of ``cell_mb`` MB (or "x") in ``rows`` rows, streamed into
    the zip (the bomb never sits in this process's memory)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as packed:
        for name, text in _PARTS.items():
            packed.writestr(name, text)
        with packed.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                f'<?xml version="1.0"?><sst {_XML} count="1" uniqueCount="1"><si><t>'.encode()
            )
            for _ in range(cell_mb):
                out.write(b"a" * (1 << 20))
            out.write(b"x</t></si></sst>")
        with packed.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0"?><worksheet {_XML}><sheetData>'.encode())
            for r in range(1, rows + 1):
                out.write(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>'.encode())
            out.write(b"</sheetData></worksheet>")
    return path


def bombs(folder: Path) -> list[tuple[str, str, str]]:
    """Each bomb sent to a fresh server, and imported by the command line."""
    rows = []
    for label, path in (
        ("one 300 MB cell in 0.3 MB", bomb(folder / "cell.xlsx", cell_mb=300)),
        ("two million rows in 10 MB", bomb(folder / "rows.xlsx", rows=2_000_000)),
    ):
        served = Served(folder / f"data-{path.stem}")
        try:
            before = served.memory_kib()
            pid = served.project()
            start = time.perf_counter()
            page = served.upload(pid, path)
            took = time.perf_counter() - start
            assert "unpacks to" in page.text, page.text[:300]
            after, peak = served.memory_kib(), served.memory_kib("VmHWM")
        finally:
            served.close()
        start = time.perf_counter()
        cli = subprocess.run(["/usr/bin/time", "-f", "%M", EXE, "import", str(path)],
                             capture_output=True, text=True)  # fmt: skip
        cli_s = time.perf_counter() - start
        cli_peak = int(cli.stderr.strip().splitlines()[-1])
        rows.append((f"bomb: {label}, refused (time; peak memory; memory after vs before)",
                     f"{took:.2f} s; {peak / 1024:.0f} MiB; {after / 1024:.0f} vs"
                     f" {before / 1024:.0f} MiB",
                     f"{cli_s:.2f} s; {cli_peak / 1024:.0f} MiB (consortium import)"))  # fmt: skip
    return rows


def first_run(folder: Path) -> list[tuple[str, str, str]]:
    """A 92-organisation event grouped first on a fresh cache, against the same after warm-up."""
    from consortium_solver.io import write_pool
    from consortium_solver.synthetic.pools import generate_pool

    pool = folder / "event-92.json"
    write_pool(generate_pool(92, 7), pool)
    package = ROOT / "consortium_solver"

    def fresh() -> None:
        for stale in [*package.rglob("*.nbi"), *package.rglob("*.nbc")]:
            stale.unlink()

    def timed(*args: str) -> float:
        start = time.perf_counter()
        subprocess.run([EXE, *args], check=False, capture_output=True)
        return time.perf_counter() - start

    group = ["group", str(pool), "--rounds", "3", "--time-limit", "10"]
    fresh()
    cold = timed(*group)
    fresh()
    warm_up = timed("warm-up")
    warm = timed(*group)
    return [("first `group` of 92 × 3 rounds, 10 s limit, on a fresh cache",
             f"{warm:.1f} s after `consortium warm-up` ({warm_up:.1f} s)",
             f"{cold:.1f} s as the first command")]  # fmt: skip


def measure(repeats: int) -> list[tuple[str, str, str]]:
    from importing import median_seconds as timed
    from importing import organiser_sheet

    from consortium_solver import load_call, read_pool
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.io.importer import import_pool
    from consortium_solver.rules import user_size
    from consortium_solver.validate import check_grouping

    folder = Path(tempfile.mkdtemp(prefix="consortium-web-bench-"))
    sheet = folder / "participants-1000.xlsx"
    organiser_sheet(1000, sheet)
    served = Served(folder / "data")
    rows = []
    try:
        idle = served.memory_kib()
        pid = served.project()
        upload = timed(lambda: served.upload(pid, sheet), repeats)
        alone = timed(lambda: import_pool(sheet), repeats)
        rows.append(("upload of a 1,000-row sheet until the report page", f"{upload:.2f} s",
                     f"{alone:.2f} s (the importer alone)"))  # fmt: skip
        pid = served.project()
        served.upload(pid, EVENT_300)
        first = timed(lambda: served.groups(pid), repeats)
        pool, call = read_pool(EVENT_300), load_call(TASK["call"])
        options = GroupOptions(size=(3, 5), rounds=3, time_limit=1.0, workers=1)
        direct = timed(lambda: group(pool, call, options), repeats)
        rows.append(("groups for 300 (3 rounds, 1 s) until the page shows them", f"{first:.2f} s",
                     f"{direct:.2f} s (group() in-process)"))  # fmt: skip
        looks = [served.first_look(pid, {"time_limit": "10"}) for _ in range(repeats)]
        first_look = statistics.median(looks)
        rows.append(("groups for 300 (3 rounds, the form's 10 s) until the page shows the first",
                     f"{first_look:.2f} s", "—"))  # fmt: skip
        rid = served.groups(pid)
        page = served.http.get(f"/runs/{rid}").text
        member = re.findall(r'data-member="([^"]+)" data-round="1"', page)[0]
        headers = {"X-Requested-With": "fetch"}
        moves = [{"round": "1", "member": member, "group": str(g)} for g in (1, 2)]
        trip = timed(lambda: [served.post(f"/runs/{rid}/adjust", m, headers=headers)
                              for m in moves], repeats) / 2  # fmt: skip
        result = group(pool, call, options)
        rounds = [[list(g.members) for g in r] for r in result.schedule()]
        check = timed(lambda: check_grouping(pool, call, rounds, extra_rules=[user_size(3, 5)]),
                      repeats)  # fmt: skip
        rows.append(("a manual move, judged, round-trip (300, 3 rounds)", f"{trip * 1000:.0f} ms",
                     f"{check * 1000:.0f} ms (check_grouping alone)"))  # fmt: skip
        for _ in range(3):
            pid = served.project()
            served.upload(pid, EVENT_300)
            served.groups(pid)
        loaded = served.memory_kib()
        rows.append(("server memory with 5 events loaded (RSS)", f"{loaded / 1024:.0f} MiB",
                     f"{idle / 1024:.0f} MiB (idle after start-up)"))  # fmt: skip
    finally:
        served.close()
    return rows + bombs(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bombs", action="store_true", help="the bombs only")
    parser.add_argument("--first-run", action="store_true", help="the fresh cache only")
    args = parser.parse_args()
    if args.bombs:
        rows = bombs(Path(tempfile.mkdtemp(prefix="consortium-web-bench-")))
    elif args.first_run:
        rows = first_run(Path(tempfile.mkdtemp(prefix="consortium-web-bench-")))
    else:
        rows = measure(args.repeats)
    print(f"median of {args.repeats}\n")
    print("| what | web app | baseline, same run |")
    print("| --- | ---: | ---: |")
    for what, web, base in rows:
        print(f"| {what} | {web} | {base} |")


if __name__ == "__main__":
    main()
