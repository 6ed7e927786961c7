"""Judging one consortium: a verdict per rule of the call (then any extra rules), and its score."""

from __future__ import annotations

from collections.abc import Sequence

from consortium_solver.core.errors import InputError
from consortium_solver.domain import Assessment, Organisation, Pool
from consortium_solver.rules import AnyRule, Call
from consortium_solver.validate.rules import check_rule
from consortium_solver.validate.terms import score_terms, total


def resolve_members(pool: Pool, member_ids: Sequence[str]) -> list[Organisation]:
    """The organisations behind a list of ids, in the given order.

    Raises:
        InputError: an id is not in the pool or is listed twice.
    """
    seen: set[str] = set()
    out = []
    for member_id in member_ids:
        if member_id in seen:
            raise InputError("member listed twice", field="members", value=member_id)
        seen.add(member_id)
        org = pool.by_id.get(member_id)
        if org is None:
            raise InputError(
                f"no organisation with this id in pool {pool.name!r}",
                field="members",
                value=member_id,
            )
        out.append(org)
    return out


def check(
    pool: Pool,
    call: Call,
    member_ids: Sequence[str],
    *,
    extra_rules: Sequence[AnyRule] = (),
) -> Assessment:
    """Judge a consortium: one verdict per rule of the call (then any extra rules), and its score.

    Args:
        pool: the pool the members come from.
        call: the call model whose rules and objective apply.
        member_ids: ids of the members, each once.
        extra_rules: further rules, e.g. a user's own size range, judged after the call's.

    Raises:
        InputError: an id is unknown or repeated.
    """
    members = resolve_members(pool, member_ids)
    verdicts = tuple(check_rule(rule, members) for rule in (*call.rules, *extra_rules))
    terms = score_terms(members, call.objective, call.link_weights())
    return Assessment(
        call=call.id,
        pool=pool.name,
        members=tuple(member_ids),
        eligible=all(v.passed for v in verdicts),
        verdicts=verdicts,
        score=total(terms),
        terms=terms,
    )
