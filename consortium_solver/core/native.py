"""Compiled kernels: the one place that says how the searches' hot loops are compiled.

The grouping search and the MDGP search run their inner loops — move evaluation and application
from incremental tables — as numba functions compiled to machine code (``@njit`` on typed numpy
arrays). numba was chosen over a compiled extension by measurement and by what users install
(``benchmarks/kernels.py``, benchmarks/README.md "Kernels"): it ships wheels for Linux, macOS and
Windows, so no user needs a C compiler, and the kernels stay readable Python.

Compiled code is cached on disk next to the package (or in the user's cache folder when that is not
writable), so the compilation — a few seconds — is paid once per machine, not per run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile ``fn`` to machine code (nopython mode, cached, without the GIL)."""
    return cast(F, numba.njit(cache=True, nogil=True)(fn))


def loop_kernel(fn: F) -> F:
    """A kernel for a hot loop that allocates nothing, compiled without numba's reference counting
    of arrays (its private ``_nrt=False`` option). Reference-count updates that numba cannot pair
    up across branches stay in the loop as atomic operations — measured here, the rules of one group
    took 125 ns with them and 26 ns without; numba's own maintainers point to the option for this
    (numba issues #2345 and #2350). Such a kernel cannot create arrays; the kernels it calls that are
    not inlined keep their own reference counting."""
    # _nrt is not in numba's type stubs: passed through a dict.
    options: dict[str, Any] = {"cache": True, "nogil": True, "_nrt": False}
    return cast(F, numba.njit(**options)(fn))


def inline_kernel(fn: F) -> F:
    """A small kernel inlined into its callers (numba's IR inlining: no call, no argument copy)."""
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(fn))


@kernel
def seed_kernels(seed: int) -> None:
    """Seed the kernels' random numbers (numba keeps its own generator, apart from numpy's)."""
    np.random.seed(seed)
