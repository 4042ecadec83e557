"""The menus of the navigation bar, one per system of the platform: data that apps name in their NavEntry.

A new system (an enterprise-service centre, rural revitalisation) declares its own NavGroup in its app, or
puts its entries in one of these; the bar (templates/base.html) draws whatever is registered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.registry import NavGroup

COCKPIT = NavGroup("cockpit", _("驾驶舱与专项行动"), 5)
GOVERNANCE = NavGroup("governance", _("小区治理"), 10)
COMMUNITY = NavGroup("community", _("共治共同体"), 30)
REPORTING = NavGroup("reporting", _("双报到"), 36)
CENTRE = NavGroup("centre", _("企业服务中心"), 38)
LEDGERS = NavGroup("ledgers", _("台账"), 40)
RURAL = NavGroup("rural", _("乡村振兴"), 50)
SYSTEM = NavGroup("system", _("系统"), 90)
