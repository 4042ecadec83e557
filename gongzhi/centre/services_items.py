"""Writes of the one-stop catalogue (ServiceItem): create, update, retire, and the bulk variant the demo and a
new centre's catalogue use. Keyword-only, `actor` first, `centre.edit` at the centre, one transaction, a history
row naming the actor; the rules (gongzhi.centre.rules.service_item_problems) are checked first and a refusal
is a ValidationError with the Chinese message. An item is never deleted (requests refer to it): it is retired,
and from that day it is not offered for new requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.access import authorize
from gongzhi.centre import rules
from gongzhi.centre.models import EDIT, Centre, ServiceItem
from gongzhi.core.actors import history_user, reason_of, stamp


@dataclass(frozen=True)
class NewItem:
    category: str
    name: str
    handler: str
    limit_days: int


def _check(item: NewItem) -> None:
    problems = rules.service_item_problems(
        category=item.category,
        categories=ServiceItem.Category.values,
        name=item.name,
        handler=item.handler,
        limit_days=item.limit_days,
    )
    if problems:
        raise ValidationError(problems)


def _taken(centre: Centre, name: str, exclude: int = 0) -> None:
    """One offered item of a name per centre: a contact choosing from the list could not tell two apart."""
    if (
        ServiceItem.objects.filter(centre=centre, name=name, retired_on__isnull=True)
        .exclude(pk=exclude)
        .exists()
    ):
        raise ValidationError(f"服务事项“{name}”已在目录中。")


@transaction.atomic
def service_items_bulk_create(
    *, actor: Any, centre: Centre, rows: Sequence[NewItem], reason: str = "登记服务事项"
) -> list[ServiceItem]:
    """Items of one centre's catalogue, every row checked first (nothing written when one fails), one history
    row each."""
    authorize(actor, EDIT, centre)
    for row in rows:
        _check(row)
    names = [r.name.strip() for r in rows]
    if len(set(names)) != len(names):
        raise ValidationError("同一批登记中有重复的服务事项名称。")
    held = set(
        ServiceItem.objects.filter(centre=centre, name__in=names, retired_on__isnull=True).values_list(
            "name", flat=True
        )
    )
    if held:
        raise ValidationError([f"服务事项“{n}”已在目录中。" for n in sorted(held)])
    items = [
        ServiceItem(
            centre=centre,
            category=r.category,
            name=r.name.strip(),
            handler=r.handler.strip(),
            limit_days=r.limit_days,
            path=centre.path,
        )
        for r in rows
    ]
    return bulk_create_with_history(
        items, ServiceItem, default_user=history_user(actor), default_change_reason=reason_of(actor, reason)
    )


def service_item_create(*, actor: Any, centre: Centre, item: NewItem) -> ServiceItem:
    return service_items_bulk_create(actor=actor, centre=centre, rows=[item])[0]


@transaction.atomic
def service_item_update(*, actor: Any, item: ServiceItem, change: NewItem) -> ServiceItem:
    """Change an item's category, name, handler or limit. A request already filed keeps the limit it was
    filed under (its due day was counted then); new requests take the new one."""
    authorize(actor, EDIT, item)
    _check(change)
    _taken(item.centre, change.name.strip(), exclude=item.pk)
    item.category, item.name = change.category, change.name.strip()
    item.handler, item.limit_days = change.handler.strip(), change.limit_days
    stamp(item, actor, "修改服务事项")
    item.save()
    return item


@transaction.atomic
def service_item_retire(*, actor: Any, item: ServiceItem, on: date | None = None) -> ServiceItem:
    """Stop offering an item from `on` (today); open requests of it are answered as before."""
    authorize(actor, EDIT, item)
    locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if locked.retired_on is not None:
        raise ValidationError(f"该服务事项已于{locked.retired_on:%Y-%m-%d}停办。")
    locked.retired_on = on or timezone.localdate()
    stamp(locked, actor, "停办服务事项")
    locked.save()
    return locked
