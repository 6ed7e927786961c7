"""ClusterXchange programmes: visitors matched to hosts across borders, within capacities and
budgets, as valuable as can be (:func:`plan_exchanges`); every plan judged by
:func:`consortium_solver.validate.exchanges.check_plan`.

- :mod:`.options` — :class:`ExchangeOptions`, the task's options model;
- :mod:`.candidates` — every eligible (visitor, host) pair with its distance, lump sum and value;
- :mod:`.bound` — the Lagrangian bound with budgets and the repair into the budgets;
- :mod:`.solve` — :func:`plan_exchanges`: flow, CP-SAT, the next-best programmes;
- :mod:`.result` — the plan judged by the validator, as the result document.
"""

from consortium_solver.exchange.options import ExchangeOptions
from consortium_solver.exchange.solve import plan_exchanges

__all__ = ["ExchangeOptions", "plan_exchanges"]
