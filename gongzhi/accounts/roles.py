"""Roles and what each may do: the one table behind every permission decision.

A user holds roles as (role, place) pairs (RoleAssignment). The roles and the action codes are named here;
which role may do which action is registered by the app that owns the action, from its ready()
(`registry.register_actions(app, grant(Action.X, *roles))`), and PERMISSIONS folds those registrations.
Where a role may act is the place of the assignment and everything beneath it (gongzhi.accounts.access).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry
from gongzhi.core.registry import ActionSpec


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级管理员")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("街道工作人员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    PARTY_SECRETARY = "party_secretary", _("小区党组织书记")
    BUILDING_LEADER = "building_leader", _("楼栋党小组长")
    COMMITTEE_MEMBER = "committee_member", _("业委会成员")
    PROPERTY_STAFF = "property_staff", _("物业企业人员")
    PARTY_MEMBER = "party_member", _("党员")
    RESIDENT = "resident", _("居民")
    # Separation of duties (gongzhi/accounts/duties.py): three administrators and a reader of the logs.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    AUDIT_READER = "audit_reader", _("审计查阅员")
    # The enterprise-service centre (黄岛区, issue 13): the four parties of joint investment attraction,
    # the industry platforms' staff and an enterprise's own contact.
    INVESTMENT_BUREAU = "investment_bureau", _("招商部门人员")
    BUILDING_OWNER = "building_owner", _("楼宇产权方人员")
    OPERATOR = "operator", _("运营商人员")
    INCUBATOR = "incubator", _("孵化器人员")
    PLATFORM_STAFF = "platform_staff", _("产业平台人员")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联络人")
    # Rural revitalisation (平度市, issue 14).
    COUNTY_BUREAU = "county_bureau", _("县级主管部门人员")
    TOWN_STAFF = "town_staff", _("镇（街道）工作人员")
    VILLAGE_CADRE = "village_cadre", _("村干部")
    ASSISTANCE_OFFICER = "assistance_officer", _("帮扶责任人")
    BIDDER = "bidder", _("竞买人")
    HOUSEHOLD = "household", _("监测户")


class Action(models.TextChoices):
    PLACE_VIEW = "place.view", _("查看区域")
    PLACE_EDIT = "place.edit", _("维护小区、楼栋、房屋")
    PERSON_VIEW = "person.view", _("查看人员（脱敏）")
    PERSON_UNMASK = "person.unmask", _("查看完整身份证号和手机号")
    PERSON_EDIT = "person.edit", _("维护人员和产权")
    PARTY_VIEW = "party.view", _("查看党组织")
    PARTY_EDIT = "party.edit", _("维护党组织链条")
    MATTER_RAISE = "matter.raise", _("提出自治事务")
    MATTER_MANAGE = "matter.manage", _("办理自治事务")
    VOTE_MANAGE = "vote.manage", _("组织表决、录入纸质票")
    LEDGER_IMPORT = "ledger.import", _("导入台账")
    LEDGER_EXPORT = "ledger.export", _("导出台账")
    SETTINGS_EDIT = "settings.edit", _("修改参数设置")
    USERS_MANAGE = "users.manage", _("管理用户和角色")
    SECURITY_MANAGE = "security.manage", _("管理安全策略：解除登录延迟、重置两步验证")
    AUDIT_VIEW = "audit.view", _("查阅审计日志和修改历史")
    GOVERNANCE_VIEW = "governance.view", _("使用驾驶舱和小区治理")


A = Action
# The roles that run the platform day to day; apps grant them most of their actions.
STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.SUBDISTRICT_STAFF, Role.COMMUNITY_WORKER)
# The roles of the compound-governance system (市南区's): the 驾驶舱 and the 小区治理 pages are theirs. The
# centre's, the villages' and the trading roles hold place.view for their own pages, not these.
GOVERNANCE_ROLES = (
    *STAFF_ROLES,
    Role.PARTY_SECRETARY,
    Role.BUILDING_LEADER,
    Role.COMMITTEE_MEMBER,
    Role.PROPERTY_STAFF,
    Role.PARTY_MEMBER,
    Role.RESIDENT,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
    Role.AUDIT_READER,
)


def grant(action: Action, *roles: str) -> ActionSpec:
    """An app's declaration that `roles` may do `action` (registered from the app's ready())."""
    return ActionSpec(str(action), action.label, frozenset(str(r) for r in roles))


# Roles that read and change nothing (separation of duties, gongzhi/accounts/duties.py): whatever an app
# grants "every role", these keep only the viewing actions (`*.view`).
READ_ONLY_ROLES = frozenset({"audit_admin", "audit_reader"})


def is_reading(action: str) -> bool:
    return action.endswith(".view")


class _Permissions(Mapping[str, frozenset[str]]):
    """role → actions, folded from what the apps registered (gongzhi.core.registry.register_actions);
    a read-only role keeps only the viewing actions."""

    def __getitem__(self, role: str) -> frozenset[str]:
        actions = registry.permissions().get(role, frozenset())  # a named role no app has granted yet
        if role in READ_ONLY_ROLES:
            return frozenset(a for a in actions if is_reading(a))
        return actions

    def __iter__(self) -> Iterator[str]:
        return iter(registry.permissions())

    def __len__(self) -> int:
        return len(registry.permissions())


PERMISSIONS: Mapping[str, frozenset[str]] = _Permissions()

# The level at which each role is normally assigned (a hint for the admin form and the demo).
ROLE_LEVEL: dict[str, str] = {
    Role.DISTRICT_ADMIN: "district",
    Role.SUBDISTRICT_STAFF: "subdistrict",
    Role.COMMUNITY_WORKER: "community",
    Role.PARTY_SECRETARY: "compound",
    Role.BUILDING_LEADER: "building",
    Role.COMMITTEE_MEMBER: "compound",
    Role.PROPERTY_STAFF: "compound",
    Role.PARTY_MEMBER: "compound",
    Role.RESIDENT: "compound",
    Role.SYSTEM_ADMIN: "district",
    Role.SECURITY_ADMIN: "district",
    Role.AUDIT_ADMIN: "district",
    Role.AUDIT_READER: "district",
    Role.INVESTMENT_BUREAU: "district",
    Role.BUILDING_OWNER: "community",  # the centre hangs under its community (docs/centre.md)
    Role.OPERATOR: "community",  # the centre hangs under its community (docs/centre.md)
    Role.INCUBATOR: "community",  # the centre hangs under its community (docs/centre.md)
    Role.PLATFORM_STAFF: "community",  # the centre hangs under its community (docs/centre.md)
    Role.ENTERPRISE_CONTACT: "community",  # the centre hangs under its community (docs/centre.md)
    Role.COUNTY_BUREAU: "district",
    Role.TOWN_STAFF: "subdistrict",
    Role.VILLAGE_CADRE: "community",
    Role.ASSISTANCE_OFFICER: "community",
    Role.BIDDER: "district",
    Role.HOUSEHOLD: "community",
}


def granted_roles() -> list[str]:
    """The roles some app grants an action: a role is named here before the app that uses it lands, and the
    role-by-role tests walk only the roles that can do something."""
    return [str(r) for r in Role if PERMISSIONS[str(r)]]
