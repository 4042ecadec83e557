"""Reference data comes back after a flush by itself (gongzhi/core/reference.py), and only when missing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from gongzhi.core.reference import LOADERS, load_reference

APPS = {"affairs", "agribiz", "campaign", "centre", "cogovern", "collectives", "dashboard", "reporting"}


def counts() -> dict[str, int]:
    return {
        f"{loader.app}.{name}": apps.get_model(loader.app, name).objects.count()
        for loader in LOADERS.values()
        for name in loader.models
    }


def test_every_app_with_migration_data_registers_a_loader() -> None:
    assert {loader.app for loader in LOADERS.values()} >= APPS


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_tables_and_post_migrate_puts_the_same_rows_back() -> None:
    migrated = counts()
    assert all(migrated.values()), migrated  # the data migrations wrote every table
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not any(counts().values())  # a flush does empty them
    call_command("flush", interactive=False, verbosity=0)  # as a transactional test's teardown does
    assert counts() == migrated


@pytest.mark.django_db
def test_nothing_runs_when_the_data_is_there_and_a_missing_table_is_filled_alone() -> None:
    assert load_reference() == []
    skills = apps.get_model("reporting", "Skill").objects
    shipped = sorted(skills.values_list("code", flat=True))
    skills.all().delete()
    assert load_reference() == ["gongzhi.reporting.migrations.0002_skills:seed"]
    assert sorted(skills.values_list("code", flat=True)) == shipped
