"""Person.path and the keyset persons list: scoped exactly as "owns or lives in a home under the grant"."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.accounts.roles import Role
from gongzhi.people.models import Person
from gongzhi.people.paths import UNKNOWN, ancestors, common_path, refresh_paths, refresh_unknown
from gongzhi.people.services import person_create, residence_add
from gongzhi.tests.factories import SYSTEM, user_with

segment = st.sampled_from(["3702/", "370202/", "370203/", "370202001/", "b1/", "b12/", "c7/"])
paths = st.lists(segment, min_size=1, max_size=4).map("".join)


@given(st.lists(paths, min_size=1, max_size=6))
def test_common_path_is_the_longest_place_above_all(items: list[str]) -> None:
    got = common_path(items)
    assert all(p.startswith(got) for p in items)
    assert got == "" or got.endswith("/")
    longer = [a for a in [*ancestors(min(items)), min(items)] if len(a) > len(got)]
    assert not any(all(p.startswith(a) for p in items) for a in longer)


def test_ancestors() -> None:
    assert ancestors("3702/370202/370202001/") == ["3702/", "3702/370202/"]
    assert ancestors("3702/") == []


def _listed(client: Client) -> list[int]:
    """Every id of the list, following `next` with a page size of 2 (so pages are many)."""
    ids, url = [], "/api/v1/persons/?limit=2"
    while url:
        data = client.get(url).json()
        ids += [p["id"] for p in data["results"]]
        url = (data.get("next") or "").replace("http://testserver", "")
    return ids


@pytest.mark.django_db
def test_keyset_pages_list_each_scoped_person_once(tree) -> None:  # type: ignore[no-untyped-def]
    district = tree.d("370202")
    home_in, home_out = tree.homes[0], next(h for h in tree.homes if not h.path.startswith(district.path))
    straddler = person_create(actor=SYSTEM, name="两处业主")
    residence_add(actor=SYSTEM, home=home_in, person=straddler)
    residence_add(actor=SYSTEM, home=home_out, person=straddler)
    straddler.refresh_from_db()
    assert straddler.path in ancestors(district.path)  # above both homes: checked exactly
    stale = person_create(actor=SYSTEM, name="未算路径")
    Person.objects.filter(pk=stale.pk).update(path=UNKNOWN)
    from gongzhi.people.models import Residence

    Residence.objects.create(home=home_in, person=stale)  # a writer that did not refresh the path
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, district))
    ids = _listed(client)
    expected = set(
        Person.objects.filter(ownerships__home__path__startswith=district.path).values_list("pk", flat=True)
    ) | {straddler.pk, stale.pk}
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert client.get(f"/api/v1/persons/{straddler.pk}/").status_code == 200
    outsider = Client()
    outsider.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370203")))
    assert straddler.pk in _listed(outsider) and stale.pk not in _listed(outsider)
    assert refresh_unknown() >= 1 and refresh_paths() == 0  # the stale row is fixed, then nothing changes
    assert set(_listed(client)) == expected


@pytest.mark.django_db
def test_a_bad_cursor_is_a_clear_404(tree) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    for bad in ["x", "W10=", "WyJhIl0="]:  # not base64 JSON; []; ["a"] (wrong width)
        response = client.get(f"/api/v1/persons/?cursor={bad}")
        assert response.status_code == 404 and "cursor" in response.json()["detail"]


@pytest.mark.django_db
def test_a_persons_page_costs_the_same_queries_however_deep(tree, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    first = client.get("/api/v1/persons/?limit=1").json()
    deep = first["next"].replace("http://testserver", "")
    # session, user, grants; then one range per grant and one exact check of the straddling persons; no count
    with django_assert_num_queries(5):
        assert client.get("/api/v1/persons/?limit=1").status_code == 200
    with django_assert_num_queries(5):
        assert client.get(deep).status_code == 200


@pytest.mark.django_db
def test_a_user_granted_nowhere_gets_empty_keyset_lists(tree) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.create(username="nowhere"))
    for url in ["/api/v1/persons/", "/api/v1/homes/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json() == {"next": None, "results": []}
