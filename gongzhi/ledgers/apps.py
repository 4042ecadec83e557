from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.ledgers"
    label = "ledgers"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from gongzhi.accounts.roles import STAFF_ROLES, Action, Role, grant
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r
        from gongzhi.core.files import sqlite_private

        connection_created.connect(sqlite_private, dispatch_uid="gongzhi-sqlite-private")

        imp, exp = Action.LEDGER_IMPORT, Action.LEDGER_EXPORT
        r.register_actions(
            self.label, grant(imp, *STAFF_ROLES), grant(exp, *STAFF_ROLES, Role.PARTY_SECRETARY)
        )
        from gongzhi.ledgers.access import any_ledger_actions, import_actions

        # Each ledger names the actions that open it (gongzhi.ledgers.access); the page and its menu entry
        # open to whoever may use any of them, the template and export here are the homes ledger's (the
        # matrix asks with slug=homes), and the views check the asked ledger's own actions.
        r.register_nav(r.NavEntry(_("台账"), "ledgers:home", any_ledger_actions, 40, g.LEDGERS))
        r.register_rules(
            {
                "ledgers:home": r.Rule(imp, any_of=any_ledger_actions),
                "ledgers:template": r.Rule(imp, any_of=(imp, exp)),
                "ledgers:export": exp,
                "ledgers:upload": r.Rule(imp, ("POST",), any_of=import_actions),
                "ledgers:status": r.OWN,
                "ledgers:download": r.OWN,
            }
        )
