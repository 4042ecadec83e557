"""Every write of collective "三资" supervision: keyword-only, `actor` first, one transaction, history kept.

The permission asked is `collectives.manage` at the collective's village (village cadres, town staff,
the county bureau), `collectives.settings` for the settings rows (the county bureau). Bulk variants
(`holdings_bulk_create`, `entries_bulk_create`, `contracts_bulk_create`) are what the ledger import and the
demo use: the same checks, rows and history rows inserted in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.access import authorize
from gongzhi.collectives import defaults, rules
from gongzhi.collectives.models import (
    KIND,
    MANAGE,
    SETTINGS,
    Account,
    Asset,
    Collective,
    Contract,
    ContractLimit,
    Criterion,
    Decision,
    DecisionStep,
    Entry,
    GradeFloor,
    Resource,
    Threshold,
)
from gongzhi.core.actors import history_user, stamp
from gongzhi.organisations.models import Organisation
from gongzhi.organisations.services import NewOrganisation, organisation_create, organisations_bulk_create
from gongzhi.places.models import Division, Level

DEFAULT_MAJOR_YUAN = defaults.MAJOR_YUAN
# A village, or a community formed from villages (村改居), whose 股份经济合作社 carries on.
RURAL = (Level.VILLAGE, Level.COMMUNITY)


def _save(obj: Any, actor: Any, reason: str = "") -> Any:
    stamp(obj, actor, reason)
    obj.save()
    return obj


def _bulk(model: type[Any], rows: list[Any], actor: Any, reason: str) -> list[Any]:
    if not rows:
        return []
    return bulk_create_with_history(
        rows, model, default_user=history_user(actor), default_change_reason=reason or str(actor)[:100]
    )


def collective_name(village: Division) -> str:
    base = (
        village.name.removesuffix("村民委员会")
        .removesuffix("村委会")
        .removesuffix("居委会")
        .removesuffix("村")
    )
    return f"{base}村股份经济合作社"


def collective_create(*, actor: Any, village: Division, founded_on: date | None = None) -> Collective:
    if village.level not in RURAL:
        raise ValidationError(_("村集体经济组织只能建在村（社区）"))
    authorize(actor, MANAGE, village)
    return organisation_create(
        actor=actor,
        kind=KIND,
        code=f"JT{village.code}",
        name=collective_name(village),
        places=[village],
        founded_on=founded_on,
        model=Collective,
    )


def collectives_bulk_create(
    *, actor: Any, villages: Sequence[Division], founded_on: date | None = None
) -> int:
    """One collective for each village that has none yet (imports and the demo)."""
    have = set(
        Collective.objects.filter(code__in=[f"JT{v.code}" for v in villages]).values_list("code", flat=True)
    )
    rows = [
        NewOrganisation(
            Collective(
                kind=KIND, code=f"JT{v.code}", name=collective_name(v), founded_on=founded_on, path=v.path
            ),
            [v],
            [],
        )
        for v in villages
        if f"JT{v.code}" not in have and v.level in RURAL
    ]
    return organisations_bulk_create(actor=actor, rows=rows)


def _check_collective(actor: Any, collective: Organisation) -> None:
    if collective.kind != KIND:
        raise ValidationError(_("不是村集体经济组织"))
    authorize(actor, MANAGE, collective)


# -- assets, resources, accounts -----------------------------------------------------------------------


def _holding_problem(row: Asset | Resource | Account) -> str:
    """What refuses one asset, resource or account whatever the other rows (the ledger's cells say the same)."""
    if not (row.name or "").strip():
        return _("请填写名称")
    if isinstance(row, Asset) and not row.value_yuan > 0:
        return _("账面价值须为正整数（元）")
    if isinstance(row, Resource) and not Decimal(row.area_mu or 0) > 0:
        return _("面积须大于 0（亩）")
    return ""


def _taken_names(rows: Sequence[Asset | Resource | Account]) -> set[tuple[str, int, str]]:
    """(family, collective, name) already used: a contract names its subject, and an entry its account, by
    name within the village, so an asset and a resource share one set of names and accounts have their own."""
    ids = {r.collective_id for r in rows}
    pks = {(type(r), r.pk) for r in rows if r.pk}
    out: set[tuple[str, int, str]] = set()
    for model, family in ((Asset, "subject"), (Resource, "subject"), (Account, "account")):
        for pk, cid, name in model.objects.filter(collective_id__in=ids).values_list(
            "pk", "collective_id", "name"
        ):
            if (model, pk) not in pks:
                out.add((family, cid, name))
    return out


def _family(row: Asset | Resource | Account) -> str:
    return "account" if isinstance(row, Account) else "subject"


def _holdings_problems(rows: Sequence[Asset | Resource | Account]) -> list[str]:
    taken = _taken_names(rows)
    problems = []
    for i, r in enumerate(rows):
        r.name = (r.name or "").strip()[:100]
        key = (_family(r), r.collective_id, r.name)
        problem = _holding_problem(r) or (
            _("本村已有名为“%(n)s”的资产、资源或账户") % {"n": r.name} if key in taken else ""
        )
        taken.add(key)
        if problem:
            problems.append(f"{i + 1}: {problem}" if len(rows) > 1 else problem)
    return problems


@transaction.atomic
def holdings_bulk_create(*, actor: Any, rows: Sequence[Asset | Resource | Account], reason: str = "") -> int:
    """Assets, resources and accounts (imports, the demo, the form): each checked as a single row is, names
    unique within the village; one bad row refuses them all."""
    for c in {r.collective_id: r.collective for r in rows}.values():
        _check_collective(actor, c)
    problems = _holdings_problems(rows)
    if problems:
        raise ValidationError(problems)
    n = 0
    for model in (Asset, Resource, Account):
        mine = [r for r in rows if isinstance(r, model)]
        for r in mine:
            r.path = r.collective.path
        n += len(_bulk(model, mine, actor, reason))
    return n


def holding_add(*, actor: Any, row: Asset | Resource | Account) -> Asset | Resource | Account:
    holdings_bulk_create(actor=actor, rows=[row])
    return row


@transaction.atomic
def holding_update(*, actor: Any, row: Asset | Resource | Account) -> Asset | Resource | Account:
    """Save the changed fields of an asset, resource or account; it stays with its collective."""
    stored = type(row).objects.select_for_update().get(pk=row.pk)
    if stored.collective_id != row.collective_id:
        raise ValidationError(_("不能把资产、资源或账户移到别的集体"))
    _check_collective(actor, stored.collective)
    problems = _holdings_problems([row])
    if problems:
        raise ValidationError(problems)
    row.path = stored.path
    return _save(row, actor)


# -- decisions: 四议两公开 --------------------------------------------------------------------------------


def major_yuan() -> int:
    row = Threshold.objects.filter(pk=1).first()
    return row.major_yuan if row else DEFAULT_MAJOR_YUAN


def decision_open(
    *, actor: Any, collective: Organisation, title: str, kind: str, amount_yuan: int, opened_on: date
) -> Decision:
    _check_collective(actor, collective)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写事项"))
    return _save(
        Decision(
            collective=collective,
            path=collective.path,
            title=title[:200],
            kind=kind,
            amount_yuan=amount_yuan,
            opened_on=opened_on,
        ),
        actor,
    )


@transaction.atomic
def step_record(
    *,
    actor: Any,
    decision: Decision,
    step: int,
    on: date,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    note: str = "",
) -> DecisionStep:
    """The next of the six steps; the decision row is locked so two cadres cannot record the same step."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    authorize(actor, MANAGE, locked.collective)
    done = [rules.StepDone(s.step, s.on) for s in locked.steps.order_by("step")]
    if not done and on < locked.opened_on:
        raise ValidationError(_("日期不能早于事项提出日期"))
    problem = rules.step_problem(done, step, on, votes_for, votes_against)
    if problem:
        raise ValidationError(problem)
    row = _save(
        DecisionStep(
            decision=locked,
            step=step,
            on=on,
            votes_for=votes_for if step in rules.VOTED else 0,
            votes_against=votes_against if step in rules.VOTED else 0,
            votes_abstain=votes_abstain if step in rules.VOTED else 0,
            note=(note or "").strip()[:200],
        ),
        actor,
    )
    locked.steps_done = step
    _save(locked, actor)
    decision.steps_done = step
    return row


@transaction.atomic
def decisions_bulk_create(
    *, actor: Any, rows: Sequence[tuple[Decision, Sequence[DecisionStep]]], reason: str = ""
) -> int:
    """Decisions with the steps already taken (imports, the demo): each sequence checked step by step with
    the same rule as step_record; one bad sequence refuses them all."""
    for c in {d.collective_id: d.collective for d, _steps in rows}.values():
        _check_collective(actor, c)
    for i, (d, steps) in enumerate(rows):
        done: list[rules.StepDone] = []
        for s in steps:
            problem = rules.step_problem(done, s.step, s.on, s.votes_for, s.votes_against)
            if problem or (not done and s.on < d.opened_on):
                raise ValidationError(f"{i + 1}: {problem or _('日期不能早于事项提出日期')}")
            done.append(rules.StepDone(s.step, s.on))
        d.path, d.steps_done = d.collective.path, len(done)
    made = _bulk(Decision, [d for d, _steps in rows], actor, reason)
    for d, (_d, steps) in zip(made, rows, strict=True):
        for s in steps:
            s.decision = d
    _bulk(DecisionStep, [s for _d, steps in rows for s in steps], actor, reason)
    return len(made)


# -- fund entries --------------------------------------------------------------------------------------


def _entry_problem(e: Entry, threshold: int) -> str:
    if e.amount_yuan <= 0:
        return _("金额须为正整数（元）")
    if e.decision is not None and e.decision.path != e.account.path:
        return _("所依据的决策不属于本村")
    if e.direction == Entry.Direction.SPENDING:
        steps = e.decision.steps_done if e.decision is not None else None
        return rules.approval_problem(e.amount_yuan, threshold, steps)
    return ""


@transaction.atomic
def entries_bulk_create(*, actor: Any, rows: Sequence[Entry], reason: str = "") -> int:
    """Income and spending entries; a spending above the threshold needs a completed decision. One bad row
    refuses them all (ValidationError naming the row), nothing written."""
    threshold = major_yuan()
    for c in {r.account.collective_id: r.account.collective for r in rows}.values():
        _check_collective(actor, c)
    problems = [f"{i + 1}: {p}" for i, e in enumerate(rows) if (p := _entry_problem(e, threshold))]
    if problems:
        raise ValidationError(problems)
    for e in rows:
        e.path = e.account.path
    return len(_bulk(Entry, list(rows), actor, reason))


def entry_record(*, actor: Any, entry: Entry) -> Entry:
    threshold = major_yuan()
    _check_collective(actor, entry.account.collective)
    problem = _entry_problem(entry, threshold)
    if problem:
        raise ValidationError(problem)
    entry.path = entry.account.path
    return _save(entry, actor)


@transaction.atomic
def entry_update(*, actor: Any, entry: Entry) -> Entry:
    """Correct an entry (the history keeps what it said before); same rule as a new one, same village."""
    stored = Entry.objects.select_for_update().select_related("account").get(pk=entry.pk)
    if entry.account.collective_id != stored.account.collective_id:
        raise ValidationError(_("只能改为本村的账户"))
    return entry_record(actor=actor, entry=entry)


# -- contracts -----------------------------------------------------------------------------------------


def limits() -> dict[str, rules.Limit]:
    return {
        x.subject: rules.Limit(x.max_years, x.min_yuan_per_mu, x.max_yuan_per_mu)
        for x in ContractLimit.objects.all()
    }


def subject_kind(c: Contract) -> str:
    return c.resource.kind if c.resource is not None else "asset"


def _mark(c: Contract, limit_of: dict[str, rules.Limit], threshold: int) -> str:
    """Set the contract's warning flags; return the problem that refuses it outright ('' if none)."""
    if c.ends_on <= c.starts_on:
        return _("到期日期须晚于起始日期")
    if (c.asset is None) == (c.resource is None):
        return _("请选择一项资产或资源")
    subject = c.subject
    if subject is None or subject.path != c.collective.path:
        return _("资产（资源）不属于本集体")
    if c.decision is not None and c.decision.path != c.collective.path:
        return _("所依据的决策不属于本村")
    if c.resource is not None and not c.area_mu:
        c.area_mu = c.resource.area_mu
    c.out_of_range = bool(
        rules.contract_warnings(
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            annual_yuan=c.annual_yuan,
            area_mu=Decimal(c.area_mu or 0),
            limit=limit_of.get(subject_kind(c)),
        )
    )
    steps = c.decision.steps_done if c.decision is not None else None
    c.unapproved = bool(
        rules.approval_problem(rules.whole_price(c.annual_yuan, c.starts_on, c.ends_on), threshold, steps)
    )
    return ""


def contract_record(*, actor: Any, contract: Contract) -> Contract:
    """A new contract: refused when above the threshold without a completed decision; out-of-range terms or
    prices are recorded with their warning."""
    _check_collective(actor, contract.collective)
    problem = _mark(contract, limits(), major_yuan())
    if problem:
        raise ValidationError(problem)
    if contract.unapproved:
        steps = contract.decision.steps_done if contract.decision is not None else None
        whole = rules.whole_price(contract.annual_yuan, contract.starts_on, contract.ends_on)
        raise ValidationError(rules.approval_problem(whole, major_yuan(), steps))
    contract.path = contract.collective.path
    return _save(contract, actor)


@transaction.atomic
def contracts_bulk_create(*, actor: Any, rows: Sequence[Contract], reason: str = "") -> int:
    """The register of existing contracts (清产核资, imports): each checked and flagged — one that lacked a
    decision is recorded as found (unapproved) for supervision, not refused; a malformed row refuses all."""
    for org in {r.collective_id: r.collective for r in rows}.values():
        _check_collective(actor, org)
    limit_of, threshold = limits(), major_yuan()
    problems = [f"{i + 1}: {p}" for i, k in enumerate(rows) if (p := _mark(k, limit_of, threshold))]
    codes = [k.code for k in rows]
    taken = set(Contract.objects.filter(code__in=codes).values_list("code", flat=True))
    problems += [
        f"{i + 1}: " + _("合同编号 %(c)s 重复或已存在") % {"c": code}
        for i, code in enumerate(codes)
        if code in taken or codes.index(code) != i
    ]
    if problems:
        raise ValidationError(problems)
    for k in rows:
        k.path = k.collective.path
    return len(_bulk(Contract, list(rows), actor, reason))


# -- settings ------------------------------------------------------------------------------------------


def threshold_set(*, actor: Any, major_yuan: int) -> Threshold:
    authorize(actor, SETTINGS)
    if major_yuan <= 0:
        raise ValidationError(_("金额标准须为正整数"))
    row = Threshold.objects.filter(pk=1).first() or Threshold(pk=1, major_yuan=major_yuan)
    row.major_yuan = major_yuan
    return _save(row, actor)


def limit_set(
    *, actor: Any, subject: str, max_years: int, min_yuan_per_mu: int | None, max_yuan_per_mu: int | None
) -> ContractLimit:
    authorize(actor, SETTINGS)
    if max_years <= 0:
        raise ValidationError(_("最长期限须为正整数"))
    if min_yuan_per_mu is not None and max_yuan_per_mu is not None and min_yuan_per_mu > max_yuan_per_mu:
        raise ValidationError(_("每亩年价下限不能高于上限"))
    row = ContractLimit.objects.filter(subject=subject).first() or ContractLimit(subject=subject, max_years=1)
    row.max_years, row.min_yuan_per_mu, row.max_yuan_per_mu = max_years, min_yuan_per_mu, max_yuan_per_mu
    return _save(row, actor)


RATED_FIGURES_EXCLUDED = ("towns_exemplary", "towns_excellent", "towns_strengthening")


def criterion_set(
    *,
    actor: Any,
    figure: str,
    weight: int,
    higher_better: bool,
    full_at: Decimal,
    half_at: Decimal,
    known: set[str],
) -> Criterion:
    """`known`: the catalogue's codes (the caller reads the catalogue); the rating's own figures are refused."""
    authorize(actor, SETTINGS)
    if figure not in known or figure in RATED_FIGURES_EXCLUDED:
        raise ValidationError(_("指标 %(f)s 不在指标目录中或不能用于评定") % {"f": figure})
    if weight <= 0 or weight > 100:
        raise ValidationError(_("权重须在 1–100 之间"))
    if (full_at < half_at) if higher_better else (full_at > half_at):
        raise ValidationError(_("满分标准须比半分标准更严"))
    row = Criterion.objects.filter(figure=figure).first() or Criterion(figure=figure, weight=weight)
    row.weight, row.higher_better, row.full_at, row.half_at = weight, higher_better, full_at, half_at
    return _save(row, actor)


def floor_set(*, actor: Any, grade: str, min_score: Decimal) -> GradeFloor:
    authorize(actor, SETTINGS)
    if not Decimal(0) <= min_score <= Decimal(100):
        raise ValidationError(_("分数线须在 0–100 之间"))
    others = dict(GradeFloor.objects.exclude(grade=grade).values_list("grade", "min_score"))
    if grade == "exemplary" and "excellent" in others and min_score <= others["excellent"]:
        raise ValidationError(_("示范的分数线须高于创优"))
    if grade == "excellent" and "exemplary" in others and min_score >= others["exemplary"]:
        raise ValidationError(_("创优的分数线须低于示范"))
    row = GradeFloor.objects.filter(grade=grade).first() or GradeFloor(grade=grade, min_score=min_score)
    row.min_score = min_score
    return _save(row, actor)


def settings_ensure(*, actor: Any) -> None:
    """Write the default settings rows that are missing (as migration 0002 does), leaving edited ones alone."""
    for subject, (years, low, high) in defaults.LIMITS.items():
        if not ContractLimit.objects.filter(subject=subject).exists():
            _save(
                ContractLimit(subject=subject, max_years=years, min_yuan_per_mu=low, max_yuan_per_mu=high),
                actor,
            )
    if not Threshold.objects.filter(pk=1).exists():
        _save(Threshold(pk=1, major_yuan=defaults.MAJOR_YUAN), actor)
    for figure, (weight, higher, full, half) in defaults.CRITERIA.items():
        if not Criterion.objects.filter(figure=figure).exists():
            _save(
                Criterion(figure=figure, weight=weight, higher_better=higher, full_at=full, half_at=half),
                actor,
            )
    for grade, floor in defaults.FLOORS.items():
        if not GradeFloor.objects.filter(grade=grade).exists():
            _save(GradeFloor(grade=grade, min_score=floor), actor)
