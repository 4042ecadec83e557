"""The permission matrix, generated: every URL of the URL configuration and the API router, with the rule
its view declares (gongzhi.core.registry), asked by every role on an object inside and outside its scope.

A URL is in the matrix because it is in the URL configuration; nobody lists it. A URL whose view declares no
rule, or whose parameters no sample fills, is reported by name, so a forgotten check fails the test rather
than passing unseen. Expected answers follow docs/architecture.md: 200/302 when the role may, 403 inside the
scope without the right, 404 outside it (existence does not leak); anonymous users are sent to log in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongzhi.core import registry
from gongzhi.core.registry import OWN, PUBLIC, SIGNED_IN, Rule

# URLs outside the matrix, and why: Django's admin asks ScopedAdmin's has_*_permission (tested there); the
# language switch is Django's own and open to all.
SKIPPED_NAMESPACES = {"admin"}
BUILTIN_RULES = {"set_language": Rule(PUBLIC, ("POST",))}
PLACE_VIEW = "place.view"


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL name as reverse() takes it: "places:compound", "compound-detail"
    route: str
    params: tuple[str, ...]
    callback: Any

    @property
    def rule(self) -> Rule | None:
        return BUILTIN_RULES.get(self.name) or registry.rule_for(self.name, self.callback)


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Endpoint]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            if p.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            params = tuple(p.pattern.regex.groupindex)
            if "format" in params:  # DRF's ".json" twins of the same view
                continue
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or f"<unnamed {route}>")
            yield Endpoint(name, route, params, p.callback)


def endpoints(urlconf: str | None = None) -> list[Endpoint]:
    seen: dict[str, Endpoint] = {}
    for e in _walk(get_resolver(urlconf).url_patterns, "", ""):
        seen.setdefault(e.name, e)
    return sorted(seen.values(), key=lambda e: e.name)


def undeclared(found: list[Endpoint]) -> list[str]:
    """URLs whose view declares no required action: each is a page nobody checked."""
    return [f"{e.name} ({e.route})" for e in found if e.rule is None]


@dataclass(frozen=True)
class Sample:
    """How to fill a URL: its kwargs, the object whose scope decides, and an optional query string."""

    kwargs: dict[str, Any]
    obj: Any = None
    query: str = ""


# url name → (world, inside: bool) → Sample. Filled by the test module (it knows the factories).
Filler = Callable[[Any, bool], Sample]


def unfillable(found: list[Endpoint], fillers: dict[str, Filler]) -> list[str]:
    return [f"{e.name} ({e.route})" for e in found if e.params and e.name not in fillers]


@dataclass
class Row:
    endpoint: str
    method: str
    url: str
    expected: tuple[int, ...]
    got: int


@dataclass
class Outcome:
    rows: list[Row] = field(default_factory=list)

    @property
    def wrong(self) -> list[Row]:
        return [r for r in self.rows if r.got not in r.expected]

    def report(self) -> str:
        return "\n".join(
            f"  {r.method} {r.url} [{r.endpoint}] expected {'/'.join(map(str, r.expected))}, got {r.got}"
            for r in self.wrong
        )


OK_GET = (200, 302)
# An empty form or body is refused with its messages (400), or the change with a reason (409); never a crash.
OK_POST = (200, 201, 204, 302, 400, 409)


def expected(rule: Rule, user: Any, obj: Any, method: str) -> tuple[int, ...]:
    ok = OK_GET if method == "GET" else OK_POST
    if rule.action == PUBLIC:
        return (*ok, 404)  # public pages (log-in, a published result) need no scope; unpublished is 404
    if user is None:
        return (302, 401, 403)  # to the log-in page; the API answers 401/403
    if rule.action == SIGNED_IN:
        return ok
    if rule.action == OWN:
        return (404,)  # the samples belong to another user
    can = registry.access().can
    actions = rule.alternatives or (rule.action,)
    if any(can(user, a, obj) for a in actions):
        return ok
    if rule.conceal or (obj is not None and not can(user, PLACE_VIEW, obj)):
        return (404,)
    return (403,)


def run(
    client: Client, user: Any, found: list[Endpoint], fillers: dict[str, Filler], world: Any, inside: bool
) -> Outcome:
    """Ask every endpoint as `user` (None: anonymous); each request runs in a savepoint rolled back after,
    so a POST that closes a vote or removes a group leaves the samples as they were for the next one."""
    outcome = Outcome()
    for e in found:
        rule = e.rule
        if rule is None:
            continue
        if e.params and e.name not in fillers:
            raise LookupError(f"the matrix cannot fill {e.name} ({e.route}): add a sample for it")
        sample = fillers[e.name](world, inside) if e.name in fillers else Sample({})
        url = reverse(e.name, kwargs=sample.kwargs) + (f"?{sample.query}" if sample.query else "")
        for method in rule.methods:
            want = expected(rule, user, sample.obj, method)
            cookies = copy.deepcopy(client.cookies)  # log-out (a public POST) must not end the session
            with transaction.atomic():
                response = client.get(url) if method == "GET" else _post(client, url)
                transaction.set_rollback(True)
            client.cookies = cookies
            outcome.rows.append(Row(e.name, method, url, want, response.status_code))
    return outcome


def _post(client: Any, url: str) -> Any:
    """An empty POST as each side expects it: the API parses JSON only, pages take a form."""
    if url.startswith("/api/"):
        return client.post(url, {}, content_type="application/json")
    return client.post(url, {})
