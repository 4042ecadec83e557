"""Logs are read, never changed: nobody — a superuser included — edits or deletes one through the application.

GB/T 22239-2019 第三级 8.1.4.3 c) 应对审计记录进行保护…避免受到未预期的删除、修改或覆盖; 网络安全法
第二十一条 (三): network logs are kept at least six months.

The logs: every django-simple-history table (who changed what, before and after), people.AccessLog (who saw
full personal data), accounts.LoginEvent (log-ins), affairs.MatterEvent (a matter's timeline) and
affairs.BallotChange (every cast of a ballot). A receiver on each refuses a delete (including a
queryset's, which then goes row by row through the signal) and a change to a saved row, and their Django
admins offer no delete. The one way out is the retention command `purge_login_log`, for log-in events older
than GONGZHI_LOGIN_LOG_DAYS (never under six months), which runs outside the application inside `purging()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save

# Logs that are ordinary models: unmasked views of personal data, log-ins, a matter's timeline, every cast.
EXPLICIT_LOGS = ("people.AccessLog", "accounts.LoginEvent", "affairs.MatterEvent", "affairs.BallotChange")
_PURGING: ContextVar[bool] = ContextVar("gongzhi_log_purge", default=False)


def is_history(model: type[Model]) -> bool:
    """A django-simple-history table: a model's history, or the history of one of its many-to-many fields."""
    names = {f.name for f in model._meta.fields}
    if "m2m_history_id" in names:
        return True
    return getattr(model, "instance_type", None) is not None and "history_id" in names


def log_models() -> list[type[Model]]:
    found = [m for m in apps.get_models() if is_history(m)]
    for label in EXPLICIT_LOGS:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def is_log(model: type[Model]) -> bool:
    return is_history(model) or model._meta.label in EXPLICIT_LOGS


@contextmanager
def purging() -> Iterator[None]:
    """Allow deletes of log rows: only the retention command enters this."""
    token = _PURGING.set(True)
    try:
        yield
    finally:
        _PURGING.reset(token)


def _refuse_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not _PURGING.get():
        raise PermissionDenied(f"{sender._meta.label} is a log: it cannot be deleted")


def _refuse_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not instance._state.adding and not kwargs.get("raw"):
        raise PermissionDenied(f"{sender._meta.label} is a log: a saved row cannot be changed")


def seal_logs() -> None:
    """Connect the refusals to every log model (from AccountsConfig.ready)."""
    for model in log_models():
        uid = f"gongzhi-seal-{model._meta.label_lower}"
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=uid + "-delete", weak=False)
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=uid + "-save", weak=False)


def seal_admin(site: Any) -> None:
    """No delete button, action or page for a log in the Django admin, whoever asks."""
    for model, model_admin in site._registry.items():
        if is_log(model):
            model_admin.has_delete_permission = lambda request, obj=None: False
            model_admin.has_change_permission = lambda request, obj=None: False
            model_admin.has_add_permission = lambda request, obj=None: False
