"""The enterprise-service centre (黄岛区, issue 13): its space, enterprises, joint investment attraction,
signings and one-stop service.

Every row that the permission check scopes carries `path`: the centre's own path, which hangs under the
division it stands in (`<division path>ctr<id>/`), so a grant on the district, the subdistrict or the
community reaches it through the one check in gongzhi.accounts.access. Vocabularies (GB/T 4754 sections,
pipeline stages, the working-day calendar) are rows, loaded by a data migration, not code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.organisations.kinds import register_kind
from gongzhi.places.models import Division, path_index

VIEW = "centre.view"
EDIT = "centre.edit"
SERVE = "centre.serve"
REQUEST = "centre.request"


class Industry(models.Model):
    """A section (门类) of GB/T 4754-2017, Industrial classification for national economic activities."""

    code = models.CharField(_("门类代码"), max_length=1, unique=True)
    name = models.CharField(_("门类名称"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("国民经济行业门类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Stage(models.Model):
    """A configurable pipeline stage. `requires` names what a project must have to enter it; `needs_evidence`
    that a move into it must say what shows it (rules.evidence_problem)."""

    class Requires(models.TextChoices):
        NOTHING = "", _("无")
        REGISTRATION = "registration", _("已注册登记")
        LEASE = "lease", _("已签租约")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    position = models.PositiveSmallIntegerField(_("顺序"), unique=True)
    requires = models.CharField(_("进入条件"), max_length=20, blank=True, choices=Requires.choices)
    needs_evidence = models.BooleanField(_("须有佐证"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招商阶段")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class WorkCalendar(models.Model):
    """A day whose status differs from the weekday rule: a public holiday on a weekday (working=False) or
    an adjusted working day (调休) on a weekend (working=True), as the State Council publishes each year."""

    day = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.note}"


class Centre(models.Model):
    name = models.CharField(_("名称"), max_length=60)
    division = models.ForeignKey(Division, verbose_name=_("所在区划"), on_delete=models.PROTECT)
    tower = models.CharField(_("楼宇"), max_length=60, blank=True)
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    path = models.CharField(_("路径"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务中心")
        indexes = [path_index("centre_path_idx")]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="platforms")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=30)
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("产业平台")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="centre_platform_code_uniq")]

    def __str__(self) -> str:
        return self.name


class Space(models.Model):
    """A room or unit of the centre's tower: floor, number, area and use."""

    class Use(models.TextChoices):
        OFFICE = "office", _("办公")
        LAB = "lab", _("研发实验")
        PRODUCTION = "production", _("中试生产")
        INCUBATOR = "incubator", _("孵化工位")
        SERVICE = "service", _("配套服务")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="spaces")
    floor = models.SmallIntegerField(_("楼层"))
    number = models.CharField(_("房号"), max_length=12)
    area = models.DecimalField(_("面积（平方米）"), max_digits=9, decimal_places=2)
    use = models.CharField(_("用途"), max_length=12, choices=Use.choices)
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("房间")
        ordering = ["floor", "number"]
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="centre_space_number_uniq")]
        indexes = [path_index("centre_space_path_idx")]

    def __str__(self) -> str:
        return f"{self.floor}F {self.number}"


class Enterprise(models.Model):
    class Kind(models.TextChoices):
        HEADQUARTERS = "hq", _("总部企业")
        INNOVATIVE = "innovative", _("创新型企业")
        TECH_INDUSTRIAL = "tech", _("科技型工业企业")
        LEADER = "leader", _("链主制造企业")
        SUPPLIER = "supplier", _("核心配套企业")
        CHAMBER = "chamber", _("商协会")
        ASSOCIATION = "association", _("行业协会")

    class Incubation(models.TextChoices):
        NONE = "", _("非孵化")
        INCUBATING = "incubating", _("在孵")
        GRADUATED = "graduated", _("已毕业")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="enterprises")
    name = models.CharField(_("企业名称"), max_length=80)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.ForeignKey(Industry, verbose_name=_("行业门类"), on_delete=models.PROTECT)
    kind = models.CharField(_("企业类型"), max_length=12, choices=Kind.choices)
    platform = models.ForeignKey(
        Platform, verbose_name=_("所属平台"), null=True, blank=True, on_delete=models.PROTECT
    )
    incubation = models.CharField(_("孵化状态"), max_length=12, blank=True, choices=Incubation.choices)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    settled_on = models.DateField(_("入驻日期"), null=True, blank=True)
    # The enterprise's own contacts: they file its requests and see them and its leases, nothing else.
    contacts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="centre_enterprises")
    path = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业")
        ordering = ["id"]
        indexes = [
            path_index("centre_ent_path_idx"),
            # The settled count reads this index alone (path range, settled day), not 50,000 rows.
            models.Index(
                fields=["path", "settled_on"],
                name="centre_ent_settled_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            # The list's keyset pages (id > after, by id) under every combination of its three filters: each
            # read in id order from the index whose columns are the filters given (selectors.enterprise_page).
            models.Index(fields=["centre", "id"], name="centre_ent_list_idx"),
            models.Index(fields=["centre", "platform", "id"], name="centre_ent_p_idx"),
            models.Index(fields=["centre", "kind", "id"], name="centre_ent_k_idx"),
            models.Index(fields=["centre", "industry", "id"], name="centre_ent_industry_idx"),
            models.Index(fields=["centre", "platform", "kind", "id"], name="centre_ent_filter_idx"),
            models.Index(fields=["centre", "platform", "industry", "id"], name="centre_ent_pi_idx"),
            models.Index(fields=["centre", "kind", "industry", "id"], name="centre_ent_ki_idx"),
            models.Index(fields=["centre", "platform", "kind", "industry", "id"], name="centre_ent_pki_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class KeyFigures(models.Model):
    """An enterprise's key figures for one year, as its statistics ledger reports them."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue_yuan = models.DecimalField(_("营业收入（元）"), max_digits=16, decimal_places=2, default=0)
    tax_yuan = models.DecimalField(_("纳税额（元）"), max_digits=16, decimal_places=2, default=0)
    employees = models.PositiveIntegerField(_("从业人员"), default=0)
    rnd_yuan = models.DecimalField(_("研发投入（元）"), max_digits=16, decimal_places=2, default=0)
    patents = models.PositiveIntegerField(_("专利数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业年度指标")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="centre_keyfig_uniq")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class Lease(models.Model):
    """A lease of one room to one enterprise. Two leases of a room may not overlap (rules.leases_overlap,
    checked under a row lock on the room in services.lease_sign)."""

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="leases")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="leases")
    starts_on = models.DateField(_("起租日"))
    ends_on = models.DateField(_("到期日"))
    area = models.DecimalField(_("计租面积"), max_digits=9, decimal_places=2)
    monthly_rent_yuan = models.DecimalField(_("月租金（元）"), max_digits=12, decimal_places=2)
    incentive = models.CharField(_("优惠政策"), max_length=100, blank=True)
    path = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("租约")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="centre_lease_dates"
            )
        ]
        indexes = [models.Index(fields=["space", "starts_on", "ends_on"], name="centre_lease_space_idx")]

    def __str__(self) -> str:
        return f"{self.space_id} {self.starts_on}–{self.ends_on}"


class Party(models.TextChoices):
    """The four parties of the joint mechanism (政府+楼宇产权主体+运营商+孵化器)."""

    GOVERNMENT = "government", _("政府")
    OWNER = "owner", _("楼宇产权主体")
    OPERATOR = "operator", _("运营商")
    INCUBATOR = "incubator", _("孵化器")


class Part(models.TextChoices):
    FOUND = "found", _("发现线索")
    HOSTED = "hosted", _("接待考察")
    SIGNED = "signed", _("促成签约")


class Project(models.Model):
    """A lead or project in the joint-attraction pipeline of one platform."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="projects")
    platform = models.ForeignKey(Platform, verbose_name=_("平台"), on_delete=models.PROTECT)
    name = models.CharField(_("项目（企业）名称"), max_length=80)
    industry = models.ForeignKey(Industry, verbose_name=_("行业门类"), on_delete=models.PROTECT)
    kind = models.CharField(_("企业类型"), max_length=12, choices=Enterprise.Kind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    stage = models.ForeignKey(Stage, verbose_name=_("阶段"), on_delete=models.PROTECT)
    next_action = models.CharField(_("下一步"), max_length=60, blank=True)
    next_action_on = models.DateField(_("下一步日期"), null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("落地可能性（%）"), default=0)
    expected_on = models.DateField(_("预计落地日期"), null=True, blank=True)
    needs_area = models.DecimalField(_("需求面积"), max_digits=9, decimal_places=2, null=True, blank=True)
    created_on = models.DateField(_("登记日期"))
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    enterprise = models.OneToOneField(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="project"
    )
    path = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招商项目")
        ordering = ["-id"]
        indexes = [
            path_index("centre_proj_path_idx"),
            # The board's cards: per stage, the first by next-action day, read in order (selectors._cards).
            models.Index(fields=["centre", "stage", "next_action_on", "id"], name="centre_proj_board_idx"),
            models.Index(
                fields=["centre", "platform", "stage", "next_action_on", "id"],
                name="centre_proj_board_pf_idx",
            ),
            # Reminders: the next actions falling due within days (selectors.due_soon).
            models.Index(fields=["next_action_on"], name="centre_proj_next_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class StageStep(models.Model):
    """A project's entry into a stage, with its evidence: the funnel and its conversion times come from these."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT)
    on = models.DateField(_("日期"))
    evidence = models.CharField(_("佐证"), max_length=200, blank=True)
    # Days from the project's registration as a lead to this step, kept when the step is written: the
    # conversion times are then a plain AVG (a date difference per row costs a function call on SQLite).
    days = models.IntegerField(_("距登记天数"), default=0)
    # The project's platform and path, copied when the step is written (a project never changes either): the
    # funnel groups the steps alone, read from one index, without joining 10,000 projects (centre.0008).
    platform = models.ForeignKey(Platform, null=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="centre_step_uniq")]
        indexes = [
            models.Index(
                fields=["path", "platform", "stage", "days"],
                name="centre_step_funnel_idx",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops", "int4_ops"],
            ),
            models.Index(fields=["project", "stage", "days"], name="centre_step_days_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage_id} {self.on}"


class Credit(models.Model):
    """One party's share (in percent) of one part of a project; per part the shares sum to 100."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="credits")
    part = models.CharField(_("环节"), max_length=10, choices=Part.choices)
    party = models.CharField(_("参与方"), max_length=12, choices=Party.choices)
    share = models.PositiveSmallIntegerField(_("份额（%）"))
    path = models.CharField(
        max_length=120, blank=True
    )  # the project's, copied: the per-party sums need no join

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "part", "party"], name="centre_credit_uniq"),
            models.CheckConstraint(condition=models.Q(share__lte=100), name="centre_credit_share"),
        ]
        indexes = [
            models.Index(
                fields=["path", "part", "party", "share"],
                name="centre_credit_path_idx",
                opclasses=["varchar_pattern_ops", "text_ops", "text_ops", "int2_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.part} {self.party} {self.share}%"


class Event(models.Model):
    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("签约仪式")
        SUMMIT = "summit", _("峰会")
        ROADSHOW = "roadshow", _("路演")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=80)
    held_on = models.DateField(_("日期"))
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Guest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests")
    organisation = models.CharField(_("单位"), max_length=80)
    attended = models.BooleanField(_("到场"), default=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.organisation


class Agreement(models.Model):
    """An agreement signed at an event; its path to landing is its project's (signed is not landed)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="agreements")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="agreement")
    amount_yuan = models.DecimalField(_("协议金额（元）"), max_digits=16, decimal_places=2)
    follow_up = models.CharField(_("跟进责任人"), max_length=30)
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("签约协议")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.project_id}"


class ServiceItem(models.Model):
    """One item of the one-stop catalogue (政务+金融+人才): its handler and time limit in working days. Written
    by services_items (create, update, retire), never deleted: requests refer to it."""

    class Category(models.TextChoices):
        GOVERNMENT = "government", _("政务")
        FINANCE = "finance", _("金融")
        TALENT = "talent", _("人才")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="items")
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    name = models.CharField(_("事项"), max_length=40)
    handler = models.CharField(_("承办部门或银行"), max_length=40)
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    # An item the centre no longer offers: not offered for new requests from this day; its requests keep it.
    retired_on = models.DateField(_("停办日期"), null=True, blank=True)
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务事项")
        ordering = ["category", "id"]

    def __str__(self) -> str:
        return self.name


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")
        RATED = "rated", _("已评价")

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="requests")
    detail = models.CharField(_("诉求"), max_length=300)
    filed_on = models.DateField(_("提出日期"))
    due_on = models.DateField(_("办结时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    answered_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("企业评价"), null=True, blank=True)
    path = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务诉求")
        ordering = ["-filed_on", "-id"]
        indexes = [
            path_index("centre_req_path_idx"),
            models.Index(fields=["status", "due_on"], name="centre_req_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="centre_req_rating",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.filed_on}"


class RequestAlert(models.Model):
    """A reminder before a service request's limit, or its escalation after it: written once per request and
    kind by the scheduled job (tasks.service_alerts), so running the job again sends nothing twice."""

    class Kind(models.TextChoices):
        REMIND = "remind", _("到期提醒")
        ESCALATE = "escalate", _("超时督办")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("日期"))
    to = models.CharField(_("发送对象"), max_length=60)  # the item's handler; after the limit, the bureau too
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("诉求提醒与督办")
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="centre_alert_once")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.on}"


class PipelineSummary(models.Model):
    """The overview's pipeline figures of one centre, stored (funnel per platform and stage, shares per part and
    party, conversion days per party, enterprises settled): grouping 10,000 projects' steps and counting 50,000
    enterprises on each visit is what made the page slow.

    Never wrong: database triggers (centre.0010) add one to `version` on every insert, update or delete of the
    centre's projects, steps and credits — whatever writes them, services, bulk loads or raw SQL — and the
    figures are used only while `computed == version`; otherwise `selectors.pipeline` counts live and stores
    the result only if no write came in between (a conditional UPDATE on the version it started from)."""

    centre = models.OneToOneField(Centre, primary_key=True, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=120, unique=True)  # the centre's path: what the triggers match
    version = models.BigIntegerField(default=0)
    computed = models.BigIntegerField(null=True)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.path} v{self.version}"


# The partners a finance request is referred to are organisations (the core), of one of these kinds; they
# cover the place of the centre they serve (organisations.services.organisation_create).
PARTNER_BANK, PARTNER_FUND, PARTNER_GUARANTOR = "centre.bank", "centre.fund", "centre.guarantor"
PARTNER_KINDS = {
    PARTNER_BANK: _("合作银行"),
    PARTNER_FUND: _("投资基金"),
    PARTNER_GUARANTOR: _("融资担保机构"),
}
for _code, _label in PARTNER_KINDS.items():
    register_kind(_code, _label, app="centre", view_action=VIEW, edit_action=EDIT)


class Referral(models.Model):
    """A finance request (loan, guarantee, equity or industrial fund) referred to a partner — a bank, a fund,
    a guarantor — with the amount asked, the day it was referred and the day an answer is due, and the
    partner's result: approved with an amount, declined with a reason, or withdrawn. The centre's
    `finance_arranged_yuan` is the sum of the approved amounts (selectors.finance_arranged), nothing else."""

    class Product(models.TextChoices):
        LOAN = "loan", _("贷款")
        GUARANTEE = "guarantee", _("融资担保")
        EQUITY = "equity", _("股权投资")
        FUND = "fund", _("产业基金")

    class Result(models.TextChoices):
        PENDING = "pending", _("待答复")
        APPROVED = "approved", _("已批准")
        DECLINED = "declined", _("未获批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("服务诉求"), on_delete=models.PROTECT, related_name="referrals"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("合作机构"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField(_("融资品种"), max_length=10, choices=Product.choices)
    amount_asked_yuan = models.DecimalField(_("申请金额（元）"), max_digits=16, decimal_places=2)
    referred_on = models.DateField(_("推介日期"))
    answer_due_on = models.DateField(_("答复期限"))
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.PENDING)
    amount_approved_yuan = models.DecimalField(
        _("批准金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("融资推介")
        ordering = ["-referred_on", "-id"]
        indexes = [
            path_index("centre_ref_path_idx"),
            models.Index(fields=["result", "answer_due_on"], name="centre_ref_due_idx"),
            models.Index(fields=["partner", "result"], name="centre_ref_partner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_asked_yuan__gt=0), name="centre_ref_asked_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(result="approved", amount_approved_yuan__gt=0)
                | (~models.Q(result="approved") & models.Q(amount_approved_yuan__isnull=True)),
                name="centre_ref_approved_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(result="pending", answered_on__isnull=True)
                | (~models.Q(result="pending") & models.Q(answered_on__isnull=False)),
                name="centre_ref_answered_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.partner_id} {self.result}"
