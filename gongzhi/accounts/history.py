"""One history page for any object whose model keeps django-simple-history: who changed what, when, from what
to what. `/history/<app>.<model>/<pk>/`, linked from the object's page with `{% history_link obj %}`.

Scoped by the one permission check: the reader needs audit.view on the object's place (accounts/apps.py:
the audit administrator and the audit reader); outside their places the page answers 404. An object
without a place (a setting, an account without a role) opens to a superuser only. Credentials and
personal identifiers never appear in the page, masked or not: their values show as "已隐藏".
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gongzhi.accounts.access import actor_of, object_paths, require
from gongzhi.accounts.roles import Action

# Values never shown in a history page (field names containing any of these).
HIDDEN = ("password", "id_number", "phone", "digest", "key", "secret", "token")
LIMIT = 200


def history_model(label: str) -> type[Model]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not getattr(model._meta, "simple_history_manager_attribute", None):
        raise Http404
    return model


def _placed(obj: Any) -> bool:
    try:
        object_paths(obj)
    except TypeError:
        return False
    return True


def authorize_history(user: Any, obj: Any) -> None:
    """404 outside the reader's places, 403 inside them without audit.view (access.require)."""
    if actor_of(user).is_superuser:
        return
    if isinstance(obj, User):
        from gongzhi.accounts.models import RoleAssignment

        places = list(RoleAssignment.objects.filter(user=obj))
        if not places:
            raise Http404
        for place in places:  # every role of the account must lie inside the reader's places
            require(user, Action.AUDIT_VIEW, place)
        return
    if not _placed(obj):
        raise Http404
    require(user, Action.AUDIT_VIEW, obj)


def history_rows(obj: Model) -> list[dict[str, Any]]:
    """Newest first: each record with its author, reason and the fields it changed (old → new)."""
    manager = getattr(obj, obj._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
    records = list(manager.select_related("history_user").order_by("-history_date", "-history_id")[:LIMIT])
    rows = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            changes = [_change(c.field, c.old, c.new, record) for c in delta.changes]
        elif record.history_type == "+":
            changes = [
                _change(f.attname, None, getattr(record, f.attname), record)
                for f in record.instance_type._meta.concrete_fields
                if hasattr(record, f.attname)
            ]
        rows.append({"record": record, "changes": changes})
    return rows


def _change(field: str, old: Any, new: Any, record: Any) -> dict[str, Any]:
    try:
        label = record.instance_type._meta.get_field(field.removesuffix("_id")).verbose_name
    except Exception:
        label = field
    if any(h in field for h in HIDDEN):
        old = new = "已隐藏"
    return {"field": label, "old": "" if old is None else old, "new": "" if new is None else new}


@login_required
def history_page(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    cls = history_model(model)
    obj = cls._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    authorize_history(request.user, obj)
    context = {"obj": obj, "model": cls._meta.verbose_name, "rows": history_rows(obj)}
    return render(request, "accounts/history.html", context)


def history_url(obj: Model) -> str:
    return reverse("history", args=[obj._meta.label_lower, obj.pk])
