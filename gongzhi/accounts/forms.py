"""Forms for managing users: a manager creates accounts and grants roles only inside their own places."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.access import can
from gongzhi.accounts.duties import OPERATOR_GRANTS
from gongzhi.accounts.roles import ROLE_LEVEL, Action, Role
from gongzhi.accounts.selectors import place_by_code
from gongzhi.places.models import Compound, Division

# Staff roles sit on a division, compound roles on a compound, the building group leader on a building.
PLACE_KIND = {
    "district": "division",
    "subdistrict": "division",
    "community": "division",
    "compound": "compound",
    "building": "building",
}
KIND_LABEL = {"division": _("行政区划（区、街道、社区）"), "compound": _("小区"), "building": _("楼栋")}


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    place = forms.CharField(
        label=_("范围"),
        max_length=40,
        help_text=_(
            "区划代码（如 370202001001）、小区编码（15 位）或 “小区编码-楼号”（如 370202001001001-3号楼）"
        ),
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.manager = manager
        if not manager.is_superuser:
            self.fields["role"].choices = [c for c in Role.choices if c[0] not in OPERATOR_GRANTS]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, role = data.get("place"), data.get("role")
        if not code or not role:
            return data
        place = place_by_code(code)
        if place is None or not can(self.manager, Action.PLACE_VIEW, place):
            self.add_error("place", _("没有找到这个范围，或它不在您管理的区域内。"))
            return data
        if not can(self.manager, Action.USERS_MANAGE, place):
            self.add_error("place", _("您不能在这个范围内授权。"))
            return data
        kind = (
            "division"
            if isinstance(place, Division)
            else "compound"
            if isinstance(place, Compound)
            else "building"
        )
        wanted = PLACE_KIND[ROLE_LEVEL[role]]
        if kind != wanted:
            self.add_error("place", _("这个角色应授予在%(kind)s上。") % {"kind": KIND_LABEL[wanted]})
            return data
        data["place_obj"] = place
        return data


class UserCreateForm(RoleFields):
    username = forms.RegexField(
        label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+$", help_text=_("字母、数字和 @ . + - _")
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False))

    field_order = ["username", "full_name", "password", "role", "place"]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("这个用户名已被使用。"))
        return username

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        validate_password(password, User(username=self.data.get("username", "")))
        return password


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        validate_password(password, self.user)
        return password


class LoginForm(AuthenticationForm):
    """Django's log-in form, saying how long to wait when the account is inside its delay (lockout.py)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("这个账号已停用。"),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            wait = getattr(self.request, "gz_account_wait", 0)
            if wait:
                raise ValidationError(
                    _("登录失败次数过多，请 %(s)s 秒后再试。") % {"s": wait}, code="delayed"
                ) from None
            raise


class OwnPasswordForm(PasswordChangeForm):
    """The user's own password: the old one, then the new one twice, under Django's validators."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        error_messages={"invalid": _("请输入 6 位数字。")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
