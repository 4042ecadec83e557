"""Owners casting at the same moment: no ballot lost, none doubled (PostgreSQL, real concurrent sessions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongzhi.affairs import services
from gongzhi.affairs.chain import verify
from gongzhi.affairs.models import Ballot, BallotChange, Origin
from gongzhi.affairs.tests.helpers import make_estate, open_vote
from gongzhi.tests.factories import SYSTEM, make_tree


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writing transaction (BEGIN IMMEDIATE), so there is no race to test; "
    "CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_casts_never_lose_or_double_a_ballot() -> None:
    tree = make_tree()
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    # Every owner casts once; owners 0–3 also change their mind at the same moment from a second device.
    jobs = [(i, "agree") for i in range(12)] + [(i, "against") for i in range(4)]
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def work(index: int, opinion: str) -> None:
        try:
            barrier.wait(timeout=30)
            services.ballot_cast(
                vote=vote, person=estate.owners[index], opinion=opinion, origin=Origin.PAPER, actor=SYSTEM
            )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Ballot.objects.filter(vote=vote).count() == 12
    assert BallotChange.objects.filter(vote=vote).count() == len(jobs)
    for i in range(4):
        ballot = Ballot.objects.get(vote=vote, owner=estate.owners[i])
        history = list(
            BallotChange.objects.filter(vote=vote, owner=estate.owners[i])
            .order_by("id")
            .values_list("opinion", flat=True)
        )
        assert ballot.changes == 1 and len(history) == 2
        assert ballot.opinion == history[-1]  # the ballot is the last cast, whichever thread won
    # The chain took every cast in a consecutive place: the vote lock is the chain's head lock.
    check = verify(vote)
    assert check.ok, check.problems
    assert check.length == len(jobs)
    closed = services.vote_close(vote=vote, actor=SYSTEM)
    assert closed.owners_voted == 12
    assert verify(closed).ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="as above: SQLite has no race to test")
@pytest.mark.django_db(transaction=True)
def test_closing_while_owners_cast_counts_exactly_the_casts_that_landed_before_it() -> None:
    """Casts share the vote row's lock and closing takes it alone (gongzhi.affairs.locks): a cast either
    commits before the count or is refused as after closing — the stored result always equals a recount."""
    from django.core.exceptions import ValidationError

    tree = make_tree()
    estate = make_estate(tree.d("370202001001"))
    vote = open_vote(estate)
    owners = 12  # as above: twelve owners of separate homes
    barrier = threading.Barrier(owners + 1)
    refused: list[int] = []
    errors: list[BaseException] = []

    def cast(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.ballot_cast(
                vote=vote, person=estate.owners[index], opinion="agree", origin=Origin.PAPER, actor=SYSTEM
            )
        except ValidationError:
            refused.append(index)  # arrived after closing
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def close() -> None:
        try:
            barrier.wait(timeout=30)
            services.vote_close(vote=vote, actor=SYSTEM, reason="并发结束测试")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(owners)]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    vote.refresh_from_db()
    landed = Ballot.objects.filter(vote=vote).count()
    assert landed + len(refused) == owners
    assert vote.owners_voted == landed  # nothing was written after the count
    check = verify(vote)  # the chain, the replay and the recount agree
    assert check.ok, check.problems
