"""The ballot chain: every cast sealed with the previous one's hash; tampering is found, replay is exact."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _former_digest(change: BallotChange, seq: int, prev: str) -> str:
    """The chain's digest as first written (json.dumps of the whole content): links sealed before the
    canonical text was cut for PostgreSQL must still verify."""
    import hashlib
    import json
    from datetime import UTC

    content = {
        "vote": change.vote_id,
        "seq": seq,
        "change": change.pk,
        "owner": change.owner_id,
        "caster": change.caster_id,
        "opinion": change.opinion,
        "previous": change.previous,
        "origin": change.origin,
        "cast_by": change.cast_by_id,
        "at": change.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev": prev,
    }
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


_ids = st.integers(min_value=1, max_value=2**63 - 1)


@settings(max_examples=300, deadline=None)
@given(
    vote=_ids,
    change=_ids,
    owner=_ids,
    caster=st.none() | _ids,
    cast_by=st.none() | _ids,
    opinion=st.sampled_from(["agree", "against", "abstain", "invalid"]),
    previous=st.sampled_from(["", "agree", "against", "abstain", "invalid"]),
    origin=st.sampled_from(["online", "paper", "proxy"]),
    at=st.datetimes(timezones=st.just(datetime.UTC)),
    seq=st.integers(min_value=1, max_value=2**31 - 1),
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_the_cut_canonical_text_is_the_former_digest(  # type: ignore[no-untyped-def]
    vote, change, owner, caster, cast_by, opinion, previous, origin, at, seq, prev
) -> None:
    from gongzhi.affairs.chain import digest

    cast = BallotChange(
        pk=change,
        vote_id=vote,
        owner_id=owner,
        caster_id=caster,
        cast_by_id=cast_by,
        opinion=opinion,
        previous=previous,
        origin=origin,
        at=at,
    )
    assert digest(cast, seq, prev) == _former_digest(cast, seq, prev)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server seals one cast: PostgreSQL")
def test_a_link_sealed_by_the_server_is_the_link_python_computes(tree) -> None:  # type: ignore[no-untyped-def]
    """seal_one (one statement: head, digest and link) writes what digest computes, first link included."""
    from gongzhi.affairs.chain import digest, genesis

    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    for i, opinion in enumerate(["agree", "against", "abstain"]):
        services.ballot_cast(
            vote=vote, person=estate.owners[i], opinion=opinion, origin=Origin.PAPER, actor=SYSTEM
        )
    prev = genesis(vote.pk)
    for link in BallotSeal.objects.filter(vote=vote).select_related("change").order_by("seq"):
        assert link.prev == prev
        assert (
            link.digest == digest(link.change, link.seq, prev) == _former_digest(link.change, link.seq, prev)
        )
        prev = link.digest
    assert verify(vote).ok
