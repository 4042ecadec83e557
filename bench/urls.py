"""The project's URLs plus /bench/bare/: the cheapest Django view, served by the same server in the same run."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"next": None, "results": []})


urlpatterns = [path("bench/bare/", bare), path("", include("gongzhi.urls"))]
