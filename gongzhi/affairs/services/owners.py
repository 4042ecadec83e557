"""Staff link an owner's login to the owner on the register, creating the resident login when none exists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.roles import Action
from gongzhi.accounts.services import resident_login_create
from gongzhi.affairs.models import Voter
from gongzhi.affairs.services.common import _check
from gongzhi.affairs.services.votes import voter_link
from gongzhi.people.models import Ownership, Person
from gongzhi.places.models import Home


@transaction.atomic
def owner_login_link(
    *, actor: Any, home: Home, person: Person, username: str = "", at: datetime | None = None
) -> tuple[Voter, str]:
    """Let ``person``, a current owner of ``home`` on the register, vote online: link the existing login
    ``username``, or create a resident login at the home's compound. Returns the link and the initial
    password ("" for an existing login), shown once to the staff who checked the owner's identity."""
    _check(actor, Action.PERSON_EDIT, home)
    at = at or timezone.now()
    on = timezone.localdate(at)
    current = Ownership.objects.filter(home=home, person=person).exclude(until__lte=on)
    if not current.exists():
        raise ValidationError(f"{person.name} 不是该房屋业主名册上的现业主，不能关联")
    username = username.strip()
    existing = Voter.objects.filter(person=person).select_related("user").first()
    if existing is not None and (not username or existing.user.username == username):
        raise ValidationError(f"{person.name} 已关联账号 {existing.user.username}")
    password = ""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(f"找不到可用的账号「{username[:50]}」")
        if user.is_superuser or user.is_staff:
            raise ValidationError("管理账号不能作为业主表决账号")
    else:
        user, password = resident_login_create(
            actor=actor, compound=home.compound, full_name=person.name, stem=f"yz{person.pk}"
        )
    return voter_link(user=user, person=person, actor=actor, at=at), password
