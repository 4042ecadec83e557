"""防止返贫动态监测: rural households under monitoring, their cases and what was done for them.

A household hangs on its village's path, so the one permission check (gongzhi.accounts.access) scopes it and
everything placed on it (cases, visits, warnings copy the household's path). Members are people.Person rows
(ID numbers checked, encrypted, masked as everywhere). The monitoring line and the 公示 periods are settings
rows, not code. Every write goes through gongzhi.monitoring.services; history is kept on the main rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.people.models import Person
from gongzhi.places.models import Division, path_index

VIEW = "monitoring.view"
VISIT = "monitoring.visit"
VILLAGE_REVIEW = "monitoring.village_review"
TOWN_CHECK = "monitoring.town_check"
COUNTY_DECIDE = "monitoring.county_decide"
ASSIST = "monitoring.assist"
WARN_IMPORT = "monitoring.warning_import"
SELF = "monitoring.self"
SETTINGS = "monitoring.settings"


class Category(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    EDGE = "edge", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class Hardship(models.TextChoices):
    """What happened, as a household reports it (the risk types of the monitoring guidelines). The
    household says what happened; which category it falls in is the cadres' call at identification."""

    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("因意外事故")
    BUSINESS = "business", _("因产业经营失败")
    JOBS = "jobs", _("因务工就业不稳")
    LABOUR = "labour", _("缺劳动力")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    SELF_REPORT = "self", _("农户自主申报")
    VISIT = "visit", _("干部走访排查")
    DEPARTMENT = "department", _("部门预警")


class Step(models.TextChoices):
    """Identification (and, again, elimination) goes village → town → county, each with its 公示."""

    VILLAGE = "village", _("村级评议")
    TOWN = "town", _("镇级审核")
    COUNTY = "county", _("县级确定")


class CaseStatus(models.TextChoices):
    IDENTIFYING = "identifying", _("识别中")
    MONITORED = "monitored", _("监测帮扶中")
    ELIMINATING = "eliminating", _("风险消除审批中")
    ELIMINATED = "eliminated", _("风险已消除")
    PROTECTED = "protected", _("无劳动能力，继续保障")
    REJECTED = "rejected", _("未纳入监测")


class Purpose(models.TextChoices):
    IDENTIFY = "identify", _("识别纳入")
    ELIMINATE = "eliminate", _("风险消除")


class Labour(models.TextChoices):
    FULL = "full", _("有劳动力")
    WEAK = "weak", _("弱劳动力")
    NONE = "none", _("无劳动力")


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("产业帮扶")
    EMPLOYMENT = "employment", _("就业帮扶")
    HEALTH = "health", _("健康帮扶")
    EDUCATION = "education", _("教育帮扶")
    HOUSING = "housing", _("住房保障")
    SOCIAL = "social", _("社会保障兜底")
    CREDIT = "credit", _("小额信贷")
    WELFARE_POST = "welfare_post", _("公益岗位")


class Department(models.TextChoices):
    CIVIL = "civil", _("民政")
    MEDICAL = "medical", _("医保")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住建")
    WATER = "water", _("水利")
    DISABILITY = "disability", _("残联")
    EMERGENCY = "emergency", _("应急管理")


class MonitoringLine(models.Model):
    """The monitoring income line a province sets for a year (元 per person per year)."""

    province = models.CharField(_("省级区划代码"), max_length=2)
    year = models.PositiveSmallIntegerField(_("年度"))
    yuan_per_person = models.DecimalField(_("监测线（元/人·年）"), max_digits=9, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监测收入线")
        verbose_name_plural = _("监测收入线")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="monitoring_line_once")]

    def __str__(self) -> str:
        return f"{self.province} {self.year}: {self.yuan_per_person}"


class NoticePeriod(models.Model):
    """How many days the 公示 after each step lasts (a setting; the county may change it)."""

    step = models.CharField(_("环节"), max_length=16, choices=Step.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("公示天数"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示期")
        verbose_name_plural = _("公示期")

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.days}"


class Household(models.Model):
    village = models.ForeignKey(Division, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=80, editable=False)
    number = models.CharField(_("户编号"), max_length=24, unique=True)
    head = models.ForeignKey(Person, verbose_name=_("户主"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("监测类别"), max_length=16, choices=Category.choices, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("农户账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_households",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        indexes = [path_index("monitoring_household_path")]

    def __str__(self) -> str:
        return self.number


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("与户主关系"), max_length=16)
    labour = models.CharField(_("劳动能力"), max_length=8, choices=Labour.choices, default=Labour.FULL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")

    def __str__(self) -> str:
        return f"{self.household_id} {self.relation}"


class Income(models.Model):
    """A check of the household's per-capita net income, annualised, on a date (收入核查)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    measured_on = models.DateField(_("核查日期"))
    yuan_per_person = models.DecimalField(_("人均纯收入（元/年）"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("收入核查")
        verbose_name_plural = _("收入核查")
        constraints = [
            models.UniqueConstraint(fields=["household", "measured_on"], name="monitoring_income_once")
        ]

    def __str__(self) -> str:
        return f"{self.measured_on} {self.yuan_per_person}"


class Case(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.PROTECT, related_name="cases"
    )
    path = models.CharField(max_length=80, editable=False)
    channel = models.CharField(_("发现渠道"), max_length=16, choices=Channel.choices)
    # Blank until the village review sets it: a self-report names what happened, not the category.
    category = models.CharField(_("监测类别"), max_length=16, choices=Category.choices, blank=True)
    hardship = models.CharField(_("困难类型"), max_length=16, choices=Hardship.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.IDENTIFYING
    )
    risk = models.CharField(_("风险情况"), max_length=200)
    opened_on = models.DateField(_("发现日期"))
    eliminated_on = models.DateField(_("消除日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监测对象")
        verbose_name_plural = _("监测对象")
        indexes = [path_index("monitoring_case_path"), models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=["identifying", "monitored", "eliminating"]),
                name="monitoring_one_open_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household.number} {self.get_category_display() or _('待认定')}"


class Decision(models.Model):
    """One step of identification or elimination: who decided, when, and the 公示 that follows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    purpose = models.CharField(_("事项"), max_length=16, choices=Purpose.choices)
    step = models.CharField(_("环节"), max_length=16, choices=Step.choices)
    approved = models.BooleanField(_("通过"))
    decided_on = models.DateField(_("决定日期"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"))
    note = models.CharField(_("意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "purpose", "step"], name="monitoring_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.get_step_display()}"


class Measure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    path = models.CharField(max_length=80, editable=False)
    kind = models.CharField(_("帮扶措施"), max_length=16, choices=MeasureKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, default=0)
    officer = models.CharField(_("责任人"), max_length=50)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["starts_on", "pk"]
        indexes = [path_index("monitoring_measure_path")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Visit(models.Model):
    """A dated visit (走访) with what was found, incl. the 三保障 and drinking water, and the next visit due."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    path = models.CharField(max_length=80, editable=False)
    visited_on = models.DateField(_("走访日期"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    findings = models.TextField(_("走访情况"), max_length=1000)
    education_secure = models.BooleanField(_("义务教育有保障"), default=True)
    medical_secure = models.BooleanField(_("基本医疗有保障"), default=True)
    housing_secure = models.BooleanField(_("住房安全有保障"), default=True)
    water_secure = models.BooleanField(_("饮水安全有保障"), default=True)
    next_due = models.DateField(_("下次走访"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [path_index("monitoring_visit_path")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


class WarningList(models.Model):
    """A department's warning list as imported: what matched, and how many rows did not."""

    department = models.CharField(_("部门"), max_length=16, choices=Department.choices)
    path = models.CharField(max_length=80, editable=False)
    imported_on = models.DateField(_("导入日期"))
    rows = models.PositiveIntegerField(_("行数"))
    matched = models.PositiveIntegerField(_("匹配农户"))
    unknown = models.PositiveIntegerField(_("未匹配身份证号"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门预警名单")
        verbose_name_plural = _("部门预警名单")
        indexes = [path_index("monitoring_wlist_path")]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.imported_on}"


class Warning(models.Model):
    list = models.ForeignKey(WarningList, on_delete=models.CASCADE, related_name="warnings")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="warnings")
    path = models.CharField(max_length=80, editable=False)
    reason = models.CharField(_("预警事由"), max_length=200)

    class Meta:
        verbose_name = _("预警信息")
        verbose_name_plural = _("预警信息")
        indexes = [path_index("monitoring_warning_path")]

    def __str__(self) -> str:
        return self.reason
