"""Balance on the organiser's own columns (``--balance``), resolved against the pool for the search.

A *categorical* column (role, gender, buyer/supplier) is balanced when every group holds, of each
value, within one of its ideal count: the group's size times the value's share among that round's
attendees (blank cells count as attendees with no value). A *numeric* column (years of experience,
company size) is balanced when the groups' means are equal: each group costs its members with a
value times the squared distance of their mean from the round's mean, in standard deviations — the
between-group part of the variance, which R anticlust's variance objective minimises by maximising
the within-group part (Papenberg & Klau, "Using anticlustering to partition data sets into
equivalent parts", Psychological Methods 26(2), 2021). A column is numeric when every filled cell
of the pool is a number and it holds at least two different ones.

Both are soft: the search subtracts their cost, times ``--balance COLUMN:WEIGHT``, from a group's
score (:data:`CATEGORY_POINTS`, :data:`NUMERIC_POINTS`); the validator measures the result on its
own (:mod:`consortium_solver.validate.balance`). Bounds on a value (``COLUMN=VALUE:MIN..MAX``) are
hard rules of every group, compiled like the call's own (:class:`Bound`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Pool
from consortium_solver.domain.fields import (
    Balance,
    cell_of,
    column_of,
    fold_cell,
    number_of,
    numeric_cells,
    sheet_columns,
)
from consortium_solver.group.constraints import CodedRule, Reading

# Score points a member beyond its group's ideal count costs (weight 1). A group's score under the
# 2018 call is some 20-60 points, so one member off weighs about as much as a country more.
CATEGORY_POINTS = 10.0
# Score points per member with a value and squared standard deviation of its group's mean from the
# round's mean (weight 1): a group of four half a deviation off costs 10 points.
NUMERIC_POINTS = 10.0


@dataclass(frozen=True)
class Column:
    """A balanced column over the candidates: ``codes[i]`` indexes ``labels`` (-1: blank) for a
    categorical column; ``numbers[i]`` (NaN: blank) for a numeric one."""

    name: str
    numeric: bool
    weight: float
    labels: tuple[str, ...] = ()
    codes: tuple[int, ...] = ()
    numbers: tuple[float, ...] = ()


@dataclass(frozen=True)
class Bound:
    """``COLUMN=VALUE:MIN..MAX``: every group holds ``low``..``high`` candidates with the value."""

    spec: Balance
    hits: tuple[bool, ...]

    def coded(self) -> CodedRule:
        """The bound as a rule of the grouping search (a count with a floor and a ceiling)."""
        high = -1 if self.spec.high is None else self.spec.high
        codes = tuple((0,) if hit else () for hit in self.hits)
        return CodedRule(Reading.COUNT, codes, self.spec.low, high)


def is_numeric(pool: Pool, column: str) -> bool:
    """Whether the pool's column is numeric (:func:`~consortium_solver.domain.fields.numeric_cells`)."""
    return numeric_cells(cell_of(o, column) for o in pool.organisations)


def resolve(
    pool: Pool, candidates: Sequence[Organisation], balance: Sequence[Balance]
) -> tuple[list[Column], list[Bound]]:
    """The balanced columns and the bounds over the candidates.

    Raises:
        OptionError: (field ``balance``) a column the sheet lacks (a close name suggested), a
            column with no filled cell, or a bound on a value no organisation has.
    """
    known = sheet_columns(pool.organisations)
    columns, bounds, problems = [], [], []
    for spec in balance:
        name = column_of(known, spec.column)
        if name is None:
            problems.append(("balance", spec.text(), _unknown(spec.column, known)))
            continue
        cells = [cell_of(o, name) for o in candidates]
        if spec.value is not None:
            wanted = fold_cell(spec.value)
            hits = tuple(c is not None and fold_cell(c) == wanted for c in cells)
            if not any(
                fold_cell(c or "") == wanted for c in (cell_of(o, name) for o in pool.organisations)
            ):
                seen = sorted({c for c in cells if c is not None})[:8]
                message = f"no organisation has {spec.value!r} in {name!r} (it holds: {', '.join(seen) or 'nothing'})"
                problems.append(("balance", spec.text(), message))
                continue
            bounds.append(Bound(spec, hits))
        elif not any(cells):
            problems.append(("balance", spec.text(), f"the column {name!r} is empty"))
        elif is_numeric(pool, name):
            numbers = tuple(np.nan if c is None else float(number_of(c) or 0.0) for c in cells)
            columns.append(Column(name, True, spec.weight, numbers=numbers))
        else:
            labels: dict[str, int] = {}
            shown: list[str] = []
            codes = []
            for c in cells:
                if c is None:
                    codes.append(-1)
                    continue
                key = fold_cell(c)
                if key not in labels:
                    labels[key] = len(shown)
                    shown.append(c)
                codes.append(labels[key])
            columns.append(Column(name, False, spec.weight, tuple(shown), tuple(codes)))
    if problems:
        raise OptionError(problems)
    return columns, bounds


def _unknown(name: str, known: dict[str, str]) -> str:
    """No such column: the closest of the sheet's columns, or the list of them."""
    names = sorted(set(known.values()))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"the sheet has no column {name!r}; did you mean {close[0]!r}?"
    listed = ", ".join(names[:8]) or "none"
    return f"the sheet has no column {name!r} (its own columns: {listed}; or country, maturity)"


def value_shares(column: Column, absent: Sequence[frozenset[int]]) -> np.ndarray:
    """Each value's share of each round's attendees, ``[round, value]`` (blank cells counted as
    attendees with no value)."""
    codes = np.array(column.codes, dtype=np.int64)
    out = np.zeros((len(absent), len(column.labels)), dtype=np.float64)
    for r, away in enumerate(absent):
        present = np.array([i not in away for i in range(len(codes))], dtype=bool)
        counts = np.bincount(codes[present & (codes >= 0)], minlength=len(column.labels))
        out[r] = counts / max(int(present.sum()), 1)
    return out


def balance_arrays(
    columns: Sequence[Column], absent: Sequence[frozenset[int]], n: int, largest: int = 1000
) -> dict[str, np.ndarray]:
    """The balanced columns as the kernels' tables: for categorical columns the codes, each
    column's first code in a shared space, each value's share among each round's attendees and
    the weights (in score points), and each round's common values (an ideal count of one or more
    in a group of ``largest``); for numeric ones the values in standard deviations from their
    mean, each round's attendees' mean and the weights."""
    rounds = list(absent) or [frozenset()]
    kinds = [c for c in columns if not c.numeric]
    numeric = [c for c in columns if c.numeric]
    offset = np.cumsum([0, *(len(c.labels) for c in kinds)]).astype(np.int64)
    codes = np.array([c.codes for c in kinds], dtype=np.int64).reshape(len(kinds), n)
    share = np.zeros((len(rounds), max(int(offset[-1]), 1)), dtype=np.float64)
    for k, column in enumerate(kinds):
        share[:, offset[k] : offset[k + 1]] = value_shares(column, rounds)
    common = [
        [
            [int(offset[k]) + v for v in range(len(column.labels))
             if largest * share[r, offset[k] + v] + 1e-9 >= 1]
            for k, column in enumerate(kinds)
        ]
        for r in range(len(rounds))
    ]  # fmt: skip
    widest = max((sum(len(c) for c in by_column) for by_column in common), default=0)
    common_values = np.zeros((len(rounds), max(widest, 1)), dtype=np.int64)
    common_ptr = np.zeros((len(rounds), len(kinds) + 1), dtype=np.int64)
    for r, by_column in enumerate(common):
        flat = [v for values in by_column for v in values]
        common_values[r, : len(flat)] = flat
        common_ptr[r, 1:] = np.cumsum([len(values) for values in by_column])
    values = np.array([c.numbers for c in numeric], dtype=np.float64).reshape(len(numeric), n)
    means = np.zeros((len(rounds), len(numeric)), dtype=np.float64)
    for k in range(len(numeric)):
        row = values[k]
        filled = ~np.isnan(row)
        spread = float(row[filled].std()) or 1.0
        values[k] = (row - float(row[filled].mean())) / spread
        for r, away in enumerate(rounds):
            present = filled & np.array([i not in away for i in range(n)], dtype=bool)
            means[r, k] = float(values[k][present].mean()) if present.any() else 0.0
    return dict(
        bal_codes=codes,
        bal_offset=offset,
        bal_share=share,
        bal_weight=np.array([CATEGORY_POINTS * c.weight for c in kinds], dtype=np.float64),
        bal_common=common_values,
        bal_common_ptr=common_ptr,
        num_values=values,
        num_mean=means,
        num_weight=np.array([NUMERIC_POINTS * c.weight for c in numeric], dtype=np.float64),
    )


def spread_keys(columns: Sequence[Column], n: int) -> list[tuple[float, ...]]:
    """Each candidate's values of the balanced columns, the construction's order of dealing (a
    blank cell last)."""
    if not columns:
        return []
    keys = []
    for i in range(n):
        key: list[float] = []
        for column in columns:
            if column.numeric:
                value = column.numbers[i]
                key.append(value if value == value else float("inf"))
            else:
                key.append(column.codes[i] if column.codes[i] >= 0 else float("inf"))
        keys.append(tuple(key))
    return keys


def bounds_impossible(
    bounds: Sequence[Bound],
    absent: Sequence[frozenset[int]],
    sizes: tuple[int, int],
    tables: Sequence[int] | None = None,
) -> str | None:
    """A bound the attendees cannot meet when everyone is seated, in words: too few with the
    value for MIN in each of the fewest groups that seat a round's attendees (groups of at most
    ``sizes[1]``), or too many for MAX in the most groups of at least ``sizes[0]``; ``tables``:
    the round's groups when they are fixed (one per table host present)."""
    low_size, high_size = sizes
    for r, away in enumerate(absent, start=1):
        n = len(bounds[0].hits) - len(away) if bounds else 0
        fewest = tables[r - 1] if tables else -(-n // high_size)
        most = tables[r - 1] if tables else n // max(low_size, 1)
        for bound in bounds:
            spec = bound.spec
            have = sum(1 for i, hit in enumerate(bound.hits) if hit and i not in away)
            what = f"{spec.column} {spec.value}"
            if fewest and have < spec.low * fewest:
                return (
                    f"{spec.text()}: seating the {n} attendees of round {r} takes {fewest} groups,"
                    f" and each of the {fewest} groups needs {spec.low} with {what}, but only"
                    f" {have} attend; lower the minimum, or allow larger groups"
                )
            if spec.high is not None and have > spec.high * most:
                return (
                    f"{spec.text()}: the {most} groups of round {r} hold at most"
                    f" {spec.high * most} with {what}, but {have} attend; raise the maximum, or"
                    " allow smaller groups"
                )
    return None
