"""Every write of the campaign: keyword-only, `actor=` first, one transaction, an audit row (simple_history).

A target whose goal type names a catalogued figure is completed by `targets_sync` from that figure at the
target's place; `target_report` refuses it, so such a target never completes by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.access import At, authorize
from gongzhi.campaign import rules
from gongzhi.campaign.models import Campaign, GoalType, Measure, Phase, Status, Target, Update
from gongzhi.core.actors import history_user, stamp
from gongzhi.core.registry import FIGURES
from gongzhi.places.models import Compound, Division

MANAGE = "campaign.manage"
REPORT = "campaign.report"

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    division: Division,
    name: str,
    first_year: int,
    last_year: int,
    phases: Iterable[tuple[str, date, date]],
    measures: Iterable[tuple[str, Decimal]],
    motto: str = "",
) -> Campaign:
    """A campaign with its phases (name, start, end) and measures (name, weight), in order."""
    authorize(actor, MANAGE, division)
    if last_year < first_year:
        raise ValidationError({"last_year": "结束年不能早于起始年"})
    campaign = stamp(
        Campaign(
            name=name,
            division=division,
            first_year=first_year,
            last_year=last_year,
            motto=motto,
            path=division.path,
        ),
        actor,
    )
    campaign.save()
    for seq, (pname, start, end) in enumerate(phases, 1):
        if end < start:
            raise ValidationError({"phases": f"阶段「{pname}」的结束日期早于开始日期"})
        Phase.objects.create(campaign=campaign, seq=seq, name=pname, starts_on=start, ends_on=end)
    for seq, (mname, weight) in enumerate(measures, 1):
        if weight < 0:
            raise ValidationError({"measures": f"举措「{mname}」的权重不能为负"})
        Measure.objects.create(campaign=campaign, seq=seq, name=mname, weight=weight)
    return campaign


def goal_type_ensure(
    *, actor: Any, code: str, name: str, figure: str = "", threshold: Decimal = Decimal("1")
) -> GoalType:
    """A goal type (data). `figure` must be a catalogued code: the catalogue is the one list of figures."""
    if figure and figure not in FIGURES:
        raise ValidationError({"figure": f"指标目录中没有指标「{figure}」"})
    goal, _ = GoalType.objects.update_or_create(
        code=code, defaults={"name": name, "figure": figure, "threshold": threshold}
    )
    return goal


@dataclass(frozen=True)
class TargetRow:
    """One target to add (what a form, a ledger row or the demo supplies)."""

    phase: Phase
    measure: Measure
    goal_type: GoalType
    place: Compound | Division
    title: str
    owner: str
    deadline: date
    weight: Decimal = Decimal("1")


def _target(campaign: Campaign, row: TargetRow) -> Target:
    if row.phase.campaign_id != campaign.pk or row.measure.campaign_id != campaign.pk:
        raise ValidationError({"phase": "阶段和举措须属于同一专项行动"})
    if row.weight < 0:
        raise ValidationError({"weight": "权重不能为负"})
    if not row.place.path.startswith(campaign.path):
        raise ValidationError({"place": f"「{row.place.name}」不在{campaign.division.name}范围内"})
    compound = row.place if isinstance(row.place, Compound) else None
    community = row.place if isinstance(row.place, Division) else None
    return Target(
        campaign=campaign,
        phase=row.phase,
        measure=row.measure,
        goal_type=row.goal_type,
        compound=compound,
        community=community,
        title=row.title[:200],
        owner=row.owner[:100],
        deadline=row.deadline,
        weight=row.weight,
        path=row.place.path,
    )


@transaction.atomic
def targets_add(*, actor: Any, campaign: Campaign, rows: Iterable[TargetRow]) -> list[Target]:
    """Add targets in bulk (the form adds one, the demo 134): all or nothing, history rows included."""
    from simple_history.utils import bulk_create_with_history

    authorize(actor, MANAGE, campaign.division)
    built = [_target(campaign, row) for row in rows]
    for t in built:
        authorize(actor, MANAGE, At(t.path))
    return bulk_create_with_history(
        built, Target, default_user=history_user(actor), default_change_reason=str(actor)[:100]
    )  # type: ignore[no-any-return]


def _check_evidence(upload: UploadedFile) -> tuple[str, str]:
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence": f"不支持的文件类型「{ext or '无扩展名'}」：只接受 {'、'.join(sorted(EVIDENCE_TYPES))}"
            }
        )
    if not upload.size:
        raise ValidationError({"evidence": "文件是空的"})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": f"文件超过 {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB"})
    content_type, magic = EVIDENCE_TYPES[ext]
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in magic):
        raise ValidationError({"evidence": f"文件内容与扩展名「{ext}」不符"})
    return name, content_type


@transaction.atomic
def target_report(
    *,
    actor: Any,
    target: Target,
    progress: Decimal,
    note: str = "",
    on: date | None = None,
    evidence: UploadedFile | None = None,
) -> Update:
    """A dated progress report by hand (with an optional evidence file); progress 1 completes the target."""
    authorize(actor, REPORT, target)
    if target.automatic:
        code = target.goal_type.figure
        label = FIGURES[code].label_zh if code in FIGURES else code
        raise ValidationError({"progress": f"此目标由指标「{label}」自动判定完成，不能手工填报"})
    if not Decimal("0") <= progress <= Decimal("1"):
        raise ValidationError({"progress": "进度须在 0 到 100% 之间"})
    on = on or timezone.localdate()
    update = Update(
        target=target,
        on=on,
        progress=progress,
        note=note[:500],
        path=target.path,
        recorded_by=history_user(actor),
    )
    if evidence is not None:
        name, content_type = _check_evidence(evidence)
        update.evidence_name, update.evidence_type = name[:200], content_type
        update.evidence.save(name, evidence, save=False)
    update.save()
    target.progress = progress
    if progress == rules.ONE and target.status != Status.DONE:
        target.status, target.done_on = Status.DONE, on
    stamp(target, actor, "进度填报").save()
    return update


@transaction.atomic
def targets_sync(*, actor: Any, on: date | None = None, campaign: Campaign | None = None) -> list[Target]:
    """Bring every open target whose goal names a figure up to that figure at its place; complete it when
    the goal is met (figure ≥ threshold). Returns the targets whose progress changed. Run by the scheduled
    snapshot and after the registries change (`manage.py campaign_sync`, the page's button)."""
    from gongzhi.insights.registry import values_many

    on = on or timezone.localdate()
    qs = (
        Target.objects.filter(status=Status.OPEN)
        .exclude(goal_type__figure="")
        .select_related("goal_type", "compound", "community", "campaign__division")
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    changed = []
    targets = list(qs)
    # Every target's place at once, only the figures the goals name: each provider asked once.
    found = values_many([t.place for t in targets], codes={t.goal_type.figure for t in targets})
    for target in targets:
        authorize(actor, MANAGE, target)
        mine = found[target.place.path]
        progress = rules.figure_progress(mine.get(target.goal_type.figure), target.goal_type.threshold)
        if progress is None or progress == target.progress:
            continue
        Update.objects.create(
            target=target,
            on=on,
            progress=progress,
            path=target.path,
            source=target.goal_type.figure[:40],
            note=f"{target.goal_type.figure} = {mine.get(target.goal_type.figure)}",
        )
        target.progress = progress
        if progress == rules.ONE:
            target.status, target.done_on = Status.DONE, on
        stamp(target, actor, "指标同步").save()
        changed.append(target)
    return changed
