"""The /api/v1/ tree: each app registers its viewsets on the one router."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from gongzhi.accounts.access import can
from gongzhi.accounts.api import TokenRotateView, TokenView
from gongzhi.accounts.roles import Action
from gongzhi.affairs.api import MatterViewSet, MeetingViewSet, VoteViewSet
from gongzhi.agribiz import api as agribiz
from gongzhi.centre import api as centre
from gongzhi.cogovern.api import (
    AssemblyCaseViewSet,
    CommitteeMeetingViewSet,
    CommitteeViewSet,
    CommunityMapViewSet,
    CompanyViewSet,
    ComplaintViewSet,
    ContractViewSet,
    EvaluationViewSet,
    ListEntryViewSet,
    ParticipantViewSet,
    ScoreSheetViewSet,
    SelfCommitteeViewSet,
    TransitionGroupViewSet,
)
from gongzhi.collectives import api as collectives
from gongzhi.insights.api import CatalogueView, IndicatorsView
from gongzhi.monitoring import api as monitoring
from gongzhi.party.api import (
    GapsView,
    GroupViewSet,
    HouseholdViewSet,
    MemberViewSet,
    OrganisationViewSet,
    SettingViewSet,
)
from gongzhi.people.api import PersonViewSet
from gongzhi.places.api import BuildingViewSet, CompoundViewSet, DivisionViewSet, HomeViewSet
from gongzhi.reporting import api as reporting
from gongzhi.trading import api as trading
from gongzhi.trading.api import ListingViewSet as TradingListingViewSet

# The API documentation: for the roles that use the API (staff who import and export, or manage users),
# as the navigation offers it (gongzhi/insights/apps.py). The schema itself stays public: it holds no data.
API_USERS = (Action.LEDGER_IMPORT, Action.USERS_MANAGE)
_swagger = SpectacularSwaggerSplitView.as_view(url_name="schema")


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    if not any(can(request.user, action) for action in API_USERS):
        raise PermissionDenied
    return _swagger(request)  # type: ignore[no-any-return]


router = DefaultRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("compounds", CompoundViewSet, basename="compound")
router.register("buildings", BuildingViewSet, basename="building")
router.register("homes", HomeViewSet, basename="home")
router.register("persons", PersonViewSet, basename="person")
router.register("party/organisations", OrganisationViewSet, basename="party-organisation")
router.register("party/members", MemberViewSet, basename="party-member")
router.register("party/groups", GroupViewSet, basename="party-group")
router.register("party/households", HouseholdViewSet, basename="party-household")
router.register("party/settings", SettingViewSet, basename="party-setting")
router.register("matters", MatterViewSet, basename="matter")
router.register("votes", VoteViewSet, basename="vote")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("cogovern/committees", CommitteeViewSet, basename="cogovern-committee")
router.register("cogovern/companies", CompanyViewSet, basename="cogovern-company")
router.register("cogovern/contracts", ContractViewSet, basename="cogovern-contract")
router.register("cogovern/participants", ParticipantViewSet, basename="cogovern-participant")
router.register("cogovern/self-committees", SelfCommitteeViewSet, basename="cogovern-self")
router.register("cogovern/evaluations", EvaluationViewSet, basename="cogovern-evaluation")
router.register("cogovern/complaints", ComplaintViewSet, basename="cogovern-complaint")
router.register("cogovern/redblack", ListEntryViewSet, basename="cogovern-listentry")
router.register("cogovern/meetings", CommitteeMeetingViewSet, basename="cogovern-meeting")
router.register("cogovern/transition-groups", TransitionGroupViewSet, basename="cogovern-transition")
router.register("cogovern/assembly-cases", AssemblyCaseViewSet, basename="cogovern-assembly")
router.register("cogovern/maps", CommunityMapViewSet, basename="cogovern-map")
router.register("cogovern/score-sheets", ScoreSheetViewSet, basename="cogovern-scoresheet")
router.register("reporting/units", reporting.UnitViewSet, basename="reporting-unit")
router.register("reporting/members", reporting.MemberViewSet, basename="reporting-member")
router.register("reporting/needs", reporting.NeedViewSet, basename="reporting-need")
router.register("reporting/records", reporting.RecordViewSet, basename="reporting-record")
router.register("monitoring/households", monitoring.HouseholdViewSet, basename="monitoring-household")
router.register("monitoring/cases", monitoring.CaseViewSet, basename="monitoring-case")
router.register("monitoring/visits", monitoring.VisitViewSet, basename="monitoring-visit")
router.register("monitoring/warning-lists", monitoring.WarningListViewSet, basename="monitoring-warninglist")
router.register("trading/listings", TradingListingViewSet, basename="trading-listing")
router.register("trading/bidders", trading.BidderViewSet, basename="trading-bidder")
router.register("trading/bids", trading.BidViewSet, basename="trading-bid")
router.register("trading/deposits", trading.DepositViewSet, basename="trading-deposit")
router.register("agribiz/cooperatives", agribiz.CoopViewSet, basename="agribiz-coop")
router.register("agribiz/family-farms", agribiz.FarmViewSet, basename="agribiz-farm")
router.register("agribiz/coop-reports", agribiz.CoopReportViewSet, basename="agribiz-coopreport")
router.register("agribiz/farm-reports", agribiz.FarmReportViewSet, basename="agribiz-farmreport")
router.register("centre/rooms", centre.SpaceViewSet, basename="centre-room")
router.register("centre/enterprises", centre.EnterpriseViewSet, basename="centre-enterprise")
router.register("centre/leases", centre.LeaseViewSet, basename="centre-lease")
router.register("centre/projects", centre.ProjectViewSet, basename="centre-project")
router.register("centre/referrals", centre.ReferralViewSet, basename="centre-referral")
router.register("collectives/collectives", collectives.CollectiveViewSet, basename="collectives-collective")
router.register("collectives/assets", collectives.AssetViewSet, basename="collectives-asset")
router.register("collectives/resources", collectives.ResourceViewSet, basename="collectives-resource")
router.register("collectives/entries", collectives.EntryViewSet, basename="collectives-entry")
router.register("collectives/contracts", collectives.ContractViewSet, basename="collectives-contract")
router.register("collectives/accounts", collectives.AccountViewSet, basename="collectives-account")
router.register("collectives/decisions", collectives.DecisionViewSet, basename="collectives-decision")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/token/rotate/", TokenRotateView.as_view(), name="api-token-rotate"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("indicators/catalogue/", CatalogueView.as_view(), name="indicators-catalogue"),
    path("party/gaps/", GapsView.as_view(), name="party-gaps"),
    path("trading/changes/", trading.ChangesView.as_view(), name="trading-changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="swagger-ui"),
    path("", include(router.urls)),
]
