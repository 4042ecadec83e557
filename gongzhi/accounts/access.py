"""The one permission check. Every page, API endpoint, export and import asks here.

A user may do an action on an object when one of their (role, place) grants allows the action and the
object lies at or under the grant's place (materialised-path prefix). An object that covers several places
(an organisation: gongzhi.organisations) exposes them all (`scope_paths()`, and `scope_filter(paths)` for
querysets) and is inside the scope when any of them is; a grant is a role on a path, so a new kind of place
or organisation needs no new column here. Objects outside every grant are
answered with 404, so their existence does not leak; objects inside the scope but without the right to act
get 403.

One look upwards, decided here and nowhere else (`ABOVE_A_BUILDING`): a grant on a building also sees the
compound the building is in — the compound record itself and what is placed at the compound (its party
organisation, compound-wide matters and votes), not its other buildings — for viewing the place and the
party chain and for raising a matter there. Nothing else reaches above a grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gongzhi.accounts.roles import PERMISSIONS, Action
from gongzhi.core.actors import is_system
from gongzhi.core.paths import collapse, is_under, under_any

M = TypeVar("M", bound=Model)
UserLike = AbstractBaseUser | AnonymousUser


# What a building grant may do on the compound above it (docs/architecture.md, "Above a building grant"):
# see it (view only, its 驾驶舱 included) and its party organisation, and raise a compound-wide matter.
ABOVE_A_BUILDING = frozenset(
    {Action.PLACE_VIEW, Action.GOVERNANCE_VIEW, Action.PARTY_VIEW, Action.MATTER_RAISE}
)


def compound_above(path: str) -> str | None:
    """The compound path above a building path (`…/370202001001003/b4/` → `…/370202001001003/`)."""
    head, _, last = path.rstrip("/").rpartition("/")
    return f"{head}/" if head and last.startswith("b") else None


@dataclass(frozen=True)
class Grant:
    role: str
    path: str


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    is_superuser: bool
    grants: tuple[Grant, ...]

    def paths(self, action: str) -> list[str]:
        return collapse([g.path for g in self.grants if action in PERMISSIONS.get(g.role, frozenset())])

    def above(self, action: str) -> list[str]:
        """Exact paths (not their subtrees) opened by building grants for `action`: their compounds."""
        if action not in ABOVE_A_BUILDING:
            return []
        paths = self.paths(action)
        found = {compound_above(p) for p in paths}
        return sorted(p for p in found if p is not None and not is_under(p, paths))

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


ANONYMOUS = Actor(None, False, ())


SYSTEM_GRANTS = Actor(None, True, ())


def actor_of(user: Any) -> Actor:
    """The user's grants, read once per request and cached on the user object.

    A SystemActor (gongzhi.core.actors) acts everywhere, like a superuser; None is anonymous.
    """
    if is_system(user):
        return SYSTEM_GRANTS
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    cached = getattr(user, "_gongzhi_actor", None)
    if cached is None:
        from gongzhi.accounts.models import RoleAssignment

        grants = tuple(
            Grant(role, path)
            for role, path in RoleAssignment.objects.filter(user=user).values_list("role", "path")
        )
        cached = Actor(user.pk, bool(user.is_superuser), grants)
        user._gongzhi_actor = cached
    return cached


def remember_grants(user: Any, rows: Iterable[tuple[str, str]]) -> None:
    """Keep on the user the grants (role, path) a caller read in a statement of its own, as actor_of would
    have read them (the online cast reads them with the vote: gongzhi.affairs.selectors.vote_for_cast)."""
    user._gongzhi_actor = Actor(user.pk, bool(user.is_superuser), tuple(Grant(r, p) for r, p in rows))


def object_path(obj: Any) -> str:
    """The materialised path that places `obj` (a place, or anything attached to one)."""
    path = getattr(obj, "path", None)
    if isinstance(path, str):
        return path
    scope_path = getattr(obj, "scope_path", None)
    if callable(scope_path):
        return str(scope_path())
    raise TypeError(f"{type(obj).__name__} has no place path")


def object_paths(obj: Any) -> list[str]:
    """Every path that places `obj`: those it covers (`scope_paths()`), or its one path."""
    scope_paths = getattr(obj, "scope_paths", None)
    if callable(scope_paths):
        return list(scope_paths())
    return [object_path(obj)]


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` on `obj` (or anywhere at all, when obj is None)?"""
    actor = actor_of(user)
    if actor.is_superuser:
        return True
    paths = actor.paths(action)
    if obj is None:
        return bool(paths)
    above = actor.above(action)
    return any(is_under(p, paths) or p in above for p in object_paths(obj))


def scope_q(user: Any, action: str = Action.PLACE_VIEW, field: str = "path") -> Q:
    """A filter for rows the user may act on; `field` names the row's path (e.g. "home__path")."""
    actor = actor_of(user)
    if actor.is_superuser:
        return Q()
    q = under_any(actor.paths(action), field)
    above = actor.above(action)
    return q | Q(**{f"{field}__in": above}) if above else q


def scoped(user: Any, qs: QuerySet[M], action: str = Action.PLACE_VIEW, field: str = "path") -> QuerySet[M]:
    """Rows the user may act on. A model that covers places (`scope_filter`) is matched by what it covers,
    so a row covering two granted places is still one row."""
    scope_filter = getattr(qs.model, "scope_filter", None)
    if field == "path" and callable(scope_filter):
        actor = actor_of(user)
        if actor.is_superuser:
            return qs
        # Placed by every path it covers, the compound a building grant looks up to included (as `can`
        # does with `object_paths`); its own path too, for a row that covers nothing.
        above = actor.above(action)
        q = scope_filter(actor.paths(action), exact=above)
        return qs.filter(q | Q(path__in=above) if above else q)
    return qs.filter(scope_q(user, action, field))


def get_or_404(user: Any, qs: QuerySet[M], action: str = Action.PLACE_VIEW, **lookup: Any) -> M:
    """Fetch one object the user may see, or 404 whether it is missing or merely outside the scope.

    If the user may see it but not do `action`, 403.
    """
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    require(user, action, obj)
    return obj


def require(user: Any, action: str, obj: Any) -> None:
    if can(user, action, obj):
        return
    if action != Action.PLACE_VIEW and can(user, Action.PLACE_VIEW, obj):
        raise PermissionDenied
    raise Http404


def home_paths(user: Any) -> list[str]:
    """Where the user's place browser starts: the top of each place they may see."""
    actor = actor_of(user)
    if actor.is_superuser:
        return []
    return actor.paths(Action.PLACE_VIEW)


@dataclass(frozen=True)
class At:
    """A bare place path, for checking a write before its object exists (`authorize(actor, a, At(path))`)."""

    path: str


def authorize(actor: Any, action: str, obj: Any = None) -> None:
    """The services' check: PermissionDenied unless `actor` may do `action` on `obj`.

    None is anonymous and refused; a SystemActor (gongzhi.core.actors) passes. Views have already turned
    objects outside the scope into 404, so here a refusal is always 403.
    """
    if not can(actor, action, obj):
        raise PermissionDenied
