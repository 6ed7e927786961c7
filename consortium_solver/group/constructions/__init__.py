"""First schedules by construction, for pure groupings over several rounds: read off finite
geometries (:mod:`.designs`) where the numbers fit one, else a cyclic schedule from one base round
(:mod:`.cyclic`)."""

from consortium_solver.group.constructions.cyclic import CyclicSearch
from consortium_solver.group.constructions.designs import known_rounds

__all__ = ["CyclicSearch", "known_rounds"]
