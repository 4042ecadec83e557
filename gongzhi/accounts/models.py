"""Role assignments: a user's (role, place) pairs, the single source of what the user may see and do."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
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
