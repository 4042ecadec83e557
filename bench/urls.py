"""The project's URLs plus two references for the API's throughput, served by the same server in the same run.

- /bench/bare/: the cheapest Django view (no session, no query);
- /bench/persons/: a plain Django view doing the persons list's work by hand (session user, grants, one
  range per grant, masking, JSON) without the API framework, to separate the framework's cost from the work.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from gongzhi.accounts.access import actor_of
from gongzhi.accounts.roles import Action
from gongzhi.core.pagination import keyed, under_bytewise
from gongzhi.people.masking import mask_id_number, mask_phone
from gongzhi.people.models import Person


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"next": None, "results": []})


def persons(request: HttpRequest) -> JsonResponse:
    actor = actor_of(request.user)
    rows: list[dict[str, Any]] = []
    for grant in actor.paths(Action.PERSON_VIEW):
        qs = keyed(under_bytewise(Person.objects.all(), grant), ("path", "id"))
        rows += [dict(r) for r in qs.values("id", "kind", "name", "id_number", "phone")[:50]]
    for r in rows:
        r["id_number"], r["phone"] = mask_id_number(r["id_number"]), mask_phone(r["phone"])
    return JsonResponse({"next": None, "results": rows[:50]})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/persons/", persons),
    path("", include("gongzhi.urls")),
]
