"""Who may change whose account: a pure rule, used by the services and by the pages (which hide the buttons).

A place-scoped manager (users.manage over every place the target holds a role at) may change an ordinary
account. Above that, accounts rank: superuser > staff (Django admin access) > ordinary. Only a superuser
changes a superuser; a staff account is changed only by a superuser or another staff account (staff status
counts as a higher role than any place role, so subdistrict staff cannot reset or deactivate it).
"""

from __future__ import annotations


def rank(*, is_superuser: bool, is_staff: bool) -> int:
    """0 ordinary, 1 staff, 2 superuser."""
    return 2 if is_superuser else 1 if is_staff else 0


def may_change_account(
    *, actor_superuser: bool, actor_staff: bool, target_superuser: bool, target_staff: bool
) -> bool:
    """Whether an actor of this rank may reset, (de)activate or re-role a target of that rank."""
    if actor_superuser:
        return True
    return rank(is_superuser=actor_superuser, is_staff=actor_staff) >= rank(
        is_superuser=target_superuser, is_staff=target_staff
    )
