"""Issue 9: property staff take a matter on (its own step on the timeline), and the timeline's sentences are
stored as codes and parameters, worded in the reader's language (old rows keep their stored text)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services, timeline, workflow
from gongzhi.affairs.models import EventKind, Matter, MatterEvent, Responsible, Status
from gongzhi.affairs.tests.helpers import category, make_estate, matter_at_consultation
from gongzhi.tests.factories import SYSTEM, user_with


def _matter(estate) -> Matter:  # type: ignore[no-untyped-def]
    return services.matter_raise(
        actor=SYSTEM, compound=estate.compound, title="电梯年检", category=category("elevator")
    )


@given(
    status=st.sampled_from([s.value for s in Status]),
    taken=st.booleans(),
    needs_vote=st.booleans(),
)
def test_a_matter_is_taken_once_and_only_while_open(status: str, taken: bool, needs_vote: bool) -> None:
    state = workflow.MatterState(status, needs_vote, vote_open=False, vote_passed=False)
    refusal = workflow.take_refusal(state, taken)
    assert (refusal is None) == (status not in workflow.FINAL and not taken)


@pytest.mark.django_db
def test_property_staff_take_a_matter_and_the_timeline_has_the_step(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    staff = user_with(Role.PROPERTY_STAFF, estate.compound)
    services.matter_take(matter=matter, actor=staff, note="  明天上午派人查看 ")
    matter.refresh_from_db()
    assert matter.responsible == Responsible.PROPERTY and matter.taken_by == staff
    assert matter.taken_at is not None and matter.status == Status.RAISED  # taking moves no stage
    event = MatterEvent.objects.get(matter=matter, kind=EventKind.TAKEN)
    assert event.code == "taken_note" and event.params["note"] == "明天上午派人查看"
    assert event.text == f"{matter.responsible_name}承接本事项：明天上午派人查看"
    with translation.override("en"):
        assert event.shown_text == f"{matter.responsible_name} took this matter on: 明天上午派人查看"
    with pytest.raises(ValidationError, match="已由物业服务企业承接"):
        services.matter_take(matter=matter, actor=staff)
    assert MatterEvent.objects.filter(matter=matter, kind=EventKind.TAKEN).count() == 1


@pytest.mark.django_db
def test_only_property_staff_of_the_compound_take_a_matter(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    other = make_estate(tree.d("370202001001"), "别的小区")
    for user in (
        user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")),
        user_with(Role.RESIDENT, estate.compound),
        user_with(Role.PROPERTY_STAFF, other.compound),
    ):
        with pytest.raises(PermissionDenied):
            services.matter_take(matter=matter, actor=user)
    assert not MatterEvent.objects.filter(kind=EventKind.TAKEN).exists()


@pytest.mark.django_db
def test_a_closed_matter_is_not_taken(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    services.matter_advance(matter=matter, actor=SYSTEM, to=Status.SHELVED, note="业主撤回")
    with pytest.raises(ValidationError, match="办结或搁置"):
        services.matter_take(matter=matter, actor=user_with(Role.PROPERTY_STAFF, estate.compound))


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["坏\x00字", "长" * 501])
def test_hostile_notes_answer_in_chinese_and_write_nothing(tree, note: str) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    client = Client()
    client.force_login(user_with(Role.PROPERTY_STAFF, estate.compound))
    response = client.post(reverse("affairs:matter_take", args=[matter.pk]), {"note": note}, follow=True)
    assert response.status_code == 200
    assert "承接说明有误" in response.content.decode()
    matter.refresh_from_db()
    assert matter.taken_at is None and not MatterEvent.objects.filter(kind=EventKind.TAKEN).exists()


@pytest.mark.django_db
def test_the_take_button_shows_only_to_whom_may_take(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    url = reverse("affairs:matter", args=[matter.pk])
    client = Client()
    client.force_login(user_with(Role.COMMUNITY_WORKER, tree.d("370202001001")))
    assert 'id="take"' not in client.get(url).content.decode()
    client.force_login(user_with(Role.PROPERTY_STAFF, estate.compound))
    assert 'id="take"' in client.get(url).content.decode()
    response = client.post(reverse("affairs:matter_take", args=[matter.pk]), {"note": ""}, follow=True)
    page = response.content.decode()
    assert "已承接本事项" in page and 'id="take"' not in page and 'id="matter-taken"' in page


@pytest.mark.django_db
def test_vote_entries_are_worded_in_the_readers_language(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = matter_at_consultation(estate)
    vote = services.vote_open(matter=matter, actor=SYSTEM)
    services.vote_close(vote=vote, actor=SYSTEM, reason="业主已全部表决")
    closed = MatterEvent.objects.get(matter=matter, kind=EventKind.VOTE_CLOSED)
    opened = MatterEvent.objects.get(matter=matter, kind=EventKind.VOTE_OPENED)
    assert closed.code == "vote_closed_reason" and closed.params["verdict"] == "failed"
    assert closed.text.startswith("表决结束：未通过。参与 0/12 人") and closed.text.endswith(
        "理由：业主已全部表决"
    )
    with translation.override("en"):
        assert (
            closed.shown_text.startswith("Vote closed: Not passed.") and "业主已全部表决" in closed.shown_text
        )
        assert "Using the maintenance fund" in opened.shown_text and "表决事项" not in opened.shown_text
    with translation.override("zh-hans"):
        assert closed.shown_text == closed.text


@pytest.mark.django_db
def test_old_entries_without_a_code_show_their_stored_text(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    old = MatterEvent.objects.create(
        matter=matter, kind=EventKind.NOTE, text="表决结束：通过。参与 9/12 人", at=timezone.now()
    )
    with translation.override("en"):
        assert old.shown_text == "表决结束：通过。参与 9/12 人"


def test_every_code_has_a_sentence_that_takes_its_params() -> None:
    params = {
        "reason": "r",
        "kind": "briefing",
        "venue": "v",
        "n": 3,
        "outcome": "o",
        "question": "q",
        "item": 5,
        "rules": "x",
        "verdict": "passed",
        "voted": 1,
        "total": 2,
        "agree": 1,
        "published": "2026-01-01",
        "last": "2027-01-01",
        "deadline": "2026-01-01",
        "what": "sheet",
        "rows": 1,
        "new": 1,
        "changed": 0,
        "items": 1,
        "homes": 1,
        "owners": 1,
        "area": "1.00",
        "voting_from": "2026-01-01",
        "name": "n",
        "company": "c",
        "note": "n",
    }
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for code in timeline.SENTENCES:
                assert timeline.words(code, params), (language, code)
    assert timeline.words("no-such-code", params) == ""
    assert timeline.words("vote_closed", {"verdict": "passed"}) == ""  # missing params: the stored text shows


@pytest.mark.django_db
def test_the_matter_page_shows_the_timeline_in_english(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    matter = _matter(estate)
    staff = user_with(Role.PROPERTY_STAFF, estate.compound)
    services.matter_take(matter=matter, actor=staff, note="")
    client = Client()
    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("affairs:matter", args=[matter.pk])).content.decode()
    assert "took this matter on" in page and "承接本事项" not in page
