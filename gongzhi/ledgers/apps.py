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
        r.register_nav(r.NavEntry(_("台账"), "ledgers:home", (imp, exp), 40, g.LEDGERS))
        r.register_rules(
            {
                "ledgers:home": r.Rule(imp, any_of=(imp, exp)),
                "ledgers:template": r.Rule(imp, any_of=(imp, exp)),
                "ledgers:export": exp,
                "ledgers:upload": r.Rule(imp, ("POST",)),
                "ledgers:status": r.OWN,
                "ledgers:download": r.OWN,
            }
        )
