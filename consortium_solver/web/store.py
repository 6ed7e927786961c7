"""The web app's memory: one SQLite file (the standard library's ``sqlite3``) in the data folder.

Projects (an event), the pools imported into them with their import reports, runs (task, options,
status, live progress, result) and the manual edits made to a run's groups. Every value goes in
through parameters, never through the SQL text. The schema is versioned by SQLite's
``user_version``: :data:`MIGRATIONS` holds one script per version, applied in order on opening, so
a data folder written by an older release is brought up to date and never rewritten from scratch.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consortium_solver.builder.options import BuildOptions
from consortium_solver.domain.results import Status
from consortium_solver.exchange.options import ExchangeOptions
from consortium_solver.group.options import GroupOptions
from consortium_solver.web.tasks import (
    ConsortiumRun,
    ExchangeRun,
    GroupsRun,
    RunSpec,
    Task,
    spec_from_json,
)

DB_NAME = "consortium.sqlite3"

# Version k+1 is MIGRATIONS[k]. Append; never edit a script that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE TABLE pools (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        created REAL NOT NULL,
        content BLOB NOT NULL,
        kind TEXT NOT NULL,
        fixes_json TEXT NOT NULL,
        merge INTEGER NOT NULL,
        pool_json TEXT,
        report_json TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
        task TEXT NOT NULL,
        options_json TEXT NOT NULL,
        status TEXT NOT NULL,
        progress_json TEXT,
        result_json TEXT,
        error TEXT,
        created REAL NOT NULL,
        finished REAL
    );
    CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        created REAL NOT NULL,
        rounds_json TEXT NOT NULL,
        note TEXT NOT NULL
    );
    """,
    # 2: pinned members with each edit, as [round, id] pairs (round from 0).
    """
    ALTER TABLE edits ADD COLUMN pins_json TEXT NOT NULL DEFAULT '[]'
    """,
    # 3: what a sheet lists: organisations (groups, consortia) or ClusterXchange participants.
    """
    ALTER TABLE pools ADD COLUMN sheet_kind TEXT NOT NULL DEFAULT 'organisations'
    """,
    # 4: a run's options become its typed spec (web/tasks.py): the task, the call or scheme, and
    # the library's own options model as its JSON; a task of no known name was run as groups.
    # A failed run keeps the traceback of a bug (trace).
    """
    UPDATE runs SET task = 'groups' WHERE task NOT IN ('groups', 'consortium', 'exchange');
    UPDATE runs SET options_json = json_object(
        'task', 'groups',
        'call', COALESCE(json_extract(options_json, '$.call'), 'COS-CLUSTER-2018-03-02'),
        'options', json_patch(json_remove(options_json, '$.call'), '{"workers": 1}')
    ) WHERE task = 'groups';
    UPDATE runs SET options_json = json_object(
        'task', 'consortium',
        'call', COALESCE(json_extract(options_json, '$.call'), 'COS-CLUSTER-2018-03-02'),
        'demands', json_object(
            'lead', json_extract(options_json, '$.lead'),
            'size', json_extract(options_json, '$.size')
        ),
        'options', json_object(
            'top', COALESCE(json_extract(options_json, '$.top'), 1),
            'time_limit', COALESCE(json_extract(options_json, '$.time_limit'), 10),
            'seed', COALESCE(json_extract(options_json, '$.seed'), 0),
            'workers', 1
        )
    ) WHERE task = 'consortium';
    UPDATE runs SET options_json = json_object(
        'task', 'exchange',
        'scheme', COALESCE(json_extract(options_json, '$.scheme'), 'clusterxchange-2020'),
        'options', json_patch(json_remove(options_json, '$.scheme'), '{"workers": 1}')
    ) WHERE task = 'exchange';
    ALTER TABLE runs ADD COLUMN trace TEXT
    """,
    # Undo and redo one change by hand at a time: an undone change is kept until a new one is made.
    """
    ALTER TABLE edits ADD COLUMN undone INTEGER NOT NULL DEFAULT 0
    """,
    # 6: a run's own name (renamed by the organiser), the run it came from and how ("reoptimised",
    # "copy"); a run deleted leaves its children without a parent.
    """
    ALTER TABLE runs ADD COLUMN name TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN parent_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
    ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT ''
    """,
)

# A run's life: queued -> running -> done | cancelled | failed. "done" and "cancelled" carry a
# result (a cancelled run keeps the best answer found before the cancel).
FINISHED = ("done", "cancelled", "failed")


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    created: float


@dataclass(frozen=True)
class Upload:
    """A sheet as uploaded, and what the organiser changed in the page: the bytes, their format
    (".xlsx", ".csv" or ".json", sniffed), cell fixes by (row, column), and whether duplicates
    are merged (the first kept)."""

    filename: str
    content: bytes
    kind: str
    fixes: dict[tuple[int, int], str]
    merge: bool = False
    sheet_kind: str = "organisations"  # or "exchange": ClusterXchange participants


@dataclass(frozen=True)
class StoredPool:
    id: int
    project_id: int
    created: float
    upload: Upload
    pool_json: str | None  # None when the sheet had errors
    report: dict[str, Any]

    @property
    def filename(self) -> str:
        return self.upload.filename


@dataclass(frozen=True)
class Run:
    id: int
    project_id: int
    pool_id: int
    task: Task
    spec: GroupsRun | ConsortiumRun | ExchangeRun
    status: str
    progress: dict[str, Any] | None
    result_json: str | None
    error: str | None
    created: float
    finished: float | None
    name: str = ""
    parent_id: int | None = None
    origin: str = ""  # how it came from its parent: "reoptimised" or "copy"
    changes: int = 0  # changes by hand that stand (undone ones not counted)
    score: float | None = None  # the answer's objective as found (before changes by hand)
    outcome: str | None = None  # the answer's status as found: "optimal", "feasible", …

    @property
    def title(self) -> str:
        """How pages name the run: "Run 7", or "Run 7 · Morning, tables of 6" once renamed."""
        return f"Run {self.id} · {self.name}" if self.name else f"Run {self.id}"

    @property
    def state(self) -> str:
        """The run's state in words, for the list of runs."""
        if self.status == "queued":
            return "waiting to start"
        if self.status == "running":
            return "searching"
        if self.status == "failed":
            return "failed"
        found = Status(self.outcome).words if self.outcome in set(Status) else "no answer"
        return f"cancelled: {found}" if self.status == "cancelled" else found

    @property
    def finished_ok(self) -> bool:
        return self.status in ("done", "cancelled") and self.result_json is not None

    @property
    def options(self) -> GroupOptions | BuildOptions | ExchangeOptions:
        """The library's options model the run was started with."""
        return self.spec.options


@dataclass(frozen=True)
class Progress:
    """What the live progress of a run shows: its status, its last progress message, and whether
    a first answer is there (read without the result itself)."""

    status: str
    progress: dict[str, Any] | None
    interim: bool


@dataclass(frozen=True)
class Edit:
    id: int
    run_id: int
    created: float
    rounds: list[list[list[str]]]
    note: str
    pins: list[tuple[int, str]]


class Database:
    """The SQLite file of one data folder, opened and brought up to date. Safe to share between
    the server's threads (one connection, one lock: SQLite serialises writers anyway, and the
    app's writes are small)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DB_NAME
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._tx() as db:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
        self.migrate()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    @property
    def version(self) -> int:
        with self._tx() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this file has not seen, each in one transaction."""
        for number in range(self.version, len(MIGRATIONS)):
            with self._tx() as db:
                db.execute("BEGIN")
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1:d}")
                db.execute("COMMIT")

    def close(self) -> None:
        with self._tx() as db:
            db.close()


class Projects(Database):
    """Events and the sheets imported into them."""

    def add_project(self, name: str) -> Project:
        now = time.time()
        with self._tx() as db:
            cur = db.execute("INSERT INTO projects (name, created) VALUES (?, ?)", (name, now))
        return Project(int(cur.lastrowid or 0), name, now)

    def projects(self) -> list[Project]:
        with self._tx() as db:
            rows = db.execute("SELECT * FROM projects ORDER BY created DESC, id DESC").fetchall()
        return [Project(r["id"], r["name"], r["created"]) for r in rows]

    def project(self, project_id: int) -> Project | None:
        with self._tx() as db:
            r = db.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
        return None if r is None else Project(r["id"], r["name"], r["created"])

    def rename_project(self, project_id: int, name: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE projects SET name = ? WHERE id = ?", (name, project_id))

    def delete_project(self, project_id: int) -> None:
        """The event with its sheets, runs and changes by hand (the foreign keys cascade)."""
        with self._tx() as db:
            db.execute("DELETE FROM projects WHERE id = ?", (project_id,))

    def duplicate_project(self, project_id: int, name: str) -> Project:
        """A new event with a copy of the event's sheets and of its finished runs, each run with
        its changes by hand and its parent within the copy: variations tried on the copy leave
        the original as it was."""
        now = time.time()
        with self._tx() as db:
            db.execute("BEGIN")
            new = int(
                db.execute(
                    "INSERT INTO projects (name, created) VALUES (?, ?)", (name, now)
                ).lastrowid
                or 0
            )
            pools: dict[int, int] = {}
            for (old,) in db.execute(
                "SELECT id FROM pools WHERE project_id = ? ORDER BY id", (project_id,)
            ).fetchall():
                cur = db.execute(
                    "INSERT INTO pools (project_id, filename, created, content, kind, fixes_json,"
                    " merge, pool_json, report_json, sheet_kind) SELECT ?, filename, created,"
                    " content, kind, fixes_json, merge, pool_json, report_json, sheet_kind"
                    " FROM pools WHERE id = ?",
                    (new, old),
                )
                pools[old] = int(cur.lastrowid or 0)
            runs: dict[int, int] = {}
            for row in db.execute(
                "SELECT id, pool_id, parent_id FROM runs WHERE project_id = ? AND status IN"
                " ('done', 'cancelled', 'failed') ORDER BY id",
                (project_id,),
            ).fetchall():
                runs[row["id"]] = self._copy_run(
                    db, row["id"], new, pools[row["pool_id"]], runs.get(row["parent_id"])
                )
            db.execute("COMMIT")
        return Project(new, name, now)

    @staticmethod
    def _copy_run(
        db: sqlite3.Connection, run_id: int, project_id: int, pool_id: int, parent: int | None
    ) -> int:
        """A copy of a finished run and of the changes by hand that stand (in the caller's
        transaction); its id."""
        cur = db.execute(
            "INSERT INTO runs (project_id, pool_id, task, options_json, status, progress_json,"
            " result_json, error, created, finished, name, parent_id, origin) SELECT ?, ?, task,"
            " options_json, status, progress_json, result_json, error, ?, finished, name, ?,"
            " CASE WHEN ? IS NULL THEN '' WHEN ? = id THEN 'copy' ELSE origin END"
            " FROM runs WHERE id = ?",
            (project_id, pool_id, time.time(), parent, parent, parent, run_id),
        )
        copy = int(cur.lastrowid or 0)
        db.execute(
            "INSERT INTO edits (run_id, created, rounds_json, note, pins_json) SELECT ?, created,"
            " rounds_json, note, pins_json FROM edits WHERE run_id = ? AND undone = 0 ORDER BY id",
            (copy, run_id),
        )
        return copy

    # Pools (an event's sheets) ------------------------------------------------------------------

    def add_pool(
        self, project_id: int, upload: Upload, pool_json: str | None, report: dict[str, Any]
    ) -> StoredPool:
        now = time.time()
        fixes = [[r, c, v] for (r, c), v in sorted(upload.fixes.items())]
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO pools (project_id, filename, created, content, kind, fixes_json,"
                " merge, pool_json, report_json, sheet_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project_id, upload.filename, now, upload.content, upload.kind,
                 json.dumps(fixes), int(upload.merge), pool_json, json.dumps(report),
                 upload.sheet_kind),
            )  # fmt: skip
        return StoredPool(int(cur.lastrowid or 0), project_id, now, upload, pool_json, report)

    def pools(self, project_id: int) -> list[StoredPool]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT * FROM pools WHERE project_id = ? ORDER BY id DESC", (project_id,)
            ).fetchall()
        return [_pool(r) for r in rows]

    def usable_pool(self, project_id: int) -> StoredPool | None:
        """The event's latest sheet that was read without errors (the one tasks run on)."""
        return next((p for p in self.pools(project_id) if p.pool_json is not None), None)

    def pool(self, pool_id: int) -> StoredPool | None:
        with self._tx() as db:
            r = db.execute("SELECT * FROM pools WHERE id = ?", (pool_id,)).fetchone()
        return None if r is None else _pool(r)


class Store(Projects):
    """The web app's memory: events and their sheets, runs, and the changes made by hand to a
    run's groups."""

    def add_run(
        self, project_id: int, pool_id: int, spec: RunSpec, parent: int | None = None
    ) -> Run:
        """A queued run; ``parent`` is the run it re-optimises."""
        now, origin = time.time(), "reoptimised" if parent is not None else ""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO runs (project_id, pool_id, task, options_json, status, created,"
                " parent_id, origin) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)",
                (project_id, pool_id, spec.task.value, spec.model_dump_json(), now, parent, origin),
            )
        run = self.run(int(cur.lastrowid or 0))
        assert run is not None
        return run

    def run(self, run_id: int) -> Run | None:
        with self._tx() as db:
            r = db.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if r is None else _run(r)

    def rename_run(self, run_id: int, name: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    def delete_run(self, run_id: int) -> None:
        """The run and its changes by hand; runs made from it keep going without a parent."""
        with self._tx() as db:
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def duplicate_run(self, run_id: int) -> Run:
        """A copy of a finished run with its changes by hand, named as the copy of its parent:
        hand changes tried on the copy leave the original as it was."""
        with self._tx() as db:
            db.execute("BEGIN")
            r = db.execute(
                "SELECT project_id, pool_id FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            copy = self._copy_run(db, run_id, r["project_id"], r["pool_id"], run_id)
            db.execute("COMMIT")
        run = self.run(copy)
        assert run is not None
        return run

    def progress(self, run_id: int) -> Progress | None:
        """A run's live progress, reading only the columns it needs (the result of a run with a
        first look can be megabytes, and the progress stream asks several times a second)."""
        with self._tx() as db:
            r = db.execute(
                "SELECT status, progress_json, result_json IS NOT NULL AS interim FROM runs"
                " WHERE id = ?",
                (run_id,),
            ).fetchone()
        if r is None:
            return None
        progress = json.loads(r["progress_json"]) if r["progress_json"] else None
        return Progress(r["status"], progress, bool(r["interim"]))

    def runs(self, project_id: int) -> list[Run]:
        with self._tx() as db:
            rows = db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE project_id = ? ORDER BY id DESC",
                (project_id,),
            ).fetchall()
        return [_run(r) for r in rows]

    def set_status(self, run_id: int, status: str, error: str | None = None) -> None:
        finished = time.time() if status in FINISHED else None
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET status = ?, error = COALESCE(?, error), finished = ? WHERE id = ?",
                (status, error, finished, run_id),
            )

    def set_trace(self, run_id: int, trace: str) -> None:
        """The traceback of a bug that failed the run (for a report; the page shows the words)."""
        with self._tx() as db:
            db.execute("UPDATE runs SET trace = ? WHERE id = ?", (trace, run_id))

    def trace(self, run_id: int) -> str | None:
        with self._tx() as db:
            r = db.execute("SELECT trace FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if r is None else r["trace"]

    def set_progress(self, run_id: int, progress: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET progress_json = ? WHERE id = ?", (json.dumps(progress), run_id)
            )

    def set_interim(self, run_id: int, result_json: str) -> None:
        """A first answer of a run that goes on (its status stays "running")."""
        with self._tx() as db:
            db.execute("UPDATE runs SET result_json = ? WHERE id = ?", (result_json, run_id))

    def set_result(self, run_id: int, status: str, result_json: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET status = ?, result_json = ?, finished = ? WHERE id = ?",
                (status, result_json, time.time(), run_id),
            )

    def fail_unfinished(self) -> int:
        """Mark runs left queued or running by a server that stopped as failed; how many."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE runs SET status = 'failed', finished = ?,"
                " error = 'the server stopped while this run was going' "
                "WHERE status IN ('queued', 'running')",
                (time.time(),),
            )
        return cur.rowcount

    # Edits --------------------------------------------------------------------------------------

    def add_edit(
        self,
        run_id: int,
        rounds: list[list[list[str]]],
        note: str,
        pins: list[tuple[int, str]] | None = None,
    ) -> Edit:
        now, pins = time.time(), sorted(pins or [])
        with self._tx() as db:
            db.execute("DELETE FROM edits WHERE run_id = ? AND undone = 1", (run_id,))
            cur = db.execute(
                "INSERT INTO edits (run_id, created, rounds_json, note, pins_json)"
                " VALUES (?, ?, ?, ?, ?)",
                (run_id, now, json.dumps(rounds), note, json.dumps(pins)),
            )
        return Edit(int(cur.lastrowid or 0), run_id, now, rounds, note, pins)

    def edits(self, run_id: int) -> list[Edit]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT * FROM edits WHERE run_id = ? AND undone = 0 ORDER BY id", (run_id,)
            ).fetchall()
        return [
            Edit(
                r["id"], r["run_id"], r["created"], json.loads(r["rounds_json"]), r["note"],
                [(int(k), str(m)) for k, m in json.loads(r["pins_json"])],
            )
            for r in rows
        ]  # fmt: skip

    def undo_edit(self, run_id: int) -> None:
        """The last change by hand undone (kept for :meth:`redo_edit` until a new change)."""
        with self._tx() as db:
            db.execute(
                "UPDATE edits SET undone = 1 WHERE id = (SELECT MAX(id) FROM edits"
                " WHERE run_id = ? AND undone = 0)",
                (run_id,),
            )

    def redo_edit(self, run_id: int) -> None:
        """The change last undone made again."""
        with self._tx() as db:
            db.execute(
                "UPDATE edits SET undone = 0 WHERE id = (SELECT MIN(id) FROM edits"
                " WHERE run_id = ? AND undone = 1)",
                (run_id,),
            )

    def redoable(self, run_id: int) -> int:
        """How many undone changes can be made again."""
        with self._tx() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM edits WHERE run_id = ? AND undone = 1", (run_id,)
            ).fetchone()
        return int(row[0])

    def drop_edits(self, run_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM edits WHERE run_id = ?", (run_id,))


def _pool(r: sqlite3.Row) -> StoredPool:
    fixes = {(int(row), int(col)): str(v) for row, col, v in json.loads(r["fixes_json"])}
    upload = Upload(
        r["filename"], bytes(r["content"]), r["kind"], fixes, bool(r["merge"]), r["sheet_kind"]
    )
    return StoredPool(
        r["id"], r["project_id"], r["created"], upload, r["pool_json"], json.loads(r["report_json"])
    )


# A run's row with how many changes by hand stand.
_RUN_COLUMNS = (
    "*, (SELECT COUNT(*) FROM edits WHERE edits.run_id = runs.id AND edits.undone = 0) AS changes,"
    " json_extract(result_json, '$.objective') AS score,"
    " json_extract(result_json, '$.status') AS outcome"
)


def _run(r: sqlite3.Row) -> Run:
    return Run(
        id=r["id"],
        project_id=r["project_id"],
        pool_id=r["pool_id"],
        task=Task(r["task"]),
        spec=spec_from_json(r["options_json"]),
        status=r["status"],
        progress=json.loads(r["progress_json"]) if r["progress_json"] else None,
        result_json=r["result_json"],
        error=r["error"],
        created=r["created"],
        finished=r["finished"],
        name=r["name"],
        parent_id=r["parent_id"],
        origin=r["origin"],
        changes=r["changes"],
        score=r["score"],
        outcome=r["outcome"],
    )
