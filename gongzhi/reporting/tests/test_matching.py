"""The solver against brute force: same objective on small random instances, capacities never exceeded."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.reporting.matching import Arrays, Member, Need, candidates, greedy, solve, weight


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Member], list[Need]]:
    places = [(1, 10, 100), (1, 10, 101), (1, 11, 110), (2, 20, 200)]
    members = [
        Member(i, draw(st.integers(0, 4)), draw(st.integers(1, 7)), *draw(st.sampled_from(places)))
        for i in range(draw(st.integers(1, 3)))
    ]
    needs = [
        Need(
            100 + j,
            draw(st.integers(0, 4)),
            draw(st.integers(1, 3)),
            draw(st.integers(1, 7)),
            *draw(st.sampled_from(places)),
            urgency=draw(st.integers(0, 2)),
        )
        for j in range(draw(st.integers(1, 3)))
    ]
    return members, needs


def brute_force(members: list[Member], needs: list[Need]) -> int:
    """Every integer allocation of hours to every candidate pair; the best feasible total weight."""
    pairs = [(m, n, weight(m, n)) for m in members for n in needs if weight(m, n) > 0]
    ranges = [range(min(m.hours, n.hours, n.per_member) + 1) for m, n, _ in pairs]
    best = 0
    for hours in itertools.product(*ranges):
        used_m: dict[int, int] = defaultdict(int)
        used_n: dict[int, int] = defaultdict(int)
        for (m, n, _), h in zip(pairs, hours, strict=True):
            used_m[m.id] += h
            used_n[n.id] += h
        if all(used_m[m.id] <= m.hours for m in members) and all(used_n[n.id] <= n.hours for n in needs):
            best = max(best, sum(w * h for (_, _, w), h in zip(pairs, hours, strict=True)))
    return best


def check_feasible(members: list[Member], needs: list[Need], result: object) -> None:
    by_m: dict[int, int] = defaultdict(int)
    by_n: dict[int, int] = defaultdict(int)
    mm, nn = {m.id: m for m in members}, {n.id: n for n in needs}
    for a in result.assignments:  # type: ignore[attr-defined]
        assert a.hours > 0
        assert a.hours <= nn[a.need].per_member
        assert a.weight == weight(mm[a.member], nn[a.need]) > 0
        by_m[a.member] += a.hours
        by_n[a.need] += a.hours
    assert all(by_m[i] <= mm[i].hours for i in by_m)
    assert all(by_n[i] <= nn[i].hours for i in by_n)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_solver_objective_equals_brute_force(inst: tuple[list[Member], list[Need]]) -> None:
    members, needs = inst
    result = solve(members, needs, top_k=None)
    check_feasible(members, needs, result)
    assert result.objective == sum(a.hours * a.weight for a in result.assignments)
    assert result.objective == brute_force(members, needs)


@settings(max_examples=100, deadline=None)
@given(instances())
def test_greedy_is_feasible_and_never_better(inst: tuple[list[Member], list[Need]]) -> None:
    members, needs = inst
    base = greedy(members, needs, top_k=None)
    check_feasible(members, needs, base)
    assert base.objective <= solve(members, needs, top_k=None).objective


def test_nearness_and_skill_order_the_weights() -> None:
    need = Need(1, 8, 4, 0b011, 1, 10, 100)
    same_compound = Member(1, 4, 0b001, 1, 10, 100)
    same_community = Member(2, 4, 0b001, 1, 10, 101)
    same_sub = Member(3, 4, 0b001, 1, 11, 110)
    two_skills_far = Member(4, 4, 0b011, 1, 11, 110)
    other_sub = Member(5, 4, 0b011, 2, 20, 200)
    no_skill = Member(6, 4, 0b100, 1, 10, 100)
    w = [
        weight(m, need)
        for m in (same_compound, same_community, same_sub, two_skills_far, other_sub, no_skill)
    ]
    assert w[0] > w[1] > w[2] > 0
    assert w[3] > w[0]  # fit before nearness
    assert w[4] == w[5] == 0
    result = solve([same_compound, same_community, same_sub], [need])
    assert {a.member: a.hours for a in result.assignments} == {1: 4, 2: 4}


def test_top_k_keeps_the_best_needs_of_each_member() -> None:
    member = Member(1, 40, 0b1, 1, 10, 100)
    needs = [Need(10 + j, 4, 4, 0b1, 1, 10, 100 + j % 3, urgency=j % 2) for j in range(12)]
    full, pruned = solve([member], needs, top_k=None), solve([member], needs, top_k=3)
    assert pruned.candidates == 3 and full.candidates == 12
    assert pruned.objective == sum(sorted((weight(member, n) * 4 for n in needs), reverse=True)[:3])


def test_reporting_actions_and_their_roles() -> None:
    from gongzhi.core import registry

    mine = {code: set(spec.roles) for code, spec in registry.ACTIONS.items() if spec.app == "reporting"}
    staff = {"district_admin", "subdistrict_staff", "community_worker"}
    assert mine == {
        "reporting.view": staff | {"party_secretary"},
        "reporting.manage": staff,
        "reporting.confirm": staff | {"party_secretary"},
        "reporting.self": {"party_member"},
        "reporting.vocabulary": {"district_admin"},
    }


@st.composite
def crowds(draw: st.DrawFn) -> tuple[list[Member], list[Need], int]:
    """More members than a need's list holds, in a few communities and compounds of two subdistricts."""
    places = [(1, 10, 100), (1, 10, 101), (1, 11, 110), (1, 12, 120), (2, 20, 200)]
    members = [
        Member(i, draw(st.integers(0, 6)), draw(st.integers(1, 15)), *draw(st.sampled_from(places)))
        for i in range(draw(st.integers(1, 40)))
    ]
    needs = [
        Need(1000 + j, draw(st.integers(1, 9)), 3, draw(st.integers(1, 15)), *draw(st.sampled_from(places)))
        for j in range(draw(st.integers(1, 6)))
    ]
    return members, needs, draw(st.integers(1, 6))


@settings(max_examples=150, deadline=None)
@given(crowds())
def test_each_need_list_holds_its_best_members(inst: tuple[list[Member], list[Need], int]) -> None:
    """A need's candidates (nearest first) include members as good as its `k` best over all pairs, and the
    solver's weights are the exact ones."""
    members, needs, k = inst
    a = Arrays(members, needs)
    cm, cn, cw = candidates(a, top_k=0, per_need=k)
    for i, j, w in zip(cm, cn, cw, strict=True):
        assert w == weight(members[i], needs[j]) > 0
    assert len(set(zip(cm.tolist(), cn.tolist(), strict=True))) == len(cm)
    for j, need in enumerate(needs):
        live = [m for m in members if m.hours > 0]
        best = sorted((weight(m, need) for m in live if weight(m, need) > 0), reverse=True)[:k]
        mine = sorted((int(w) for w, jj in zip(cw, cn, strict=True) if jj == j), reverse=True)[:k]
        assert mine == best
    result = solve(members, needs, top_k=0, per_need=k)
    check_feasible(members, needs, result)
    assert result.objective <= solve(members, needs, top_k=None).objective
