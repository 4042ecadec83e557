"""What the centre registers: its actions and who holds them, its pages' rules, nav, figures and ledgers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register(label: str) -> None:
    from gongzhi.accounts.roles import Role
    from gongzhi.centre.indicators import FIGURES
    from gongzhi.centre.models import EDIT, REQUEST, SERVE, VIEW
    from gongzhi.core import navgroups
    from gongzhi.core import registry as r

    centre_staff = (
        Role.INVESTMENT_BUREAU,
        Role.BUILDING_OWNER,
        Role.OPERATOR,
        Role.INCUBATOR,
        Role.PLATFORM_STAFF,
    )
    r.register_actions(
        label,
        r.ActionSpec(
            VIEW, _("查看服务中心的空间、企业、招商和服务"), frozenset(str(x) for x in centre_staff)
        ),
        r.ActionSpec(
            EDIT,
            _("维护招商项目、企业、租约和活动"),
            frozenset(str(x) for x in (Role.INVESTMENT_BUREAU, Role.OPERATOR, Role.PLATFORM_STAFF)),
        ),
        r.ActionSpec(
            SERVE, _("办理企业服务诉求"), frozenset(str(x) for x in (Role.INVESTMENT_BUREAU, Role.OPERATOR))
        ),
        r.ActionSpec(REQUEST, _("提出和评价本企业的服务诉求"), frozenset({str(Role.ENTERPRISE_CONTACT)})),
    )
    r.register_nav(r.NavEntry(_("服务中心"), "centre:home", (VIEW,), 36, navgroups.CENTRE))
    r.register_nav(r.NavEntry(_("企业服务"), "centre:requests", (VIEW, REQUEST), 37, navgroups.CENTRE))
    r.register_start(
        "centre:home",
        Role.INVESTMENT_BUREAU,
        Role.BUILDING_OWNER,
        Role.OPERATOR,
        Role.INCUBATOR,
        Role.PLATFORM_STAFF,
    )
    r.register_start("centre:requests", Role.ENTERPRISE_CONTACT)
    r.register_figures(
        label,
        "gongzhi.centre.indicators:figures",
        FIGURES,
        # what the provider reads: its answers are stored while these are unchanged (insights.store)
        sources=(
            "centre.Centre",
            "centre.Platform",
            "centre.Space",
            "centre.Enterprise",
            "centre.Lease",
            "centre.Project",
            "centre.StageStep",
            "centre.Stage",
            "centre.Agreement",
            "centre.ServiceRequest",
            "centre.ServiceItem",
            "centre.WorkCalendar",
        ),
    )
    r.register_ledger("centre_key_figures", "gongzhi.centre.ledger:KEY_FIGURES_LEDGER")
    r.register_ledger("centre_registry", "gongzhi.centre.ledger_registry:REGISTRY_LEDGER")
    r.register_ledger("centre_referrals", "gongzhi.centre.ledger_referrals:REFERRALS_LEDGER")
    post = ("POST",)
    r.register_rules(
        {
            "centre:home": VIEW,  # redirects to the first centre in the user's places
            "centre:overview": VIEW,
            "centre:enterprises": VIEW,
            "centre:board": VIEW,
            "centre:match": VIEW,
            "centre:events": VIEW,
            "centre:event": VIEW,
            "centre:event_new": r.Rule(EDIT, ("GET", "POST")),
            "centre:event_edit": r.Rule(EDIT, ("GET", "POST")),
            "centre:agreement_new": r.Rule(EDIT, post),
            "centre:project_new": EDIT,  # the form (GET) and its submission
            "centre:project": VIEW,
            "centre:project_edit": EDIT,
            "centre:project_advance": r.Rule(EDIT, post),
            "centre:project_credit": r.Rule(EDIT, post),
            "centre:project_land": r.Rule(EDIT, ("GET", "POST")),  # the form and its submission
            "centre:requests": r.Rule(
                VIEW, any_of=(VIEW, REQUEST)
            ),  # lists only the requests the user may see
            "centre:request_file": r.Rule(REQUEST, post),
            "centre:items": VIEW,  # the forms only for centre.edit
            "centre:item_new": r.Rule(EDIT, post),
            "centre:item_edit": r.Rule(EDIT, post),
            "centre:item_retire": r.Rule(EDIT, post),
            "centre:request_answer": r.Rule(SERVE, post),
            "centre:request_rate": r.Rule(REQUEST, post),
            "centre:request": r.Rule(VIEW, any_of=(VIEW, REQUEST)),  # handlers, or its enterprise's contact
            "centre:referral_new": r.Rule(SERVE, post),
            # the partner's result: handlers; a withdrawal: also the enterprise's own contact
            "centre:referral_answer": r.Rule(SERVE, post, any_of=(SERVE, REQUEST)),
            "centre:referrals": VIEW,
            "centre:partner_new": r.Rule(EDIT, post),
            "centre:partners": VIEW,  # the forms only for centre.edit
            "centre:partner_rename": r.Rule(EDIT, post),
            "centre:partner_end": r.Rule(EDIT, post),
            "centre-referral-list": r.SIGNED_IN,
            "centre-referral-detail": VIEW,
            "centre-room-list": r.SIGNED_IN,  # lists only what the caller may see
            "centre-room-detail": VIEW,
            "centre-enterprise-list": r.SIGNED_IN,
            "centre-enterprise-detail": VIEW,
            "centre-lease-list": r.SIGNED_IN,
            "centre-lease-detail": VIEW,
            "centre-project-list": r.SIGNED_IN,
            "centre-project-detail": VIEW,
        }
    )
