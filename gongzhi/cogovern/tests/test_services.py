"""The services refuse bad input with a clear Chinese message and write nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.affairs.models import Vote
from gongzhi.cogovern import rules, services
from gongzhi.cogovern.models import CommitteeTerm, CompanyProfile, Contract, ListKind
from gongzhi.cogovern.tests.kit import ACTOR, build_kit, credit_code
from gongzhi.organisations.models import Organisation
from gongzhi.tests.factories import PersonFactory, user_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def people(n: int) -> list[int]:
    return [PersonFactory.create().pk for _ in range(n)]


@pytest.mark.parametrize(
    ("code", "word"), [("91370202000000001", "18 位"), ("913702020000000010", "校验位"), ("", "请填写")]
)
def test_a_bad_credit_code_is_refused_and_nothing_written(tree, code: str, word: str) -> None:
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as err:
        services.company_create(actor=ACTOR, name="某物业", credit_code=code, places=[tree.compounds[0]])
    assert word in " ".join(err.value.messages)
    assert Organisation.objects.count() == before and not CompanyProfile.objects.exists()


def test_a_credit_code_is_registered_once(tree) -> None:
    services.company_create(
        actor=ACTOR, name="甲物业", credit_code=credit_code(1), places=[tree.compounds[0]]
    )
    with pytest.raises(ValidationError, match="已登记"):
        services.company_create(
            actor=ACTOR, name="乙物业", credit_code=credit_code(1), places=[tree.compounds[1]]
        )


def test_committee_size_and_term_are_checked(tree) -> None:
    c = tree.compounds[0]
    start = TODAY - timedelta(days=10)
    with pytest.raises(ValidationError, match="单数"):
        services.committee_elect(
            actor=ACTOR,
            compound=c,
            elected_on=start,
            term_start=start,
            term_end=rules.latest_term_end(start),
            seats=list(zip(people(4), ["chair", "member", "member", "member"], strict=True)),
        )
    with pytest.raises(ValidationError, match="5 年"):
        services.committee_elect(
            actor=ACTOR,
            compound=c,
            elected_on=start,
            term_start=start,
            term_end=rules.latest_term_end(start) + timedelta(days=1),
            seats=list(zip(people(3), ["chair", "member", "member"], strict=True)),
        )
    assert not CommitteeTerm.objects.exists()
    committee, warnings = services.committee_elect(
        actor=ACTOR,
        compound=c,
        elected_on=start,
        term_start=start,
        term_end=rules.latest_term_end(start),
        seats=list(zip(people(3), ["chair", "member", "member"], strict=True)),
    )
    assert warnings and "5 人" in warnings[0]  # valid in Qingdao, below Shandong's five
    assert committee.seats.filter(until__isnull=True).count() == 3


def test_a_committee_is_elected_only_by_a_passed_item_three_vote_of_its_compound(tree) -> None:
    c = tree.compounds[0]
    vote = Vote(compound=c, item=5, passed=True)
    with pytest.raises(ValidationError, match="第（三）项"):
        services.committee_elect(
            actor=ACTOR,
            compound=c,
            elected_on=TODAY,
            term_start=TODAY,
            term_end=rules.latest_term_end(TODAY),
            seats=list(zip(people(3), ["chair", "member", "member"], strict=True)),
            vote=vote,
        )
    with pytest.raises(ValidationError, match="未通过"):
        services.committee_elect(
            actor=ACTOR,
            compound=c,
            elected_on=TODAY,
            term_start=TODAY,
            term_end=rules.latest_term_end(TODAY),
            seats=list(zip(people(3), ["chair", "member", "member"], strict=True)),
            vote=Vote(compound=c, item=3, passed=False),
        )


def test_re_election_ends_the_previous_committee_and_tracks_the_handover(tree) -> None:
    kit = build_kit(tree.compounds[0])
    new, _ = services.committee_elect(
        actor=ACTOR,
        compound=kit.compound,
        elected_on=TODAY,
        term_start=TODAY,
        term_end=rules.latest_term_end(TODAY),
        seats=list(zip(people(5), ["chair", "vice_chair", "member", "member", "member"], strict=True)),
    )
    kit.committee.refresh_from_db()
    assert kit.committee.ended_on == TODAY
    term = CommitteeTerm.objects.get(committee=new)
    assert term.previous == kit.term and term.previous.reelection_held_on == TODAY


def test_prep_group_rules(tree) -> None:
    c = tree.compounds[0]
    with pytest.raises(ValidationError, match="党组织"):
        services.prep_group_form(
            actor=ACTOR, compound=c, formed_on=TODAY, seats=[(p, "owner") for p in people(7)]
        )
    seats = list(
        zip(people(7), ["leader", "owner", "owner", "owner", "party", "subdistrict", "other"], strict=True)
    )
    group = services.prep_group_form(actor=ACTOR, compound=c, formed_on=TODAY, seats=seats)
    assert c.assembly_case.prep_group == group


@pytest.mark.parametrize(("fee", "word"), [("abc", "数字"), ("-1", "0–100"), ("1000", "0–100")])
def test_a_bad_contract_fee_is_refused(tree, fee: str, word: str) -> None:
    kit = build_kit(tree.compounds[0])
    with pytest.raises(ValidationError, match=word):
        services.contract_create(
            actor=ACTOR,
            company=kit.company,
            compound=kit.compound,
            starts_on=TODAY,
            ends_on=TODAY,
            fee_per_m2=fee,
        )
    assert Contract.objects.count() == 1


def test_a_black_list_entry_needs_a_rectification_deadline(tree) -> None:
    kit = build_kit(tree.compounds[0])
    with pytest.raises(ValidationError, match="整改期限"):
        services.list_entry_publish(
            actor=ACTOR,
            year=2024,
            quarter=4,
            kind=ListKind.BLACK,
            company=kit.company,
            compound=kit.compound,
            reason="考核不合格",
            published_on=TODAY,
        )


def test_a_participant_needs_a_valid_phone(tree) -> None:
    kit = build_kit(tree.compounds[0])
    with pytest.raises(ValidationError, match="联系电话"):
        services.participant_link(
            actor=ACTOR,
            participant=kit.participant,
            compound=tree.compounds[1],
            role="助老",
            contact_name="赵",
            contact_phone="12ab",
        )


def test_only_staff_may_edit_and_only_where_they_work(tree) -> None:
    secretary = user_with(Role.PARTY_SECRETARY, tree.compounds[0])
    worker = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    with pytest.raises(PermissionDenied):
        services.community_map_mark(actor=secretary, community=tree.compounds[0].community)
    with pytest.raises(PermissionDenied):
        services.community_map_mark(actor=worker, community=tree.compounds[2].community)
    record = services.community_map_mark(actor=worker, community=tree.compounds[0].community)
    assert record.drawn_by == worker and record.checked_on == TODAY
    with pytest.raises(ValidationError, match="按社区"):
        services.community_map_mark(actor=ACTOR, community=tree.d("370202"))


def test_score_sheet_versions_must_total_100(tree) -> None:
    with pytest.raises(ValidationError, match="100"):
        services.score_sheet_save(
            actor=ACTOR,
            name="x",
            sheet={"categories": [{"name": "a", "items": [{"name": "b", "points": 90}]}]},
        )
