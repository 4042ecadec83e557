from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.people"
    label = "people"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from gongzhi.accounts.roles import STAFF_ROLES, Action, Role, grant
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        r.register_actions(
            self.label,
            grant(
                Action.PERSON_VIEW,
                *STAFF_ROLES,
                Role.PARTY_SECRETARY,
                Role.BUILDING_LEADER,
                Role.COMMITTEE_MEMBER,
            ),
            # The county's and towns' rural staff keep registers keyed by ID number (monitored households,
            # cooperatives' representatives): they export them whole, logged like every unmasked view.
            grant(Action.PERSON_UNMASK, *STAFF_ROLES, Role.COUNTY_BUREAU, Role.TOWN_STAFF),
            grant(Action.PERSON_EDIT, *STAFF_ROLES),
        )
        r.register_nav(r.NavEntry(_("人员"), "people:search", (Action.PERSON_VIEW,), 35, g.GOVERNANCE))
        # A person's existence is personal data: without person.view the record answers 404, not 403.
        r.register_rules(
            {
                "person-list": r.SIGNED_IN,
                "person-detail": r.Rule(Action.PERSON_VIEW, conceal=True),
                "people:my_data": r.SIGNED_IN,  # shows only the signed-in user's own person
            }
        )
        r.register_person_section("gongzhi.people.mydata:sections", 10, shown_to=(r.SELF,))
