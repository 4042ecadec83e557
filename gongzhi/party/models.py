"""The organisation chain: 小区党组织 → 楼栋党小组 → 党员中心户, the members in it, and its settings.

Rules (who must form what) live in gongzhi.party.rules; every write goes through gongzhi.party.services,
which also keeps CompoundPartyStats, the per-compound counters the coverage figures add up.
Every row carries a materialised path (gongzhi.core.paths) so the one permission check can place it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.organisations.models import Organisation, OrganisationQuerySet, Seat
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Home, path_index


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class OrgKind(models.TextChoices):
    BRANCH = "branch", _("党支部")
    JOINT = "joint", _("联合党支部")
    GENERAL = "general", _("党总支")


class SeatTitle(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("委员")


PARTY_KINDS = [OrgKind.BRANCH.value, OrgKind.JOINT.value, OrgKind.GENERAL.value]
for _kind in OrgKind:
    register_kind(
        _kind.value,
        _kind.label,
        app="party",
        view_action="party.view",
        edit_action="party.edit",
        roles=dict(SeatTitle.choices),
    )


class PartyOrganisationManager(models.Manager["PartyOrganisation"]):
    """Only organisations of the party kinds."""

    def get_queryset(self) -> OrganisationQuerySet[PartyOrganisation]:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind__in=PARTY_KINDS)

    def active(self) -> OrganisationQuerySet[PartyOrganisation]:
        return self.get_queryset().active()

    def ended(self) -> OrganisationQuerySet[PartyOrganisation]:
        return self.get_queryset().ended()

    def covering(self, path: str) -> OrganisationQuerySet[PartyOrganisation]:
        return self.get_queryset().covering(path)


class PartyOrganisation(Organisation):
    """A compound party organisation: a branch or general branch of one compound, or a joint branch of 2–5.

    An Organisation of a party kind (gongzhi.organisations): its committee are its Seats, the compounds it
    covers its Coverage; the party rules about them live in gongzhi.party.rules.
    """

    objects = PartyOrganisationManager()  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("小区党组织")
        verbose_name_plural = _("小区党组织")

    def current_seats(self) -> list[Seat]:
        """Uses a prefetch of `seats` when there is one; the secretary first."""
        order = list(SeatTitle.values)
        seats = [s for s in self.seats.all() if s.until is None]
        return sorted(seats, key=lambda s: (order.index(s.role) if s.role in order else len(order), s.pk))

    @property
    def secretary_seat(self) -> Seat | None:
        return next((s for s in self.current_seats() if s.role == SeatTitle.SECRETARY), None)

    @property
    def secretary_name(self) -> str:
        seat = self.secretary_seat
        return seat.person.name if seat else ""


class PartyMember(models.Model):
    """A party member living in a compound (居住地党员)."""

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="party_member"
    )
    status = models.CharField(_("党员状态"), max_length=16, choices=MemberStatus.choices)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    compound = models.ForeignKey(
        Compound, verbose_name=_("居住小区"), on_delete=models.PROTECT, related_name="party_members"
    )
    home = models.ForeignKey(
        Home,
        verbose_name=_("居住房屋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
    )
    # Denormalised from the home so per-building counts need no join.
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
    )
    in_service = models.BooleanField(_("在职党员"), default=False)
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True, default="")
    # 组织关系所在: a compound party organisation here, or (text) an organisation elsewhere.
    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("组织关系所在党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation_elsewhere = models.CharField(_("组织关系在外单位"), max_length=100, blank=True, default="")
    group = models.ForeignKey(
        "BuildingGroup",
        verbose_name=_("楼栋党小组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    path = models.CharField(_("路径"), max_length=110)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["compound_id", "id"]
        indexes = [
            path_index("party_member_path_idx"),
            models.Index(fields=["compound", "status"]),
            # Members per organisation by status and relation (the gaps page), read from the index alone.
            models.Index(
                fields=["organisation", "status", "relation_elsewhere"], name="party_member_org_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.person.name if self.person_id else "?"

    @property
    def counts_here(self) -> bool:
        """Counts toward the compound's own branch: a full member whose relation is not held elsewhere."""
        from gongzhi.party.rules import counts_toward_branch

        return counts_toward_branch(self.status, self.relation_elsewhere)


# The columns a member row is written with in bulk (demo generator, ledger import), in one order.
MEMBER_ROW_FIELDS = [
    "person",
    "status",
    "joined_on",
    "full_on",
    "compound",
    "home",
    "building",
    "in_service",
    "workplace",
    "organisation",
    "relation_elsewhere",
    "group",
    "path",
]


class RelationTransfer(models.Model):
    """A transfer of a member's organisational relation (组织关系转接); the history stays."""

    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_organisation = models.ForeignKey(
        PartyOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_text = models.CharField(_("转出"), max_length=100, blank=True, default="")
    to_organisation = models.ForeignKey(
        PartyOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_text = models.CharField(_("转入"), max_length=100, blank=True, default="")
    on = models.DateField(_("转接日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["member_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_text} → {self.to_text}"

    def scope_path(self) -> str:
        return self.member.path


class BuildingGroup(models.Model):
    """A building party group (楼栋党小组) under a compound party organisation."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="party_groups"
    )
    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("所属党组织"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    buildings = models.ManyToManyField(Building, verbose_name=_("覆盖楼栋"), related_name="party_groups")
    leader = models.ForeignKey(
        PartyMember,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.CharField(_("路径"), max_length=110)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("楼栋党小组")
        verbose_name_plural = _("楼栋党小组")
        ordering = ["compound_id", "name"]
        indexes = [
            path_index("party_group_path_idx"),
            models.Index(fields=["path", "id"], name="party_group_key_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="party_group_name_unique")]

    def __str__(self) -> str:
        return self.name


class CentralHousehold(models.Model):
    """A party-member central household (党员中心户): a member's home linking neighbouring homes."""

    member = models.OneToOneField(
        PartyMember, verbose_name=_("户主党员"), on_delete=models.PROTECT, related_name="central_household"
    )
    home = models.OneToOneField(
        Home, verbose_name=_("中心户房屋"), on_delete=models.PROTECT, related_name="central_household"
    )
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="central_households"
    )
    group = models.ForeignKey(
        BuildingGroup,
        verbose_name=_("所属党小组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="central_households",
    )
    designated_on = models.DateField(_("确定日期"), null=True, blank=True)
    path = models.CharField(_("路径"), max_length=110)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员中心户")
        verbose_name_plural = _("党员中心户")
        ordering = ["compound_id", "id"]
        indexes = [
            path_index("party_ch_path_idx"),
            models.Index(fields=["path", "id"], name="party_ch_key_idx"),
        ]

    def __str__(self) -> str:
        return str(self.member)


class HouseholdLink(models.Model):
    """A home a central household links and serves (联系户); a home has at most one."""

    household = models.ForeignKey(
        CentralHousehold, verbose_name=_("党员中心户"), on_delete=models.CASCADE, related_name="links"
    )
    home = models.OneToOneField(
        Home, verbose_name=_("联系户"), on_delete=models.CASCADE, related_name="household_link"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系户")
        verbose_name_plural = _("联系户")

    def __str__(self) -> str:
        return f"{self.household_id} → {self.home_id}"

    def scope_path(self) -> str:
        return self.household.path


class CompoundPartyStats(models.Model):
    """Per-compound counters of the chain, kept by gongzhi.party.services; figures sum these by path."""

    compound = models.OneToOneField(
        Compound, primary_key=True, on_delete=models.CASCADE, related_name="party_stats"
    )
    path = models.CharField(max_length=110)
    members = models.PositiveIntegerField(default=0)
    full_members = models.PositiveIntegerField(default=0)
    probationary_members = models.PositiveIntegerField(default=0)
    # Full members whose relation is not held elsewhere: the count 党章 art. 30 looks at.
    counted_members = models.PositiveIntegerField(default=0)
    qualifies = models.BooleanField(default=False)
    has_own_org = models.BooleanField(default=False)
    covered = models.BooleanField(default=False)
    building_groups = models.PositiveIntegerField(default=0)
    central_households = models.PositiveIntegerField(default=0)
    homes_linked = models.PositiveIntegerField(default=0)
    # Maxima that do not depend on a threshold, so a new setting needs no recount: the gaps page looks
    # into a compound's buildings or households only when one of these reaches the threshold in force.
    top_ungrouped_building = models.PositiveIntegerField(default=0)  # members in a building with no group
    top_household_links = models.PositiveIntegerField(default=0)  # homes linked by one central household

    class Meta:
        verbose_name = _("小区党建统计")
        verbose_name_plural = _("小区党建统计")
        indexes = [path_index("party_stats_path_idx")]

    def __str__(self) -> str:
        return f"{self.compound_id}"


class SettingKey(models.TextChoices):
    BUILDING_GROUP_MIN_MEMBERS = "building_group_min_members", _("楼栋建立党小组的最少党员数")
    HOUSEHOLD_MAX_LINKS = "household_max_links", _("每个党员中心户联系户数上限")
    BRANCH_COMMITTEE_MIN_FULL = "branch_committee_min_full", _("设立支部委员会的最少正式党员数")
    BRANCH_MAX_MEMBERS = "branch_max_members", _("党支部党员人数上限（超过宜设党总支）")
    GRASSROOTS_COMMITTEE_MIN_MEMBERS = "grassroots_committee_min_members", _("可设基层党委的党员人数")


class PartySetting(models.Model):
    """A threshold of the chain, with the date it takes effect and the place it applies to (参数设置).

    Records are added, not edited: the value in force for a place on a day is the newest record effective
    by then at the nearest place above it (see gongzhi.party.settings_store).
    """

    key = models.CharField(_("参数"), max_length=48, choices=SettingKey.choices)
    value = models.PositiveIntegerField(_("数值"))
    effective_from = models.DateField(_("生效日期"))
    # The division the value applies to ("" = everywhere).
    path = models.CharField(_("适用范围路径"), max_length=80, blank=True, default="")
    place_name = models.CharField(_("适用范围"), max_length=64, blank=True, default="")
    note = models.CharField(_("依据或说明"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党建参数")
        verbose_name_plural = _("党建参数")
        ordering = ["key", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.effective_from})"
