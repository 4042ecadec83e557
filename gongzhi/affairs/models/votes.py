"""Owners' votes (业主表决), ballots and their changes, and the link of a login to the owner it votes for.

Rows change only through gongzhi.affairs.services (see gongzhi.affairs.models).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.affairs import civil_code, timeline
from gongzhi.affairs.civil_code import Item
from gongzhi.affairs.models.assembly import NoticeItem
from gongzhi.affairs.models.categories import (
    ITEM_CHOICES,
    Scope,
    VoteRuleSet,
    threshold_of,
)
from gongzhi.affairs.models.matters import (
    Matter,
)
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, path_index


class VoteStatus(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class Vote(models.Model):
    """An owners' vote on a matter, counted at closing by civil_code.tally; the result is stored here."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="votes")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question = models.CharField(_("表决事项"), max_length=200)
    item = models.PositiveSmallIntegerField(_("民法典第二百七十八条事项"), choices=ITEM_CHOICES)
    scope = models.CharField(_("表决范围"), max_length=16, choices=Scope.choices)
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_no = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_set = models.ForeignKey(
        VoteRuleSet,
        verbose_name=_("适用地方规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    # The item of the matter's notice this vote decides (None: a vote opened without a notice, before issue 8).
    notice_item = models.ForeignKey(
        NoticeItem,
        verbose_name=_("公告事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    status = models.CharField(_("状态"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    opened_at = models.DateTimeField(_("开始时间"))
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    # Conditions of a local rule set, entered at closing.
    signatures_complete = models.BooleanField(_("书面签字齐全"), null=True, blank=True)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示结束"), null=True, blank=True)
    unresolved_objections = models.PositiveIntegerField(_("未解决异议"), null=True, blank=True)
    # The result, stored at closing.
    homes = models.PositiveIntegerField(null=True, blank=True)
    owners_total = models.PositiveIntegerField(null=True, blank=True)
    area_total = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_voted = models.PositiveIntegerField(null=True, blank=True)
    area_voted = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_agree = models.PositiveIntegerField(null=True, blank=True)
    area_agree = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_against = models.PositiveIntegerField(null=True, blank=True)
    area_against = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_abstain = models.PositiveIntegerField(null=True, blank=True)
    area_abstain = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owners_invalid = models.PositiveIntegerField(_("废票人数"), null=True, blank=True)
    area_invalid = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    participation_met = models.BooleanField(null=True, blank=True)
    approval_met = models.BooleanField(null=True, blank=True)
    conditions_met = models.BooleanField(null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    participation_rule = models.CharField(max_length=8, blank=True, default="")
    approval_rule = models.CharField(max_length=8, blank=True, default="")
    rule_applied = models.CharField(_("适用规则"), max_length=300, blank=True, default="")
    # [{"code", "params"}, …] from civil_code, worded when shown (gongzhi.affairs.timeline); a vote closed
    # before reasons had codes holds Chinese sentences, shown as they are.
    reasons = models.JSONField(_("计算依据"), default=list, blank=True)
    path = models.CharField(max_length=110, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业主表决")
        verbose_name_plural = _("业主表决")
        ordering = ["-opened_at", "-id"]
        indexes = [path_index("vote_path_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(item__gte=1, item__lte=9), name="vote_item_range"),
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.COMPOUND, building__isnull=True, unit_no__isnull=True)
                    | Q(scope=Scope.BUILDING, building__isnull=False, unit_no__isnull=True)
                    | Q(scope=Scope.UNIT, building__isnull=False, unit_no__isnull=False)
                ),
                name="vote_scope_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status=VoteStatus.OPEN) | Q(passed__isnull=False, closed_at__isnull=False),
                name="vote_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def item_enum(self) -> Item:
        return Item(self.item)

    def rule_sentence(self, participation: str, approval: str) -> tuple[str, dict[str, Any]]:
        """The rule applied, as a sentence code and parameters (gongzhi.affairs.timeline words it), for
        threshold codes such as "2/3" and ">1/2"."""
        params: dict[str, Any] = {
            "item": self.item,
            "participation": threshold_of(participation).symbol,
            "approval": threshold_of(approval).symbol,
        }
        if self.rule_set is None:
            return "rule.statute", params
        rule_set = {"name": self.rule_set.name, "scope": self.scope_label, "days": self.rule_set.notice_days}
        return "rule.rule_set", {**params, **rule_set}

    @property
    def shown_rule_applied(self) -> str:
        """The rule applied in the reader's language; as stored (Chinese) when the vote lacks the figures."""
        if not (self.participation_rule and self.approval_rule):
            return self.rule_applied
        worded = timeline.words(*self.rule_sentence(self.participation_rule, self.approval_rule))
        return worded or self.rule_applied

    @property
    def shown_reasons(self) -> list[str]:
        """The reasons in the reader's language."""
        return [timeline.reason_text(entry) for entry in self.reasons or []]

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.UNIT and self.building is not None:
            return f"{self.building.number}{self.unit_no}单元"
        if self.scope == Scope.BUILDING and self.building is not None:
            return f"{self.building.number}"
        return str(_("全小区"))

    def share(self, part: int | Decimal | None, whole: int | Decimal | None) -> str:
        if part is None or not whole:
            return "—"
        return f"{Decimal(part) * 100 / Decimal(whole):.2f}%"

    @property
    def participation_area_pct(self) -> str:
        return self.share(self.area_voted, self.area_total)

    @property
    def participation_heads_pct(self) -> str:
        return self.share(self.owners_voted, self.owners_total)

    @property
    def approval_area_pct(self) -> str:
        return self.share(self.area_agree, self.area_voted)

    @property
    def approval_heads_pct(self) -> str:
        return self.share(self.owners_agree, self.owners_voted)


class Origin(models.TextChoices):
    ONLINE = "online", _("网上")
    PAPER = "paper", _("纸质")
    PROXY = "proxy", _("委托代理")


class OpinionChoice(models.TextChoices):
    AGREE = civil_code.Opinion.AGREE.value, _("同意")
    AGAINST = civil_code.Opinion.AGAINST.value, _("反对")
    ABSTAIN = civil_code.Opinion.ABSTAIN.value, _("弃权")
    INVALID = civil_code.Opinion.INVALID.value, _("废票")


class Ballot(models.Model):
    """One owner's current opinion in a vote: one row per (vote, owner), changeable while the vote is open.

    ``owner`` is the person the electorate counts (司法解释 第九条): the home's representative owner, or the
    developer. Every cast, first or changed, is kept in BallotChange.
    """

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    owner = models.ForeignKey(Person, verbose_name=_("业主"), on_delete=models.PROTECT, related_name="+")
    # A co-owner who is not the home's counted person casts a ballot of their own, kept beside the
    # representative's (civil_code.co_owners_opinion decides which counts); None: the owner themself.
    caster = models.ForeignKey(
        Person, verbose_name=_("共有人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(_("表决意见"), max_length=8, choices=OpinionChoice.choices)
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices)
    proxy_name = models.CharField(_("受托人"), max_length=100, blank=True, default="")
    mandate = models.TextField(_("委托书内容"), blank=True, default="")
    mandate_file = models.FileField(_("委托书附件"), upload_to="affairs/mandates/%Y/", blank=True, default="")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField(_("表决时间"))
    changes = models.PositiveIntegerField(_("修改次数"), default=0)

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "owner"], condition=Q(caster__isnull=True), name="ballot_one_per_owner"
            ),
            models.UniqueConstraint(
                fields=["vote", "owner", "caster"],
                condition=Q(caster__isnull=False),
                name="ballot_one_per_co_owner",
            ),
            models.CheckConstraint(
                condition=~Q(origin=Origin.PROXY)
                | (~Q(proxy_name="") & (~Q(mandate="") | ~Q(mandate_file=""))),
                name="ballot_proxy_has_mandate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.opinion}"

    def scope_path(self) -> str:
        """Where the ballot lies, for gongzhi.accounts.access: its vote's scope."""
        return self.vote.path


class BallotChange(models.Model):
    """Every cast of a ballot, kept: the first opinion and each change until the vote closed."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    caster = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(max_length=8, choices=OpinionChoice.choices)
    previous = models.CharField(max_length=8, choices=OpinionChoice.choices, blank=True, default="")
    origin = models.CharField(max_length=8, choices=Origin.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("表决票变更记录")
        verbose_name_plural = _("表决票变更记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["vote", "owner"], name="ballot_change_idx")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.previous or '—'} → {self.opinion}"


class Voter(models.Model):
    """Links a login to the person it may cast ballots for (an owner voting online for themself).

    Kept here, not on Person, so the people app stays ignorant of votes. Created by staff who checked the
    owner's identity (services.voter_link).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voter")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网上表决账号")
        verbose_name_plural = _("网上表决账号")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id}"
