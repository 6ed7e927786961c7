"""The independent validator: rule-by-rule verdicts and the score breakdown, in plain Python.

It judges every answer of every solver, so it shares no code with the encoder or the searches and
never imports ortools (a ruff banned-api rule, and ``tests/test_architecture.py``, enforce it). Each
rule kind has one method of ``Checks`` (:mod:`.rules`), each objective term one ``term_<name>``
(:mod:`.terms`); :func:`check` judges a consortium, :func:`check_grouping` a schedule of groupings.
"""

from consortium_solver.validate.consortium import check, resolve_members
from consortium_solver.validate.grouping import GroupingVerdict, check_grouping
from consortium_solver.validate.rules import check_rule
from consortium_solver.validate.terms import score_terms, total

__all__ = [
    "GroupingVerdict",
    "check",
    "check_grouping",
    "check_rule",
    "resolve_members",
    "score_terms",
    "total",
]
