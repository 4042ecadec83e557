from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradingConfig(AppConfig):
    """Rural property-rights trading (农村产权流转交易, 平度市, issue 14)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.trading"
    label = "trading"

    def ready(self) -> None:
        from gongzhi.accounts.roles import Role
        from gongzhi.core import navgroups
        from gongzhi.core import registry as r
        from gongzhi.trading.indicators import FIGURES
        from gongzhi.trading.models import BID, MANAGE, VIEW

        staff = (Role.DISTRICT_ADMIN, Role.COUNTY_BUREAU, Role.TOWN_STAFF)
        viewers = (*staff, Role.VILLAGE_CADRE, Role.BIDDER)
        r.register_actions(
            self.label,
            r.ActionSpec(VIEW, _("查看农村产权交易项目"), frozenset(str(x) for x in viewers)),
            r.ActionSpec(
                MANAGE, _("组织农村产权交易：挂牌、保证金、成交、结算"), frozenset(str(x) for x in staff)
            ),
            r.ActionSpec(BID, _("参与农村产权竞价"), frozenset({str(Role.BIDDER)})),
        )
        r.register_nav(r.NavEntry(_("产权交易"), "trading:index", (VIEW,), 60, navgroups.RURAL))
        r.register_start("trading:mine", Role.BIDDER)
        r.register_ledger("trading_listings", "gongzhi.trading.ledger:TRADING_LEDGER")
        r.register_figures(
            self.label,
            "gongzhi.trading.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=("trading.Listing",),
        )
        post = ("POST",)
        r.register_rules(
            {
                "trading:index": VIEW,
                "trading:new": MANAGE,
                "trading:mine": BID,
                "trading:report": VIEW,
                "trading:register": r.SIGNED_IN,
                "trading:bidders": MANAGE,
                "trading:review": r.Rule(MANAGE, post),
                "trading:detail": VIEW,
                "trading:deposit": r.Rule(MANAGE, post),
                "trading:bid": r.Rule(BID, post),
                "trading:close": r.Rule(MANAGE, post),
                "trading:tenant": r.Rule(MANAGE, post),
                "trading:settle": r.Rule(MANAGE, post),
                "trading:relist": r.Rule(MANAGE, post),
                "trading:certificate": VIEW,
                "trading-listing-list": r.SIGNED_IN,
                "trading-listing-detail": VIEW,
                "trading-bid-list": r.SIGNED_IN,
                "trading-bid-detail": VIEW,
                # Bidders and deposits: the staff in their places; a bidder also reads its own (api.py).
                "trading-bidder-list": r.SIGNED_IN,
                "trading-bidder-detail": MANAGE,
                "trading-deposit-list": r.SIGNED_IN,
                "trading-deposit-detail": MANAGE,
                "trading-changes": VIEW,
                "trading:contract": r.Rule(MANAGE, post),
                "trading:instalment": r.Rule(MANAGE, post),
            }
        )
