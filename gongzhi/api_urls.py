"""The /api/v1/ tree: each app registers its viewsets on the one router."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from gongzhi.accounts.api import TokenView
from gongzhi.affairs.api import MatterViewSet, MeetingViewSet, VoteViewSet
from gongzhi.insights.api import CatalogueView, IndicatorsView
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
router.register("reporting/units", reporting.UnitViewSet, basename="reporting-unit")
router.register("reporting/members", reporting.MemberViewSet, basename="reporting-member")
router.register("reporting/needs", reporting.NeedViewSet, basename="reporting-need")
router.register("reporting/records", reporting.RecordViewSet, basename="reporting-record")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("indicators/catalogue/", CatalogueView.as_view(), name="indicators-catalogue"),
    path("party/gaps/", GapsView.as_view(), name="party-gaps"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include(router.urls)),
]
