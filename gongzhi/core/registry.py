"""Where apps plug in: ledgers, indicator figures, navigation, permission actions and the pages' rights.

The frameworks (core, ledgers, insights, the navigation bar, the permission table) read what is held here and
never import the apps that fill it. Each app registers from its own `AppConfig.ready()`, so a new registry
(owners' committees, say) is one app that calls these functions; nothing else changes.

The permission check itself lives in gongzhi.accounts.access; core reaches it through `access()`, a hook the
accounts app installs at ready(), so the ground floor imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import get_language

# --- Permission actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    """An action an app's pages check (`code` as in gongzhi.accounts.roles.Action) and the roles granted it."""

    code: str
    label: Any  # a lazy translation
    roles: frozenset[str]
    app: str = ""


ACTIONS: dict[str, ActionSpec] = {}


def register_actions(app: str, *specs: ActionSpec) -> None:
    for spec in specs:
        if spec.code in ACTIONS and ACTIONS[spec.code].app != app:
            raise ValueError(f"action {spec.code} registered by {ACTIONS[spec.code].app} and {app}")
        ACTIONS[spec.code] = ActionSpec(spec.code, spec.label, frozenset(spec.roles), app)
    _TABLE.clear()


_TABLE: dict[str, frozenset[str]] = {}


def permissions() -> dict[str, frozenset[str]]:
    """role → the actions it may do, folded from every app's registration (cached; asked on every check)."""
    if not _TABLE:
        table: dict[str, set[str]] = {}
        for spec in ACTIONS.values():
            for role in spec.roles:
                table.setdefault(role, set()).add(spec.code)
        _TABLE.update({role: frozenset(codes) for role, codes in table.items()})
    return _TABLE


# --- Pages and endpoints: which action each requires ---------------------------------------------------------

PUBLIC = "public"  # no log-in needed (log-in page, a published vote result)
SIGNED_IN = "signed_in"  # any signed-in user; the page shows only what the user's scope holds
OWN = "own"  # only the user who made the object (an import's progress); anyone else gets 404

Actions = tuple[str, ...] | Callable[[], tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    """What a URL requires: `action` on the object its parameters name (or anywhere, without parameters).

    `methods` are the methods the matrix sends: a form page is asked with GET, an action URL with POST.
    `any_of` lists alternatives (a page open to whoever may import or export). `conceal`: without the right
    the answer is 404 even inside the scope, because the object's existence is itself personal data
    (a person, a user account).
    """

    action: str
    methods: tuple[str, ...] = ("GET",)
    # A tuple, or a function giving one when the set is known only once every app is ready (the ledgers
    # page opens to whoever may use any registered ledger).
    any_of: Actions = ()
    conceal: bool = False

    @property
    def alternatives(self) -> tuple[str, ...]:
        return resolve(self.any_of)


RULES: dict[str, Rule] = {}


def resolve(actions: Actions) -> tuple[str, ...]:
    return actions() if callable(actions) else actions


def register_rules(rules: dict[str, Rule | str]) -> None:
    """Declare, by URL name ("places:compound", "api:compound-detail"), the action each view checks."""
    for name, rule in rules.items():
        RULES[name] = rule if isinstance(rule, Rule) else Rule(rule)


def rule_for(url_name: str, callback: Any = None) -> Rule | None:
    """The declared rule of a URL: an attribute on the view (`required_action`) or a registered one."""
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        declared = getattr(holder, "required_action", None)
        if isinstance(declared, Rule):
            return declared
        if isinstance(declared, str):
            return Rule(declared)
    return RULES.get(url_name)


def requires(action: str, *, methods: tuple[str, ...] = ("GET",)) -> Callable[[Any], Any]:
    """Decorator for a view: declare the action it checks (read by the permission matrix)."""

    def mark(view: Any) -> Any:
        view.required_action = Rule(action, methods)
        return view

    return mark


# --- Navigation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavGroup:
    """A menu of the navigation bar, one per system (小区治理, 共治共同体, 系统 …): a dropdown on the desk, a
    collapsible list on the phone. The usual ones are in gongzhi.core.navgroups; a new system brings its own."""

    key: str
    label: Any
    order: int = 100


@dataclass(frozen=True)
class NavEntry:
    label: Any
    url_name: str
    actions: Actions  # shown when the user may do any of them somewhere (a tuple, or a function giving one)
    order: int = 100  # within its group, or on the bar when it has none
    group: NavGroup | None = None


@dataclass(frozen=True)
class NavMenu:
    """What the bar shows: a group with the entries this user may use, or one entry on its own (a group
    holding a single usable entry is shown as that entry, one click nearer)."""

    label: Any
    entries: tuple[NavEntry, ...]
    key: str = ""

    @property
    def is_group(self) -> bool:
        return len(self.entries) > 1


NAVIGATION: list[NavEntry] = []
NAV_GROUPS: dict[str, NavGroup] = {}


def register_nav(*entries: NavEntry) -> None:
    """The one place navigation is declared; an entry's group comes with it (one key, one group)."""
    for entry in entries:
        if entry.group is not None:
            known = NAV_GROUPS.setdefault(entry.group.key, entry.group)
            if known != entry.group:
                raise ValueError(f"nav group {entry.group.key} declared twice, differently")
        if all(e.url_name != entry.url_name for e in NAVIGATION):
            NAVIGATION.append(entry)
    NAVIGATION.sort(key=lambda e: (e.order, e.url_name))


def navigation(user: Any) -> list[NavEntry]:
    """The entries this user may use: a role never sees a link it cannot open."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    can = access().can

    def may_open(entry: NavEntry) -> bool:  # the page's own rule, where it names an action
        rule = RULES.get(entry.url_name)
        needed = (
            ()
            if rule is None or rule.action in (PUBLIC, SIGNED_IN, OWN)
            else (rule.action, *rule.alternatives)
        )
        return not needed or any(can(user, action) for action in needed)

    return [e for e in NAVIGATION if any(can(user, action) for action in resolve(e.actions)) and may_open(e)]


def navigation_menu(user: Any) -> list[NavMenu]:
    """The bar for this user: the entries of `navigation(user)` gathered into their groups, in order."""
    placed: list[tuple[int, str, NavMenu]] = []
    grouped: dict[str, list[NavEntry]] = {}
    for entry in navigation(user):
        if entry.group is None:
            placed.append((entry.order, entry.url_name, NavMenu(entry.label, (entry,))))
        else:
            grouped.setdefault(entry.group.key, []).append(entry)
    for key, members in grouped.items():
        group = NAV_GROUPS[key]
        label = group.label if len(members) > 1 else members[0].label
        placed.append((group.order, key, NavMenu(label, tuple(members), key)))
    return [menu for _order, _key, menu in sorted(placed, key=lambda m: (m[0], m[1]))]


# --- Start pages -----------------------------------------------------------------------------------------------

# role → the URL name its holders start on, for roles whose work is not the places pages (the centre, the
# villages); a role not named here starts on its places, as the governance roles do.
START_PAGES: dict[str, str] = {}


def register_start(url_name: str, *roles: str) -> None:
    for role in roles:
        known = START_PAGES.setdefault(str(role), url_name)
        if known != url_name:
            raise ValueError(f"start page of {role} declared twice: {known} and {url_name}")


def start_page(roles: Iterable[str]) -> str | None:
    """Where a user holding `roles` starts: the one page all of them name, else None (the places)."""
    named = {START_PAGES.get(str(r)) for r in roles}
    return named.pop() if len(named) == 1 and None not in named else None


# --- Ledgers ---------------------------------------------------------------------------------------------------

# slug → "module:attribute" of the ledger object, imported when first used.
LEDGERS: dict[str, str] = {}


def register_ledger(slug: str, target: str) -> None:
    LEDGERS[slug] = target


# --- Indicator figures -----------------------------------------------------------------------------------------

LEVELS = ("province", "city", "district", "subdistrict", "community", "village", "compound")


@dataclass(frozen=True)
class Figure:
    """One catalogued figure: the dashboard, campaign targets and the bulletin refer to it by `code`."""

    code: str
    label_zh: str
    label_en: str
    unit: str  # "个", "户", "人", "%" …
    levels: frozenset[str] = field(default_factory=lambda: frozenset(LEVELS))
    app: str = ""
    # Where a start page's card leads: a URL name taking the place's code ("party:dashboard"), or a URL
    # name and a query string with {code} ("affairs:matters?place={code}&status=resolved"); "" for none.
    drill: str = ""
    # True when the provider computes the figure as of a past day from dated records (PlaceScope.as_of);
    # False: the data keeps no dates, so a snapshot for a past day holds the value on the day it was taken.
    dated: bool = False

    @property
    def label(self) -> str:
        """The label in the reader's language (pages show this; the API gives both)."""
        return self.label_en if (get_language() or "").startswith("en") else self.label_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "unit": self.unit,
            "levels": sorted(self.levels, key=LEVELS.index),
            "app": self.app,
            "dated": self.dated,
        }


FIGURES: dict[str, Figure] = {}
PROVIDERS: list[str] = []  # "module:function": figures(scope) -> dict, or figures(batch) when marked @batched
PROVIDER_CODES: dict[str, set[str]] = {}  # provider → the codes it computes (to skip it when none is asked)
PROVIDER_SOURCES: dict[str, set[str]] = {}  # provider → the models it reads ("app_label.Model")


def register_figures(app: str, provider: str, figures: Iterable[Figure], sources: Iterable[str] = ()) -> None:
    """Catalogue an app's figures and the provider computing them.

    Old style: `provider(scope: PlaceScope) -> {code: value}`, asked once per place. Batched (decorated
    with gongzhi.insights.batch.batched): `provider(batch: Batch) -> {place path: {code: value}}`, asked
    once for many places, so a page showing a place and its children costs the same whatever their
    number. Both kinds work side by side; insights adapts the old style.

    `sources`: the models ("app_label.Model") whose rows the provider reads. Their tables get the
    triggers that let the insights store keep the provider's answers (gongzhi.insights.store); a provider
    reading a table not named here is still right, only computed live every time."""
    PROVIDER_SOURCES.setdefault(provider, set()).update(sources)
    for figure in figures:
        if figure.code in FIGURES and FIGURES[figure.code].app != app:
            raise ValueError(f"figure {figure.code} registered by {FIGURES[figure.code].app} and {app}")
        unknown = set(figure.levels) - set(LEVELS)
        if unknown:
            raise ValueError(f"figure {figure.code}: unknown levels {sorted(unknown)}")
        FIGURES[figure.code] = Figure(
            figure.code,
            figure.label_zh,
            figure.label_en,
            figure.unit,
            frozenset(figure.levels),
            app,
            figure.drill,
            figure.dated,
        )
        PROVIDER_CODES.setdefault(provider, set()).add(figure.code)
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


# --- What the platform holds about a person: one registry of sections --------------------------------------

# Who a section is shown to. STAFF: the person page (/people/<id>/), to staff with person.view, each
# provider keeping to the viewer's scope. SELF: the person's own "my data" page (/me/my-data/, PIPL art.
# 44-45: the right to know), everything held about them.
STAFF = "staff"
SELF = "self"


@dataclass(frozen=True)
class SectionRow:
    text: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class PersonSection:
    """What one app knows about a person: a list of rows (SectionRow: text, link, note), or a table when
    `columns` are given (rows are then tuples of display values). `empty` is said when there are no rows."""

    title: Any
    rows: list[Any]
    empty: Any = ""
    columns: tuple[Any, ...] = ()
    order: int = 50


@dataclass(frozen=True)
class SectionProvider:
    target: str  # "module:function" (viewer, person_id) -> list[PersonSection]
    order: int
    shown_to: frozenset[str]


PERSON_SECTIONS: list[SectionProvider] = []
PERSON_OF_USER: list[str] = []  # "module:function" (user) -> person id or None


def register_person_section(target: str, order: int = 100, *, shown_to: Iterable[str] = (STAFF,)) -> None:
    """An app shows what it holds about a person: on the staff person page, the person's own page, or both."""
    audiences = frozenset(shown_to)
    if unknown := audiences - {STAFF, SELF}:
        raise ValueError(f"person section {target}: unknown audiences {sorted(unknown)}")
    PERSON_SECTIONS[:] = [p for p in PERSON_SECTIONS if p.target != target]
    PERSON_SECTIONS.append(SectionProvider(target, order, audiences))
    PERSON_SECTIONS.sort(key=lambda p: (p.order, p.target))


def register_person_of_user(resolver: str) -> None:
    """An app that links logins to persons (online voting's verified owners) tells whose data a user is."""
    if resolver not in PERSON_OF_USER:
        PERSON_OF_USER.append(resolver)


def _load(target: str) -> Callable[..., Any]:
    from importlib import import_module

    module, _, name = target.partition(":")
    fn: Callable[..., Any] = getattr(import_module(module), name)
    return fn


def person_sections(viewer: Any, person_id: int, audience: str = STAFF) -> list[PersonSection]:
    """Every app's sections about this person for this audience, in order; each provider runs a fixed
    number of queries."""
    sections = [
        section
        for provider in PERSON_SECTIONS
        if audience in provider.shown_to
        for section in _load(provider.target)(viewer, person_id)
    ]
    return sorted(sections, key=lambda s: s.order)


def person_of_user(user: Any) -> int | None:
    for target in PERSON_OF_USER:
        found = _load(target)(user)
        if found is not None:
            return int(found)
    return None


# --- The permission check, installed by the accounts app -------------------------------------------------------


class Access(Protocol):
    def can(self, user: Any, action: str, obj: Any = None) -> bool: ...

    def scoped(self, user: Any, qs: Any, action: str, field: str = "path") -> Any: ...


_ACCESS: list[Access] = []


def install_access(impl: Access) -> None:
    _ACCESS[:] = [impl]


def access() -> Access:
    if not _ACCESS:
        raise RuntimeError("no permission check installed: is gongzhi.accounts in INSTALLED_APPS?")
    return _ACCESS[0]
