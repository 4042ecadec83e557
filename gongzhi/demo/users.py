"""Demo users, one of every role, each scoped to a real place of the demo district."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import role_grant, user_create
from gongzhi.core.actors import system
from gongzhi.places.models import Building, Compound, Division


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    place: str


DEMO = system("seed_demo")


def leaders_building(compound: Compound) -> Building | None:
    """A building party-group leader leads a group: the first building a group covers (else the first)."""
    buildings = Building.objects.filter(compound=compound).order_by("seq")
    return buildings.filter(party_groups__isnull=False).first() or buildings.first()


def create_demo_users(password: str, district_code: str = "370202") -> list[DemoLogin]:
    district = Division.objects.get(code=district_code)
    subdistrict = Division.objects.filter(parent=district).order_by("code").first()
    community = (
        Division.objects.filter(parent=subdistrict, compounds_count__gt=0).order_by("code").first()
        if subdistrict
        else None
    )
    compound = Compound.objects.filter(community=community).order_by("code").first() if community else None
    building = leaders_building(compound) if compound else None
    plan: list[tuple[str, str, str, Division | Compound | Building | None]] = [
        ("shinan_admin", "市南区管理员", Role.DISTRICT_ADMIN, district),
        ("jiedao_staff", "街道工作人员", Role.SUBDISTRICT_STAFF, subdistrict),
        ("shequ_worker", "社区工作者", Role.COMMUNITY_WORKER, community),
        ("dang_shuji", "小区党组织书记", Role.PARTY_SECRETARY, compound),
        ("louzhang", "楼栋党小组长", Role.BUILDING_LEADER, building),
        ("yeweihui", "业委会成员", Role.COMMITTEE_MEMBER, compound),
        ("wuye", "物业人员", Role.PROPERTY_STAFF, compound),
        ("dangyuan", "党员", Role.PARTY_MEMBER, compound),
        ("jumin", "居民", Role.RESIDENT, compound),
    ]
    logins = []
    for username, full_name, role, place in plan:
        if place is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=DEMO,
                username=username,
                password=password,
                full_name=full_name,
                is_staff=role == Role.DISTRICT_ADMIN,
            )
        role_grant(actor=DEMO, user=user, role=role, place=place)
        label = place.name if not isinstance(place, Building) else f"{place.compound.name} {place.number}"
        logins.append(DemoLogin(username, str(Role(role).label), label))
    return logins


# --- 防止返贫动态监测 (issue 14, h14a): 平度市's county bureau, a town, a village, an assistance officer --------


def create_monitoring_users(password: str, county_code: str = "370283") -> list[tuple[User, DemoLogin]]:
    """Logins of the monitoring roles in 平度市: the bureau at the county, staff of its first town, a cadre
    and an assistance officer of that town's first village, and a household's own account there."""
    county = Division.objects.filter(code=county_code).first()
    town = Division.objects.filter(parent=county).order_by("code").first() if county else None
    village = Division.objects.filter(parent=town, level="village").order_by("code").first() if town else None
    plan = [
        ("pingdu_ju", "平度市乡村振兴局", Role.COUNTY_BUREAU, county),
        ("zhen_staff", "镇工作人员", Role.TOWN_STAFF, town),
        ("cun_ganbu", "村干部", Role.VILLAGE_CADRE, village),
        ("bangfu", "帮扶责任人", Role.ASSISTANCE_OFFICER, village),
        ("nonghu", "监测户", Role.HOUSEHOLD, village),
    ]
    out = []
    for username, full_name, role, place in plan:
        if place is None:
            continue
        user = User.objects.filter(username=username).first() or user_create(
            actor=DEMO, username=username, password=password, full_name=full_name
        )
        role_grant(actor=DEMO, user=user, role=role, place=place)
        out.append((user, DemoLogin(username, str(Role(role).label), place.name)))
        if role == Role.HOUSEHOLD:
            from gongzhi.monitoring.models import Household
            from gongzhi.monitoring.services import household_link_account

            # A household with a case, so the login shows what a monitored household sees.
            own = Household.objects.filter(village=place, cases__isnull=False).order_by("number").first()
            if own is not None and own.account_id is None:
                household_link_account(actor=DEMO, household=own, user=user)
    return out


def create_centre_users(password: str) -> list[DemoLogin]:
    """The enterprise-service centre's six roles (issue 13), once gongzhi.demo.centre has built it."""
    from gongzhi.demo.centre import centre_users

    logins = []
    for username, full_name, role, place, enterprise in centre_users():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor=DEMO, username=username, password=password, full_name=full_name)
        role_grant(actor=DEMO, user=user, role=role, place=place)
        if enterprise is not None:
            enterprise.contacts.add(user)
        label = f"{place.name} {enterprise.name}" if enterprise is not None else place.name
        logins.append(DemoLogin(username, str(Role(role).label), label))
    return logins


def create_trading_users(password: str, district_code: str = "370283") -> list[DemoLogin]:
    """平度市's exchange: a county-bureau officer, and a bidder holding the first demo bidder's number."""
    from gongzhi.trading.models import Bidder

    district = Division.objects.get(code=district_code)
    logins = []
    for username, full_name, role in (
        ("pd_jiaoyi", "平度市农村产权交易服务中心", Role.COUNTY_BUREAU),
        ("jingmairen", "竞买人", Role.BIDDER),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor=DEMO, username=username, password=password, full_name=full_name)
        role_grant(actor=DEMO, user=user, role=role, place=district)
        logins.append(DemoLogin(username, str(Role(role).label), district.name))
        if role == Role.BIDDER and not Bidder.objects.filter(user=user).exists():
            first = Bidder.objects.filter(path=district.path, user__isnull=True).order_by("id").first()
            if first is not None:
                first.user = user
                first.save(update_fields=["user"])
    _pending_registrations(password, district)
    return logins


def _pending_registrations(password: str, district: Division) -> None:
    """Three registrations waiting for review, through the registration service: two filed at the first
    town's trading station (its staff, `zhen_staff`, review them) and one at the county's centre."""
    from stdnum.cn import uscc

    from gongzhi.people.identity import with_check_character
    from gongzhi.trading.models import Bidder, BidderStatus
    from gongzhi.trading.services import bidder_self_register

    if Bidder.objects.filter(path__startswith=district.path, status=BidderStatus.PENDING).exists():
        return
    town = Division.objects.filter(parent=district).order_by("code").first() or district
    plan = [
        ("jmr_dai1", "person", "刘德顺", with_check_character(f"{district.code}19780312451"), town),
        ("jmr_dai2", "organisation", f"{town.name}丰源农机专业合作社", f"93{district.code}MA7PD2Q1X", town),
        ("jmr_dai3", "organisation", "平度市青禾农业发展有限公司", f"91{district.code}MA7PD3Q1X", district),
    ]
    for username, kind, name, document, place in plan:
        if kind == "organisation":
            document = document[:17] + uscc.calc_check_digit(document[:17])
        user = User.objects.filter(username=username).first() or user_create(
            actor=DEMO, username=username, password=password, full_name=name
        )
        if not Bidder.objects.filter(user=user).exists():
            bidder_self_register(actor=user, kind=kind, name=name, document=document, place=place)
