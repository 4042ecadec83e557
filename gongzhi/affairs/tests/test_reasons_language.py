"""A closed vote's reasons are stored as codes and worded in the reader's language (issue 9): the pages, the
public result and the API say them in Chinese or English, citing the same articles; older rows stored as
Chinese sentences are shown as they were."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services, timeline
from gongzhi.affairs.civil_code import (
    DEFAULT_RULE_SETS,
    Home,
    Item,
    Opinion,
    count_electorate,
    decide_under_rule_set,
    tally,
)
from gongzhi.affairs.models import Origin, Vote
from gongzhi.affairs.tests.helpers import make_estate, open_vote
from gongzhi.tests.factories import SYSTEM, user_with

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _back_to_chinese():  # type: ignore[no-untyped-def]
    """A request in English leaves the thread in English; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def worded(reasons: Any, language: str) -> list[str]:
    with translation.override(language):
        return [timeline.reason_text(r) for r in reasons]


owners = st.integers(min_value=0, max_value=12)


@given(
    st.lists(st.sampled_from([None, *Opinion]), min_size=0, max_size=12),
    st.sampled_from(list(Item)),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
def test_every_reason_is_worded_in_both_languages(
    opinions: list[Opinion | None], item: Item, notice_days: int, objections: int, signed: bool
) -> None:
    """Whatever the count and the conditions, each reason has a Chinese and an English sentence, with every
    parameter filled, the articles cited in both, and no Chinese left in the English but the rule set's name."""
    homes = [Home(i, Decimal("80.50") + i, f"o{i}") for i in range(len(opinions))]
    cast = {f"o{i}": o for i, o in enumerate(opinions)}
    (qingdao,) = DEFAULT_RULE_SETS
    plain = tally(count_electorate(homes), cast, item)
    ruled = decide_under_rule_set(
        count_electorate(homes),
        cast,
        item,
        qingdao,
        signatures_complete=signed,
        notice_from=date(2024, 3, 1) if notice_days else None,
        notice_until=date(2024, 3, 1 + notice_days) if notice_days > 1 else None,
        unresolved_objections=objections,
    )
    for reasons in (plain.reasons, ruled.reasons):
        zh, en = worded(reasons, "zh-hans"), worded(reasons, "en")
        assert all(zh) and all(en) and zh != en
        assert not any("%(" in line for line in zh + en)
        assert not any(CJK.search(line.replace(qingdao.name, "")) for line in en), en
        assert zh[-1].startswith("结论") and en[-1].startswith("Conclusion")
        assert ("民法典第二百七十八条第二款" in "".join(zh)) and ("Civil Code art. 278" in "".join(en))


def test_the_codes_reason_tables_are_all_in_english() -> None:
    for code, sentence in timeline.REASONS.items():
        with translation.override("en"):
            english = str(sentence)
        assert english != str(sentence) and not CJK.search(english), code


def test_an_old_free_text_reason_and_an_unknown_code_are_shown_as_stored() -> None:
    assert timeline.reason_text("结论：通过（旧记录）") == "结论：通过（旧记录）"
    assert timeline.reason_text({"code": "r.from_the_future", "params": {}}) == "r.from_the_future"


@pytest.fixture
def closed(tree):  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    for person in estate.owners[:8]:
        services.ballot_cast(vote=vote, person=person, opinion="agree", origin=Origin.PAPER, actor=SYSTEM)
    services.ballot_cast(
        vote=vote, person=estate.owners[8], opinion="abstain", origin=Origin.PAPER, actor=SYSTEM
    )
    return estate, services.vote_close(vote=vote, actor=SYSTEM, reason="测试提前结束")


@pytest.mark.django_db
def test_a_closed_vote_stores_codes_and_its_page_says_them_in_chinese_and_english(closed) -> None:  # type: ignore[no-untyped-def]
    estate, vote = closed
    stored = Vote.objects.get(pk=vote.pk).reasons
    assert all(set(entry) == {"code", "params"} for entry in stored)
    client = Client()
    client.force_login(user_with(Role.COMMITTEE_MEMBER, estate.compound))
    url = reverse("affairs:vote", args=[vote.pk])
    zh = client.get(url).content.decode()
    assert "弃权 1 人计入参与表决，但不计入同意" in zh and "民法典第二百七十八条第二款" in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(url).content.decode()
    assert "1 abstention(s) count as taking part, not as agreeing" in en
    assert "Conclusion: passed (Civil Code art. 278 para. 2, item (5)" in en
    assert "弃权 1 人" not in en and "结论：" not in en
    assert "Civil Code art. 278 para. 2; para. 1 " in en and "参与表决的专有部分面积和人数均" not in en
    assert Vote.objects.get(pk=vote.pk).rule_applied.startswith(
        "民法典第二百七十八条第二款；第一款（五）使用"
    )
    api = client.get(f"/api/v1/votes/{vote.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["reasons"][-1].startswith("Conclusion: passed") and api["reason_codes"] == stored


@pytest.mark.django_db
def test_the_public_result_words_the_reasons_too(closed) -> None:  # type: ignore[no-untyped-def]
    _estate, vote = closed
    services.vote_publish(vote=vote, actor=SYSTEM, reason="公示")
    client = Client()
    url = reverse("affairs:vote_public", args=[vote.public_id])
    assert "结论：通过" in client.get(url).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Conclusion: passed" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_vote_closed_before_codes_shows_its_sentences_unchanged(closed) -> None:  # type: ignore[no-untyped-def]
    estate, vote = closed
    Vote.objects.filter(pk=vote.pk).update(reasons=["结论：通过（民法典第二百七十八条第二款，旧记录）"])
    client = Client()
    client.force_login(user_with(Role.COMMITTEE_MEMBER, estate.compound))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("affairs:vote", args=[vote.pk])).content.decode()
    assert "结论：通过（民法典第二百七十八条第二款，旧记录）" in page
