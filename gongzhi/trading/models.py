"""Rural property-rights trading (农村产权流转交易): listings, bidders, deposits and bids.

A listing hangs on its village's path, so the one permission check scopes it. Money is in whole yuan.
The listing row is the auction's lock: every bid takes it `select_for_update` (services.bid_place), so
bids on one listing are serialised and numbered 1, 2, 3… with no gap (the unique (listing, seq) pair).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.expressions import Func
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.collectives.models import Contract, Decision
from gongzhi.people.models import Person
from gongzhi.places.models import Division

VIEW, MANAGE, BID = "trading.view", "trading.manage", "trading.bid"


class Kind(models.TextChoices):
    LAND = "land", _("土地经营权")
    ASSET = "asset", _("集体经营性资产")
    WASTELAND = "wasteland", _("四荒地使用权")
    FOREST = "forest", _("林权")
    WATER = "water", _("水面养殖权")
    FACILITY = "facility", _("农业设施")


class Status(models.TextChoices):
    PUBLISHED = "published", _("挂牌中")
    TENANT = "tenant", _("待原承租方行使优先权")
    AWARDED = "awarded", _("已成交")
    SETTLED = "settled", _("已结算")
    FAILED = "failed", _("流拍")
    RELISTED = "relisted", _("已重新挂牌")


class BidderStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核")
    REFUSED = "refused", _("未通过审核")


class Bidder(models.Model):
    """A registered bidder (a person, a cooperative or a company); linked to a user to bid online.

    Self-registration (竞买人登记) names the person or organisation (`person`: ID number or credit code,
    checked, stored encrypted and shown masked) and waits for the exchange's staff to approve it; only an
    approved bidder may pay a deposit and bid. Bidders the staff register themselves are approved at once.
    `number` (竞买人编号) is how a bidder is shown to other bidders and named in the ledger."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="bidder"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("竞买人编号"), max_length=16, unique=True, null=True, blank=True)
    name = models.CharField(_("竞买人"), max_length=100)
    path = models.CharField(_("登记地路径"), max_length=80, db_index=True)
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(
        _("审核状态"), max_length=16, choices=BidderStatus.choices, default=BidderStatus.PENDING
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("竞买人")
        indexes = [models.Index(fields=["status", "path"])]

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    code = models.CharField(_("挂牌编号"), max_length=32, unique=True)
    village = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="trading_listings")
    path = models.CharField(_("路径"), max_length=80, db_index=True)
    title = models.CharField(_("标的名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=2, default=0)
    term_years = models.PositiveSmallIntegerField(_("流转年限"))
    reserve_yuan = models.PositiveBigIntegerField(_("底价（元）"))
    step_yuan = models.PositiveBigIntegerField(_("加价幅度（元）"))
    deposit_yuan = models.PositiveBigIntegerField(_("保证金（元）"))
    previous_income_yuan = models.PositiveBigIntegerField(_("原收益（元）"), default=0)
    # The collective's 四议两公开 decision the listing rests on (collectives.Decision, all six steps done).
    # Listings made before the link existed, and past deals imported from the ledger, keep only the text
    # and the date; new listings copy the decision's title and its resolution date (step 4) into them.
    decision_record = models.ForeignKey(
        Decision,
        verbose_name=_("四议两公开决策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("集体决议"), max_length=200)
    decided_on = models.DateField(_("决议日期"))
    publish_from = models.DateField(_("公告开始"))
    publish_until = models.DateField(_("公告截止"))
    tenant = models.ForeignKey(
        Bidder, null=True, blank=True, on_delete=models.PROTECT, related_name="tenancies"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    price_yuan = models.PositiveBigIntegerField(_("当前最高价（元）"), default=0)
    leader = models.ForeignKey(Bidder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    bids_count = models.PositiveIntegerField(_("出价次数"), default=0)
    winner = models.ForeignKey(Bidder, null=True, blank=True, on_delete=models.PROTECT, related_name="wins")
    tenant_matched = models.BooleanField(_("原承租方同等条件优先"), default=False)
    closed_on = models.DateField(_("成交（流拍）日期"), null=True, blank=True)
    contract_no = models.CharField(_("合同编号"), max_length=64, blank=True, default="")
    # The contract signed after the award: the collectives' own contract record (三资合同, with its warnings),
    # not a second kind of contract. Deals settled before it existed keep only `contract_no`.
    contract = models.OneToOneField(
        Contract,
        verbose_name=_("流转合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listing",
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    settled_on = models.DateField(_("价款结算日期"), null=True, blank=True)
    relisted_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="relisting"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("挂牌项目")
        ordering = ["-publish_from", "-id"]
        indexes = [models.Index(fields=["status", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Deposit(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="deposits")
    bidder = models.ForeignKey(Bidder, on_delete=models.PROTECT, related_name="deposits")
    path = models.CharField(max_length=80, db_index=True)
    amount_yuan = models.PositiveBigIntegerField(_("保证金（元）"))
    paid_on = models.DateField(_("缴纳日期"))
    refunded_on = models.DateField(_("退还日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("保证金")
        constraints = [models.UniqueConstraint(fields=["listing", "bidder"], name="trading_one_deposit")]

    def __str__(self) -> str:
        return f"{self.listing_id}/{self.bidder_id}: {self.amount_yuan}"


class Bid(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(Bidder, on_delete=models.PROTECT, related_name="bids")
    path = models.CharField(max_length=80, db_index=True)
    seq = models.PositiveIntegerField(_("序号"))
    amount_yuan = models.PositiveBigIntegerField(_("出价（元）"))
    at = models.DateTimeField(_("出价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("出价")
        ordering = ["listing", "seq"]
        constraints = [models.UniqueConstraint(fields=["listing", "seq"], name="trading_bid_seq")]

    def __str__(self) -> str:
        return f"{self.listing_id}#{self.seq}: {self.amount_yuan}"


class Instalment(models.Model):
    """One payment of the contract's price to the collective (付款计划): due date, amount, when paid."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="instalments")
    path = models.CharField(max_length=80, db_index=True)
    seq = models.PositiveSmallIntegerField(_("期次"))
    due_on = models.DateField(_("应付日期"))
    amount_yuan = models.PositiveBigIntegerField(_("金额（元）"))
    paid_on = models.DateField(_("实付日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("付款计划")
        ordering = ["listing", "seq"]
        constraints = [models.UniqueConstraint(fields=["listing", "seq"], name="trading_instalment_seq")]

    def __str__(self) -> str:
        return f"{self.listing_id}/{self.seq}: {self.amount_yuan}"


class Reminder(models.Model):
    """催缴提醒: an instalment past its due date and unpaid, reminded once per due date by the daily job
    (`reminders.overdue_remind`; a unique constraint backs it, so a second run writes nothing twice). The
    town station's staff and the county bureau see the reminders of unpaid instalments on /trading/."""

    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="reminders")
    due_on = models.DateField(_("应付日期"))  # the due date reminded of (a rescheduled instalment: a new one)
    on = models.DateField(_("提醒日期"))
    path = models.CharField(max_length=80, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("催缴提醒")
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["instalment", "due_on"], name="trading_reminder_once")]

    def __str__(self) -> str:
        return f"{self.instalment_id} {self.due_on} {self.on}"


class TxId(Func):
    """The writing transaction's id as a column default: PostgreSQL's 64-bit `pg_current_xact_id()`
    (no wraparound); 0 on SQLite, whose writers run one at a time, so there the key alone is commit order."""

    output_field = models.BigIntegerField()
    template = "0"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return "(pg_current_xact_id()::text::bigint)", []


class ChangeKind(models.TextChoices):
    LISTING = "listing", _("挂牌")
    AUCTION = "auction", _("竞价")
    BID = "bid", _("出价")
    AWARD = "award", _("成交")
    CONTRACT = "contract", _("合同")


class Change(models.Model):
    """The change feed (Prozorro style): one row per change of a listing, its auction, a bid, the award or
    the contract, written in the same transaction as the change. Read in (txid, id) order and only below
    the oldest running transaction (selectors.changes_after), so a reader never skips a change that commits
    after a later one."""

    txid = models.BigIntegerField(db_default=TxId(), editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=80, db_index=True)
    kind = models.CharField(_("对象"), max_length=16, choices=ChangeKind.choices)
    event = models.CharField(_("变化"), max_length=32)
    object_id = models.BigIntegerField()
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("交易变化")
        indexes = [models.Index(fields=["txid", "id"], name="trading_change_order")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.event}"
