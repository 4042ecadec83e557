"""Retention settings: `purge_expired_data` deletes what is kept no longer, and nothing else."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.people.models import AccessLog, Ownership, Residence, SecurityAlert
from gongzhi.people.services import access_log_write
from gongzhi.tests.factories import user_with


@pytest.mark.django_db
def test_purge_removes_only_what_is_past_its_retention(tree):
    compound = tree.compounds[0]
    home = compound.buildings.first().homes.first()
    owned = Ownership.objects.filter(home__compound=compound).order_by("pk")
    worker = user_with(Role.COMMUNITY_WORKER, compound.community)
    persons = [o.person for o in owned[:2]]
    access_log_write(actor=worker, persons=persons, paths=[home.path], purpose="home page")
    AccessLog.objects.filter(person=persons[0]).update(at=timezone.now() - timedelta(days=400))
    SecurityAlert.objects.create(kind="unmask_rate", message="old")
    SecurityAlert.objects.update(at=timezone.now() - timedelta(days=400))
    ended_long_ago, ended_lately, current = owned[0], owned[1], owned[2]
    Ownership.objects.filter(pk=ended_long_ago.pk).update(until=date.today() - timedelta(days=6 * 365))
    Ownership.objects.filter(pk=ended_lately.pk).update(until=date.today() - timedelta(days=30))
    Residence.objects.create(
        home=home, person=persons[1], relation="tenant", until=date.today() - timedelta(days=6 * 365)
    )
    out = StringIO()
    call_command("purge_expired_data", dry_run=True, stdout=out)
    assert "查看记录：将删除 1" in out.getvalue() and AccessLog.objects.count() == 2
    call_command("purge_expired_data", stdout=StringIO())

    assert list(AccessLog.objects.values_list("person", flat=True)) == [persons[1].pk]
    assert not SecurityAlert.objects.exists()
    assert not Ownership.objects.filter(pk=ended_long_ago.pk).exists()
    assert Ownership.objects.filter(pk__in=[ended_lately.pk, current.pk]).count() == 2
    assert not Residence.objects.filter(relation="tenant").exists()


@pytest.mark.django_db
@override_settings(GONGZHI_RETAIN_ACCESS_LOG_DAYS=30)
def test_audit_records_are_kept_at_least_six_months():
    with pytest.raises(CommandError, match="180"):
        call_command("purge_expired_data", stdout=StringIO())
