"""The change feed under concurrent writes (PostgreSQL): a change that commits after a later one is never
skipped. A second connection writes a change and holds its transaction open; a later change commits
meanwhile. Ordered by key alone, a reader would take the later change, move its cursor past the earlier
key and never see it. The feed holds both back until the older transaction ends, then gives them in
transaction order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from gongzhi.trading.models import Change, ChangeKind
from gongzhi.trading.services import change
from gongzhi.trading.tests.kit import make_listing, make_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's"),
]


def _read(c: Client, since: str = "") -> dict:  # type: ignore[type-arg]
    r = c.get("/api/v1/trading/changes/", {"since": since} if since else {})
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def test_a_change_committing_late_is_not_skipped() -> None:
    import psycopg

    w = make_world()
    listing = make_listing(w.d["370283001203"])
    c = Client()
    c.force_login(w.town_staff)
    first = _read(c)
    assert [x["event"] for x in first["results"]] == ["published"]
    s = connection.settings_dict
    other = psycopg.connect(
        host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"], dbname=s["NAME"]
    )
    try:
        with other.cursor() as cur:  # psycopg opens a transaction: it stays open until commit
            cur.execute(
                "INSERT INTO trading_change (listing_id, path, kind, event, object_id, data, at)"
                " VALUES (%s, %s, 'bid', 'early', 1, '{}', now()) RETURNING id",
                [listing.pk, listing.path],
            )
            early_id = cur.fetchone()[0]  # type: ignore[index]
        late = change(listing, ChangeKind.AUCTION, "late", listing.pk)  # autocommit: committed at once
        assert late.pk > early_id  # the key order is not the commit order
        held = _read(c, first["cursor"])
        assert held["results"] == [] and held["cursor"] == first["cursor"]  # both held back
        other.commit()
    finally:
        other.close()
    after = _read(c, first["cursor"])
    assert [x["event"] for x in after["results"]] == ["early", "late"]
    assert _read(c, after["cursor"])["results"] == []
    assert Change.objects.count() == 3
