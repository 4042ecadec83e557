"""The ballot chain: every cast sealed with the previous one's hash; tampering is found, replay is exact."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.affairs import services
from gongzhi.affairs.chain import seal_backlog, verify
from gongzhi.affairs.models import Ballot, BallotChange, BallotSeal, Origin, Vote
from gongzhi.affairs.tests.helpers import Estate, make_estate, open_vote, sheet_bytes, sheet_rows
from gongzhi.tests.factories import SYSTEM, user_with

pytestmark = pytest.mark.django_db


def _voted(tree) -> tuple[Vote, Estate]:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    for i, opinion in enumerate(["agree", "agree", "against", "abstain", "agree"]):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion=opinion, origin=Origin.PAPER, actor=SYSTEM
        )
    services.ballot_cast(
        vote=vote, person=estate.owners[2], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
    )
    return vote, estate


def test_every_cast_is_sealed_in_order_and_the_replay_gives_the_ballots(tree) -> None:  # type: ignore[no-untyped-def]
    vote, _estate = _voted(tree)
    seals = list(BallotSeal.objects.filter(vote=vote).order_by("seq"))
    assert [s.seq for s in seals] == [1, 2, 3, 4, 5, 6]
    assert all(b.prev == a.digest for a, b in itertools.pairwise(seals))
    check = verify(vote)
    assert check.ok, check.problems
    assert (check.length, check.head) == (6, seals[-1].digest)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert verify(closed).ok  # the stored result equals a recount of the replayed ballots


def test_a_changed_cast_breaks_the_chain(tree) -> None:  # type: ignore[no-untyped-def]
    vote, _estate = _voted(tree)
    change = BallotChange.objects.filter(vote=vote).order_by("id")[2]
    BallotChange.objects.filter(pk=change.pk).update(opinion="agree")  # behind the services' back
    problems = verify(vote).problems
    assert any("第 3 条记录的内容与其哈希不符" in p for p in problems)


def test_a_removed_cast_and_a_rewritten_ballot_are_found(tree) -> None:  # type: ignore[no-untyped-def]
    vote, estate = _voted(tree)
    BallotSeal.objects.filter(vote=vote, seq=2).delete()
    Ballot.objects.filter(vote=vote, owner=estate.owners[3]).update(opinion="agree")
    problems = verify(vote).problems
    assert any("第 2 条处缺失" in p for p in problems)
    assert any("1 条投票记录不在记录链中" in p for p in problems)


def test_a_ballot_rewritten_without_a_record_fails_the_replay(tree) -> None:  # type: ignore[no-untyped-def]
    vote, estate = _voted(tree)
    Ballot.objects.filter(vote=vote, owner=estate.owners[3]).update(opinion="agree")
    assert verify(vote).problems == ["按记录链重放得到的表决意见与当前表决票有 1 处不同"]


def test_a_doctored_result_fails_the_recount(tree) -> None:  # type: ignore[no-untyped-def]
    vote, _estate = _voted(tree)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    Vote.objects.filter(pk=closed.pk).update(owners_agree=(closed.owners_agree or 0) + 1)
    closed.refresh_from_db()
    assert any("重新计票的结果与保存的结果不同：owners_agree" in p for p in verify(closed).problems)


def test_paper_sheets_and_bulk_loads_are_sealed(tree) -> None:  # type: ignore[no-untyped-def]
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    data = sheet_bytes(sheet_rows(estate, {0: "同意", 1: "反对", 2: "弃权"}))
    services.ballots_import_sheet(vote=vote, actor=SYSTEM, data=data)
    assert verify(vote).ok and verify(vote).length == 3
    # A loader that wrote casts without seals (the demo's bulk insert) seals its backlog after.
    BallotChange.objects.create(
        vote=vote, owner=estate.owners[5], opinion="agree", origin=Origin.PAPER, at=vote.opened_at
    )
    Ballot.objects.create(
        vote=vote, owner=estate.owners[5], opinion="agree", origin=Origin.PAPER, cast_at=vote.opened_at
    )
    assert "1 条投票记录不在记录链中" in verify(vote).problems
    assert seal_backlog(vote.pk) == 1
    assert verify(vote).ok


def test_verify_vote_command_and_the_vote_page(tree) -> None:  # type: ignore[no-untyped-def]
    vote, estate = _voted(tree)
    from io import StringIO

    out = StringIO()
    call_command("verify_vote", str(vote.pk), stdout=out)
    assert f"vote {vote.pk}: ok, 6 links" in out.getvalue()
    worker = user_with(Role.COMMUNITY_WORKER, estate.compound.community)
    client = Client()
    client.force_login(worker)
    page = client.get(f"/affairs/v/{vote.pk}/").content.decode()
    assert f'hx-get="/affairs/v/{vote.pk}/chain/"' in page
    fragment = client.get(f"/affairs/v/{vote.pk}/chain/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-chain-ok="true"' in fragment and "6 条投票记录" in fragment
    BallotChange.objects.filter(vote=vote).update(origin="online")
    fragment = client.get(f"/affairs/v/{vote.pk}/chain/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-chain-ok="false"' in fragment and "记录被改动" in fragment
    assert client.get(f"/affairs/v/{vote.pk}/chain/").status_code == 200
    with pytest.raises(CommandError):
        call_command("verify_vote", str(vote.pk), stdout=StringIO())
