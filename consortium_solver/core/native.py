"""Compiled kernels: the one place that says how the searches' hot loops are compiled.

The grouping search and the MDGP search run their inner loops — move evaluation and application
from incremental tables — as numba functions compiled to machine code (``@njit`` on typed numpy
arrays). numba was chosen over a compiled extension by measurement and by what users install
(``benchmarks/kernels.py``, benchmarks/README.md "Kernels"): it ships wheels for Linux, macOS and
Windows, so no user needs a C compiler, and the kernels stay readable Python.

Compiled code is cached on disk next to the package (or in the user's cache folder when that is not
writable), so the compilation — a few seconds — is paid once per machine, not per run. numba keys a
cached kernel by the content of its own file only, so a kernel calling one in another file kept
running the callee's old code after an edit; here every kernel of the package is keyed by the hash
of *all* the package's kernel sources (:data:`KERNEL_SOURCES`): any edit recompiles them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numba.core import caching

F = TypeVar("F", bound=Callable[..., Any])

PACKAGE = Path(__file__).resolve().parent.parent
# The modules that hold compiled kernels, this one (how they are compiled), and the modules whose
# values the kernels compile in (the rule readings and tables, the schedule's constants).
KERNEL_SOURCES = (
    "core/native.py",
    "group/constraints.py",
    "group/search/anneal.py",
    "group/search/construct.py",
    "group/search/kernels.py",
    "group/search/repair.py",
    "group/search/state.py",
    "mdgp/memetic.py",
    "mdgp/table.py",
    "mdgp/tabu.py",
)


@cache
def kernel_sources_hash() -> bytes:
    """One hash of every kernel source of the package: the stamp of each cached kernel."""
    digest = hashlib.sha256()
    for name in KERNEL_SOURCES:
        digest.update(name.encode())
        digest.update((PACKAGE / name).read_bytes())
    return digest.digest()


def _ours(py_file: str) -> bool:
    return Path(py_file).resolve().is_relative_to(PACKAGE)


class _AllKernelSources:
    """A numba cache locator for the package's own files, stamped with all kernel sources."""

    def get_source_stamp(self) -> Any:
        return kernel_sources_hash()

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        if not _ours(py_file):
            return None
        return super().from_function(py_func, py_file)  # type: ignore[misc]


class _InTree(_AllKernelSources, caching.InTreeCacheLocator):
    """numba's cache beside the source (``__pycache__``)."""


class _UserWide(_AllKernelSources, caching.UserWideCacheLocator):
    """numba's user-wide cache, where the package's folder is not writable."""


# Tried before numba's own locators (which still serve every other function of the process). A
# class attribute of numba's cache implementation: the numba range in pyproject.toml is pinned to
# the releases this was tested with; tests/test_kernels.py checks an edit reaches every caller.
if not any(c in caching.CacheImpl._locator_classes for c in (_InTree, _UserWide)):
    caching.CacheImpl._locator_classes[:0] = [_InTree, _UserWide]


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


# Random numbers: every kernel that draws is handed its random state, one 64-bit word in an array
# (no global generator: two searches in one process, or threads, never share a stream, and a run
# repeats from its seed alone). The generator is xorshift64* (Vigna, "An experimental exploration
# of Marsaglia's xorshift generators, scrambled", ACM TOMS 42(4), 2016), seeded by splitmix64.
_MASK = (1 << 64) - 1


def random_state(seed: int) -> np.ndarray:
    """A kernel's random state for ``seed``: splitmix64 of the seed (never the zero state)."""
    z = (int(seed) + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return np.array([z or 1], dtype=np.uint64)


@inline_kernel
def next_random(rng: np.ndarray) -> np.uint64:
    """The next 64 random bits of ``rng`` (xorshift64*), advancing it."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return np.uint64(x * np.uint64(0x2545F4914F6CDD1D))


@inline_kernel
def random_below(rng: np.ndarray, n: int) -> int:
    """A whole number from 0 to ``n`` - 1 (1 <= n < 2**32): the high 32 bits scaled by
    multiplication (Lemire, "Fast random integer generation in an interval", 2019)."""
    high = next_random(rng) >> np.uint64(32)
    # An int64, not numba's unsigned: mixed with the callers' int64 it would unify to a float.
    return np.int64((high * np.uint64(n)) >> np.uint64(32))  # type: ignore[return-value]


@inline_kernel
def random_unit(rng: np.ndarray) -> float:
    """A number in [0, 1) with 53 random bits."""
    return np.float64(next_random(rng) >> np.uint64(11)) * (1.0 / 9007199254740992.0)
