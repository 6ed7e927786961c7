"""Decision variables of one consortium, and the domain questions they answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ortools.sat.python import cp_model

from consortium_solver.domain import Organisation, org_values

BoolVar = cp_model.IntVar


class SelectionModel:
    """A CP-SAT model choosing a subset of organisations, with lazily created presence Booleans.

    ``x[id]`` is 1 when the organisation is a member. ``presence(field, value)`` is a Boolean that can
    be 1 only if some member has that value (one direction: the objective and the rules only ever
    reward presence, so the solver sets it whenever it may).
    """

    def __init__(
        self,
        orgs: Sequence[Organisation],
        *,
        max_size: int,
        model: cp_model.CpModel | None = None,
    ) -> None:
        # A shared model holds several selections at once (one per group of a partition).
        self.model = model if model is not None else cp_model.CpModel()
        self.orgs = list(orgs)
        self.max_size = max_size
        self.x: dict[str, BoolVar] = {o.id: self.model.new_bool_var(f"x[{o.id}]") for o in orgs}
        self._presence: dict[tuple[str, str], BoolVar | None] = {}
        self._by_value: dict[str, dict[str, list[BoolVar]]] = {}
        self._counts: dict[tuple[str, str], cp_model.IntVar] = {}
        # Auxiliary variables and how their best value follows from the chosen organisations,
        # so that a hint can be complete (CP-SAT makes little of a hint on x alone).
        self._derived: list[tuple[cp_model.IntVar, Callable[[list[Organisation]], int]]] = []

    def derive(self, var: cp_model.IntVar, value: Callable[[list[Organisation]], int]) -> None:
        """Record how an auxiliary variable's value follows from the members (for hints)."""
        self._derived.append((var, value))

    def size(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum(list(self.x.values()))

    def by_value(self, field: str) -> dict[str, list[BoolVar]]:
        """Value of a field -> the member variables of organisations having it."""
        if field not in self._by_value:
            groups: dict[str, list[BoolVar]] = {}
            for org in self.orgs:
                for value in org_values(org, field):
                    groups.setdefault(value, []).append(self.x[org.id])
            self._by_value[field] = dict(sorted(groups.items()))
        return self._by_value[field]

    def members_with(self, field: str, values: Iterable[str]) -> list[BoolVar]:
        groups = self.by_value(field)
        return [x for value in values for x in groups.get(value, [])]

    def count(self, field: str, value: str) -> cp_model.IntVar:
        """An integer variable equal to the number of members having the value."""
        key = (field, value)
        if key not in self._counts:
            xs = self.by_value(field).get(value, [])
            n = self.model.new_int_var(0, min(len(xs), self.max_size), f"n[{field}={value}]")
            self.model.add(n == cp_model.LinearExpr.sum(xs))
            self.derive(n, lambda ms: sum(value in org_values(o, field) for o in ms))
            self._counts[key] = n
        return self._counts[key]

    def presence(self, field: str, value: str) -> BoolVar | None:
        """A Boolean that may be 1 only if a member has the value; None if no candidate has it."""
        key = (field, value)
        if key not in self._presence:
            xs = self.by_value(field).get(value, [])
            if not xs:
                self._presence[key] = None
            else:
                p = self.model.new_bool_var(f"p[{field}={value}]")
                # Written as a linear inequality (not a clause) so that the LP relaxation sees it.
                self.model.add(p <= cp_model.LinearExpr.sum(xs))
                self.derive(p, lambda ms: any(value in org_values(o, field) for o in ms))
                self._presence[key] = p
        return self._presence[key]

    def presences(self, field: str, values: Iterable[str] | None = None) -> list[BoolVar]:
        wanted = self.by_value(field) if values is None else values
        return [p for v in wanted if (p := self.presence(field, v)) is not None]

    def hint(self, member_ids: Iterable[str]) -> None:
        """Suggest a consortium to the solver (a hint, not a constraint)."""
        chosen = set(member_ids)
        members = [o for o in self.orgs if o.id in chosen]
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for org_id, x in self.x.items():
            self.model.add_hint(x, org_id in chosen)
        for var, value in self._derived:
            self.model.add_hint(var, int(value(members)))

    def fix(self, member_ids: Iterable[str]) -> None:
        """Fix the membership exactly (for tests): the given ids in, every other candidate out."""
        chosen = set(member_ids)
        for org_id, x in self.x.items():
            self.model.add(x == (1 if org_id in chosen else 0))

    def extract(self, solver: cp_model.CpSolver) -> list[str]:
        """Member ids of the solver's current solution, in pool order."""
        return [o.id for o in self.orgs if solver.boolean_value(self.x[o.id])]
