from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffairsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.affairs"
    label = "affairs"

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label,
            "gongzhi.affairs.migrations.0002_seed_categories_and_rule_sets:seed",
            "MatterCategory",
            "VoteRuleSet",
        )  # put back after a flush
        from gongzhi.accounts.roles import STAFF_ROLES, Action, Role, grant
        from gongzhi.affairs.indicators import FIGURES
        from gongzhi.affairs.models import MATTER_TAKE
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        raise_, manage, vote = Action.MATTER_RAISE, Action.MATTER_MANAGE, Action.VOTE_MANAGE
        managers = (*STAFF_ROLES, Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER)
        r.register_actions(self.label, grant(raise_, *Role), grant(manage, *managers), grant(vote, *managers))
        r.register_actions(
            self.label,
            r.ActionSpec(MATTER_TAKE, _("物业承接自治事务"), frozenset({str(Role.PROPERTY_STAFF)})),
        )
        r.register_nav(r.NavEntry(_("自治事务"), "affairs:matters", (raise_,), 20, g.GOVERNANCE))
        r.register_nav(r.NavEntry(_("我的表决"), "affairs:my_page", (raise_,), 21, g.GOVERNANCE))
        r.register_figures(
            self.label,
            "gongzhi.affairs.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "affairs.Matter",
                "affairs.Vote",
                "affairs.Meeting",
            ),
        )
        r.register_person_of_user("gongzhi.affairs.mydata:person_of_user")
        r.register_person_section("gongzhi.affairs.mydata:sections", 50, shown_to=(r.SELF,))
        r.register_person_section("gongzhi.affairs.selectors:person_section", 30, shown_to=(r.STAFF,))
        view, post = Action.PLACE_VIEW, ("POST",)
        r.register_rules(
            {
                "affairs:matters": Action.GOVERNANCE_VIEW,  # the governance roles' list, scoped
                "affairs:matter_new": r.Rule(raise_, ("GET", "POST")),
                "affairs:matter": view,
                "affairs:matter_advance": r.Rule(manage, post),
                "affairs:matter_note": r.Rule(manage, post),
                "affairs:meeting_new": r.Rule(manage, post),
                "affairs:attachment_new": r.Rule(manage, post),
                "affairs:vote_new": r.Rule(vote, post),
                "affairs:matter_emergency": r.Rule(vote, post),
                "affairs:matter_take": r.Rule(MATTER_TAKE, post),
                "affairs:attachment": view,
                "affairs:mandate": vote,
                "affairs:vote": view,
                "affairs:vote_cast": r.Rule(view, post),
                "affairs:vote_record": r.Rule(vote, post),
                "affairs:vote_sheet": r.Rule(vote, post),
                "affairs:vote_sheet_job": vote,
                "affairs:vote_close": r.Rule(vote, post),
                "affairs:vote_publish": r.Rule(vote, post),
                "affairs:vote_public": r.PUBLIC,
                "affairs:my_page": Action.GOVERNANCE_VIEW,
                "affairs:vote_canvass": vote,
                "affairs:vote_form": vote,
                "affairs:vote_unit": r.Rule(vote, ("GET", "POST")),
                "affairs:notice_new": r.Rule(vote, post),
                "affairs:objection_new": r.Rule(vote, post),
                "affairs:objection_answer": r.Rule(vote, post),
                "affairs:notice_public": r.PUBLIC,
                "affairs:home_owners": r.Rule(Action.PERSON_EDIT, ("GET", "POST")),
                "affairs:vote_chain": view,
                "matter-list": r.SIGNED_IN,
                "matter-detail": view,
                "vote-list": r.SIGNED_IN,
                "vote-detail": view,
                "meeting-list": r.SIGNED_IN,
                "meeting-detail": view,
            }
        )
