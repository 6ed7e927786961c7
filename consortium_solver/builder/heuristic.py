"""A fast primal heuristic for the builder: greedy construction, then swap/add/drop local search.

CP-SAT proves our bounds quickly (the pair-count cuts) but, on pools of thousands, finds the best
consortium slowly; this search finds it (or one close to it) in well under a second and hands it to
CP-SAT as a hint. It scores with bitmasks over sectors and competences, the same definitions as the
validator (README, "Score"), and accepts only consortia that every rule accepts (the validator's
checkers).
Its output is never reported without going through CP-SAT and the validator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.rules import Problem
from consortium_solver.scoring import Scorer, VectorScorer
from consortium_solver.validate import check_rule

# Perturbations without a better consortium after which the timed search stops early.
STALE_ROUNDS = 40


def local_search(
    problem: Problem,
    *,
    fixed: Sequence[str] = (),
    seed: int = 0,
    clock: Clock | None = None,
) -> list[str] | None:
    """A good consortium meeting every rule, or None if none was found within the budget.

    The budget is the ``clock`` (half a second when none is given): wall-clock seconds, or in
    deterministic mode one step per perturbation (the same input and seed then give the same
    answer); a wall-clock search also stops once many perturbations brought nothing.

    Greedy construction from the fixed members, then iterated local search: best-improving swap,
    add and drop moves (each neighbourhood scored at once by :class:`VectorScorer`); at a local
    optimum the best consortium meeting every rule is remembered and two members are replaced at
    random before descending again.
    """
    candidates, min_size, max_size = problem.candidates, problem.min_size, problem.max_size
    if not candidates or max_size < 1:
        return None
    clock = clock or Clock(0.5)
    rng = random.Random(seed)
    scorer = Scorer(candidates, problem.objective, problem.links)
    vec = VectorScorer(scorer)
    index = {o.id: i for i, o in enumerate(candidates)}
    pinned = [index[i] for i in fixed if i in index]
    if len(pinned) > max_size:
        return None
    pinned_set = set(pinned)
    free_pool = [i for i in range(len(candidates)) if i not in pinned_set]

    def feasible(chosen: list[int]) -> bool:
        orgs = [candidates[i] for i in chosen]
        return all(check_rule(rule, orgs).passed for rule in problem.rules)

    current = list(pinned)
    while len(current) < max_size:  # greedy construction
        scores = vec.extend(current)
        j = _pick(scores, rng)
        if j < 0 or (len(current) >= min_size and scores[j] <= scorer.score(current) + 1e-9):
            break
        current.append(j)

    best_set: list[int] | None = None
    best_score = float("-inf")
    done = 0
    last_gain = 0
    while True:
        current, current_score = _descend(scorer, vec, current, pinned, min_size, max_size, rng)
        if current_score > best_score + 1e-9 and feasible(current):
            best_set, best_score = list(current), current_score
            last_gain = done
        done += 1
        # Stop at the budget, or (wall clock) earlier once many perturbations brought nothing.
        stale = not clock.deterministic and done - last_gain >= STALE_ROUNDS
        if clock.expired() or stale or not free_pool:
            break
        current = list(best_set) if best_set is not None else current
        free = [k for k, i in enumerate(current) if i not in pinned_set]
        for k in rng.sample(free, min(2, len(free))):
            j = rng.choice(free_pool)
            if j not in current:
                current[k] = j
    if best_set is None:
        return None
    return [candidates[i].id for i in best_set]


def _pick(scores: np.ndarray, rng: random.Random) -> int:
    """Index of a best score, ties broken at random (-1 if none is finite)."""
    top = float(scores.max()) if len(scores) else float("-inf")
    if not np.isfinite(top):
        return -1
    ties = np.flatnonzero(scores >= top - 1e-9)
    return int(ties[rng.randrange(len(ties))])


def _descend(
    scorer: Scorer,
    vec: VectorScorer,
    current: list[int],
    pinned: list[int],
    min_size: int,
    max_size: int,
    rng: random.Random,
) -> tuple[list[int], float]:
    """Best-improvement descent over swap, add and drop moves, to a local optimum."""
    current_score = scorer.score(current)
    while True:
        best_move: list[int] | None = None
        best = current_score + 1e-9
        movable = [k for k, i in enumerate(current) if i not in set(pinned)]
        for k in movable:
            base = current[:k] + current[k + 1 :]
            scores = vec.extend(base)
            j = _pick(scores, rng)
            if j >= 0 and scores[j] > best:
                best, best_move = float(scores[j]), [*base, j]
            if len(current) > min_size:
                dropped = scorer.score(base)
                if dropped > best:
                    best, best_move = dropped, base
        if len(current) < max_size:
            scores = vec.extend(current)
            j = _pick(scores, rng)
            if j >= 0 and scores[j] > best:
                best, best_move = float(scores[j]), [*current, j]
        if best_move is None:
            return current, current_score
        current, current_score = best_move, best
