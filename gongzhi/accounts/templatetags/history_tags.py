"""`{% history_link obj %}`: a link to the object's history page, shown only to who may open it."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gongzhi.accounts.access import can
from gongzhi.accounts.history import authorize_history, history_url
from gongzhi.accounts.roles import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def history_link(context: Any, obj: Any) -> str:
    user = getattr(context.get("request"), "user", None)
    if obj is None or not getattr(obj._meta, "simple_history_manager_attribute", None):
        return ""
    if not can(user, Action.AUDIT_VIEW):
        return ""  # no query for the many who read no history anywhere
    try:
        authorize_history(user, obj)  # the page's own check, so the link never leads to a refusal
    except (Http404, PermissionDenied):
        return ""
    return format_html(
        '<a class="btn btn-sm btn-outline-secondary" href="{}"><i class="bi bi-clock-history"></i> {}</a>',
        history_url(obj),
        _("修改历史"),
    )
