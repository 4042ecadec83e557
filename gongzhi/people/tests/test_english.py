"""Refusals and ledger row errors in the reader's language: a person service refuses in the active language
(English for an English request or job, the same Chinese as before otherwise); the ownership rules that the
homes ledger checks cell by cell write their errors in the language of the request that queued the import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.ledgers.tests.speaking import messages, run_import
from gongzhi.people import services
from gongzhi.people.models import Ownership
from gongzhi.places.ledger import HOMES, OWNERS
from gongzhi.tests.factories import SYSTEM, PersonFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "The ownership share must be more than 0 and at most 1"),
        ("zh-hans", "产权份额应大于 0 且不超过 1"),
    ],
)
def test_an_ownership_refused_by_the_service_reads_in_the_active_language(  # type: ignore[no-untyped-def]
    tree, language: str, refusal: str
) -> None:
    before = Ownership.objects.count()
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.ownership_add(
            actor=SYSTEM, home=tree.homes[0], person=PersonFactory.create(), share=Decimal(2)
        )
    assert refused.value.messages == [refusal]
    assert Ownership.objects.count() == before


@pytest.mark.parametrize(
    ("language", "phone", "share"),
    [
        (
            "en",
            "Should be a mobile or landline number",
            "The ownership shares of this home add up to more than 1",
        ),
        ("zh-hans", "应为手机号或固定电话号码", "这套房屋的产权份额合计超过 1"),
    ],
)
def test_the_owner_rows_errors_read_in_the_job_requesters_language(  # type: ignore[no-untyped-def]
    tree, tmp_path, language: str, phone: str, share: str
) -> None:
    user = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    home = tree.homes[0]
    where = [home.compound.code, home.building.number, home.unit_no, home.room]
    owners = [
        [*where, "赵一", "", "12ab", "0.6"],
        [*where, "钱二", "", "", "0.6"],
        [*where, "孙三", "", "", "0.6"],
    ]
    before = Ownership.objects.count()
    job = run_import(tmp_path, user, "homes", [(HOMES, []), (OWNERS, owners)], language)
    # The home's registered owner holds the whole already; the file's shares are added up on their own.
    assert sorted(messages(job)) == sorted([f"业主/2/手机号: {phone}", f"业主/4/产权份额: {share}"])
    assert Ownership.objects.count() == before
