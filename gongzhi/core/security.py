"""Request hygiene shared by every view (issue 15): one place instead of a check per view.

* A NUL byte (``%00``) anywhere in the path or the query string is refused with 400: PostgreSQL rejects it in
  text and answered 500 from every search box and path converter that passed it through.
* A JSON body nested deeper than gongzhi.core.jsonsafe.MAX_DEPTH is refused with 400 (json recursion).
* Every response carries the Permissions-Policy header (settings.PERMISSIONS_POLICY): the platform uses no
  camera, microphone, geolocation or payment API, so no page, nor anything injected into one, may.
* `NoStoreMiddleware`: every page, API answer and export (anything not a static file) carries
  `Cache-Control: no-store, private` — pages hold names, ID numbers, phones and homes, and a shared office
  computer or an intranet proxy must not keep them. One rule for all responses, so no page can forget it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from gongzhi.core import jsonsafe


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every dynamic response (static files are served before it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.headers.pop("Expires", None)
        return response


class RequestHygieneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote(request.META.get("QUERY_STRING", ""))
        response: HttpResponse
        if "\x00" in request.path or "\x00" in query:
            response = _bad(request, _("请求中含有不允许的空字符（NUL），已拒绝。"))
        elif _too_deep(request):
            response = _bad(request, _("JSON 嵌套层数过多，已拒绝。"))
        else:
            response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    """Plain text for pages; the API answers JSON as its schema says (found by schemathesis)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=400, json_dumps_params={"ensure_ascii": False})
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _too_deep(request: HttpRequest) -> bool:
    """A JSON body nested deeper than core.jsonsafe allows (the API's parser would recurse and crash)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or "json" not in (request.content_type or ""):
        return False
    try:
        return jsonsafe.depth(request.body.decode("utf-8", "replace")) > jsonsafe.MAX_DEPTH
    except Exception:  # an unreadable body is the view's to refuse
        return False
