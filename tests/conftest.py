"""Shared fixtures and hypothesis profiles.

Profiles: ``ci`` (the default: derandomised, so every run tries the same examples) and ``dev``
(random, more examples). Choose with ``HYPOTHESIS_PROFILE=dev``.
"""

from __future__ import annotations

import os
from pathlib import Path

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def call_2018() -> Call:
    """The packaged model of COS-CLUSTER-2018-03-02."""
    return load_call("COS-CLUSTER-2018-03-02")


@pytest.fixture(scope="session")
def regions_pool() -> Pool:
    """Hand-made pool: one cluster in each of ITI1, CZ05, SK02, DE21, FR10 and a few more."""
    return read_pool(DATA / "ok" / "regions_pool.json")
