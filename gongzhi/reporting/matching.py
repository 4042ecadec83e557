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
from typing import Any

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

    M_COLS = ("id", "hours", "skills", "subdistrict", "community", "compound")
    N_COLS = ("id", "hours", "per_member", "skills", "subdistrict", "community", "compound", "urgency")

    def __init__(self, members: Sequence[Member], needs: Sequence[Need]) -> None:
        def col(rows: Sequence[object], name: str) -> NDArray[Any]:
            dtype = np.uint64 if name == "skills" else np.int64
            return np.fromiter((getattr(r, name) for r in rows), dtype=dtype, count=len(rows))

        self._set({f: col(members, f) for f in self.M_COLS}, {f: col(needs, f) for f in self.N_COLS})

    @classmethod
    def of(cls, members: dict[str, NDArray[Any]], needs: dict[str, NDArray[Any]]) -> Arrays:
        """From columns read straight from the database (no Member/Need objects on the way)."""
        a = cls.__new__(cls)
        a._set(members, needs)
        return a

    def _set(self, m: dict[str, NDArray[Any]], n: dict[str, NDArray[Any]]) -> None:
        i64 = np.int64
        self.m_id, self.m_hours = m["id"].astype(i64), m["hours"].astype(i64)
        self.m_skills = m["skills"].astype(np.uint64)
        self.m_sub, self.m_com, self.m_cpd = (
            m[f].astype(i64) for f in ("subdistrict", "community", "compound")
        )
        self.n_id, self.n_hours, self.n_per = (
            n["id"].astype(i64),
            n["hours"].astype(i64),
            n["per_member"].astype(i64),
        )
        self.n_skills = n["skills"].astype(np.uint64)
        self.n_sub, self.n_com, self.n_cpd = (
            n[f].astype(i64) for f in ("subdistrict", "community", "compound")
        )
        self.n_urg = n["urgency"].astype(i64)

    def members(self) -> list[Member]:
        cols = (self.m_id, self.m_hours, self.m_skills, self.m_sub, self.m_com, self.m_cpd)
        return [Member(*row) for row in zip(*(c.tolist() for c in cols), strict=True)]

    def needs(self) -> list[Need]:
        cols = (
            self.n_id,
            self.n_hours,
            self.n_per,
            self.n_skills,
            self.n_sub,
            self.n_com,
            self.n_cpd,
            self.n_urg,
        )
        return [Need(*row) for row in zip(*(c.tolist() for c in cols), strict=True)]


def candidates(
    a: Arrays, top_k: int | None = 8, per_need: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(member index, need index, weight) of the candidate pairs: every pair when `top_k` is None, else
    each member's best `top_k` needs together with each need's best `per_need` members (nearest first)."""
    out: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
    live_m, live_n = a.m_hours > 0, a.n_hours > 0
    for sub in np.intersect1d(a.m_sub[live_m], a.n_sub[live_n]):
        mi = np.flatnonzero(live_m & (a.m_sub == sub))
        ni = np.flatnonzero(live_n & (a.n_sub == sub))
        if top_k is None:
            out.extend(_all_pairs(a, mi, ni))
            continue
        if top_k > 0:
            out.extend(_best_pairs(a, mi, ni, top_k))
        if per_need > 0:
            out.extend(_need_pairs(a, mi, ni, per_need))
    if not out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    cm, cn = np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out])
    if top_k is not None:  # the two lists overlap: each pair once
        _, first = np.unique(cm * len(a.n_id) + cn, return_index=True)
        cm, cn = cm[first], cn[first]
    return cm, cn, _weights(a, cm, cn)


def _weights(a: Arrays, cm: NDArray[np.int64], cn: NDArray[np.int64]) -> NDArray[np.int64]:
    """`weight` over pair arrays (the lists rank by it; the solver is given exactly it)."""
    shared = np.bitwise_count(a.m_skills[cm] & a.n_skills[cn]).astype(np.int64)
    near = 1 + (a.m_com[cm] == a.n_com[cn]) + (a.m_cpd[cm] == a.n_cpd[cn])
    return np.where(shared > 0, SKILL_WEIGHT * shared + _NEAR[near] + a.n_urg[cn], 0)


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


def _need_pairs(a: Arrays, mi: NDArray[np.int64], ni: NDArray[np.int64], k: int) -> list[_Pairs]:
    """Each need's `k` best members of one subdistrict, nearest first, without a members × needs matrix.

    Inside the need's own community the block is small and weighed in full (compound before community).
    Beyond it a member's weight depends only on their skill set, so the skill sets are ranked per need and
    the slots filled from their members in turn, each need starting at a different member of a set (so that
    needs of the same skill do not all queue for the same few people's hours).
    """
    out: list[_Pairs] = []
    m_com, n_com = a.m_com[mi], a.n_com[ni]
    for com in np.intersect1d(m_com, n_com):
        rows, cols = mi[m_com == com], ni[n_com == com]
        shared = np.bitwise_count(a.m_skills[rows, None] & a.n_skills[None, cols]).astype(np.int64)
        bonus = np.where(a.m_cpd[rows, None] == a.n_cpd[None, cols], NEAR_WEIGHT[3], NEAR_WEIGHT[2])
        w = np.where(shared > 0, SKILL_WEIGHT * shared + bonus + a.n_urg[None, cols], 0)
        top = (
            np.argpartition(-w, k - 1, axis=0)[:k]
            if len(rows) > k
            else np.broadcast_to(np.arange(len(rows))[:, None], w.shape)
        )
        tw = np.take_along_axis(w, top, axis=0)
        r, c = np.nonzero(tw)
        out.append((rows[top[r, c]], cols[c], tw[r, c]))
    masks, m_u = np.unique(a.m_skills[mi], return_inverse=True)
    grouped = mi[np.argsort(m_u, kind="stable")]
    counts = np.bincount(m_u, minlength=len(masks))
    start = np.cumsum(counts) - counts
    base = np.bitwise_count(masks[:, None] & a.n_skills[None, ni]).astype(np.int64)  # (sets, needs)
    order = np.argsort(-base, axis=0, kind="stable")
    cnt = np.where(np.take_along_axis(base, order, axis=0) > 0, counts[order], 0)
    cum = np.cumsum(cnt, axis=0)  # members available in the best sets, per need
    total = int(cum[-1].max()) + 1 if len(ni) else 1
    nn, slots = len(ni), np.arange(k)
    flat = (cum.T + (np.arange(nn) * total)[:, None]).ravel()  # every column's cum, ascending overall
    ask = (slots[None, :] + (np.arange(nn) * total)[:, None]).ravel()
    pos = np.searchsorted(flat, ask, side="right") - np.repeat(np.arange(nn) * len(masks), k)
    j = np.repeat(np.arange(nn), k)
    s = np.tile(slots, nn)
    ok = s < cum[-1][j]
    pos, j, s = pos[ok], j[ok], s[ok]
    u = order[pos, j]
    before = np.where(pos > 0, cum[np.maximum(pos - 1, 0), j], 0)
    offset = (j * 7919 + s - before) % counts[u]
    out.append((grouped[start[u] + offset], ni[j], np.ones(len(j), dtype=np.int64)))
    return out


def solve(
    members: Sequence[Member], needs: Sequence[Need], top_k: int | None = 8, per_need: int = 0
) -> Result:
    """The assignment of maximum total weight (exact over the candidate pairs)."""
    return solve_arrays(Arrays(members, needs), top_k, per_need)


def solve_arrays(a: Arrays, top_k: int | None = 8, per_need: int = 0) -> Result:
    """`solve` on columns. No pair crosses a subdistrict, so each subdistrict is its own network, solved
    in turn: the same optimum, and several small networks solve faster than one large one."""
    cm, cn, cw = candidates(a, top_k, per_need)
    if len(cm) == 0:
        return Result([], 0, 0)
    cap = np.minimum(np.minimum(a.n_per[cn], a.m_hours[cm]), a.n_hours[cn])
    flows = np.zeros(len(cm), dtype=np.int64)
    objective = 0
    sub = a.m_sub[cm]
    for s in np.unique(sub):
        sel = np.flatnonzero(sub == s)
        f, cost = _flow(a, cm[sel], cn[sel], cw[sel], cap[sel])
        flows[sel] = f
        objective += cost
    used = np.flatnonzero(flows > 0)
    return Result(_assignments(a, cm[used], cn[used], cw[used], flows[used]), objective, len(cm))


def _flow(
    a: Arrays, cm: NDArray[np.int64], cn: NDArray[np.int64], cw: NDArray[np.int64], cap: NDArray[np.int64]
) -> tuple[NDArray[np.int64], int]:
    """One network: source → member → need → sink, and a source → sink bypass of cost 0 for the hours
    nobody fits. Returns the flow on each pair and the total weight."""
    from ortools.graph.python import min_cost_flow

    mem, m_at = np.unique(cm, return_inverse=True)
    ned, n_at = np.unique(cn, return_inverse=True)
    n_m, n_n = len(mem), len(ned)
    source, sink = 0, 1
    m_node = 2 + np.arange(n_m, dtype=np.int64)
    n_node = 2 + n_m + np.arange(n_n, dtype=np.int64)
    supply = int(a.m_hours[mem].sum())
    tails = np.concatenate([np.zeros(n_m, np.int64), m_node[m_at], n_node, [source]])
    heads = np.concatenate([m_node, n_node[n_at], np.full(n_n, sink, np.int64), [sink]])
    caps = np.concatenate([a.m_hours[mem], cap, a.n_hours[ned], [supply]])
    costs = np.concatenate([np.zeros(n_m, np.int64), -cw, np.zeros(n_n, np.int64), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: status {status}")
    return flow.flows(arcs[n_m : n_m + len(cm)]).astype(np.int64), -int(flow.optimal_cost())


def greedy(
    members: Sequence[Member], needs: Sequence[Need], top_k: int | None = 8, per_need: int = 0
) -> Result:
    """The baseline: take candidate pairs best weight first, as many hours as both have left."""
    return greedy_arrays(Arrays(members, needs), top_k, per_need)


def greedy_arrays(a: Arrays, top_k: int | None = 8, per_need: int = 0) -> Result:
    cm, cn, cw = candidates(a, top_k, per_need)
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
    cols = (a.m_id[mi], a.n_id[ni], h, w, near, shared)
    return [Assignment(*row) for row in zip(*(np.asarray(c).tolist() for c in cols), strict=True)]
