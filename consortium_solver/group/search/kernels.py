"""The grouping search's compiled kernels: a group's value, moves proposed, judged and made, the
annealing and the conflict repair — loops over flat arrays, compiled by numba
(:mod:`consortium_solver.core.native`).

Tables (read only): the rules as codes (:class:`~consortium_solver.group.constraints.RuleTables`)
and the scorer's bitmasks and codes (:class:`ScoreTables`). State (:class:`Arrays`): for each round
r and group g, ``members[r, g, :size[r, g]]``; for each member, its group ``where[r, i]`` (-1:
unplaced) and position ``pos[r, i]`` in its group or in ``unplaced[r, :n_unplaced[r]]``; the meeting
counts ``meet[i, j]`` (empty for one round); each group's ``violation`` and ``score``.

A move touches one or two groups: their new values are computed from the members (rules from the
codes with scratch counters, the score from bitmasks — O(group size)), the change in repeated
meetings from ``meet`` (O(group size)), so a move costs the same at any pool size. Each move made
by the annealing is logged so that it can be undone: the best schedule is never copied, the log is
played backwards at the end (the log is cleared at each new best).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from consortium_solver.core.native import inline_kernel, loop_kernel
from consortium_solver.group.constraints import Reading
from consortium_solver.group.constraints import RuleTables as Rules

HARD = 1_000_000.0  # weight of one violation or repeated meeting against score points
WORD = 60  # bits per word of a bitmask (int64, sign bit never used)
OVER, DISTINCT, COUNT, SIZE = (int(reading) for reading in Reading)  # plain ints for the kernels
SWAP, RELOCATE, INSERT, EXCHANGE = 0, 1, 2, 3  # kinds of logged moves


class ScoreTables(NamedTuple):
    """The objective's data per candidate: sectors, offers and needs as bitmasks (words of
    ``WORD`` bits), countries, development categories (-1: none) and maturities as codes, the
    sectors' link weights (``pair_sum[mask]`` for up to 20 sectors, else ``link[s, t]``), and the
    term weights (sector links, needs met, countries, development mix, maturity mix, size).

    Balance (``group.balance``; empty arrays when none): categorical columns' codes
    ``bal_codes[k, i]`` (-1: blank) in a shared space from ``bal_offset[k]``, each value's share
    of round r's attendees ``bal_share[r, v]`` and the weights; numeric columns' values in standard
    deviations ``num_values[k, i]`` (NaN: blank), round r's mean ``num_mean[r, k]`` and weights."""

    sectors: np.ndarray
    offers: np.ndarray
    needs: np.ndarray
    country: np.ndarray
    development: np.ndarray
    maturity: np.ndarray
    pair_sum: np.ndarray
    link: np.ndarray
    weights: np.ndarray
    bal_codes: np.ndarray
    bal_offset: np.ndarray
    bal_share: np.ndarray
    bal_weight: np.ndarray
    bal_common: np.ndarray
    bal_common_ptr: np.ndarray
    num_values: np.ndarray
    num_mean: np.ndarray
    num_weight: np.ndarray


class Arrays(NamedTuple):
    """A schedule as arrays (see the module)."""

    members: np.ndarray
    size: np.ndarray
    n_groups: np.ndarray
    where: np.ndarray
    pos: np.ndarray
    unplaced: np.ndarray
    n_unplaced: np.ndarray
    meet: np.ndarray
    violation: np.ndarray
    score: np.ndarray
    pinned: np.ndarray  # pinned[r, i]: member i stays in its group of round r (moves skip it)
    cap: np.ndarray  # cap[r, g]: the most members group g of round r may hold (its table's seats)


class Scratch(NamedTuple):
    """Working space of the kernels (nothing in it outlives a call). ``counts[c]`` is a count of
    code c only where ``stamp[c]`` holds the current ``tick`` (a stale count reads as 0, so no pass
    resets them); ``seen`` marks members and codes the same way."""

    counts: np.ndarray
    stamp: np.ndarray
    seen: np.ndarray
    tick: np.ndarray
    pre: np.ndarray
    suf: np.ndarray
    words: np.ndarray
    group_a: np.ndarray
    group_b: np.ndarray
    tally: np.ndarray  # a group's count of each value of the balanced columns
    tally_stamp: np.ndarray  # tally[v] counts only where tally_stamp[v] holds the current tick
    rng: np.ndarray  # the random state of the moves (core.native.random_state): it outlives calls


def scratch_for(
    rules: Rules, scores: ScoreTables, n: int, capacity: int, rng: np.ndarray
) -> Scratch:
    words = max(scores.sectors.shape[1], scores.offers.shape[1], 1)
    codes = int(rules.offset[-1]) if rules.offset.size else 0
    return Scratch(
        counts=np.zeros(max(codes, 1), dtype=np.int64),
        stamp=np.zeros(max(codes, 1), dtype=np.int64),
        seen=np.zeros((4, max(n, 1)), dtype=np.int64),
        tick=np.zeros(1, dtype=np.int64),
        pre=np.zeros((2, capacity + 2, words), dtype=np.int64),
        suf=np.zeros((2, capacity + 2, words), dtype=np.int64),
        words=np.zeros(words, dtype=np.int64),
        group_a=np.zeros(capacity + 1, dtype=np.int64),
        group_b=np.zeros(capacity + 1, dtype=np.int64),
        tally=np.zeros(max(scores.bal_share.shape[1], 1), dtype=np.int64),
        tally_stamp=np.zeros(max(scores.bal_share.shape[1], 1), dtype=np.int64),
        rng=rng,
    )


# --- a group's value -----------------------------------------------------------------------------


@inline_kernel
def popcount(x: int) -> int:
    """Set bits of a word below 2^63 (SWAR: Warren, "Hacker's Delight", 5-1)."""
    x = x - ((x >> 1) & 0x5555555555555555)
    x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333)
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0F
    return ((x * 0x0101010101010101) >> 56) & 0xFF


@inline_kernel
def _links(scores: ScoreTables, mask: np.ndarray) -> float:
    """Σ link[s, t] over the pairs of sectors in the mask."""
    if scores.pair_sum.size > 1:
        return float(scores.pair_sum[mask[0]])
    total = 0.0
    n_words = mask.shape[0]
    for wa in range(n_words):
        for ba in range(WORD):
            if not (mask[wa] >> ba) & 1:
                continue
            a = wa * WORD + ba
            for wb in range(wa, n_words):
                for bb in range(ba + 1 if wb == wa else 0, WORD):
                    if (mask[wb] >> bb) & 1:
                        total += scores.link[a, wb * WORD + bb]
    return total


@inline_kernel
def _distinct(
    codes: np.ndarray, group: np.ndarray, s: int, seen: np.ndarray, row: int, tick: int
) -> int:
    """Distinct codes among the group's members (-1 never counts), marked in ``seen[row]``."""
    found = 0
    for k in range(s):
        c = codes[group[k]]
        if c >= 0 and seen[row, c] != tick:
            seen[row, c] = tick
            found += 1
    return found


@inline_kernel
def _mixes(scores: ScoreTables, work: Scratch, group: np.ndarray, s: int) -> tuple[int, int, int]:
    """Distinct countries, development categories and maturities among the group's members: in
    one pass as bits of a word when every code is below ``WORD`` (nearly always), else marked."""
    countries = development = maturity = 0
    wide = False
    for k in range(s):
        i = group[k]
        c, d, m = scores.country[i], scores.development[i], scores.maturity[i]
        wide |= c >= WORD or d >= WORD or m >= WORD
        countries |= 1 << c if 0 <= c < WORD else 0
        development |= 1 << d if 0 <= d < WORD else 0
        maturity |= 1 << m if 0 <= m < WORD else 0
    if not wide:
        return popcount(countries), popcount(development), popcount(maturity)
    tick = work.tick[0] + 1
    work.tick[0] = tick
    return (
        _distinct(scores.country, group, s, work.seen, 1, tick),
        _distinct(scores.development, group, s, work.seen, 2, tick),
        _distinct(scores.maturity, group, s, work.seen, 3, tick),
    )


@inline_kernel
def _single_word_terms(scores: ScoreTables, group: np.ndarray, s: int) -> tuple[float, int]:
    """Sector links and needs met when sectors and tags each fit one word and the sectors' link
    weights are tabled by mask (``pair_sum``, up to 20 sectors: the common case), in
    registers: the bits held by one member or more (``once``) and by two or more (``many``) tell
    each member's lone sectors (``once & ~many``) and the offers of the others (a bit offered twice,
    or once by someone else)."""
    sectors, offers, needs_of, pair_sum = (
        scores.sectors,
        scores.offers,
        scores.needs,
        scores.pair_sum,
    )
    once = many = offered = offered_twice = 0
    for k in range(s):
        i = group[k]
        many |= once & sectors[i, 0]
        once |= sectors[i, 0]
        offered_twice |= offered & offers[i, 0]
        offered |= offers[i, 0]
    lone = once & ~many
    links = pair_sum[once]
    needs = 0
    for k in range(s):
        i = group[k]
        unique = sectors[i, 0] & lone
        if unique & (unique - 1):  # two or more sectors only this member brings
            links -= pair_sum[unique]
        needs += popcount(needs_of[i, 0] & (offered_twice | (offered & ~offers[i, 0])))
    return links, needs


@loop_kernel
def _many_word_terms(
    scores: ScoreTables, work: Scratch, group: np.ndarray, s: int
) -> tuple[float, int]:
    """Sector links and needs met with bitmasks of several words (prefix and suffix unions)."""
    pre, suf, unique = work.pre, work.suf, work.words
    n_words = scores.sectors.shape[1]
    t_words = scores.offers.shape[1]
    for w in range(pre.shape[2]):
        pre[0, 0, w] = pre[1, 0, w] = suf[0, s, w] = suf[1, s, w] = 0
    for k in range(s):
        i, b = group[k], group[s - 1 - k]
        for w in range(n_words):
            pre[0, k + 1, w] = pre[0, k, w] | scores.sectors[i, w]
            suf[0, s - 1 - k, w] = suf[0, s - k, w] | scores.sectors[b, w]
        for w in range(t_words):
            pre[1, k + 1, w] = pre[1, k, w] | scores.offers[i, w]
            suf[1, s - 1 - k, w] = suf[1, s - k, w] | scores.offers[b, w]
    links = _links(scores, pre[0, s, :n_words])
    needs = 0
    for k in range(s):
        i = group[k]
        bits = 0
        for w in range(n_words):
            unique[w] = scores.sectors[i, w] & ~(pre[0, k, w] | suf[0, k + 1, w])
            bits += popcount(unique[w])
        if bits >= 2:  # two or more sectors only this member brings
            links -= _links(scores, unique[:n_words])
        for w in range(t_words):
            needs += popcount(scores.needs[i, w] & (pre[1, k, w] | suf[1, k + 1, w]))
    return links, needs


@inline_kernel
def _off_ideal(count: int, ideal: float) -> float:
    """Members beyond the floor or the ceiling of the ideal count."""
    low, high = np.floor(ideal + 1e-9), np.ceil(ideal - 1e-9)
    if count < low:
        return float(low - count)
    if count > high:
        return float(count - high)
    return 0.0


@loop_kernel
def balance_cost(scores: ScoreTables, work: Scratch, group: np.ndarray, s: int, r: int) -> float:
    """The group's imbalance in round r, in score points (see ``group.balance``): for each
    categorical column, the members beyond the floor or ceiling of each value's ideal count; for
    each numeric one, its members with a value times the squared distance of their mean from the
    round's."""
    total = 0.0
    tally = work.tally
    for k in range(scores.bal_codes.shape[0]):
        # Only the values present and the round's common ones (an ideal count of one or more in
        # the largest group) can be off: a column of many values (a company's name) costs the
        # group's size, not its number of values. tally: -1 once a value is counted.
        first = scores.bal_offset[k]
        start, stop = scores.bal_common_ptr[r, k], scores.bal_common_ptr[r, k + 1]
        tick = work.tick[0] + 1
        work.tick[0] = tick
        for m in range(s):  # counts, reset by stamping (a stale count reads as 0)
            c = scores.bal_codes[k, group[m]]
            if c >= 0:
                v = first + c
                if work.tally_stamp[v] != tick:
                    work.tally_stamp[v], tally[v] = tick, 0
                tally[v] += 1
        off = 0.0
        for m in range(s):
            c = scores.bal_codes[k, group[m]]
            if c >= 0 and tally[first + c] > 0:
                off += _off_ideal(tally[first + c], s * scores.bal_share[r, first + c])
                tally[first + c] = -1  # counted
        for t in range(start, stop):
            v = scores.bal_common[r, t]
            if work.tally_stamp[v] != tick:  # a common value no member has
                off += _off_ideal(0, s * scores.bal_share[r, v])
        total += scores.bal_weight[k] * off
    for k in range(scores.num_values.shape[0]):
        acc, filled = 0.0, 0
        for m in range(s):
            x = scores.num_values[k, group[m]]
            if x == x:  # not NaN: a filled cell
                acc += x
                filled += 1
        if filled:
            d = acc / filled - scores.num_mean[r, k]
            total += scores.num_weight[k] * filled * d * d
    return total


@inline_kernel
def group_score(scores: ScoreTables, work: Scratch, group: np.ndarray, s: int, r: int) -> float:
    """The group's score, as scoring.Scorer and the validator's terms define it, less its
    imbalance in round r on the balanced columns (none: nothing)."""
    if s == 0:
        return 0.0
    imbalance = 0.0
    if scores.bal_codes.shape[0] or scores.num_values.shape[0]:
        imbalance = balance_cost(scores, work, group, s, r)
    if scores.sectors.shape[1] == 1 and scores.offers.shape[1] == 1 and scores.pair_sum.size > 1:
        links, needs = _single_word_terms(scores, group, s)
    else:
        links, needs = _many_word_terms(scores, work, group, s)
    countries, development, maturity = _mixes(scores, work, group, s)
    w = scores.weights
    return float(
        w[0] * links
        + w[1] * needs
        + w[2] * countries
        + w[3] * development
        + w[4] * maturity
        + w[5] * s
        - imbalance
    )


@inline_kernel
def group_violation(rules: Rules, work: Scratch, group: np.ndarray, s: int, r: int) -> int:
    """How far the group (of round r) is from meeting its rules and pairs
    (constraints.GroupRules.violation)."""
    n = rules.partner_ptr.shape[0] - 1
    ptr, data, counts, stamp = rules.ptr, rules.data, work.counts, work.stamp
    tick = work.tick[0] + 1
    work.tick[0] = tick
    total = 0
    for q in range(rules.reading.shape[0]):
        reading, low, first = rules.reading[q], rules.low[q], rules.offset[q]
        if reading == SIZE:
            high = rules.high[q]
            total += max(0, low - s) + (max(0, s - high) if high >= 0 else 0)
        elif reading == COUNT:
            hits = 0
            for k in range(s):
                hits += ptr[q * n + group[k] + 1] - ptr[q * n + group[k]]
            total += max(0, low - hits)
            if rules.high[q] >= 0:
                total += max(0, hits - rules.high[q])
        elif reading == DISTINCT and rules.offset[q + 1] - first <= WORD:  # codes as bits
            bits = 0
            for k in range(s):
                for t in range(ptr[q * n + group[k]], ptr[q * n + group[k] + 1]):
                    bits |= 1 << (data[t] - first)
            total += max(0, low - popcount(bits))
        else:  # counts, reset by stamping
            distinct = over = 0
            for k in range(s):
                for t in range(ptr[q * n + group[k]], ptr[q * n + group[k] + 1]):
                    c = data[t]
                    if stamp[c] != tick:
                        stamp[c], counts[c] = tick, 0
                    counts[c] += 1
                    distinct += counts[c] == 1
                    over += counts[c] > low
            total += over if reading == OVER else max(0, low - distinct)
    if rules.partner.shape[0]:
        for k in range(s):
            work.seen[0, group[k]] = tick
        for k in range(s):
            i = group[k]
            for t in range(rules.partner_ptr[i], rules.partner_ptr[i + 1]):
                if rules.when[t] >= 0 and rules.when[t] != r:
                    continue
                if (work.seen[0, rules.partner[t]] == tick) != (rules.want[t] == 1):
                    total += 1
    return total


@loop_kernel
def evaluate_all(rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays) -> None:
    """Every group's violation and score, from scratch."""
    for r in range(state.members.shape[0]):
        for g in range(state.n_groups[r]):
            refresh_group(rules, scores, work, state, r, g)


@loop_kernel
def conflicts(meet: np.ndarray) -> int:
    """Meetings beyond the first, summed over pairs."""
    total = 0
    for i in range(meet.shape[0]):
        for j in range(i + 1, meet.shape[0]):
            if meet[i, j] > 1:
                total += meet[i, j] - 1
    return total


# --- moves -------------------------------------------------------------------------------------


@loop_kernel
def take_out(state: Arrays, r: int, i: int) -> None:
    """i leaves its group (meeting each member one time less) or the unplaced."""
    g, p = state.where[r, i], state.pos[r, i]
    if g < 0:
        last = state.unplaced[r, state.n_unplaced[r] - 1]
        state.unplaced[r, p] = last
        state.pos[r, last] = p
        state.n_unplaced[r] -= 1
        return
    s = state.size[r, g]
    group = state.members[r, g]
    _meet_all(state.meet, i, group, s, -1)
    last = group[s - 1]
    group[p] = last
    state.pos[r, last] = p
    state.size[r, g] = s - 1


@loop_kernel
def put_in(state: Arrays, r: int, i: int, g: int) -> None:
    """i joins group g (meeting each member once more), or the unplaced when g is -1."""
    state.where[r, i] = g
    if g < 0:
        state.pos[r, i] = state.n_unplaced[r]
        state.unplaced[r, state.n_unplaced[r]] = i
        state.n_unplaced[r] += 1
        return
    s = state.size[r, g]
    group = state.members[r, g]
    _meet_all(state.meet, i, group, s, 1)
    group[s] = i
    state.pos[r, i] = s
    state.size[r, g] = s + 1


@loop_kernel
def trade_places(state: Arrays, r: int, x: int, y: int) -> None:
    """x and y of round r trade groups (the meeting counts follow; the groups' values aside)."""
    gx, gy = state.where[r, x], state.where[r, y]
    take_out(state, r, x)
    take_out(state, r, y)
    put_in(state, r, x, gy)
    put_in(state, r, y, gx)


@loop_kernel
def _meet_all(meet: np.ndarray, i: int, group: np.ndarray, s: int, change: int) -> None:
    """i meets each member of the group (i aside) ``change`` times more (-1: one time less)."""
    if meet.shape[0]:
        for k in range(s):
            j = group[k]
            if j != i:
                meet[i, j] += change
                meet[j, i] += change


@inline_kernel
def load_group(buf: np.ndarray, members: np.ndarray, r: int, g: int, s: int) -> None:
    """The s members of group g of round r into ``buf`` (read in place, not through a view of
    ``members[r, g]``: see :func:`meetings_changed`)."""
    for k in range(s):
        buf[k] = members[r, g, k]


@inline_kernel
def swapped(work: Scratch, state: Arrays, r: int, x: int, y: int) -> tuple[int, int]:
    """The groups of x and y in round r as they would be with x and y traded, into the scratch
    space (``group_a``: x's group, ``group_b``: y's); their sizes."""
    a, b = state.where[r, x], state.where[r, y]
    sa, sb = state.size[r, a], state.size[r, b]
    load_group(work.group_a, state.members, r, a, sa)
    work.group_a[state.pos[r, x]] = y
    load_group(work.group_b, state.members, r, b, sb)
    work.group_b[state.pos[r, y]] = x
    return sa, sb


@inline_kernel
def meetings_changed(
    meet: np.ndarray, i: int, members: np.ndarray, r: int, g: int, s: int, skip: int, more: int
) -> int:
    """Members of group g of round r (``skip`` aside) whom i has met more than ``more`` times.

    The hot kernels index the state's arrays in place: a view such as ``members[r, g]`` costs a
    reference count up and down — more than the loop it feeds (measured: a group's rules took
    150 ns with one view taken, 45 ns without)."""
    found = 0
    for k in range(s):
        j = members[r, g, k]
        if j != skip and meet[i, j] > more:
            found += 1
    return found


@inline_kernel
def swap_meet_delta(state: Arrays, r: int, i: int, j: int) -> int:
    """Change in repeated meetings when i and j (in different groups of round r) trade places."""
    meet, members = state.meet, state.members
    if not meet.shape[0]:
        return 0
    a, b = state.where[r, i], state.where[r, j]
    sa, sb = state.size[r, a], state.size[r, b]
    joins = meetings_changed(meet, j, members, r, a, sa, i, 0) + meetings_changed(
        meet, i, members, r, b, sb, j, 0
    )
    leaves = meetings_changed(meet, i, members, r, a, sa, i, 1) + meetings_changed(
        meet, j, members, r, b, sb, j, 1
    )
    return joins - leaves


@loop_kernel
def refresh_group(
    rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays, r: int, g: int
) -> None:
    s = state.size[r, g]
    state.violation[r, g] = group_violation(rules, work, state.members[r, g], s, r)
    state.score[r, g] = group_score(scores, work, state.members[r, g], s, r)


@loop_kernel
def _round_cost(
    state: Arrays, r: int, min_mode: bool, g1: int, v1: int, s1: float, g2: int, v2: int, s2: float
) -> float:
    """The round's cost with groups g1 and g2 (-1: none) taking values (v1, s1) and (v2, s2):
    HARD per violation minus the objective (min mode: the worst group first, then the total)."""
    viol = 0
    total = 0.0
    worst = np.inf
    count = state.n_groups[r]
    for g in range(count):
        v, s = state.violation[r, g], state.score[r, g]
        if g == g1:
            v, s = v1, s1
        elif g == g2:
            v, s = v2, s2
        viol += v
        total += s
        worst = min(worst, s)
    if count == 0:
        return 0.0
    objective = (count + 1) * 1000.0 * worst + total if min_mode else total
    return HARD * viol - objective


@loop_kernel
def schedule_cost(state: Arrays, min_mode: bool) -> float:
    """The search's cost of the whole schedule: every round's cost and HARD per repeated meeting."""
    total = HARD * conflicts(state.meet) if state.meet.shape[0] else 0.0
    for r in range(state.members.shape[0]):
        total += _round_cost(state, r, min_mode, -1, 0, 0.0, -1, 0, 0.0)
    return total


@inline_kernel
def change_group(
    state: Arrays, r: int, min_mode: bool, g1: int, v1: int, s1: float, g2: int, v2: int, s2: float
) -> float:
    """Change in the round's cost when groups g1 and g2 take new values."""
    if min_mode:
        before = _round_cost(state, r, True, -1, 0, 0.0, -1, 0, 0.0)
        return _round_cost(state, r, True, g1, v1, s1, g2, v2, s2) - before
    delta = HARD * (v1 - state.violation[r, g1]) - (s1 - state.score[r, g1])
    if g2 >= 0:
        delta += HARD * (v2 - state.violation[r, g2]) - (s2 - state.score[r, g2])
    return float(delta)
