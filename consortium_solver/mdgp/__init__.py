"""Research mode: the maximally diverse grouping problem (MDGP), MDGPLIB format.

Partition n elements into G groups, group g holding between a_g and b_g elements, maximising the sum
of the distances d_ij over the pairs inside each group (Gallego, Laguna, Martí, Duarte, JORS 64
(2013); instances from MDGPLIB).

- :mod:`.reader` — the MDGPLIB format and the objective;
- :mod:`.tabu` — an iterated tabu search in the line of the literature's exchange searches (Lai &
  Hao 2016, iterated maxima search; Yang et al. 2022, three-phase search), written from the papers'
  descriptions (no code of theirs is used);
- :mod:`.memetic` — a memetic search in the line of Yang et al.'s three-phase search (a population,
  perturbation, crossover of whole groups, descent), what a time-limited run uses;
- :mod:`.table` — what both searches share: starting sizes, assignments, the distance table;
- :mod:`.options` — :class:`MdgpOptions`, the task's options model;
- :mod:`.solve` — the entry point, :func:`solve_mdgp`, and the result document.
"""

from consortium_solver.mdgp.options import MdgpOptions
from consortium_solver.mdgp.reader import MdgpInstance, mdgp_value, read_mdgp
from consortium_solver.mdgp.solve import solve_mdgp
from consortium_solver.mdgp.tabu import TabuSearch

__all__ = ["MdgpInstance", "MdgpOptions", "TabuSearch", "mdgp_value", "read_mdgp", "solve_mdgp"]
