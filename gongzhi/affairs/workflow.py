"""The path a matter takes, as pure rules (no ORM): raised → briefing → consultation → vote (when the law
needs one) → implementation → resolved, or shelved from any open stage.

A matter under 民法典 第二百七十八条 (it has an item) cannot reach implementation without a passed owners'
vote; other matters skip the vote stage. A failed vote sends the matter back to consultation (or to the
shelf). Steps may be skipped forward only where listed below: a small repair may go from raised straight
to implementation after consultation, never past a vote the law requires — except the emergency use of
the maintenance fund (民法典 第二百八十一条 第二款), recorded with its reason (``emergency_refusal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RAISED, BRIEFING, CONSULTATION, VOTING, IMPLEMENTATION, RESOLVED, SHELVED = (
    "raised",
    "briefing",
    "consultation",
    "voting",
    "implementation",
    "resolved",
    "shelved",
)
ORDER = (RAISED, BRIEFING, CONSULTATION, VOTING, IMPLEMENTATION, RESOLVED)
FINAL = (RESOLVED, SHELVED)

# Moves a person may ask for; entering VOTING happens only by opening a vote (services.vote_open).
_NEXT: dict[str, tuple[str, ...]] = {
    RAISED: (BRIEFING, CONSULTATION, SHELVED),
    BRIEFING: (CONSULTATION, SHELVED),
    CONSULTATION: (IMPLEMENTATION, SHELVED),
    VOTING: (IMPLEMENTATION, CONSULTATION, SHELVED),
    IMPLEMENTATION: (RESOLVED, SHELVED),
    RESOLVED: (),
    SHELVED: (),
}


@dataclass(frozen=True)
class MatterState:
    """What the rules need to know about a matter."""

    status: str
    needs_vote: bool
    vote_open: bool
    vote_passed: bool  # the latest closed vote passed
    emergency: bool = False  # the fund used in an emergency, on record (民法典 第二百八十一条 第二款)


def allowed_moves(state: MatterState) -> list[str]:
    """The statuses a person may move the matter to now (opening a vote is separate)."""
    moves: list[str] = []
    for target in _NEXT[state.status]:
        if refusal(state, target) is None:
            moves.append(target)
    return moves


def refusal(state: MatterState, target: str) -> str | None:
    """Why the move to ``target`` is not allowed, in Chinese; None when it is."""
    if state.status in FINAL:
        return "事务已办结或搁置，不能再变更阶段"
    if target not in _NEXT.get(state.status, ()):
        return f"不能从「{label(state.status)}」直接进入「{label(target)}」"
    if state.vote_open and target != SHELVED:
        return "表决尚未结束，结束表决后才能进入下一阶段"
    if target == IMPLEMENTATION and state.needs_vote and not state.vote_passed and not state.emergency:
        return "本事项属于民法典第二百七十八条规定的业主共同决定事项，须经业主表决通过后才能实施"
    if target == CONSULTATION and state.status == VOTING and state.vote_passed:
        return "表决已通过，应进入实施阶段"
    return None


FUND_USE_ITEM = 5  # 民法典 第二百七十八条 第一款 (五) 使用建筑物及其附属设施的维修资金


def emergency_refusal(state: MatterState, item: int | None, reason: str) -> str | None:
    """Why the maintenance fund may not be used now without a vote; None when it may.

    民法典 第二百八十一条 第二款: "紧急情况下需要维修建筑物及其附属设施的，业主大会或者业主委员会可以依法
    申请使用建筑物及其附属设施的维修资金" — only for using the fund (item (五)), only while the matter is
    open and before a vote decided it, and only with the emergency stated for the record."""
    if item != FUND_USE_ITEM:
        return "紧急使用维修资金（民法典第二百八十一条第二款）只适用于第二百七十八条第一款第五项使用维修资金的事项"
    if state.status in FINAL or state.status == IMPLEMENTATION:
        return "事务已在实施、办结或搁置，不能再按紧急情况处理"
    if state.vote_open:
        return "表决正在进行：请先结束表决，或等待表决结果"
    if not reason.strip():
        return "请写明紧急情况（如电梯故障停运、屋面渗漏、消防设施失效等）及维修内容，以备查"
    return None


def take_refusal(state: MatterState, taken: bool) -> str | None:
    """Why the property company may not take the matter on now; None when it may.

    Taking a matter on is the property company saying it will do the work (《物业管理条例》第三十五条: the
    property company provides the services its contract and the owners' decisions call for); it moves no
    stage, so a matter the owners must decide still waits for their vote before implementation."""
    if state.status in FINAL:
        return "事务已办结或搁置，不能再承接"
    if taken:
        return "本事项已由物业服务企业承接"
    return None


def may_open_vote(state: MatterState) -> str | None:
    """Why a vote cannot be opened now; None when it can."""
    if not state.needs_vote:
        return "本事项未选择民法典第二百七十八条事项，不需要业主表决"
    if state.vote_open:
        return "已有一场表决正在进行"
    if state.status not in (BRIEFING, CONSULTATION, VOTING):
        return "吹风会或协商之后才能组织表决"
    if state.status == VOTING and state.vote_passed:
        return "表决已通过"
    return None


_LABELS = {
    RAISED: "已提出",
    BRIEFING: "吹风会",
    CONSULTATION: "协商",
    VOTING: "表决",
    IMPLEMENTATION: "实施",
    RESOLVED: "已解决",
    SHELVED: "已搁置",
}


def label(status: str) -> str:
    return _LABELS.get(status, status)


REASON_MAX = 500  # a reason is for the timeline, not a document: attach a file for more


def reason_refusal(reason: str, act: str) -> str | None:
    """Why ``reason`` cannot stand on the timeline for ``act``; None when it can.

    Closing a vote before its announced deadline, publishing a result and shelving a matter cannot be
    undone and courts may review them (民法典 第二百八十条): each keeps who did it and why."""
    text = reason.strip()
    if not text:
        return f"请确认{act}并写明理由，理由会记入事务进程"
    if "\x00" in text:
        return "理由中含有不可见的控制字符（NUL），请重新输入"
    if len(text) > REASON_MAX:
        return f"理由不能超过 {REASON_MAX} 字（现为 {len(text)} 字），更多内容请作为附件上传"
    return None


def closes_early(closes_on: date | None, on: date) -> bool:
    """A vote closed before the deadline its notice announced needs a reason on record."""
    return closes_on is not None and on < closes_on
