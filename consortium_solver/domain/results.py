"""What the tool answers: verdicts, scores, consortia, and one result document per task.

Every task's document is a :class:`Result` — the pool, status, objective, bound, wall time, seed,
threads used and whether the user interrupted — with one JSON rule for what it adds: a section
that is ``None`` is left out (README, "A short tour"). ``BuildResult`` (``consortium build``),
``GroupingResult`` (``consortium group``) and ``MdgpResult`` (research mode) answer with
consortia under a call (:class:`CallResult`); ``ExchangeResult`` (``consortium exchange``) with a
programme under a scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from consortium_solver.domain.exchanges import Exchange
from consortium_solver.domain.organisations import FROZEN

# progress(elapsed seconds, best objective or None, best bound or None), in score units: how every
# solver reports on its way (the command line's live line, the benchmark traces).
Progress = Callable[[float, float | None, float | None], None]


class Term(StrEnum):
    """The objective terms (README, "Score"), in their reporting order."""

    SECTOR_LINKS = "sector_links"
    NEEDS_MET = "needs_met"
    COUNTRIES = "countries"
    DEVELOPMENT_MIX = "development_mix"
    MATURITY_MIX = "maturity_mix"
    SIZE = "size"


class Status(StrEnum):
    """Outcome of a solve, independent of the solver's own vocabulary."""

    OPTIMAL = "optimal"
    """Found, and proven best."""
    FEASIBLE = "feasible"
    """Found, not proven best (a search's answer, or a solve cut short by its limit)."""
    INFEASIBLE = "infeasible"
    """Proven: none exists."""
    UNKNOWN = "unknown"
    """Nothing found within the limits, and nothing proven."""

    @property
    def words(self) -> str:
        """The status as a person reads it (outputs for people; JSON keeps the value)."""
        return _STATUS_WORDS[self.value]


_STATUS_WORDS = {
    "optimal": "proven best",
    "feasible": "found, not proven best",
    "infeasible": "impossible under these rules",
    "unknown": "nothing found in the time given",
}


class RuleVerdict(BaseModel):
    """Whether one rule holds for a consortium, and why, in words."""

    model_config = FROZEN

    rule: str
    kind: str
    passed: bool
    why: str


class TermScore(BaseModel):
    """One objective term: its raw value, its weight and the points it adds (value x weight)."""

    model_config = FROZEN

    value: float
    weight: float
    points: float


class Assessment(BaseModel):
    """The validator's answer for one consortium: a verdict per rule and the score breakdown."""

    model_config = FROZEN

    call: str
    pool: str
    members: tuple[str, ...]
    eligible: bool
    verdicts: tuple[RuleVerdict, ...]
    score: float
    terms: dict[Term, TermScore]

    @property
    def breakdown(self) -> dict[str, float]:
        """Points per term, as in the result document; they sum to ``score``."""
        return {term.value: ts.points for term, ts in self.terms.items()}

    @property
    def failed(self) -> tuple[RuleVerdict, ...]:
        return tuple(v for v in self.verdicts if not v.passed)


class Consortium(BaseModel):
    """A consortium (or an event group): member ids, the validator's score and its breakdown.

    ``breakdown`` holds each objective term's points (weight x value); they sum to ``score``.
    """

    model_config = FROZEN

    members: tuple[str, ...]
    score: float
    breakdown: dict[str, float]
    guests: tuple[str, ...] = Field(
        default=(),
        exclude_if=lambda guests: not guests,  # a consortium, or a group without guests: no key
        description="an event group's guests: attendees who fail the call's member rules, seated"
        " with the group (``group --guests``) but neither judged by its rules nor scored",
    )
    table: str | None = Field(
        default=None,
        exclude_if=lambda table: table is None,
        description="an event group's table, when the event lists its tables (``group --tables``)",
    )


class Conflict(BaseModel):
    """One rule of a minimal conflicting set, and the facts behind it."""

    model_config = FROZEN

    rule: str
    why: str


class Ineligible(BaseModel):
    """An organisation set aside before grouping: it fails a member filter of the call, or the
    partner it is to be together with was set aside."""

    model_config = FROZEN

    id: str
    why: str


class Result(BaseModel):
    """What every task's result document holds: the run, its status and objective. ``workers`` is
    the threads the run really used (one in deterministic mode); ``interrupted`` is true when the
    user stopped the run (Ctrl-C, Cancel), the answer then being the best found until then.
    ``wall_time_s`` is the only field that differs between two runs of ``--deterministic``."""

    model_config = FROZEN

    pool: str
    status: Status
    objective: float | None
    bound: float | None
    wall_time_s: float
    seed: int
    workers: int
    interrupted: bool = False

    def to_json(self) -> str:
        """The document; a section a task adds is left out when it is ``None``."""
        exclude = {
            name
            for name in type(self).model_fields
            if name not in Result.model_fields and getattr(self, name) is None
        }
        return self.model_dump_json(indent=2, exclude=exclude)


class CallResult(Result):
    """A result of consortia under a call model: ``call`` is the call's id, ``consortia`` the
    consortia found (the groups, for a grouping)."""

    call: str
    consortia: tuple[Consortium, ...] = ()


class BuildResult(CallResult):
    """``consortium build``: the best consortia, best first; when none exists, ``conflict`` names a
    minimal set of conflicting rules with the facts behind them."""

    conflict: tuple[Conflict, ...] | None = None


class BalanceMeasure(BaseModel):
    """How balanced the groups are on a ``--balance`` column, as the validator measures it: for a
    categorical column, the members beyond their group's ideal count of their value (the group's
    size times the value's share among the round's seated members, rounded either way) and the
    groups with any; for a numeric one, the widest gap between two groups' means in a round."""

    model_config = FROZEN

    column: str
    numeric: bool
    groups: int = Field(description="the groups measured, over every round")
    off: int = Field(default=0, description="categorical: members beyond their ideal counts")
    groups_off: int = Field(default=0, description="categorical: groups off an ideal count")
    spread: float | None = Field(
        default=None, description="numeric: the widest gap between two group means of a round"
    )
    mean: float | None = Field(default=None, description="numeric: the seated members' mean")

    def words(self) -> str:
        """The measure in a sentence."""
        if self.numeric:
            return (
                f"{self.column}: group means within {self.spread:.3g} of each other"
                f" (everyone: {self.mean:.3g})"
            )
        if not self.off:
            return f"{self.column}: every group within one of its ideal count of each value"
        return (
            f"{self.column}: {self.groups_off} of {self.groups} groups off their ideal count"
            f" ({self.off} member{'s' if self.off != 1 else ''} in all)"
        )


class GroupingResult(CallResult):
    """``consortium group``: ``consortia`` holds the groups of the first round, ``rounds`` every
    round when there are several; ``unassigned`` everyone not placed (with the reasons of the
    ineligible ones in ``ineligible``); ``note`` says why there are no groups, when there are none."""

    unassigned: tuple[str, ...] = ()
    rounds: tuple[tuple[Consortium, ...], ...] | None = None
    ineligible: tuple[Ineligible, ...] = ()
    note: str | None = None
    conflict: tuple[Conflict, ...] | None = None
    """When no group can meet the rules: a minimal set of conflicting rules, as for ``build``."""
    hosts: tuple[str, ...] = Field(
        default=(),
        exclude_if=lambda hosts: not hosts,
        description="table hosts: group k of each round is the table of the k-th host present",
    )
    balance: tuple[BalanceMeasure, ...] = Field(
        default=(),
        exclude_if=lambda balance: not balance,
        description="how balanced the groups are on each --balance column",
    )
    edited: int = Field(
        default=0,
        exclude_if=lambda edited: not edited,
        description="changes made by hand since the search (the web app's moves); the status and"
        " objective are then those of the groups as they stand",
    )
    problems: tuple[str, ...] = Field(
        default=(),
        exclude_if=lambda problems: not problems,
        description="what the validator finds wrong with the groups as they stand (after changes"
        " by hand: a broken rule, a repeated meeting)",
    )
    repeated_pairs: tuple[tuple[str, str], ...] = ()
    """When no schedule without repeated meetings was found in time: the best schedule found is
    given all the same (status unknown), and these are the pairs that meet more than once."""

    def verdict(self) -> str:
        """The validator's verdict in words: "every rule met", or the problems — after changes by
        hand, saying how many."""
        by_hand = (
            f"changed by hand ({self.edited} change{'s' if self.edited != 1 else ''}); "
            if self.edited
            else ""
        )
        if not self.problems:
            return f"{by_hand}every rule met"
        shown = "; ".join(self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        return f"{by_hand}{len(self.problems)} problem(s): {shown}{more}"

    def schedule(self) -> list[tuple[Consortium, ...]]:
        """The groups of every round (one round: the consortia; none when no group was formed)."""
        if self.rounds is not None:
            return [tuple(r) for r in self.rounds]
        return [tuple(self.consortia)] if self.consortia else []


class MdgpResult(CallResult):
    """Research mode (maximally diverse grouping): groups of element numbers; nobody unassigned.
    ``call`` is ``MDGP`` (no call model: the instance's distances are the objective), ``search``
    the search that ran."""

    unassigned: tuple[str, ...] = ()
    search: Literal["memetic", "tabu"] | None = None


class Alternative(BaseModel):
    """One of the next-best programmes (``top`` K): its value, how many of its exchanges
    the best programme lacks, and its exchanges."""

    model_config = FROZEN

    rank: int
    value: float
    differs: int = Field(description="exchanges of this programme that the best one lacks")
    exchanges: tuple[Exchange, ...] = ()


class Unplaced(BaseModel):
    """A would-be visitor the plan leaves out, and why, in words."""

    model_config = FROZEN

    id: str
    reason: str


class ExchangeResult(Result):
    """``consortium exchange``: a programme of exchanges under the ``scheme``, the value it reaches,
    each partnership's spending, and the visitors left without a host."""

    scheme: str
    exchanges: tuple[Exchange, ...] = ()
    alternatives: tuple[Alternative, ...] = Field(
        default=(), description="with top K: the next-best distinct programmes, best first"
    )
    spending: dict[str, float] = Field(default_factory=dict)
    unplaced: tuple[Unplaced, ...] = Field(
        default=(), description="every would-be visitor not in the plan, with the reason"
    )
    note: str | None = None
