"""Runs of the web app, each in a worker process of its own — never in the server's event loop.

The server starts a worker (``spawn``: a clean interpreter on every platform), hands it the pool and
the options, and a thread of the server (:meth:`Runner._watch`) reads what the worker sends back —
progress (best score, bound, elapsed), then the result or the error — into the store, where the
pages and the live progress stream read it. Cancel sets an event the worker watches: the search
stops at its next step and keeps the best answer found so far (:func:`consortium_solver.core.clock.interrupt`).
A worker that dies without an answer (killed, out of memory) marks its run failed; the server stays
up. At most one run per project and :attr:`Runner.limit` runs overall go at once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from consortium_solver.domain import GroupingResult, Pool, Progress
from consortium_solver.group.options import GroupOptions
from consortium_solver.rules import Call
from consortium_solver.web.store import Run, Store
from consortium_solver.web.tasks import (
    ConsortiumRun,
    ExchangeRun,
    GroupsRun,
    RunSpec,
    spec_from_json,
)

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between progress messages from a worker
FIRST_LOOK = 1.0  # seconds of grouping before the first groups are shown (runs of 3 s or more)


class Busy(Exception):
    """A run cannot start now; the message says why, in words."""


@dataclass
class _Active:
    run_id: int
    project_id: int
    process: SpawnProcess
    cancel: Connection  # the sending end of the cancel pipe
    updates: Any  # a multiprocessing queue


def solve(
    pool_json: str,
    spec: GroupsRun | ConsortiumRun | ExchangeRun,
    progress: Progress,
    interim: Callable[[str], None] = lambda _: None,
) -> str:
    """The task's answer as a result document (JSON); ``interim`` is handed a first answer while
    a long grouping search goes on. The spec's options model goes to the library whole."""
    from consortium_solver.rules import load_call, no_call

    if isinstance(spec, ExchangeRun):
        from consortium_solver.domain.exchanges import ExchangePool
        from consortium_solver.exchange import plan_exchanges
        from consortium_solver.rules.scheme import load_scheme

        exchange_pool = ExchangePool.model_validate_json(pool_json)
        scheme = load_scheme(spec.scheme)
        return plan_exchanges(exchange_pool, scheme, spec.options, progress=progress).to_json()
    pool = Pool.model_validate_json(pool_json)
    call = no_call() if spec.call == "none" else load_call(spec.call, on=spec.date)
    if isinstance(spec, ConsortiumRun):
        from consortium_solver.builder import build

        return build(pool, call, spec.demands, spec.options, progress=progress).to_json()
    return _grouped(pool, call, spec.options, progress, interim)


def _grouped(
    pool: Pool,
    call: Call,
    options: GroupOptions,
    progress: Progress,
    interim: Callable[[str], None],
) -> str:
    """Groups; a run of 3 s or more first shows the groups of a first look after FIRST_LOOK
    seconds, then resumes from them for the rest of the time and keeps the better answer."""
    from consortium_solver.core.clock import interrupted
    from consortium_solver.group import group

    limit = options.time_limit
    if options.start is not None or options.deterministic or limit < 3 * FIRST_LOOK:
        return group(pool, call, options, progress=progress).to_json()
    began = time.monotonic()
    look = options.model_copy(update={"time_limit": FIRST_LOOK})
    first = group(pool, call, look, progress=progress)
    if not first.schedule() or interrupted():
        return first.to_json()
    interim(first.to_json())
    start = tuple(tuple(c.members for c in groups) for groups in first.schedule())
    rest = max(FIRST_LOOK, limit - (time.monotonic() - began))
    final = group(
        pool, call, options.model_copy(update={"time_limit": rest, "start": start}),
        progress=progress,
    )  # fmt: skip
    return (final if _better(final, first) else first).to_json()


def _better(final: GroupingResult, first: GroupingResult) -> bool:
    """Whether the resumed search's answer beats the first look's (no more repeated pairs, at
    least its objective)."""
    if not final.schedule() or len(final.repeated_pairs) > len(first.repeated_pairs):
        return False
    if final.objective is None or first.objective is None:
        return final.objective is not None
    return final.objective >= first.objective - 1e-9


def work(pool_json: str, spec_json: str, updates: Any, cancel: Connection) -> None:
    """A worker's whole life: solve the task, send progress, then the result or the error (a bug
    with its traceback, in the log and in the run's record)."""
    from consortium_solver.core.clock import interrupt
    from consortium_solver.core.errors import InputError

    cancelled = threading.Event()

    def watch_cancel() -> None:
        try:
            cancel.recv()  # a message, or the server's end closing
        except (EOFError, OSError):
            return
        cancelled.set()
        interrupt()

    threading.Thread(target=watch_cancel, daemon=True).start()
    latest: dict[str, float | None] = {"best": None, "bound": None}
    start = time.monotonic()
    finished = threading.Event()

    def progress(elapsed: float, best: float | None, bound: float | None) -> None:
        latest["best"], latest["bound"] = best, bound

    def heartbeat() -> None:  # the elapsed time moves even when the best does not
        while not finished.wait(PROGRESS_EVERY):
            updates.put(("progress", {"elapsed": time.monotonic() - start, **latest}))

    threading.Thread(target=heartbeat, daemon=True).start()
    try:
        spec = spec_from_json(spec_json)
        answer = solve(pool_json, spec, progress, lambda first: updates.put(("interim", first)))
        message: tuple[str, ...] = ("result", "cancelled" if cancelled.is_set() else "done", answer)
    except InputError as exc:
        message = ("error", str(exc))
    except (
        Exception
    ) as exc:  # a bug: the run fails, with words and the traceback; the server stays up
        trace = traceback.format_exc()
        log.error("a run's worker failed\n%s", trace)
        message = ("error", f"internal error ({type(exc).__name__}): {exc}", trace)
    finished.set()
    updates.put(message)


class Runner:
    """The worker processes of one server."""

    def __init__(self, store: Store, limit: int = 2) -> None:
        self.store = store
        self.limit = limit
        self._ctx = mp.get_context("spawn")
        self._active: dict[int, _Active] = {}
        self._lock = threading.Lock()
        self._listeners: list[threading.Thread] = []

    def busy_reason(self, project_id: int) -> str | None:
        """Why a new run of this project cannot start now, or None."""
        with self._lock:
            if any(a.project_id == project_id for a in self._active.values()):
                return "a run of this event is still going: wait for it or cancel it first"
            if len(self._active) >= self.limit:
                return (
                    f"{len(self._active)} runs are going (at most {self.limit} at once):"
                    " try again when one has finished"
                )
        return None

    def start(self, run: Run, pool_json: str) -> None:
        """Start ``run`` in a worker. Raises :class:`Busy` when it cannot start now."""
        reason = self.busy_reason(run.project_id)
        if reason is not None:
            raise Busy(reason)
        # A pipe, not a multiprocessing Event: setting an Event blocks for good when a process
        # that waited on it has died (its Condition waits for every sleeper to wake).
        cancel_in, cancel = self._ctx.Pipe(duplex=False)
        updates = self._ctx.Queue()
        process = self._ctx.Process(
            target=work,
            args=(pool_json, run.spec.model_dump_json(), updates, cancel_in),
            daemon=True,
        )
        active = _Active(run.id, run.project_id, process, cancel, updates)
        with self._lock:
            self._active[run.id] = active
        self.store.set_status(run.id, "running")
        process.start()
        cancel_in.close()  # the worker's end: this process only sends
        listener = threading.Thread(target=self._watch, args=(active,), daemon=True)
        listener.start()
        self._listeners.append(listener)

    def launch(
        self,
        project_id: int,
        pool_id: int,
        pool_json: str,
        spec: RunSpec,
        parent: int | None = None,
    ) -> Run:
        """Record a run (``parent``: the run it re-optimises) and start it; a run that cannot
        start (:class:`Busy`) is recorded as failed, with the reason."""
        run = self.store.add_run(project_id, pool_id, spec, parent)
        try:
            self.start(run, pool_json)
        except Busy as exc:
            self.store.set_status(run.id, "failed", str(exc))
        return run

    def cancel(self, run_id: int) -> bool:
        """Ask a going run to stop and keep its best answer; False when it is not going."""
        with self._lock:
            active = self._active.get(run_id)
        if active is None:
            return False
        _send_cancel(active.cancel)
        return True

    def kill(self, run_id: int) -> bool:
        """Kill a run's worker outright (tests, and a run that ignores its cancel)."""
        with self._lock:
            active = self._active.get(run_id)
        if active is None:
            return False
        active.process.kill()
        return True

    def running(self, run_id: int) -> bool:
        with self._lock:
            return run_id in self._active

    def _watch(self, active: _Active) -> None:
        """Read the worker's messages into the store until it ends. Should reading or storing
        fail (a bug), the run is failed with the reason and the worker stopped — a run is never
        left "running" with nobody following it."""
        try:
            self._follow(active)
        except Exception as exc:
            log.error("following run %d failed", active.run_id, exc_info=True)
            active.process.kill()
            self.store.set_status(
                active.run_id, "failed", f"internal error ({type(exc).__name__}): {exc}"
            )
            self.store.set_trace(active.run_id, traceback.format_exc())
        finally:
            active.process.join(timeout=5)
            with self._lock:
                self._active.pop(active.run_id, None)
            active.cancel.close()
            active.updates.close()

    def _follow(self, active: _Active) -> None:
        finished = False
        while not finished:
            try:
                message = active.updates.get(timeout=0.2)
            except queue.Empty:
                if active.process.is_alive():
                    continue
                try:  # the worker may have written its last words just before ending
                    message = active.updates.get(timeout=0.5)
                except queue.Empty:
                    code = active.process.exitcode
                    self.store.set_status(
                        active.run_id,
                        "failed",
                        f"the worker stopped without an answer (exit code {code})",
                    )
                    return
            finished = self._record(active.run_id, message)

    def _record(self, run_id: int, message: tuple[Any, ...]) -> bool:
        """Store one message; True when it was the last."""
        kind = message[0]
        if kind == "progress":
            self.store.set_progress(run_id, message[1])
            return False
        if kind == "interim":  # groups to show while the search goes on
            self.store.set_interim(run_id, message[1])
            return False
        if kind == "result":
            self.store.set_result(run_id, message[1], message[2])
        else:
            self.store.set_status(run_id, "failed", message[1])
            if len(message) > 2:  # a bug's traceback, for whoever reads the record
                self.store.set_trace(run_id, message[2])
        return True

    def wait(self, run_id: int, timeout: float = 60.0) -> bool:
        """Block until the run is no longer going (tests); False on timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self.running(run_id):
                return True
            time.sleep(0.05)
        return False

    def shutdown(self) -> None:
        """Stop every worker (the server is stopping)."""
        with self._lock:
            actives = list(self._active.values())
        for active in actives:
            _send_cancel(active.cancel)
            active.process.join(timeout=2)
            if active.process.is_alive():
                active.process.kill()


def _send_cancel(connection: Connection) -> None:
    """Tell a worker to stop; nothing when it has already gone."""
    with contextlib.suppress(OSError):
        connection.send("cancel")
