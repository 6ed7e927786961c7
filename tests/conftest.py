"""Shared fixtures, hypothesis profiles and the example count of the property suite.

Profiles: ``ci`` (the default: derandomised, so every run tries the same examples), ``dev`` (random,
twice the examples) and ``soak`` (random, 15 times the examples: ``make soak``). Choose with
``HYPOTHESIS_PROFILE=...``. Properties decorated with :func:`counted` report, at the end of the
session, how many examples ran and passed (summed over xdist workers).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

from consortium_solver import Call, Pool, load_call, read_pool

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=300, deadline=None, print_blob=True)
settings.register_profile(
    "soak",
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = {"ci": 1, "dev": 2, "soak": 15}.get(PROFILE, 1)


def scaled(examples: int) -> int:
    """A property's example count under the current profile."""
    return examples * SCALE


F = TypeVar("F", bound=Callable[..., Any])
EXAMPLES: Counter[str] = Counter()
COUNTS = Path(__file__).resolve().parent.parent / ".pytest_cache" / "property-examples"


def counted(fn: F) -> F:
    """Count the examples a property runs and those that pass."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            out = fn(*args, **kwargs)
        except BaseException as exc:
            # Hypothesis's own control flow (an example abandoned while drawing) is not a run.
            if not type(exc).__module__.startswith("hypothesis"):
                EXAMPLES["ran"] += 1
            raise
        EXAMPLES["ran"] += 1
        EXAMPLES["passed"] += 1
        return out

    return wrapper  # type: ignore[return-value]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_sessionstart(session: pytest.Session) -> None:
    if _worker() == "main":
        COUNTS.mkdir(parents=True, exist_ok=True)
        for old in COUNTS.glob("*.json"):
            old.unlink()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if EXAMPLES:
        COUNTS.mkdir(parents=True, exist_ok=True)
        (COUNTS / f"{_worker()}.json").write_text(json.dumps(dict(EXAMPLES)), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _worker() != "main":
        return
    total: Counter[str] = Counter()
    for path in COUNTS.glob("*.json"):
        total.update(json.loads(path.read_text(encoding="utf-8")))
    if total:
        terminalreporter.write_line(
            f"property examples (profile {PROFILE}): {total['ran']} ran, {total['passed']} passed"
        )


DATA = Path(__file__).parent / "data"


def meetings(rounds: list[list[list[int]]]) -> Counter[frozenset[int]]:
    """How often each pair shares a group in a schedule of integer members (counted plainly)."""
    return Counter(frozenset(p) for r in rounds for g in r for p in itertools.combinations(g, 2))


def assert_partitions(rounds: list[list[list[int]]], n: int, sizes: list[int]) -> None:
    """Every round places each of range(n) once, in groups of the given sizes."""
    for groups in rounds:
        assert sorted(i for g in groups for i in g) == list(range(n))
        assert sorted(len(g) for g in groups) == sorted(sizes)


@pytest.fixture(scope="session")
def call_2018() -> Call:
    """The packaged model of COS-CLUSTER-2018-03-02."""
    return load_call("COS-CLUSTER-2018-03-02")


@pytest.fixture(scope="session")
def regions_pool() -> Pool:
    """Hand-made pool: one cluster in each of ITI1, CZ05, SK02, DE21, FR10 and a few more."""
    return read_pool(DATA / "ok" / "regions_pool.json")


@pytest.fixture(scope="session")
def compiled_kernels() -> None:
    """The search kernels compiled (or loaded from numba's disk cache) in this process before a
    test that starts a run in another process: that worker then loads them from the cache in
    about a second. On a fresh clone the first compile takes a minute or more — longer with the
    other test process compiling at once — and a run page waiting for its first groups within a
    fixed time failed now and then (the browser's Cancel test, issue 26)."""
    from consortium_solver.group.search import warm_up
    from consortium_solver.mdgp.solve import warm_up as warm_up_mdgp

    warm_up()
    warm_up_mdgp()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Each phase's report on the test item (``item.rep_call``), for fixtures that keep
    evidence of a failure (the browser tests' screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
