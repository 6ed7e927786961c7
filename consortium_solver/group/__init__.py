"""Event groupings: a whole pool split into groups that each meet the call's rules, over one or
several rounds (:func:`group`; small events exactly, :func:`group_exact`); the grouping search (:mod:`.search`), a group's rules as fast checks
(:mod:`.constraints`), and schedules by construction (:mod:`.constructions`)."""

from consortium_solver.group.grouping import CYCLIC_MAX_S, CYCLIC_SHARE, group, group_exact
from consortium_solver.group.options import GroupOptions
from consortium_solver.rules import no_call

__all__ = ["CYCLIC_MAX_S", "CYCLIC_SHARE", "GroupOptions", "group", "group_exact", "no_call"]
