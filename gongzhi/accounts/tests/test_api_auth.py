import re

import pytest
from django.test import Client

from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import user_with


@pytest.mark.django_db
def test_token_login_and_scoped_use(tree):
    user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community, username="worker")
    c = Client()
    bad = c.post("/api/v1/auth/token/", {"username": "worker", "password": "wrong"})
    assert bad.status_code == 400
    token = c.post("/api/v1/auth/token/", {"username": "worker", "password": "pw-for-tests"}).json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    data = api.get("/api/v1/compounds/").json()
    assert data["count"] == 2
    assert api.get("/api/v1/divisions/370203/").status_code == 404
    assert api.get("/api/v1/indicators/").json()["compounds_total"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs/", "/accounts/login/"])
def test_pages_refer_to_no_other_host(tree, url):
    client = Client()
    if url.startswith("/api/"):  # the API documentation is for the roles that use the API
        client.force_login(user_with(Role.DISTRICT_ADMIN, tree.d("370202")))
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", page)


@pytest.mark.django_db
def test_schema_lists_the_api(tree):
    schema = Client().get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/indicators/" in schema.content


@pytest.mark.django_db
def test_role_grants_stay_inside_the_managers_places(tree):
    from gongzhi.accounts.models import RoleAssignment
    from gongzhi.tests.factories import UserFactory

    staff = user_with(Role.SUBDISTRICT_STAFF, tree.d("370202001"), is_staff=True)
    target = UserFactory.create()
    c = Client()
    c.force_login(staff)
    url = "/admin/accounts/roleassignment/add/"
    ok = c.post(
        url, {"user": target.pk, "role": Role.COMMUNITY_WORKER, "division": tree.d("370202001001").pk}
    )
    assert ok.status_code == 302
    for data in (
        {
            "user": target.pk,
            "role": Role.COMMUNITY_WORKER,
            "division": tree.d("370202009001").pk,
        },  # elsewhere
        {"user": target.pk, "role": Role.DISTRICT_ADMIN, "division": tree.d("370202001").pk},  # above
        {"user": target.pk, "role": Role.RESIDENT},  # no place
    ):
        refused = c.post(url, data)
        assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert list(RoleAssignment.objects.filter(user=target).values_list("role", "path")) == [
        (Role.COMMUNITY_WORKER, tree.d("370202001001").path)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["limit=198291296593800429568", "limit=4503599627370495", "offset=-5&limit=-1"]
)
def test_pagination_is_bounded(tree, query):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    c = Client()
    c.force_login(admin)
    response = c.get(f"/api/v1/homes/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 500


@pytest.mark.django_db
def test_huge_ids_are_404_or_400_not_500(tree):
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    c = Client()
    c.force_login(admin)
    huge = 10**30
    assert c.get(f"/api/v1/compounds/{huge}/").status_code == 404
    assert c.get(f"/places/b/{huge}/").status_code == 404
    assert (
        c.post("/api/v1/party/households/", {"member": huge}, content_type="application/json").status_code
        == 400
    )
