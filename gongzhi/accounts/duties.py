"""Separation of duties for administrators (等保 level 3).

GB/T 22239-2019 第三级 8.1.4.2 d) 应授予管理用户所需的最小权限，实现管理用户的权限分离; 8.1.5.1–8.1.5.3:
系统管理员、审计管理员、安全管理员 each act only through their own interface, and each one's actions are
audited. Read here as: the three administrator roles are separate roles, and no account holds two of them.
The audit administrator and the audit reader may read every log in their places and change nothing:
they are READ_ONLY_ROLES (roles.py), which keep only viewing actions whatever an app grants to every role;
nobody deletes a log through the application (audit.py).

Which actions each role gets is registered in gongzhi/accounts/apps.py like every other role's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Role

ADMINISTRATORS: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that only the platform operator (a superuser) grants: the district administrator, the three
# administrators and the audit reader (a manager must not pick who audits them).
OPERATOR_GRANTS: frozenset[str] = ADMINISTRATORS | {str(Role.DISTRICT_ADMIN), str(Role.AUDIT_READER)}


def conflict(held: Iterable[str], role: str) -> str:
    """Why `role` may not join the roles already `held` ("" when it may): one administrator duty per
    account (GB/T 22239-2019 8.1.4.2 d)."""
    if role not in ADMINISTRATORS:
        return ""
    others = sorted(set(held) & ADMINISTRATORS - {role})
    if not others:
        return ""
    return _("职责分离：同一账号不能同时担任%(new)s和%(old)s。") % {
        "new": Role(role).label,
        "old": "、".join(str(Role(r).label) for r in others),
    }
