"""The call model's rules as CP-SAT constraints: ``Encoder``, one method per rule kind.

Each method takes the rule, the selection model and an optional enforcement literal. With a literal the rule
holds only when the literal is true, which is how explanations ask which rules conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from consortium_solver.domain import Organisation
from consortium_solver.encode.model import BoolVar, SelectionModel
from consortium_solver.rules import kinds

Literal = BoolVar | None


def _enforce(ct: cp_model.Constraint, lit: Literal) -> None:
    if lit is not None:
        ct.only_enforce_if(lit)


def _impossible(m: SelectionModel, lit: Literal) -> None:
    """The rule cannot hold: forbid it outright, or forbid its literal."""
    _enforce(m.model.add(m.model.new_constant(0) >= 1), lit)


class _Counted:
    """The members the validator would count for a ``min_independent`` rule, found once per set
    of members: a hint asks it for every y of the rule (thousands on a large pool)."""

    def __init__(self, rule: kinds.MinIndependent) -> None:
        self.rule = rule
        self.members: tuple[str, ...] = ()
        self.counted: frozenset[str] = frozenset()

    def of(self, members: list[Organisation]) -> frozenset[str]:
        key = tuple(o.id for o in members)
        if key != self.members:
            self.members = key
            self.counted = frozenset(o.id for o in self.rule.independent(members))
        return self.counted

    def value(self, org_id: str) -> Callable[[list[Organisation]], int]:
        """The hint's value of the organisation's y: 1 when it is counted."""
        return lambda members: int(org_id in self.of(members))


class Encoder(kinds.RuleHandlers[[SelectionModel, Literal], None]):
    """Each kind of rule as CP-SAT constraints on a selection model, enforced by ``lit`` if given."""

    def member_in(self, rule: kinds.MemberIn, m: SelectionModel, lit: Literal = None) -> None:
        """Organisations whose field lies outside the values cannot be members."""
        for org in m.orgs:
            if not rule.matches(org):
                _enforce(m.model.add(m.x[org.id] == 0), lit)

    def size(self, rule: kinds.Size, m: SelectionModel, lit: Literal = None) -> None:
        """min <= number of members <= max."""
        upper = rule.max if rule.max is not None else len(m.orgs)
        _enforce(m.model.add_linear_constraint(m.size(), rule.min, upper), lit)

    def min_distinct(self, rule: kinds.MinDistinct, m: SelectionModel, lit: Literal = None) -> None:
        """At least ``min`` values of the field are present (one presence Boolean per value)."""
        presences = m.presences(rule.field, rule.values)
        if len(presences) < rule.min:
            _impossible(m, lit)
            return
        _enforce(m.model.add(cp_model.LinearExpr.sum(presences) >= rule.min), lit)

    def min_count(self, rule: kinds.MinCount, m: SelectionModel, lit: Literal = None) -> None:
        """At least ``min`` members have the field in the values."""
        if rule.or_else:
            xs = [m.x[org.id] for org in m.orgs if rule.matches(org)]
        else:
            xs = m.members_with(rule.field, rule.values)
        if len(xs) < rule.min:
            _impossible(m, lit)
            return
        _enforce(m.model.add(cp_model.LinearExpr.sum(xs) >= rule.min), lit)

    def max_per_value(
        self, rule: kinds.MaxPerValue, m: SelectionModel, lit: Literal = None
    ) -> None:
        """For every value, at most ``max`` members share it."""
        for xs in m.by_value(rule.field).values():
            if len(xs) > rule.max:
                _enforce(m.model.add(cp_model.LinearExpr.sum(xs) <= rule.max), lit)

    def min_independent(
        self, rule: kinds.MinIndependent, m: SelectionModel, lit: Literal = None
    ) -> None:
        """A Boolean y per counted candidate, y <= x, at most one y per value of the field and per
        controller, and at least ``min`` of them: such a y exists exactly when the members hold
        ``min`` independent ones in different values (a matching, written as its own variables)."""
        counted = [org for org in m.orgs if rule.counts(org)]
        if len({rule.slot(o) for o in counted}) < rule.min or (
            len({o.control for o in counted}) < rule.min
        ):
            _impossible(m, lit)
            return
        model = m.model
        ys = {o.id: model.new_bool_var(f"y[{rule.id}:{o.id}]") for o in counted}
        by_slot: dict[str, list[BoolVar]] = {}
        by_control: dict[str, list[BoolVar]] = {}
        hint = _Counted(rule)
        for org in counted:
            y = ys[org.id]
            model.add_implication(y, m.x[org.id])
            by_slot.setdefault(rule.slot(org), []).append(y)
            by_control.setdefault(org.control, []).append(y)
            m.derive(y, hint.value(org.id))
        for group in (*by_slot.values(), *by_control.values()):
            if len(group) > 1:
                model.add_at_most_one(group)
        _enforce(model.add(cp_model.LinearExpr.sum(list(ys.values())) >= rule.min), lit)

    def coordinator(self, rule: kinds.Coordinator, m: SelectionModel, lit: Literal = None) -> None:
        """At least one member meets every condition."""
        xs = [m.x[org.id] for org in m.orgs if rule.matches(org)]
        if not xs:
            _impossible(m, lit)
            return
        _enforce(m.model.add(cp_model.LinearExpr.sum(xs) >= 1), lit)

    def include(self, rule: kinds.Include, m: SelectionModel, lit: Literal = None) -> None:
        """The listed organisations are members (impossible if one is not a candidate)."""
        for org_id in rule.members:
            if org_id not in m.x:
                _impossible(m, lit)
                return
            _enforce(m.model.add(m.x[org_id] == 1), lit)

    def exclude(self, rule: kinds.Exclude, m: SelectionModel, lit: Literal = None) -> None:
        """The listed organisations are not members."""
        for org_id in rule.members:
            if org_id in m.x:
                _enforce(m.model.add(m.x[org_id] == 0), lit)


ENCODERS = Encoder()


def encode_rule(m: SelectionModel, rule: kinds.AnyRule, lit: Literal = None) -> None:
    """Encode a rule of any kind (``lit``: the rule holds only when it is true)."""
    ENCODERS(rule, m, lit)
