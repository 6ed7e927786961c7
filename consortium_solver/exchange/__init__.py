"""ClusterXchange programmes: visitors matched to hosts across borders, within capacities and
budgets, as valuable as can be (:func:`plan_exchanges`); every plan judged by
:func:`consortium_solver.validate.exchanges.check_plan`."""

from consortium_solver.exchange.planner import ExchangeOptions, plan_exchanges

__all__ = ["ExchangeOptions", "plan_exchanges"]
