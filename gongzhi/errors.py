"""Error pages inside the site's layout, in the user's language, with a way back (handler403/404/500).

Django's defaults render 403/404 bare and 500 without the request. Here each page gets the request (so the
navigation and the language switch work) and `back`: the page the user came from when it is on this site.
A 500 page that cannot render its layout (the database is what failed, say) falls back to plain HTML.
Under /api/ the answer is JSON `{"detail": …}` as the schema documents (core.api_schema.error_responses):
an unknown API path, or an error outside the API views, used to answer with the HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PLAIN_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>服务器出错 / Server error</title>'
    "<h1>服务器出错 / Server error</h1><p>错误已记录，请稍后再试。/ The error has been logged; please try "
    'again later.</p><p><a href="/">返回首页 / Home</a></p></html>'
)


def _back(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    here = request.build_absolute_uri()
    ok = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
    return referer if referer and ok and referer != here else ""


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(status: int, detail: str) -> HttpResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _page(request: HttpRequest, status: int, extra: dict[str, Any] | None = None) -> HttpResponse:
    context = {"back": _back(request), **(extra or {})}
    return HttpResponse(render_to_string(f"{status}.html", context, request), status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _json(403, _("您没有执行该操作的权限。"))
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _json(404, _("接口不存在：没有与此路径匹配的地址。"))
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return _json(500, _("服务器出错，错误已记录，请稍后再试。"))
    try:
        return _page(request, 500)
    except Exception:  # the layout needs what may have failed; never fail the error page itself
        log.exception("the 500 page could not render its layout")
        return HttpResponse(PLAIN_500, status=500)
