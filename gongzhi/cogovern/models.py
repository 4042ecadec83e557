"""The "1+3+N" co-governance community on the organisations core.

Owners' committees, preparatory groups, self-management committees, property companies and the N
participants are Organisations of kinds registered here (gongzhi.organisations.kinds), with Seats and
Coverage. What only one kind has lives in a row of its own: a committee's term (CommitteeTerm), a
company's credit code and party organisation (CompanyProfile). A compound's path to its first assembly is
its AssemblyCase. Property supervision: Contract, ScoreSheet, Evaluation, Complaint, ListEntry (红黑榜).
The map's drawing record: CommunityMap. Every write goes through gongzhi.cogovern.services.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.organisations.models import Organisation, OrganisationQuerySet
from gongzhi.people.models import Person
from gongzhi.places.models import Compound, Division, path_index

VIEW, EDIT = "cogovern.view", "cogovern.edit"

OWNERS = "cogovern.owners"
PREP = "cogovern.prep"
SELF = "cogovern.self"
COMPANY = "cogovern.property"
TRANSITION = "cogovern.transition"
# The N: functional departments, units based in the area, social organisations, volunteer teams.
N_DEPT, N_UNIT, N_SOCIAL, N_VOLUNTEER = (
    "cogovern.dept",
    "cogovern.unit",
    "cogovern.social",
    "cogovern.volunteer",
)
N_KINDS = (N_DEPT, N_UNIT, N_SOCIAL, N_VOLUNTEER)

COMMITTEE_ROLES = {"chair": _("主任"), "vice_chair": _("副主任"), "member": _("委员")}
PREP_ROLES = {
    "leader": _("组长"),
    "owner": _("业主代表"),
    "party": _("社区党组织代表"),
    "subdistrict": _("街道代表"),
    "other": _("其他成员"),
}
SELF_ROLES = {"director": _("主任"), "member": _("成员")}
COMPANY_ROLES = {"manager": _("负责人"), "project_manager": _("项目经理"), "party_secretary": _("党组织书记")}
N_ROLES = {"contact": _("联系人")}
TRANSITION_ROLES = {"leader": _("组长"), "member": _("成员")}

for code, label, roles in [
    (OWNERS, _("业主委员会"), COMMITTEE_ROLES),
    (PREP, _("业主大会筹备组"), PREP_ROLES),
    (SELF, _("自管会"), SELF_ROLES),
    (TRANSITION, _("换届小组"), TRANSITION_ROLES),
    (COMPANY, _("物业服务企业"), COMPANY_ROLES),
    (N_DEPT, _("职能部门"), N_ROLES),
    (N_UNIT, _("驻区单位"), N_ROLES),
    (N_SOCIAL, _("社会组织"), N_ROLES),
    (N_VOLUNTEER, _("志愿服务队"), N_ROLES),
]:
    register_kind(code, label, app="cogovern", view_action=VIEW, edit_action=EDIT, roles=roles)


class KindManager(models.Manager[Organisation]):
    kinds: tuple[str, ...] = ()

    def get_queryset(self) -> OrganisationQuerySet[Organisation]:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind__in=self.kinds)

    def active(self) -> OrganisationQuerySet[Organisation]:
        return self.get_queryset().active()

    def covering(self, path: str) -> OrganisationQuerySet[Organisation]:
        return self.get_queryset().covering(path)


def _manager(*kinds: str) -> KindManager:
    manager = KindManager()
    manager.kinds = kinds
    return manager


class OwnersCommittee(Organisation):
    objects = _manager(OWNERS)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")


class SelfCommittee(Organisation):
    objects = _manager(SELF)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("自管会")
        verbose_name_plural = _("自管会")


class PropertyCompany(Organisation):
    objects = _manager(COMPANY)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("物业服务企业")
        verbose_name_plural = _("物业服务企业")


class Participant(Organisation):
    objects = _manager(*N_KINDS)  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("共治参与方")
        verbose_name_plural = _("共治参与方")


class AssemblyCase(models.Model):
    """One compound's way to its owners' assembly: exemption, application, preparatory group, first meeting."""

    compound = models.OneToOneField(Compound, on_delete=models.PROTECT, related_name="assembly_case")
    exempt_reason = models.CharField(
        _("无需成立的理由（《物业管理条例》第十条）"), max_length=200, blank=True, default=""
    )
    applied_on = models.DateField(_("业主申请日期"), null=True, blank=True)
    prep_group = models.ForeignKey(
        Organisation,
        verbose_name=_("筹备组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prep_formed_on = models.DateField(_("筹备组成立日期"), null=True, blank=True)
    first_assembly_extended = models.BooleanField(_("首次业主大会延期30日"), default=False)
    first_assembly_on = models.DateField(_("首次业主大会召开日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业主大会筹备")
        verbose_name_plural = _("业主大会筹备")
        indexes = [path_index("assembly_case_path_idx")]

    def __str__(self) -> str:
        return str(self.compound_id)

    def scope_paths(self) -> list[str]:
        return [self.path]


class CommitteeTerm(models.Model):
    """The term of one owners' committee (an Organisation of kind OWNERS): election, filing, handover."""

    committee = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="committee_term")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="committee_terms")
    elected_on = models.DateField(_("选举日期"))
    election_vote = models.ForeignKey(
        "affairs.Vote",
        verbose_name=_("选举表决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    term_extended_to = models.DateField(_("业主大会决定延长至"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filing_no = models.CharField(_("备案编号"), max_length=40, blank=True, default="")
    reelection_held_on = models.DateField(_("换届业主大会召开日期"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("上届"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_on = models.DateField(_("上届资料移交日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业委会任期")
        verbose_name_plural = _("业委会任期")
        indexes = [path_index("committee_term_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="term_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.term_start}–{self.term_end}"

    @property
    def effective_end(self) -> date:
        return self.term_extended_to or self.term_end

    def scope_paths(self) -> list[str]:
        return [self.path]


class CommitteeMeeting(models.Model):
    """A meeting of an owners' committee: who of its members came (第三十八条: quorum more than half)."""

    term = models.ForeignKey(CommitteeTerm, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    members = models.PositiveSmallIntegerField(_("委员总数"))
    present = models.JSONField(_("出席委员"), default=list)  # person ids of the seated members who came
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业委会会议")
        verbose_name_plural = _("业委会会议")
        ordering = ["-held_on", "-id"]
        indexes = [path_index("committee_meeting_path_idx")]

    def __str__(self) -> str:
        return f"{self.term_id} {self.held_on}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class MeetingDecision(models.Model):
    """One decision of a meeting with its votes; passed when more than half of ALL members agreed."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.PROTECT, related_name="decisions")
    subject = models.CharField(_("决定事项"), max_length=200)
    votes_for = models.PositiveSmallIntegerField(_("同意"))
    votes_against = models.PositiveSmallIntegerField(_("反对"))
    passed = models.BooleanField(_("通过"))
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业委会会议决定")
        verbose_name_plural = _("业委会会议决定")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.subject[:30]

    def scope_paths(self) -> list[str]:
        return [self.path]


class TransitionGroup(models.Model):
    """The 换届小组 (an Organisation of kind TRANSITION with its seats) that took over a term whose
    re-electing assembly was not held in time, and the day the outgoing committee handed it the records."""

    term = models.OneToOneField(CommitteeTerm, on_delete=models.PROTECT, related_name="transition_group")
    group = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+")
    formed_on = models.DateField(_("换届小组成立日期"))
    handed_over_on = models.DateField(_("资料移交换届小组日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("换届小组")
        verbose_name_plural = _("换届小组")
        indexes = [path_index("transition_group_path_idx")]

    def __str__(self) -> str:
        return f"{self.term_id} {self.formed_on}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class CompanyProfile(models.Model):
    """A property company's own facts: its credit code and its party organisation (红色物业)."""

    company = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="company_profile")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    party_org = models.ForeignKey(
        Organisation,
        verbose_name=_("企业党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_org_name = models.CharField(_("企业党组织名称"), max_length=100, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("物业企业信息")
        verbose_name_plural = _("物业企业信息")

    def __str__(self) -> str:
        return self.credit_code

    @property
    def is_red(self) -> bool:
        return bool(self.party_org_id or self.party_org_name)


class Contract(models.Model):
    """A property-service contract between a company and a compound."""

    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="contracts"
    )
    starts_on = models.DateField(_("合同开始"))
    ends_on = models.DateField(_("合同到期"))
    fee_per_m2 = models.DecimalField(_("物业费（元/㎡·月）"), max_digits=6, decimal_places=2)
    scope = models.CharField(_("服务范围"), max_length=200, blank=True, default="")
    terminated_on = models.DateField(_("提前解除日期"), null=True, blank=True)
    terminated_for_cause = models.BooleanField(_("因企业违约解除"), default=False)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["ends_on", "id"]
        indexes = [
            path_index("contract_path_idx"),
            models.Index(fields=["ends_on"], name="contract_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_dates_order"
            ),
            models.CheckConstraint(condition=Q(fee_per_m2__gte=0), name="contract_fee_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}→{self.compound_id}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class ScoreSheet(models.Model):
    """A quarterly assessment sheet: {"categories": [{"name", "items": [{"name", "points"}]}]}, 100 points."""

    name = models.CharField(_("名称"), max_length=100)
    sheet = models.JSONField(_("评分表"))
    is_default = models.BooleanField(_("默认"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核评分表")
        verbose_name_plural = _("考核评分表")

    def __str__(self) -> str:
        return self.name


class Evaluator(models.TextChoices):
    RESIDENTS = "residents", _("居民")
    COMMITTEE = "committee", _("业委会")
    COMMUNITY = "community", _("社区")


class Evaluation(models.Model):
    """One quarterly assessment of a company at a compound by residents, the committee or the community."""

    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="evaluations")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    evaluator = models.CharField(_("评价方"), max_length=12, choices=Evaluator.choices)
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("各项得分"))
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("季度考核")
        verbose_name_plural = _("季度考核")
        indexes = [path_index("evaluation_path_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "compound", "year", "quarter", "evaluator"], name="evaluation_once"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="evaluation_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.year}Q{self.quarter} {self.total}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class Outcome(models.TextChoices):
    PENDING = "pending", _("办理中")
    UPHELD = "upheld", _("投诉属实")
    REJECTED = "rejected", _("投诉不成立")


class Complaint(models.Model):
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="complaints")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("受理日期"))
    summary = models.CharField(_("投诉内容"), max_length=300)
    outcome = models.CharField(_("办理结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("物业投诉")
        verbose_name_plural = _("物业投诉")
        ordering = ["-received_on", "-id"]
        indexes = [path_index("complaint_path_idx")]

    def __str__(self) -> str:
        return self.summary[:30]

    def scope_paths(self) -> list[str]:
        return [self.path]


class ListKind(models.TextChoices):
    RED = "red", _("红榜")
    BLACK = "black", _("黑榜")


class ListEntry(models.Model):
    """A quarterly red- or black-list entry for a compound's company and project manager; black → rectify."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    kind = models.CharField(_("榜单"), max_length=5, choices=ListKind.choices)
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="list_entries")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    project_manager = models.ForeignKey(
        Person, verbose_name=_("项目经理"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("上榜理由"), max_length=200)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("红黑榜")
        verbose_name_plural = _("红黑榜")
        ordering = ["-year", "-quarter", "kind", "compound_id"]
        indexes = [path_index("list_entry_path_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "company", "compound"], name="list_entry_once"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="list_entry_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.kind} {self.compound_id}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class Participation(models.Model):
    """An N participant's link to a compound: what it does there and whom to call."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("参与内容"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("终止日期"), null=True, blank=True)
    path = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("共治参与")
        verbose_name_plural = _("共治参与")
        indexes = [path_index("participation_path_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "compound"],
                condition=Q(until__isnull=True),
                name="participation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}→{self.compound_id}"

    def scope_paths(self) -> list[str]:
        return [self.path]


class CommunityMap(models.Model):
    """When a community's property-management map (物管地图) was drawn and last checked, and by whom."""

    community = models.OneToOneField(Division, on_delete=models.PROTECT, related_name="property_map")
    drawn_on = models.DateField(_("绘制日期"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_by_name = models.CharField(_("绘制人"), max_length=60, blank=True, default="")
    checked_on = models.DateField(_("最近核对日期"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_by_name = models.CharField(_("核对人"), max_length=60, blank=True, default="")
    path = models.CharField(max_length=80)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("物管地图")
        verbose_name_plural = _("物管地图")
        indexes = [path_index("community_map_path_idx")]

    def __str__(self) -> str:
        return str(self.community_id)

    def scope_paths(self) -> list[str]:
        return [self.path]


class CompoundStatus(models.Model):
    """What the map needs of one compound's committee and property company, kept by the services.

    The map of a city reads these rows joined to the compound (its management type, delivery figures and
    outline) in one query and computes no more than comparisons of dates: the days stored here (when a
    term ends, when a contract runs) keep the status true as time passes without a write. Only the
    services of this app write the facts it copies, and each refreshes the rows of the compounds it
    touched; `manage.py cogovern_status_rebuild` rebuilds them after bulk loads (and nightly, for a
    contract that starts or a committee that ends on a future day).
    """

    compound = models.OneToOneField(
        Compound, primary_key=True, on_delete=models.CASCADE, related_name="cogovern_status"
    )
    exempt = models.BooleanField(default=False)
    preparing = models.BooleanField(default=False)
    has_committee = models.BooleanField(default=False)
    committee_until = models.DateField(null=True, blank=True)
    contract_from = models.DateField(null=True, blank=True)
    contract_until = models.DateField(null=True, blank=True)
    company = models.CharField(max_length=200, blank=True, default="")
    company_red = models.BooleanField(default=False)
    # 第二十一条's output for the compound's delivery data (rules.required_from; date.min: any day; null: none),
    # and that data as it was read: a row whose copy differs from the compound's own fields is stale, and
    # the figures evaluate the rule for it instead (indicators.committee_counts) — slow, never wrong.
    required_from = models.DateField(null=True, blank=True)
    basis_total_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    basis_delivered_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    basis_owners_total = models.PositiveIntegerField(null=True, blank=True)
    basis_owners_delivered = models.PositiveIntegerField(null=True, blank=True)
    basis_first_delivered_on = models.DateField(null=True, blank=True)
    path = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("小区共治状态")
        verbose_name_plural = _("小区共治状态")
        indexes = [path_index("compound_status_path_idx")]

    def __str__(self) -> str:
        return str(self.compound_id)

    def scope_paths(self) -> list[str]:
        return [self.path]
