"""consortium-solver: eligible, high-quality consortia of cluster organisations for EU funding calls.

The library's way through: read a pool (:func:`read_pool`), load a call model (:func:`load_call`),
then one of the four tasks, each with its options model and its result document —

- :func:`build` (:class:`BuildOptions`, :class:`Demands`) → :class:`BuildResult`: the best consortia;
- :func:`group` (:class:`GroupOptions`) → :class:`GroupingResult`: groups for an event, over rounds;
- :func:`plan_exchanges` (:class:`ExchangeOptions`) → :class:`ExchangeResult`: a ClusterXchange
  programme;
- :func:`solve_mdgp` (:class:`MdgpOptions`) → :class:`MdgpResult`: research mode (MDGPLIB);

and judge any consortium with the independent validator (:func:`check`). Names are imported when
first used, so that ``import consortium_solver`` stays cheap (the searches load numba and OR-Tools).
"""

from __future__ import annotations

import importlib
import json
import logging
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names for type checkers (`name as name`: re-exported)
    from consortium_solver.builder import (
        BuildOptions as BuildOptions,
    )
    from consortium_solver.builder import (
        Demands as Demands,
    )
    from consortium_solver.builder import (
        build as build,
    )
    from consortium_solver.core.clock import (
        Limits as Limits,
    )
    from consortium_solver.core.clock import (
        interrupt as interrupt,
    )
    from consortium_solver.core.errors import (
        InputError as InputError,
    )
    from consortium_solver.core.errors import (
        InternalError as InternalError,
    )
    from consortium_solver.core.options import (
        OptionError as OptionError,
    )
    from consortium_solver.core.options import (
        TaskOptions as TaskOptions,
    )
    from consortium_solver.domain import (
        Assessment as Assessment,
    )
    from consortium_solver.domain import (
        BuildResult as BuildResult,
    )
    from consortium_solver.domain import (
        Consortium as Consortium,
    )
    from consortium_solver.domain import (
        EccpStatus as EccpStatus,
    )
    from consortium_solver.domain import (
        ExchangeResult as ExchangeResult,
    )
    from consortium_solver.domain import (
        GroupingResult as GroupingResult,
    )
    from consortium_solver.domain import (
        Maturity as Maturity,
    )
    from consortium_solver.domain import (
        MdgpResult as MdgpResult,
    )
    from consortium_solver.domain import (
        Organisation as Organisation,
    )
    from consortium_solver.domain import (
        OrganisationType as OrganisationType,
    )
    from consortium_solver.domain import (
        Pool as Pool,
    )
    from consortium_solver.domain import (
        Progress as Progress,
    )
    from consortium_solver.domain import (
        RegionCategory as RegionCategory,
    )
    from consortium_solver.domain import (
        Result as Result,
    )
    from consortium_solver.domain import (
        RuleVerdict as RuleVerdict,
    )
    from consortium_solver.domain import (
        Status as Status,
    )
    from consortium_solver.domain import (
        Term as Term,
    )
    from consortium_solver.exchange import (
        ExchangeOptions as ExchangeOptions,
    )
    from consortium_solver.exchange import (
        plan_exchanges as plan_exchanges,
    )
    from consortium_solver.group import (
        GroupOptions as GroupOptions,
    )
    from consortium_solver.group import (
        group as group,
    )
    from consortium_solver.io import (
        pool_from_json_data as pool_from_json_data,
    )
    from consortium_solver.io import (
        read_pool as read_pool,
    )
    from consortium_solver.io import (
        write_pool as write_pool,
    )
    from consortium_solver.mdgp import (
        MdgpOptions as MdgpOptions,
    )
    from consortium_solver.mdgp import (
        read_mdgp as read_mdgp,
    )
    from consortium_solver.mdgp import (
        solve_mdgp as solve_mdgp,
    )
    from consortium_solver.rules import (
        Call as Call,
    )
    from consortium_solver.rules import (
        load_call as load_call,
    )
    from consortium_solver.validate import (
        check as check,
    )

__version__ = "0.1.0"

DEFAULT_CALL = "COS-CLUSTER-2018-03-02"

# The library logs what each phase of a run does (logging.getLogger("consortium_solver")); nothing
# is printed unless the application says so (the command line's --verbose).
logging.getLogger(__name__).addHandler(logging.NullHandler())

# Each public name and the module it lives in, imported on first use (PEP 562).
_LAZY: dict[str, tuple[str, ...]] = {
    "consortium_solver.builder": ("BuildOptions", "Demands", "build"),
    "consortium_solver.core.clock": ("Limits", "interrupt"),
    "consortium_solver.core.errors": ("InputError", "InternalError"),
    "consortium_solver.core.options": ("OptionError", "TaskOptions"),
    "consortium_solver.domain": (
        "Assessment", "BuildResult", "Consortium", "EccpStatus", "ExchangeResult",
        "GroupingResult", "Maturity", "MdgpResult", "Organisation", "OrganisationType", "Pool",
        "Progress", "RegionCategory", "Result", "RuleVerdict", "Status", "Term",
    ),
    "consortium_solver.exchange": ("ExchangeOptions", "plan_exchanges"),
    "consortium_solver.group": ("GroupOptions", "group"),
    "consortium_solver.io": ("pool_from_json_data", "read_pool", "write_pool"),
    "consortium_solver.mdgp": ("MdgpOptions", "read_mdgp", "solve_mdgp"),
    "consortium_solver.rules": ("Call", "load_call"),
    "consortium_solver.validate": ("check",),
}  # fmt: skip
_HOME = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup finds it directly
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


@cache
def demo_pool() -> Pool:
    """The packaged demo pool: 200 synthetic organisations on real regions (instances/demo)."""
    from consortium_solver.io import pool_from_json_data

    text = resources.files(__package__).joinpath("data", "demo_pool.json").read_text("utf-8")
    return pool_from_json_data(json.loads(text), "demo pool")


__all__ = ["DEFAULT_CALL", "demo_pool", *sorted(_HOME)]
