"""Writes to persons, ownership, residence and the personal-data access log.

Every service takes `actor` (a user or gongzhi.core.actors.system(...)), checks the right itself and stamps
the history row. Rules are gongzhi.people.rules; bulk variants for imports are gongzhi.people.bulk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.access import authorize
from gongzhi.accounts.roles import Action
from gongzhi.core.actors import history_user, stamp
from gongzhi.core.pinyin import pinyin_keys
from gongzhi.people.identity import clean_id_number
from gongzhi.people.masking import may_unmask
from gongzhi.people.models import AccessLog, Ownership, Person, PersonKind, Residence, SecurityAlert
from gongzhi.people.paths import refresh_paths
from gongzhi.people.rules import name_problem, phone_problem, share_problem
from gongzhi.people.selectors import viewer_label
from gongzhi.places.models import Home
from gongzhi.places.services import compound_refresh_figures, compounds_refresh_figures

logger = logging.getLogger(__name__)


def _refuse(problem: str) -> None:
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def person_create(
    *,
    actor: Any,
    name: str,
    id_number: str | None = None,
    phone: str = "",
    kind: str = PersonKind.INDIVIDUAL,
) -> Person:
    """A person; the ID number, when given, must pass its GB 11643 check character."""
    authorize(actor, Action.PERSON_EDIT)
    _refuse(name_problem(name) or phone_problem(phone))
    cleaned = clean_id_number(id_number) if id_number else None
    py, ini = pinyin_keys(name)
    person = Person(kind=kind, name=name.strip(), id_number=cleaned, phone=phone, pinyin=py, initials=ini)
    stamp(person, actor)
    person.save(force_insert=True)
    return person


@transaction.atomic
def ownership_add(
    *,
    actor: Any,
    home: Home,
    person: Person,
    share: Decimal = Decimal("1"),
    since: date | None = None,
) -> Ownership:
    authorize(actor, Action.PERSON_EDIT, home)
    _refuse(share_problem(share))
    ownership = Ownership(
        home=home, person=person, share=share, since=since, compound_id_cache=home.compound_id
    )
    stamp(ownership, actor)
    ownership.save(force_insert=True)
    compound_refresh_figures(compound_id=home.compound_id)
    refresh_paths([person.pk])
    return ownership


@transaction.atomic
def residence_add(
    *, actor: Any, home: Home, person: Person, relation: str = Residence.Relation.OWNER
) -> Residence:
    authorize(actor, Action.PERSON_EDIT, home)
    residence = Residence(home=home, person=person, relation=relation)
    stamp(residence, actor)
    residence.save(force_insert=True)
    refresh_paths([person.pk])
    return residence


class UnmaskLimitExceeded(PermissionDenied):
    """More persons unmasked in the window than settings allow; the security administrator is alerted."""


def access_log_write(
    *,
    actor: Any,
    persons: Iterable[Person | int],
    paths: Iterable[str],
    purpose: str,
    fields: str = "id_number,phone",
    rule_checked: bool = False,
) -> int:
    """Record that `actor` saw these persons unmasked (PIPL art. 51): one row per person, who/what/why.

    Refuses unless the one unmask rule (gongzhi.people.masking.may_unmask) allows it at `paths`, so a
    page cannot show what it has not logged — or, with `rule_checked`, the caller has enforced a right of
    its own (the party ledger's export, whose ID numbers are the sheet's key). Bulk unmasking is rate-limited (PIPL art. 51(2), 等保 2.0
    8.1.4.9 audit and alerting): more than GONGZHI_UNMASK_LIMIT persons within GONGZHI_UNMASK_WINDOW_SECONDS
    raises UnmaskLimitExceeded after writing a SecurityAlert, which survives the refusal.
    """
    paths = list(paths)
    user = history_user(actor)
    if user is None or not (rule_checked or may_unmask(actor, paths)):
        raise PermissionDenied
    ids = list(dict.fromkeys(p if isinstance(p, int) else p.pk for p in persons))
    if not ids:
        return 0
    since = timezone.now() - timedelta(seconds=settings.GONGZHI_UNMASK_WINDOW_SECONDS)
    seen = AccessLog.objects.filter(user=user, at__gte=since).count()
    limit = settings.GONGZHI_UNMASK_LIMIT
    if seen + len(ids) > limit:
        security_alert_raise(
            user=user,
            kind=SecurityAlert.Kind.UNMASK_RATE,
            message=f"{user.get_username()} 在 {settings.GONGZHI_UNMASK_WINDOW_SECONDS // 60} 分钟内请求查看 "
            f"{seen + len(ids)} 人的完整个人信息，超过限额 {limit}（{purpose}）",
        )
        raise UnmaskLimitExceeded(
            _("短时间内查看完整个人信息的人数超过限额（%(limit)s 人），已通知安全管理员。") % {"limit": limit}
        )
    viewer = viewer_label(user, paths)
    with transaction.atomic():
        AccessLog.objects.bulk_create(
            [
                AccessLog(user=user, person_id=pk, fields=fields, purpose=purpose[:100], viewer=viewer)
                for pk in ids
            ],
            batch_size=2000,
        )
    return len(ids)


def security_alert_raise(*, user: Any, kind: str, message: str) -> SecurityAlert:
    """An alert for the security administrator: a record, and a WARNING in the server log."""
    with transaction.atomic():
        alert = SecurityAlert.objects.create(user=user, kind=kind, message=message[:500])
    logger.warning("security alert %s: %s", kind, message)
    return alert


class UnmaskedExportLog:
    """Collects the persons an export writes in full; `flush()` logs them before their rows are released."""

    def __init__(
        self, user: Any, purpose: str, *, fields: str = "id_number,phone", rule_checked: bool = False
    ):
        self.user, self.purpose, self.fields, self.rule_checked = user, purpose, fields, rule_checked
        self.ids: list[int] = []
        self.paths: set[str] = set()

    def add(self, person_id: int, path: str) -> None:
        self.ids.append(person_id)
        self.paths.add(path)

    def flush(self) -> None:
        if self.ids:
            access_log_write(
                actor=self.user,
                persons=self.ids,
                paths=self.paths,
                purpose=self.purpose,
                fields=self.fields,
                rule_checked=self.rule_checked,
            )
        self.ids, self.paths = [], set()


def expired_records_purge(
    *, actor: Any, log_before: Any, ended_before: date, dry_run: bool = False
) -> dict[str, int]:
    """Delete access logs and alerts from before `log_before`, and ownerships/residences ended before
    `ended_before` (PIPL art. 47), refreshing the owner figures and person paths they fed."""
    authorize(actor, Action.PERSON_EDIT)
    logs = AccessLog.objects.filter(at__lt=log_before)
    alerts = SecurityAlert.objects.filter(at__lt=log_before)
    owned = Ownership.objects.filter(until__lt=ended_before)
    lived = Residence.objects.filter(until__lt=ended_before)
    counts = {
        "查看记录": logs.count(),
        "安全告警": alerts.count(),
        "已终止产权": owned.count(),
        "已迁出居住": lived.count(),
    }
    if dry_run:
        return counts
    compounds = set(owned.values_list("compound_id_cache", flat=True))
    persons = set(owned.values_list("person_id", flat=True)) | set(lived.values_list("person_id", flat=True))
    logs.delete()
    alerts.delete()
    owned.delete()
    lived.delete()
    compounds_refresh_figures(compound_ids=compounds)
    refresh_paths(persons)
    return counts
