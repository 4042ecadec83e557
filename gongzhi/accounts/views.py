"""User management for district and subdistrict staff: accounts and roles inside their own places."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts import selectors, services
from gongzhi.accounts.access import can
from gongzhi.accounts.forms import PasswordForm, RoleFields, UserCreateForm
from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Action


def _require_manager(request: HttpRequest) -> None:
    if not can(request.user, Action.USERS_MANAGE):
        raise Http404


def _managed_user(request: HttpRequest, pk: int) -> User:
    _require_manager(request)
    user = selectors.managed_users(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    query = request.GET.get("q", "").strip()[:50]
    users = list(selectors.managed_users(request.user, query)[:200])
    return render(request, "accounts/user_list.html", {"users": users, "q": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
            )
            services.role_grant(actor=request.user, user=user, role=data["role"], place=data["place_obj"])
        messages.success(request, _("已创建用户 %(u)s。") % {"u": user.username})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("新建用户")})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_user(request, pk)
    editable = selectors.fully_managed(request.user, target)
    role_form = RoleFields(prefix="role", manager=request.user)
    password_form = PasswordForm(user=target, prefix="pw")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "role-role" in request.POST:
            role_form = RoleFields(request.POST, prefix="role", manager=request.user)
            if role_form.is_valid():
                services.role_grant(
                    actor=request.user,
                    user=target,
                    role=role_form.cleaned_data["role"],
                    place=role_form.cleaned_data["place_obj"],
                )
                messages.success(request, _("已授予角色。"))
                return redirect("accounts:user_detail", pk=target.pk)
        elif "pw-password" in request.POST:
            password_form = PasswordForm(request.POST, user=target, prefix="pw")
            if password_form.is_valid():
                services.user_set_password(
                    actor=request.user, user=target, password=password_form.cleaned_data["password"]
                )
                messages.success(request, _("密码已重置。"))
                return redirect("accounts:user_detail", pk=target.pk)
    context = {
        "target": target,
        "roles": list(
            target.roles.select_related("division", "compound", "building__compound").order_by("path")
        ),
        "editable": editable and target != request.user,
        "role_form": role_form,
        "password_form": password_form,
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    target = _managed_user(request, pk)
    if not selectors.fully_managed(request.user, target) or target == request.user:
        raise PermissionDenied
    assignment = RoleAssignment.objects.filter(pk=role_pk, user=target).first()
    if assignment is None:
        raise Http404
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("已撤销角色。"))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_user(request, pk)
    if not selectors.fully_managed(request.user, target) or target == request.user:
        raise PermissionDenied
    services.user_set_active(actor=request.user, user=target, active=not target.is_active)
    messages.success(request, _("已启用账号。") if target.is_active else _("已停用账号。"))
    return redirect("accounts:user_detail", pk=target.pk)
