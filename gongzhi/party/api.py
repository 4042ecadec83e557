"""The chain over the API, scoped by gongzhi.accounts.access like every other endpoint.

Lists and details are scoped by `party.view`; the writes (POST to create; member transfer and make-full;
organisation seats; DELETE an organisation, a group or a central household) need
`party.edit` on every compound they touch and go through gongzhi.party.services, so the rules and the
counters are those of the pages. Members carry names but never ID numbers or phones (those go through
/persons/ with its masking).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.accounts.access import actor_of, get_or_404, require
from gongzhi.accounts.roles import Action
from gongzhi.core.api import ScopedReadOnlyViewSet
from gongzhi.core.pagination import KeysetPagination, path_parts
from gongzhi.party import selectors, services
from gongzhi.party.models import (
    BuildingGroup,
    CentralHousehold,
    PartyMember,
    PartyOrganisation,
    PartySetting,
    RelationTransfer,
    SeatTitle,
)
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, Home


class OrganisationSerializer(serializers.ModelSerializer):
    compounds = serializers.SerializerMethodField()
    secretary = serializers.SerializerMethodField()

    class Meta:
        model = PartyOrganisation
        fields = ["id", "code", "name", "kind", "compounds", "secretary", "founded_on"]

    def get_compounds(self, obj: PartyOrganisation) -> list[str]:
        """The codes of the compounds it covers now."""
        return [c.code for c in obj.covered_compounds()]

    def get_secretary(self, obj: PartyOrganisation) -> str | None:
        return obj.secretary_name or None


class TransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelationTransfer
        fields = ["on", "from_text", "to_text", "note"]


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    transfers = TransferSerializer(many=True, read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)
    organisation = serializers.CharField(
        source="organisation.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
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
            "transfers",
        ]


class GroupSerializer(serializers.ModelSerializer):
    compound = serializers.CharField(source="compound.code", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    leader = serializers.CharField(source="leader.person.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = BuildingGroup
        fields = ["id", "compound", "organisation", "name", "buildings", "leader"]


class HouseholdSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.person.name", read_only=True)
    compound = serializers.CharField(source="compound.code", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = CentralHousehold
        fields = ["id", "member", "home", "compound", "group", "designated_on", "links"]

    def get_links(self, obj: CentralHousehold) -> list[int]:
        return [link.home_id for link in obj.links.all()]


class SettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartySetting
        fields = ["id", "key", "value", "effective_from", "place_name", "note"]


def Id(**kw: Any) -> serializers.IntegerField:
    """A primary key from a client: a positive 64-bit integer, so a huge number is a 400, not a crash."""
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1, **kw)


def _service(call: Any) -> Any:
    """Run a service; its rule violations become 400 with the message."""
    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError({"detail": exc.messages}) from None


class OrganisationInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["branch", "joint", "general"])
    name = serializers.CharField(max_length=100)
    compounds = serializers.ListField(child=serializers.CharField(max_length=16), min_length=1)
    founded_on = serializers.DateField(required=False, allow_null=True)


class MemberInput(serializers.Serializer):
    person = Id()
    home = Id()
    status = serializers.ChoiceField(choices=["full", "probationary"])
    joined_on = serializers.DateField(required=False, allow_null=True)
    full_on = serializers.DateField(required=False, allow_null=True)
    in_service = serializers.BooleanField(required=False, default=False)
    workplace = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)
    relation_elsewhere = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


class GroupInput(serializers.Serializer):
    organisation = serializers.CharField(max_length=24)
    name = serializers.CharField(max_length=100)
    buildings = serializers.ListField(child=Id(), min_length=1, max_length=200)
    leader = Id(required=False, allow_null=True)


class HouseholdInput(serializers.Serializer):
    member = Id()
    links = serializers.ListField(child=Id(), required=False, default=list, max_length=200)
    designated_on = serializers.DateField(required=False, allow_null=True)


class TransferInput(serializers.Serializer):
    on = serializers.DateField()
    to_organisation = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    to_text = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MakeFullInput(serializers.Serializer):
    on = serializers.DateField()


class SeatInput(serializers.Serializer):
    member = Id()
    title = serializers.ChoiceField(choices=SeatTitle.choices)


def _edit(request: Request, obj: Any) -> None:
    require(request.user, Action.PARTY_EDIT, obj)


class OrganisationViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        PartyOrganisation.objects.active()
        .prefetch_related(*selectors.organisation_prefetches())
        .order_by("code")
    )
    serializer_class = OrganisationSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["kind", "code"]
    filter_backends = [filters.DjangoFilterBackend]

    @extend_schema(request=OrganisationInput, responses=OrganisationSerializer)
    def create(self, request: Request) -> Response:
        data = OrganisationInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        compounds = [get_or_404(request.user, Compound.objects.all(), code=code) for code in d["compounds"]]
        for c in compounds:
            _edit(request, c)
        org = _service(
            lambda: services.organisation_create(
                actor=request.user,
                kind=d["kind"],
                name=d["name"],
                compounds=compounds,
                founded_on=d.get("founded_on"),
            )
        )
        return Response(OrganisationSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeatInput, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def seats(self, request: Request, pk: str | None = None) -> Response:
        """Set a committee seat (the title 书记 makes the member the secretary)."""
        org = self.get_object()
        _edit(request, org)
        data = SeatInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_or_404(
            request.user, PartyMember.objects.all(), Action.PARTY_VIEW, pk=data.validated_data["member"]
        )
        _service(
            lambda: services.committee_seat_set(
                actor=request.user, organisation=org, member=member, title=data.validated_data["title"]
            )
        )
        return Response(OrganisationSerializer(self.get_object()).data)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Dissolve an organisation (refused while it still has building party groups)."""
        org = self.get_object()
        _edit(request, org)
        _service(lambda: services.organisation_dissolve(actor=request.user, organisation=org))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        PartyMember.objects.select_related("person", "compound", "organisation")
        .prefetch_related("transfers")
        .order_by(*selectors.MEMBER_KEY)
    )
    serializer_class = MemberSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["status", "in_service", "compound", "organisation", "group"]
    filter_backends = [filters.DjangoFilterBackend]
    # Pages by key over (path, id), one index range per grant: page 1,000 costs what page 1 does.
    pagination_class = KeysetPagination
    keyset = selectors.MEMBER_KEY

    def keyset_parts(self, queryset: QuerySet[Any]) -> list[QuerySet[Any]]:
        actor = actor_of(self.request.user)
        return path_parts(queryset, None if actor.is_superuser else actor.paths(Action.PARTY_VIEW))

    @extend_schema(request=MemberInput, responses=MemberSerializer)
    def create(self, request: Request) -> Response:
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        home = get_or_404(request.user, Home.objects.select_related("compound"), pk=d["home"])
        _edit(request, home)
        person = Person.objects.filter(pk=d["person"]).filter(ownerships__home=home).first() or (
            Person.objects.filter(pk=d["person"], residences__home=home).first()
        )
        if person is None:
            raise ValidationError({"person": ["应是该房屋的业主或住户"]})
        member = _service(
            lambda: services.member_register(
                actor=request.user,
                person=person,
                home=home,
                status=d["status"],
                joined_on=d.get("joined_on"),
                full_on=d.get("full_on"),
                in_service=d["in_service"],
                workplace=d["workplace"],
                relation_elsewhere=d["relation_elsewhere"],
            )
        )
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransferInput, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        """Move the member's organisational relation to a local organisation or one elsewhere; history kept."""
        member = self.get_object()
        _edit(request, member)
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        target = (
            get_or_404(
                request.user, PartyOrganisation.objects.active(), Action.PARTY_VIEW, code=d["to_organisation"]
            )
            if d["to_organisation"]
            else None
        )
        _service(
            lambda: services.member_transfer(
                actor=request.user,
                member=member,
                on=d["on"],
                to_organisation=target,
                to_text=d["to_text"],
                note=d["note"],
            )
        )
        return Response(MemberSerializer(self.get_object()).data)

    @extend_schema(request=MakeFullInput, responses=MemberSerializer)
    @action(detail=True, methods=["post"], url_path="make-full")
    def make_full(self, request: Request, pk: str | None = None) -> Response:
        """转正: a probationary member becomes a full member."""
        member = self.get_object()
        _edit(request, member)
        data = MakeFullInput(data=request.data)
        data.is_valid(raise_exception=True)
        _service(
            lambda: services.member_make_full(actor=request.user, member=member, on=data.validated_data["on"])
        )
        return Response(MemberSerializer(self.get_object()).data)


class GroupViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        BuildingGroup.objects.select_related("compound", "organisation", "leader__person")
        .prefetch_related("buildings")
        .order_by("path", "pk")
    )
    serializer_class = GroupSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["compound", "organisation"]
    filter_backends = [filters.DjangoFilterBackend]

    @extend_schema(request=GroupInput, responses=GroupSerializer)
    def create(self, request: Request) -> Response:
        data = GroupInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        buildings = [get_or_404(request.user, Building.objects.all(), pk=pk) for pk in d["buildings"]]
        compound = Compound.objects.get(pk=buildings[0].compound_id)
        _edit(request, compound)
        org = get_or_404(
            request.user, PartyOrganisation.objects.active().covering(compound.path), code=d["organisation"]
        )
        leader = (
            PartyMember.objects.filter(pk=d.get("leader"), compound=compound).first()
            if d.get("leader")
            else None
        )
        group = _service(
            lambda: services.group_create(
                actor=request.user,
                organisation=org,
                compound=compound,
                name=d["name"],
                buildings=buildings,
                leader=leader,
            )
        )
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        group = self.get_object()
        _edit(request, group)
        _service(lambda: services.group_delete(actor=request.user, group=group))
        return Response(status=status.HTTP_204_NO_CONTENT)


class HouseholdViewSet(ScopedReadOnlyViewSet):
    base_queryset = (
        CentralHousehold.objects.select_related("member__person", "compound")
        .prefetch_related("links")
        .order_by("path", "pk")
    )
    serializer_class = HouseholdSerializer
    action_required = Action.PARTY_VIEW
    filterset_fields = ["compound", "group"]
    filter_backends = [filters.DjangoFilterBackend]

    @extend_schema(request=HouseholdInput, responses=HouseholdSerializer)
    def create(self, request: Request) -> Response:
        data = HouseholdInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        member = get_or_404(
            request.user, PartyMember.objects.select_related("home"), Action.PARTY_VIEW, pk=d["member"]
        )
        _edit(request, member)
        links = list(Home.objects.filter(pk__in=d["links"], compound_id=member.compound_id))
        if len(links) != len(set(d["links"])):
            raise ValidationError({"links": ["联系户应在同一小区"]})
        household = _service(
            lambda: services.central_household_designate(
                actor=request.user, member=member, links=links, designated_on=d.get("designated_on")
            )
        )
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        _edit(request, household)
        services.central_household_remove(actor=request.user, household=household)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SettingViewSet(ScopedReadOnlyViewSet):
    """Settings records: those of places the caller sees, and the platform-wide ones."""

    base_queryset = PartySetting.objects.order_by("key", "-effective_from")
    serializer_class = SettingSerializer
    action_required = Action.PARTY_VIEW

    def get_queryset(self) -> Any:
        return super().get_queryset() | PartySetting.objects.filter(path="")


class GapsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("place", str, description="division code or 15-digit compound code")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("place", "").strip()
        qs: Any = Compound.objects.all() if len(code) == 15 else Division.objects.all()
        place = get_or_404(request.user, qs, Action.PARTY_VIEW, code=code)
        lines = selectors.gaps(place)
        return Response(
            {
                "place": code,
                "gaps": [
                    {
                        "kind": g.kind,
                        "subject": g.subject,
                        "reason": g.reason,
                        "source": g.source,
                        "compound": g.compound_code,
                        "organisation": g.org_code,
                    }
                    for g in lines
                ],
            }
        )
