"""Demo accounts for the separation of duties (issue 15): a system, a security and an audit administrator and
an audit reader, each at the district, so the log-in log and history pages have someone to read them."""

from __future__ import annotations

from django.contrib.auth.models import User

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import role_grant, user_create
from gongzhi.core.actors import system
from gongzhi.demo.users import DemoLogin
from gongzhi.places.models import Division

DEMO = system("seed_demo")
PLAN = (
    ("xitong_admin", "系统管理员", Role.SYSTEM_ADMIN),
    ("anquan_admin", "安全管理员", Role.SECURITY_ADMIN),
    ("shenji_admin", "审计管理员", Role.AUDIT_ADMIN),
    ("shenji", "审计查阅员", Role.AUDIT_READER),
)


def build_security(*, password: str, seed: int = 0, district_code: str = "370202") -> list[DemoLogin]:
    """Idempotent: an existing account keeps its password; the grant is made once. `seed` is unused (no
    randomness) and accepted for the seed_demo convention."""
    district = Division.objects.get(code=district_code)
    existing = set(User.objects.filter(username__in=[p[0] for p in PLAN]).values_list("username", flat=True))
    logins = []
    for username, full_name, role in PLAN:
        if username in existing:
            user = User.objects.get(username=username)
        else:
            user = user_create(actor=DEMO, username=username, password=password, full_name=full_name)
        role_grant(actor=DEMO, user=user, role=role, place=district)
        logins.append(DemoLogin(username, str(Role(role).label), district.name))
    return logins
