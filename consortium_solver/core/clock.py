"""When a task stops: a wall-clock deadline, or a count of steps in deterministic mode, and the
user's interruption (Ctrl-C) — one object every phase of every task asks (build, group, exchange,
MDGP), so that no phase can run past the limit it was given.

:class:`Limits` is what a user sets (the ``time_limit`` and ``deterministic`` fields every task's
options share, :class:`consortium_solver.core.options.TaskOptions`); :meth:`Limits.clock` starts
the one :class:`Clock` of a run, and each phase takes a share of it.

Deterministic mode counts *work* instead of seconds: each phase asks :meth:`Clock.expired` once per
step, and the limit is converted to a number of steps at a fixed nominal rate. The same input and
seed then stop at the same step on any machine, loaded or not (CP-SAT's deterministic time is the
same idea: Perron et al., "CP-SAT", parameter ``max_deterministic_time``). The price: in that mode
the wall time is only roughly the limit.

Interruption: :func:`interrupt` (the command line's SIGINT handler, the web app's Cancel) sets a
flag that every clock reads — and that the CP-SAT runner asks while a solve runs — so that a task
stops at its next step and returns the best answer it has.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from pydantic import BaseModel, ConfigDict, Field

# Steps of deterministic work per second of --time-limit: a nominal rate, about the grouping
# annealing's on one round of 1,000 organisations on a 2-core machine. Several rounds cost more per
# step, so there a deterministic run takes longer than its limit in wall time.
STEPS_PER_SECOND = 10_000

log = logging.getLogger(__name__)

_interrupted = threading.Event()


def interrupt() -> None:
    """Ask every running search to stop at its next step (Ctrl-C)."""
    log.info("interrupted: every task stops at its next step and keeps its best answer")
    _interrupted.set()


def interrupted() -> bool:
    return _interrupted.is_set()


def reset_interrupt() -> None:
    """Forget an earlier interruption (tests, and a new command in the same process)."""
    _interrupted.clear()


class Limits(BaseModel):
    """How long a task may run: ``time_limit`` seconds of wall-clock time, or, when
    ``deterministic``, that many nominal seconds of counted work (the same answer for the same
    input, seed and workers on any machine, loaded or not)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = Field(
        default=30.0,
        gt=0,
        le=1_000_000,
        allow_inf_nan=False,
        description="seconds for the whole run (deterministic: nominal seconds of counted work)",
    )
    deterministic: bool = Field(
        default=False,
        description="count work instead of seconds, on one thread: repeatable answers",
    )

    def clock(self, rate: float = STEPS_PER_SECOND, task: str = "run") -> Clock:
        """The run's clock, started now (said in the log: "<task>: the clock starts");
        ``rate``: the task's nominal steps per second."""
        unit = "nominal seconds of counted work" if self.deterministic else "seconds"
        log.info("%s: the clock starts (%g %s)", task, self.time_limit, unit)
        return Clock(self.time_limit, deterministic=self.deterministic, rate=rate)


class Clock:
    """A limit of ``seconds``: wall-clock seconds from ``start``, or, when ``deterministic``,
    ``seconds * rate`` steps (each call of :meth:`expired` is one step; work done elsewhere, such as
    CP-SAT's deterministic time, is counted with :meth:`spend`)."""

    def __init__(
        self,
        seconds: float,
        *,
        deterministic: bool = False,
        start: float | None = None,
        rate: float = STEPS_PER_SECOND,
    ) -> None:
        self.seconds = max(float(seconds), 0.0) if math.isfinite(seconds) else 0.0
        self.deterministic = deterministic
        self.start = time.perf_counter() if start is None else start
        self.rate = rate
        self.steps = 0
        self.total_steps = int(self.seconds * rate)

    def elapsed(self) -> float:
        """Wall-clock seconds since the clock started (in either mode)."""
        return time.perf_counter() - self.start

    def expired(self) -> bool:
        """Whether the limit has passed (or the user interrupted); counts one step."""
        if _interrupted.is_set():
            return True
        if self.deterministic:
            self.steps += 1
            return self.steps > self.total_steps
        return time.perf_counter() >= self.start + self.seconds

    def progress(self) -> float:
        """How much of the limit is used, from 0 to 1."""
        if self.deterministic:
            return min(self.steps / max(self.total_steps, 1), 1.0)
        return min((time.perf_counter() - self.start) / max(self.seconds, 1e-3), 1.0)

    def left(self) -> float:
        """Seconds (deterministic: nominal seconds) left."""
        if self.deterministic:
            return max(self.total_steps - self.steps, 0) / self.rate
        return max(self.start + self.seconds - time.perf_counter(), 0.0)

    def share(self, fraction: float, at_most: float | None = None) -> Clock:
        """A clock for one phase: ``fraction`` of what is left (at most ``at_most`` seconds)."""
        seconds = self.left() * fraction
        if at_most is not None:
            seconds = min(seconds, at_most)
        return Clock(seconds, deterministic=self.deterministic, rate=self.rate)

    def before_end(self, seconds: float) -> Clock:
        """A clock running out ``seconds`` before this one, to leave time for what must follow
        (in deterministic mode this one: its steps do not depend on time)."""
        if self.deterministic:
            return self
        return Clock(max(self.left() - seconds, 0.0), rate=self.rate)

    def used(self, clock: Clock) -> None:
        """Count a phase's steps (deterministic mode) against this clock."""
        self.steps += clock.steps

    def spend(self, seconds: float) -> None:
        """Count ``seconds`` of work done elsewhere (deterministic mode: CP-SAT's deterministic
        time, in nominal seconds) against this clock; nothing in wall-clock mode, where time
        passes by itself."""
        if self.deterministic:
            self.steps += math.ceil(max(seconds, 0.0) * self.rate)
