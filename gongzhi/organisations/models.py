"""Organisations that cover places: the core every registry (party chain, owners' committees, property
companies, the "N") is built on.

An Organisation has a kind (a string its app registers, see gongzhi.organisations.kinds), a code, a name,
dates, an optional parent, seats held by persons over time, and the places it covers over time. Its
`path` is the lowest common path of what it covers (for browsing); the permission check places it by its
Coverage rows instead, so a joint body covering several compounds is inside the scope of each of them.
Nothing here is deleted: an organisation ends (ended_on), a seat or a coverage ends (until); history is
kept by django-simple-history. Every write goes through gongzhi.organisations.services.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import class_prepared, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.paths import under_any
from gongzhi.organisations.kinds import kind_label, role_label
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, path_index


def _today() -> date:
    return timezone.localdate()


_O = TypeVar("_O", bound="Organisation")


class OrganisationQuerySet(models.QuerySet[_O, _O]):
    def active(self, on: date | None = None) -> Self:
        """Organisations not ended by `on` (today when None)."""
        day = on or _today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def ended(self) -> Self:
        return self.filter(ended_on__isnull=False)

    def covering(self, path: str) -> Self:
        """Organisations with a current coverage at or under `path`, without duplicating rows."""
        return self.filter(
            Exists(Coverage.objects.current().filter(organisation=OuterRef("pk"), path__under=path))
        )


_org_history = HistoricalRecords()


class Organisation(models.Model):
    """A body that covers places and has seats: one row per organisation of whatever kind."""

    kind = models.CharField(_("类型"), max_length=32)
    code = models.CharField(_("组织编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    pinyin = models.CharField(max_length=255, blank=True, default="")
    initials = models.CharField(max_length=64, blank=True, default="")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The lowest common path of what it covers: where it is browsed, not who may see it.
    path = models.CharField(_("路径"), max_length=110)

    objects: models.Manager[Organisation] = OrganisationQuerySet.as_manager()  # type: ignore[assignment]
    history = _org_history

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["code"]
        indexes = [path_index("org_path_idx"), models.Index(fields=["kind", "ended_on"], name="org_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > _today()

    def current_coverages(self) -> list[Coverage]:
        """Uses a prefetch of `coverages` when there is one."""
        return [c for c in self.coverages.all() if c.until is None]

    def covered_compounds(self) -> list[Compound]:
        return [c.compound for c in self.current_coverages() if c.compound_id is not None]  # type: ignore[misc]

    def scope_paths(self) -> list[str]:
        """The paths the permission check places it by: what it covers now, or covered when it ended
        (so its history stays visible to the same people); its own path if it covers nothing."""
        paths = [
            c.path
            for c in self.coverages.all()
            if c.until is None or (self.ended_on is not None and c.until == self.ended_on)
        ]
        return paths or [self.path]

    @classmethod
    def scope_filter(cls, paths: list[str], exact: list[str] | None = None) -> Q:
        """Rows covering a place under any of `paths`, or exactly one of `exact` (a compound a building
        grant looks up to), now or when they ended: an EXISTS, so a row covering two granted places stays
        one row."""
        where = under_any(paths)
        if exact:
            where |= Q(path__in=exact)
        under = Coverage.objects.filter(where)
        # Current coverage as one uncorrelated list (read once through the path index, not probed per
        # organisation); only an ended organisation asks for the coverage that ended with it.
        current = under.filter(until__isnull=True).values("organisation_id")
        ended_with = under.filter(organisation=OuterRef("pk"), until=OuterRef("ended_on"))
        return Q(pk__in=current) | Q(ended_on__isnull=False) & Q(Exists(ended_with))


def _track_proxies(sender: Any, **kwargs: Any) -> None:
    """Saves of a proxy (e.g. PartyOrganisation) are sent with the proxy as sender; record them too."""
    if sender._meta.proxy and issubclass(sender, Organisation):
        sender._meta.simple_history_manager_attribute = "history"  # type: ignore[attr-defined]
        post_save.connect(_org_history.post_save, sender=sender, weak=False)


class_prepared.connect(_track_proxies, weak=False)


class CurrentQuerySet(models.QuerySet[Any]):
    def current(self) -> CurrentQuerySet:
        return self.filter(until__isnull=True)


class Seat(models.Model):
    """A person holding a role in an organisation from `since` until `until` (None: still holds it)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="seats"
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(_("职务"), max_length=32)
    since = models.DateField(_("任职日期"), null=True, blank=True)
    until = models.DateField(_("离任日期"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["organisation_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], condition=Q(until__isnull=True), name="seat_current_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "until"], name="seat_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role}"

    @property
    def role_label(self) -> str:
        return role_label(self.organisation.kind, self.role)

    def scope_paths(self) -> list[str]:
        return self.organisation.scope_paths()


class Coverage(models.Model):
    """A place an organisation covers, from `since` until `until`; `path` is the place's, copied."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="coverages"
    )
    division = models.ForeignKey(
        Division, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    compound = models.ForeignKey(
        Compound,
        verbose_name=_("小区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coverages",
    )
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("路径"), max_length=110)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("终止日期"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("覆盖范围")
        verbose_name_plural = _("覆盖范围")
        ordering = ["organisation_id", "path"]
        indexes = [
            path_index("coverage_path_idx"),
            models.Index(fields=["organisation", "until"], name="coverage_org_idx"),
            models.Index(fields=["compound", "until"], name="coverage_compound_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(division__isnull=False, compound__isnull=True, building__isnull=True)
                    | Q(division__isnull=True, compound__isnull=False, building__isnull=True)
                    | Q(division__isnull=True, compound__isnull=True, building__isnull=False)
                ),
                name="coverage_one_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.path}"

    @property
    def place(self) -> Division | Compound | Building:
        place = self.compound or self.building or self.division
        assert place is not None
        return place

    def scope_paths(self) -> list[str]:
        return [self.path]
