"""The signed-in user's own security ("我的安全"): password, second factor, sessions and API tokens; and the
log-in log for audit readers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts import otp, selectors, services
from gongzhi.accounts.access import can
from gongzhi.accounts.events import GATE, log_event
from gongzhi.accounts.forms import OtpForm, OwnPasswordForm
from gongzhi.accounts.models import ApiToken, UserSession
from gongzhi.accounts.roles import Action


@login_required
def security(request: HttpRequest) -> HttpResponse:
    context = selectors.own_security(request.user, request.session.session_key)
    return render(request, "accounts/security.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change_own(
            actor=request.user,
            password=form.cleaned_data["new_password1"],
            keep_session=request.session.session_key,
        )
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        request.session[GATE] = {**(request.session.get(GATE) or {}), "pw": False}
        messages.success(request, _("密码已修改；您的其他会话和接口令牌已失效。"))
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def otp_page(request: HttpRequest) -> HttpResponse:
    """Set up (scan the QR code, confirm a code) or pass the second factor."""
    user: Any = request.user
    device = otp.confirmed_device(user)
    pending = None if device else otp.pending_device(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        target = device or pending
        assert target is not None
        allowed, _why = target.verify_is_allowed()
        if not allowed:  # django-otp's throttle: each failure doubles the wait
            form.add_error("code", _("验证码错误次数过多，请稍后再试。"))
        elif otp.verify(request, target, code):
            log_event("otp_ok", user.get_username(), request, user)
            messages.success(request, _("两步验证已启用。") if pending else _("验证通过。"))
            return redirect(_next(request))
        else:
            log_event("otp_failed", user.get_username(), request, user)
            form.add_error("code", _("验证码不正确或已过期。"))
    context = {
        "form": form,
        "setup": pending is not None,
        "qr": otp.qr_data_uri(pending) if pending else "",
        "secret": otp.secret_text(pending) if pending else "",
        "next": _next(request),
    }
    return render(request, "accounts/otp.html", context)


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    session = UserSession.objects.filter(
        pk=pk, user_id=int(request.user.pk or 0), ended_at__isnull=True
    ).first()
    if session is None:
        raise Http404
    services.session_end(actor=request.user, session=session)
    messages.success(request, _("会话已结束。"))
    if session.session_key == request.session.session_key:
        return redirect("accounts:login")
    return redirect("accounts:security")


@login_required
@require_POST
def token_end(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user_id=int(request.user.pk or 0), revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("accounts:security")


@login_required
def login_log(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:150]
    kind = request.GET.get("kind", "")
    events = selectors.login_events(request.user, query=query, kind=kind)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/login_log.html", {"page": page, "q": query, "kind": kind})


def _secured(request: HttpRequest, pk: int) -> Any:
    if not can(request.user, Action.SECURITY_MANAGE):
        raise Http404
    from gongzhi.accounts.selectors import secured_users

    target = next((u for u in secured_users(request.user) if u.pk == pk), None)
    if target is None:
        raise Http404
    return target


@login_required
def security_admin(request: HttpRequest) -> HttpResponse:
    """The security administrator's page: accounts in their places, log-in delays and authenticators."""
    if not can(request.user, Action.SECURITY_MANAGE):
        raise Http404
    users = selectors.secured_users(request.user)
    return render(request, "accounts/security_admin.html", {"users": users})


@login_required
@require_POST
def throttle_clear(request: HttpRequest, pk: int) -> HttpResponse:
    target = _secured(request, pk)
    services.throttle_clear(actor=request.user, user=target)
    messages.success(request, _("已解除 %(u)s 的登录延迟。") % {"u": target.username})
    return redirect("accounts:security_admin")


@login_required
@require_POST
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = _secured(request, pk)
    services.otp_reset(actor=request.user, user=target)
    messages.success(request, _("已重置 %(u)s 的两步验证。") % {"u": target.username})
    return redirect("accounts:security_admin")
