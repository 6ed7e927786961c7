"""consortium-solver: eligible, high-quality consortia of cluster organisations for EU funding calls.

The library's way through: read a pool (:func:`read_pool`), load a call model (:func:`load_call`),
and judge a consortium with the independent validator (:func:`check`).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from consortium_solver.domain import (
    Assessment,
    BuildResult,
    Consortium,
    EccpStatus,
    GroupingResult,
    Maturity,
    Organisation,
    OrganisationType,
    Pool,
    RegionCategory,
    Result,
    RuleVerdict,
    Status,
    Term,
)
from consortium_solver.errors import InputError, InternalError
from consortium_solver.io import pool_from_json_data, read_pool, write_pool
from consortium_solver.rules import Call, load_call
from consortium_solver.validate import check

__version__ = "0.1.0"

DEFAULT_CALL = "COS-CLUSTER-2018-03-02"


@cache
def demo_pool() -> Pool:
    """The packaged demo pool: 200 synthetic organisations on real regions (instances/demo)."""
    text = resources.files(__package__).joinpath("data", "demo_pool.json").read_text("utf-8")
    return pool_from_json_data(json.loads(text), "demo pool")


__all__ = [
    "DEFAULT_CALL",
    "Assessment",
    "BuildResult",
    "Call",
    "Consortium",
    "EccpStatus",
    "GroupingResult",
    "InputError",
    "InternalError",
    "Maturity",
    "Organisation",
    "OrganisationType",
    "Pool",
    "RegionCategory",
    "Result",
    "RuleVerdict",
    "Status",
    "Term",
    "check",
    "demo_pool",
    "load_call",
    "read_pool",
    "write_pool",
]
