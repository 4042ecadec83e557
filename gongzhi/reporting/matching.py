"""小区所需、党员所长: assign members' hours to compounds' needs as a min-cost flow (pure; no Django).

The network: source → member (capacity: the member's free hours) → need (capacity: the hours one member
gives that need, cost: minus the pair's weight per hour) → sink (capacity: the need's open hours), plus a
source → sink bypass of cost 0 so that hours nobody fits stay unassigned. A minimum-cost flow of all the
supply is then an assignment of maximum total weight within every member's hours and every need's demand;
OR-Tools' SimpleMinCostFlow solves it exactly in integers (the network is totally unimodular).

A pair is a candidate only if they share a skill and live in the same subdistrict. Its weight per hour
rewards skill fit first and nearness next (same compound > same community > same subdistrict), then the
need's urgency. For 50,000 members × 10,000 needs the candidates are built with numpy per subdistrict and
each member keeps its `top_k` best needs (None keeps all: what the brute-force test compares against).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SKILL_WEIGHT = 6  # per shared skill
NEAR_WEIGHT = {3: 5, 2: 3, 1: 1}  # same compound, same community, same subdistrict
NEAR_LABEL = {3: "同小区", 2: "同社区", 1: "同街道"}
_NEAR = np.array([0, NEAR_WEIGHT[1], NEAR_WEIGHT[2], NEAR_WEIGHT[3]], dtype=np.int64)


@dataclass(frozen=True)
class Member:
    id: int
    hours: int
    skills: int  # bit mask over the vocabulary
    subdistrict: int
    community: int
    compound: int


@dataclass(frozen=True)
class Need:
    id: int
    hours: int  # open demand
    per_member: int  # the most one member gives it
    skills: int
    subdistrict: int
    community: int
    compound: int
    urgency: int = 0


@dataclass(frozen=True)
class Assignment:
    member: int
    need: int
    hours: int
    weight: int  # per hour
    near: int  # 3 compound, 2 community, 1 subdistrict
    shared: int  # mask of the skills both have


@dataclass
class Result:
    assignments: list[Assignment]
    objective: int  # Σ weight × hours
    candidates: int  # arcs offered to the solver


def weight(m: Member, n: Need) -> int:
    """The value of one hour of `m` on `n` (0: not a candidate). The one definition the arrays mirror."""
    shared = (m.skills & n.skills).bit_count()
    if not shared or m.subdistrict != n.subdistrict:
        return 0
    return SKILL_WEIGHT * shared + NEAR_WEIGHT[nearness(m, n)] + n.urgency


def nearness(m: Member, n: Need) -> int:
    if m.subdistrict != n.subdistrict:
        return 0
    return 1 + (m.community == n.community) + (m.compound == n.compound)


class Arrays:
    """Members and needs as columns, the form the candidate builder and the solver read."""

    def __init__(self, members: Sequence[Member], needs: Sequence[Need]) -> None:
        def col(rows: Sequence[object], name: str, dtype: type = np.int64) -> NDArray[np.int64]:
            return np.fromiter((getattr(r, name) for r in rows), dtype=dtype, count=len(rows))

        self.m_id, self.m_hours = col(members, "id"), col(members, "hours")
        self.m_skills = col(members, "skills", np.uint64)
        self.m_sub, self.m_com, self.m_cpd = (
            col(members, f) for f in ("subdistrict", "community", "compound")
        )
        self.n_id, self.n_hours, self.n_per = col(needs, "id"), col(needs, "hours"), col(needs, "per_member")
        self.n_skills = col(needs, "skills", np.uint64)
        self.n_sub, self.n_com, self.n_cpd = (col(needs, f) for f in ("subdistrict", "community", "compound"))
        self.n_urg = col(needs, "urgency")


def candidates(
    a: Arrays, top_k: int | None = 8
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(member index, need index, weight) of every candidate pair, each member keeping its best `top_k`."""
    out: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
    live_m, live_n = a.m_hours > 0, a.n_hours > 0
    for sub in np.intersect1d(a.m_sub[live_m], a.n_sub[live_n]):
        mi = np.flatnonzero(live_m & (a.m_sub == sub))
        ni = np.flatnonzero(live_n & (a.n_sub == sub))
        out.extend(_all_pairs(a, mi, ni) if top_k is None else _best_pairs(a, mi, ni, top_k))
    if not out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return tuple(np.concatenate([o[k] for o in out]) for k in range(3))  # type: ignore[return-value]


_Pairs = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]


def _all_pairs(a: Arrays, mi: NDArray[np.int64], ni: NDArray[np.int64]) -> list[_Pairs]:
    """Every pair of one subdistrict that shares a skill (small instances and tests)."""
    shared = np.bitwise_count(a.m_skills[mi, None] & a.n_skills[None, ni]).astype(np.int64)
    near = 1 + (a.m_com[mi, None] == a.n_com[None, ni]) + (a.m_cpd[mi, None] == a.n_cpd[None, ni])
    w = np.where(shared > 0, SKILL_WEIGHT * shared + _NEAR[near] + a.n_urg[None, ni], 0)
    r, c = np.nonzero(w)
    return [(mi[r], ni[c], w[r, c])]


def _best_pairs(a: Arrays, mi: NDArray[np.int64], ni: NDArray[np.int64], k: int) -> list[_Pairs]:
    """Each member's `k` best needs of one subdistrict, without a members × needs matrix.

    Members with the same skills weigh every need of another community alike (skill fit, the subdistrict's
    nearness, urgency): that "base" row is computed once per distinct skill set and its best `k` kept.
    A member's best `k` are then among those and the needs of their own community (whose weight adds the
    community's and the compound's nearness), which are few: one small block per community.
    """
    masks, m_u = np.unique(a.m_skills[mi], return_inverse=True)
    shared = np.bitwise_count(masks[:, None] & a.n_skills[None, ni]).astype(np.int64)
    base = np.where(shared > 0, SKILL_WEIGHT * shared + NEAR_WEIGHT[1] + a.n_urg[None, ni], 0)
    k1 = min(k, len(ni))
    top = (
        np.argpartition(-base, k1 - 1, axis=1)[:, :k1]
        if k1 < len(ni)
        else np.tile(np.arange(len(ni)), (len(masks), 1))
    )
    top_w = np.take_along_axis(base, top, axis=1)
    n_com, n_cpd = a.n_com[ni], a.n_cpd[ni]
    out: list[_Pairs] = []
    m_com = a.m_com[mi]
    for com in np.unique(m_com):
        rows = np.flatnonzero(m_com == com)
        inside = np.flatnonzero(n_com == com)
        u = m_u[rows]
        far_cols = top[u]
        far_w = np.where(n_com[far_cols] == com, 0, top_w[u])  # own community: counted below, nearer
        near_w = base[u][:, inside]
        same = a.m_cpd[mi[rows], None] == n_cpd[None, inside]
        near_w = np.where(
            near_w > 0,
            near_w + (NEAR_WEIGHT[2] - NEAR_WEIGHT[1]) + same * (NEAR_WEIGHT[3] - NEAR_WEIGHT[2]),
            0,
        )
        cols = np.concatenate([far_cols, np.broadcast_to(inside, (len(rows), len(inside)))], axis=1)
        w = np.concatenate([far_w, near_w], axis=1)
        if w.shape[1] > k:
            keep = np.argpartition(-w, k - 1, axis=1)[:, :k]
            cols, w = np.take_along_axis(cols, keep, axis=1), np.take_along_axis(w, keep, axis=1)
        r, c = np.nonzero(w)
        out.append((mi[rows[r]], ni[cols[r, c]], w[r, c]))
    return out


def solve(members: Sequence[Member], needs: Sequence[Need], top_k: int | None = 8) -> Result:
    """The assignment of maximum total weight (exact over the candidate pairs)."""
    from ortools.graph.python import min_cost_flow

    a = Arrays(members, needs)
    cm, cn, cw = candidates(a, top_k)
    if len(cm) == 0:
        return Result([], 0, 0)
    n_m, n_n = len(a.m_id), len(a.n_id)
    source, sink = 0, 1
    m_node = 2 + np.arange(n_m, dtype=np.int64)
    n_node = 2 + n_m + np.arange(n_n, dtype=np.int64)
    cap = np.minimum(np.minimum(a.n_per[cn], a.m_hours[cm]), a.n_hours[cn])
    supply = int(a.m_hours.clip(min=0).sum())
    tails = np.concatenate([np.zeros(n_m, np.int64), m_node[cm], n_node, [source]])
    heads = np.concatenate([m_node, n_node[cn], np.full(n_n, sink, np.int64), [sink]])
    caps = np.concatenate([a.m_hours.clip(min=0), cap, a.n_hours.clip(min=0), [supply]])
    costs = np.concatenate([np.zeros(n_m, np.int64), -cw, np.zeros(n_n, np.int64), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: status {status}")
    pair_arcs = arcs[n_m : n_m + len(cm)]
    f = flow.flows(pair_arcs)
    used = np.flatnonzero(f > 0)
    return Result(_assignments(a, cm[used], cn[used], cw[used], f[used]), -int(flow.optimal_cost()), len(cm))


def greedy(members: Sequence[Member], needs: Sequence[Need], top_k: int | None = 8) -> Result:
    """The baseline: take candidate pairs best weight first, as many hours as both have left."""
    a = Arrays(members, needs)
    cm, cn, cw = candidates(a, top_k)
    left_m, left_n = a.m_hours.copy(), a.n_hours.copy()
    pm, pn, pw, ph = [], [], [], []
    for k in np.argsort(-cw, kind="stable"):
        i, j = cm[k], cn[k]
        h = min(left_m[i], left_n[j], a.n_per[j])
        if h > 0:
            left_m[i] -= h
            left_n[j] -= h
            pm.append(i)
            pn.append(j)
            pw.append(cw[k])
            ph.append(h)
    arr = [np.array(x, dtype=np.int64) for x in (pm, pn, pw, ph)]
    objective = int((arr[2] * arr[3]).sum()) if pm else 0
    return Result(_assignments(a, *arr), objective, len(cm))


def _assignments(
    a: Arrays, mi: NDArray[np.int64], ni: NDArray[np.int64], w: NDArray[np.int64], h: NDArray[np.int64]
) -> list[Assignment]:
    near = 1 + (a.m_com[mi] == a.n_com[ni]) + (a.m_cpd[mi] == a.n_cpd[ni])
    shared = a.m_skills[mi] & a.n_skills[ni]
    return [
        Assignment(int(a.m_id[i]), int(a.n_id[j]), int(hh), int(ww), int(nr), int(s))
        for i, j, ww, hh, nr, s in zip(mi, ni, w, h, near, shared, strict=True)
    ]
