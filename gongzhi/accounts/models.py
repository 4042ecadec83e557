"""Role assignments: a user's (role, place) pairs, the single source of what the user may see and do."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from gongzhi.accounts.roles import Role
from gongzhi.places.models import Building, Compound, Division


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.CASCADE
    )
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), null=True, blank=True, on_delete=models.CASCADE
    )
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), null=True, blank=True, on_delete=models.CASCADE
    )
    # The place's materialised path, copied so the scope check needs no join.
    path = models.CharField(max_length=110, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(division__isnull=False, compound__isnull=True, building__isnull=True)
                    | models.Q(division__isnull=True, compound__isnull=False, building__isnull=True)
                    | models.Q(division__isnull=True, compound__isnull=True, building__isnull=False)
                ),
                name="role_exactly_one_place",
            ),
            models.UniqueConstraint(fields=["user", "role", "path"], name="role_unique_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.place}"

    @property
    def place(self) -> Division | Compound | Building:
        place = self.division or self.compound or self.building
        assert place is not None
        return place


class AccountState(models.Model):
    """Per-account security state that Django's User has no column for.

    `must_change_password`: the account still has a password someone else chose (an initial or demo
    password); the log-in gate sends the user to change it first (GB/T 22239-2019 8.1.4.2 b).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="security"
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """An API token. Only its SHA-256 digest is stored; the key is shown once, when it is issued.

    A token expires (GONGZHI_TOKEN_TTL_HOURS), can be rotated and is revoked — not deleted, so the record
    of who held which token stays — when its holder ends it, changes password, is deactivated or locked out.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class UserSession(models.Model):
    """A signed-in browser session, so its owner can see it and end it (the session store has no user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近活动"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class AccountThrottle(models.Model):
    """Failed log-ins against one username and the delay they earned (gongzhi/accounts/lockout.py)."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    delayed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("账号登录延迟")
        verbose_name_plural = _("账号登录延迟")

    def __str__(self) -> str:
        return self.username


class LoginEvent(models.Model):
    """One log-in attempt or log-out: a security log, kept at least six months and never edited or deleted
    through the application (gongzhi/accounts/audit.py; 网络安全法 第二十一条 (三))."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        FAILED = "failed", _("登录失败")
        LOCKED = "locked", _("锁定")
        OTP_OK = "otp_ok", _("动态验证码通过")
        OTP_FAILED = "otp_failed", _("动态验证码错误")
        LOGOUT = "logout", _("退出")
        TOKEN = "token", _("签发接口令牌")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("事件"), max_length=12, choices=Kind.choices)
    username = models.CharField(_("用户名"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
        verbose_name=_("用户"),
    )
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登录日志")
        verbose_name_plural = _("登录日志")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.kind}"


# Django's User keeps its history here, in the accounts app (who created, renamed, deactivated, promoted whom).
# The password hash and the last log-in time are not copied: the first is a credential, the second is in
# LoginEvent.
register(
    User,
    app="gongzhi.accounts",
    table_name="accounts_historicaluser",
    excluded_fields=["password", "last_login"],
)
