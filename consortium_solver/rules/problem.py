"""One problem as every solver sees it: the candidates, the rules a group or consortium must meet,
the objective, and the size range (after PyVRP's ``ProblemData``: one read-only object that the
searches share, instead of the same six arguments handed along)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from consortium_solver.domain import Organisation
from consortium_solver.rules.call import Objective
from consortium_solver.rules.kinds import AnyRule

# How a grouping's objective combines its groups' scores: the total, or the worst group first
# (then the total).
Mode = Literal["sum", "min"]


@dataclass(frozen=True)
class Problem:
    """Choose groups (or one consortium) of ``min_size..max_size`` candidates, each meeting every
    rule, scoring by ``objective`` with the sector ``links`` weights.

    The candidates have passed the call's member filters already; ``rules`` are those on a group as
    a whole (the searches number candidates by their position here).
    """

    candidates: Sequence[Organisation]
    rules: Sequence[AnyRule]
    objective: Objective
    links: Mapping[frozenset[str], float] = field(repr=False)
    min_size: int
    max_size: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        object.__setattr__(self, "rules", tuple(self.rules))

    @property
    def n(self) -> int:
        return len(self.candidates)
