"""Balance judged on its own (``--balance``): bounds on a value (``COLUMN=VALUE:MIN..MAX``) are rules
of every group; a balanced column is measured (:class:`~consortium_solver.domain.BalanceMeasure`),
never a reason to reject a grouping. The cells are read as the domain reads them
(:func:`~consortium_solver.domain.fields.cell_of`); nothing here knows how the search balanced."""

from __future__ import annotations

import math
from collections.abc import Sequence

from consortium_solver.domain import BalanceMeasure, Pool
from consortium_solver.domain.fields import (
    Balance,
    cell_of,
    column_of,
    fold_cell,
    number_of,
    numeric_cells,
    sheet_columns,
)


def _same(a: str | None, b: str) -> bool:
    return a is not None and fold_cell(a) == fold_cell(b)


def judge_balance(
    pool: Pool, rounds: Sequence[Sequence[Sequence[str]]], balance: Sequence[Balance]
) -> tuple[list[str], list[BalanceMeasure]]:
    """The bounds' problems (``balance: …`` sentences) and each balanced column's measure."""
    problems: list[str] = []
    measures: list[BalanceMeasure] = []
    known = sheet_columns(pool.organisations)
    for spec in balance:
        name = column_of(known, spec.column)
        if name is None:
            problems.append(f"balance: {spec.text()}: the pool has no column {spec.column!r}")
            continue
        cell = {o.id: cell_of(o, name) for o in pool.organisations}
        if spec.value is not None:
            problems += _bound_problems(spec, rounds, cell)
        elif numeric_cells(cell.values()):
            measures.append(_numeric_measure(name, rounds, cell))
        else:
            measures.append(_category_measure(name, rounds, cell))
    return problems, measures


def _bound_problems(
    spec: Balance, rounds: Sequence[Sequence[Sequence[str]]], cell: dict[str, str | None]
) -> list[str]:
    out = []
    value = spec.value or ""
    for r, groups in enumerate(rounds, start=1):
        for g, members in enumerate(groups, start=1):
            have = sum(1 for m in members if _same(cell.get(m), value))
            if have < spec.low or (spec.high is not None and have > spec.high):
                wanted = f"{spec.low}..{'' if spec.high is None else spec.high}"
                out.append(
                    f"balance: {spec.text()}: round {r}, group {g}: {have} with"
                    f" {spec.column} {value}, not {wanted}"
                )
    return out


def _category_measure(
    name: str, rounds: Sequence[Sequence[Sequence[str]]], cell: dict[str, str | None]
) -> BalanceMeasure:
    """Members beyond the floor or ceiling of their value's ideal count in their group."""
    off = groups_off = groups_seen = 0
    for groups in rounds:
        seated = [m for grp in groups for m in grp]
        counts = _value_counts(seated, cell)
        for grp in groups:
            groups_seen += 1
            here = _value_counts(grp, cell)
            beyond = 0
            for key, total in counts.items():
                ideal = len(grp) * total / len(seated)
                low, high = math.floor(ideal + 1e-9), math.ceil(ideal - 1e-9)
                beyond += max(0, low - here.get(key, 0)) + max(0, here.get(key, 0) - high)
            off += beyond
            groups_off += beyond > 0
    return BalanceMeasure(
        column=name, numeric=False, groups=groups_seen, off=off, groups_off=groups_off
    )


def _value_counts(members: Sequence[str], cell: dict[str, str | None]) -> dict[str, int]:
    """How many of the members hold each value (compared without case or repeated spaces)."""
    counts: dict[str, int] = {}
    for m in members:
        value = cell.get(m)
        if value is not None:
            key = fold_cell(value)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _numeric_measure(
    name: str, rounds: Sequence[Sequence[Sequence[str]]], cell: dict[str, str | None]
) -> BalanceMeasure:
    """The widest gap between two groups' means within a round, and everyone's mean."""
    spread, everyone, groups_seen = 0.0, [], 0
    for groups in rounds:
        means = []
        for grp in groups:
            groups_seen += 1
            values = [number_of(c) for m in grp if (c := cell.get(m)) is not None]
            filled = [v for v in values if v is not None]
            everyone += filled
            if filled:
                means.append(math.fsum(filled) / len(filled))
        if len(means) > 1:
            spread = max(spread, max(means) - min(means))
    mean = math.fsum(everyone) / len(everyone) if everyone else 0.0
    return BalanceMeasure(
        column=name, numeric=True, groups=groups_seen, spread=round(spread, 6), mean=round(mean, 6)
    )
