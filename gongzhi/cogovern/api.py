"""/api/v1/cogovern/…: owners' committees (with their term and their meetings), self-management committees, property companies
(with credit), contracts, quarterly evaluations, complaints, the red and black list, the N participants, committee meetings, 换届小组, assembly cases with their preparatory groups and the
community maps' drawing records — scoped by the permission check like every list. Companies may be registered by POST
(the credit code checked; a bad one answers 400 with the Chinese message, nothing written). The score
sheets are one for the whole district (a setting): any caller who may view co-governance somewhere reads them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from gongzhi.accounts.access import can, get_or_404
from gongzhi.cogovern import property_rules, rules, services
from gongzhi.cogovern.models import (
    EDIT,
    N_KINDS,
    OWNERS,
    SELF,
    VIEW,
    AssemblyCase,
    CommitteeMeeting,
    CommitteeTerm,
    CommunityMap,
    Complaint,
    Contract,
    Evaluation,
    ListEntry,
    MeetingDecision,
    Participant,
    Participation,
    PropertyCompany,
    ScoreSheet,
    TransitionGroup,
)
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.organisations.models import Coverage, Organisation
from gongzhi.places.models import Compound


class TermSerializer(serializers.ModelSerializer[CommitteeTerm]):
    class Meta:
        model = CommitteeTerm
        fields = [
            "elected_on",
            "term_start",
            "term_end",
            "term_extended_to",
            "filed_on",
            "filing_no",
            "handed_over_on",
        ]


class CommitteeSerializer(serializers.ModelSerializer[Organisation]):
    compound = serializers.CharField(source="committee_term.compound.code", read_only=True)
    term = TermSerializer(source="committee_term", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "founded_on", "ended_on", "compound", "term", "members"]

    def get_members(self, obj: Organisation) -> int:
        return sum(1 for s in obj.seats.all() if s.until is None)


class CommitteeViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        Organisation.objects.filter(kind=OWNERS)
        .select_related("committee_term__compound")
        .prefetch_related("coverages", "seats")
        .order_by("code")
    )
    serializer_class = CommitteeSerializer
    action_required = VIEW


class CompanySerializer(serializers.ModelSerializer[Organisation]):
    credit_code = serializers.CharField(source="company_profile.credit_code", read_only=True)
    party_org_name = serializers.CharField(source="company_profile.party_org_name", read_only=True)
    compounds = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "founded_on",
            "ended_on",
            "credit_code",
            "party_org_name",
            "compounds",
        ]

    def get_compounds(self, obj: Organisation) -> list[str]:
        return [c.compound.code for c in obj.coverages.all() if c.until is None and c.compound_id]


class CompanyInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=40)
    compound = serializers.CharField(max_length=16, help_text="the code of a compound it serves")
    party_org_name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CompanyViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        PropertyCompany.objects.active()
        .select_related("company_profile")
        .prefetch_related(Prefetch("coverages", Coverage.objects.select_related("compound")))
        .order_by("pinyin", "pk")
    )
    serializer_class = CompanySerializer
    action_required = VIEW

    @extend_schema(request=CompanyInput, responses=CompanySerializer)
    def create(self, request: Request) -> Response:
        data = CompanyInput(data=request.data)
        data.is_valid(raise_exception=True)
        compound = get_or_404(
            request.user, Compound.objects.all(), EDIT, code=data.validated_data["compound"]
        )
        try:
            company = services.company_create(
                actor=request.user,
                name=data.validated_data["name"],
                credit_code=data.validated_data["credit_code"],
                places=[compound],
                party_org_name=data.validated_data.get("party_org_name", ""),
            )
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.base_queryset.get(pk=company.pk)
        return Response(CompanySerializer(fresh).data, status=status.HTTP_201_CREATED)


class ContractSerializer(serializers.ModelSerializer[Contract]):
    company = serializers.CharField(source="company.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "company", "compound", "starts_on", "ends_on", "fee_per_m2", "scope", "terminated_on"]


class ContractViewSet(ScopedReadOnlyViewSet):
    base_queryset = Contract.objects.select_related("company", "compound").order_by("ends_on", "pk")
    serializer_class = ContractSerializer
    action_required = VIEW


class ParticipationSerializer(serializers.ModelSerializer[Participation]):
    compound = serializers.CharField(source="compound.code", read_only=True)

    class Meta:
        model = Participation
        fields = ["compound", "role", "contact_name", "since", "until"]


class ParticipantSerializer(serializers.ModelSerializer[Organisation]):
    kind_label = serializers.CharField(read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "kind_label", "participations"]


class ParticipantViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        Participant.objects.filter(kind__in=N_KINDS)
        .prefetch_related(
            "coverages", Prefetch("participations", Participation.objects.select_related("compound"))
        )
        .order_by("code")
    )
    serializer_class = ParticipantSerializer
    action_required = VIEW


class SelfCommitteeSerializer(serializers.ModelSerializer[Organisation]):
    compounds = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "founded_on", "ended_on", "compounds", "members"]

    def get_compounds(self, obj: Organisation) -> list[str]:
        return sorted(c.compound.code for c in obj.coverages.all() if c.compound_id and c.until is None)

    def get_members(self, obj: Organisation) -> int:
        return sum(1 for s in obj.seats.all() if s.until is None)


class SelfCommitteeViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        Organisation.objects.filter(kind=SELF)
        .prefetch_related(Prefetch("coverages", Coverage.objects.select_related("compound")), "seats")
        .order_by("code")
    )
    serializer_class = SelfCommitteeSerializer
    action_required = VIEW


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    company = serializers.CharField(source="company.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)
    sheet = serializers.CharField(source="sheet.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "company", "compound", "year", "quarter", "evaluator", "sheet", "scores", "total"]


class EvaluationViewSet(ScopedReadOnlyViewSet):
    base_queryset = Evaluation.objects.select_related("company", "compound", "sheet").order_by(
        "-year", "-quarter", "pk"
    )
    serializer_class = EvaluationSerializer
    action_required = VIEW


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    company = serializers.CharField(source="company.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "company", "compound", "received_on", "summary", "outcome", "closed_on"]


class ComplaintViewSet(ScopedReadOnlyViewSet):
    base_queryset = Complaint.objects.select_related("company", "compound").order_by("-received_on", "-pk")
    serializer_class = ComplaintSerializer
    action_required = VIEW


class ListEntrySerializer(serializers.ModelSerializer[ListEntry]):
    company = serializers.CharField(source="company.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "year",
            "quarter",
            "kind",
            "company",
            "compound",
            "reason",
            "published_on",
            "rectify_by",
            "rectified_on",
        ]


class ListEntryViewSet(ScopedReadOnlyViewSet):
    base_queryset = ListEntry.objects.select_related("company", "compound").order_by(
        "-year", "-quarter", "kind", "pk"
    )
    serializer_class = ListEntrySerializer
    action_required = VIEW


class CommitteeDecisionSerializer(serializers.ModelSerializer[MeetingDecision]):
    class Meta:
        model = MeetingDecision
        fields = ["subject", "votes_for", "votes_against", "passed"]


class CommitteeMeetingSerializer(serializers.ModelSerializer[CommitteeMeeting]):
    compound = serializers.CharField(source="term.compound.code", read_only=True)
    committee = serializers.CharField(source="term.committee.name", read_only=True)
    present = serializers.SerializerMethodField()
    decisions = CommitteeDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeMeeting
        fields = ["id", "compound", "committee", "held_on", "members", "present", "decisions"]

    def get_present(self, meeting: CommitteeMeeting) -> int:
        """How many came (who came names persons: the page shows them to those who may see people)."""
        return len(meeting.present)


class CommitteeMeetingViewSet(ScopedReadOnlyViewSet):
    """Committee meetings with their decisions (青岛条例 art. 38: quorum and majority of all members)."""

    base_queryset = (
        CommitteeMeeting.objects.select_related("term__compound", "term__committee")
        .prefetch_related("decisions")
        .order_by("-held_on", "-pk")
    )
    serializer_class = CommitteeMeetingSerializer
    action_required = VIEW


class TransitionGroupSerializer(serializers.ModelSerializer[TransitionGroup]):
    compound = serializers.CharField(source="term.compound.code", read_only=True)
    committee = serializers.CharField(source="term.committee.name", read_only=True)
    term_end = serializers.DateField(source="term.effective_end", read_only=True)
    name = serializers.CharField(source="group.name", read_only=True)
    members = serializers.SerializerMethodField()
    handover_due = serializers.SerializerMethodField()

    class Meta:
        model = TransitionGroup
        fields = [
            "id",
            "compound",
            "committee",
            "term_end",
            "name",
            "formed_on",
            "members",
            "handover_due",
            "handed_over_on",
        ]

    def get_members(self, obj: TransitionGroup) -> int:
        """How many sit on it (who names persons: the steps page shows them to those who may see people)."""
        return sum(1 for s in obj.group.seats.all() if s.until is None)

    def get_handover_due(self, obj: TransitionGroup) -> date:
        """青岛条例 art. 43: the outgoing committee hands the group its records within 10 days."""
        return rules.transition_handover_due(obj.formed_on, committee_rules())


class TransitionGroupViewSet(ScopedReadOnlyViewSet):
    """换届小组 that took over late re-elections (青岛条例 art. 41), with the handover of records (art. 43)."""

    base_queryset = (
        TransitionGroup.objects.select_related("term__compound", "term__committee", "group")
        .prefetch_related("group__seats")
        .order_by("-formed_on", "-pk")
    )
    serializer_class = TransitionGroupSerializer
    action_required = VIEW


class PrepGroupSerializer(serializers.ModelSerializer[Organisation]):
    """The 筹备组 by its make-up (第二十三条), in counts: who sits on it names persons (the steps page shows them)."""

    members = serializers.SerializerMethodField()
    owners = serializers.SerializerMethodField()
    party_org_included = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "founded_on", "ended_on", "members", "owners", "party_org_included"]

    def _roles(self, obj: Organisation) -> list[str]:
        return [s.role for s in obj.seats.all() if s.until is None]

    def get_members(self, obj: Organisation) -> int:
        return len(self._roles(obj))

    def get_owners(self, obj: Organisation) -> int:
        """Owners' representatives, the leader among them (as services.prep_group_form counts them)."""
        return sum(r in ("owner", "leader") for r in self._roles(obj))

    def get_party_org_included(self, obj: Organisation) -> bool:
        return "party" in self._roles(obj)


class AssemblyCaseSerializer(serializers.ModelSerializer[AssemblyCase]):
    compound = serializers.CharField(source="compound.code", read_only=True)
    prep_group = PrepGroupSerializer(read_only=True, allow_null=True)
    prep_group_due = serializers.SerializerMethodField()
    first_assembly_due = serializers.SerializerMethodField()

    class Meta:
        model = AssemblyCase
        fields = [
            "id",
            "compound",
            "exempt_reason",
            "applied_on",
            "prep_group_due",
            "prep_group",
            "prep_formed_on",
            "first_assembly_due",
            "first_assembly_extended",
            "first_assembly_on",
        ]

    def get_prep_group_due(self, obj: AssemblyCase) -> date | None:
        """第二十二条: the group is formed within 30 days of the application."""
        return rules.prep_group_due(obj.applied_on, committee_rules()) if obj.applied_on else None

    def get_first_assembly_due(self, obj: AssemblyCase) -> date | None:
        """第二十四条: the first assembly within 60 days of the group's forming (+30 once extended)."""
        if obj.prep_formed_on is None:
            return None
        return rules.first_assembly_due(
            obj.prep_formed_on, extended=obj.first_assembly_extended, rules=committee_rules()
        )


class AssemblyCaseViewSet(ScopedReadOnlyViewSet):
    """Each compound's way to its first owners' assembly: application, 筹备组, the first assembly."""

    base_queryset = (
        AssemblyCase.objects.select_related("compound", "prep_group")
        .prefetch_related("prep_group__seats")
        .order_by("compound__code", "pk")
    )
    serializer_class = AssemblyCaseSerializer
    action_required = VIEW


class CommunityMapSerializer(serializers.ModelSerializer[CommunityMap]):
    community = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityMap
        fields = [
            "id",
            "community",
            "community_name",
            "drawn_on",
            "drawn_by_name",
            "checked_on",
            "checked_by_name",
        ]


class CommunityMapViewSet(ScopedReadOnlyViewSet):
    """When each community's 物管地图 was drawn and last checked, and by whom (the map page's record)."""

    base_queryset = CommunityMap.objects.select_related("community").order_by("community__code")
    serializer_class = CommunityMapSerializer
    action_required = VIEW


class ScoreSheetItemSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=1)


class ScoreSheetCategorySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=1)
    items = ScoreSheetItemSerializer(many=True)


class ScoreSheetSerializer(serializers.ModelSerializer[ScoreSheet]):
    categories = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    points = serializers.SerializerMethodField()

    class Meta:
        model = ScoreSheet
        fields = ["id", "name", "is_default", "items", "points", "categories"]

    @extend_schema_field(ScoreSheetCategorySerializer(many=True))
    def get_categories(self, obj: ScoreSheet) -> list[dict[str, Any]]:
        """Each category with its items in the order an evaluation's scores follow, and its points."""
        cats = [
            {
                "name": c["name"],
                "points": sum((Decimal(str(it["points"])) for it in c["items"]), Decimal(0)),
                "items": [{"name": it["name"], "points": Decimal(str(it["points"]))} for it in c["items"]],
            }
            for c in obj.sheet["categories"]
        ]
        return ScoreSheetCategorySerializer(cats, many=True).data  # type: ignore[return-value]

    def get_items(self, obj: ScoreSheet) -> int:
        return property_rules.sheet_shape(obj.sheet)[1]

    def get_points(self, obj: ScoreSheet) -> Decimal:
        return property_rules.sheet_shape(obj.sheet)[2]


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """The quarterly assessment sheets (the default first): one for the district, so not scoped by place;
    a caller who may view co-governance nowhere gets an empty list and 403 on a sheet."""

    serializer_class = ScoreSheetSerializer

    def get_queryset(self) -> Any:
        sheets = ScoreSheet.objects.order_by("-is_default", "-pk")
        return sheets if can(self.request.user, VIEW) else sheets.none()

    def get_object(self) -> Any:
        if not can(self.request.user, VIEW):
            raise PermissionDenied
        return super().get_object()
