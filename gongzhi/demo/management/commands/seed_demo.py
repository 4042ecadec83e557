"""manage.py seed_demo [--seed N] [--scale district|city] — build the demo district (or the whole city)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from gongzhi.core.actors import system
from gongzhi.core.bulk import analyze
from gongzhi.demo.generate import build
from gongzhi.demo.users import create_demo_users
from gongzhi.people.paths import refresh_unknown
from gongzhi.places.models import Compound, Division
from gongzhi.places.services import places_recount

DIVISIONS_CSV = Path(settings.BASE_DIR) / "data" / "qingdao-divisions.csv"
SHINAN = "370202"


class Command(BaseCommand):
    help = "Build the demo district 市南区 (or all of Qingdao with --scale city); reuses what exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=20241218)
        parser.add_argument("--scale", choices=["district", "city"], default="district")
        parser.add_argument(
            "--password", default=None, help="demo users' password (default: GONGZHI_DEMO_PASSWORD)"
        )

    def handle(self, *args: Any, seed: int, scale: str, password: str | None, **options: Any) -> None:
        started = time.monotonic()
        if not Division.objects.filter(code=SHINAN).exists():
            call_command("load_divisions", str(DIVISIONS_CSV), stdout=self.stdout, stderr=self.stderr)
        wanted = [SHINAN]
        if scale == "city":
            wanted = list(
                Division.objects.filter(level="district", code__startswith="3702").values_list(
                    "code", flat=True
                )
            )
        done = set(Compound.objects.values_list("community__parent__parent__code", flat=True).distinct())
        todo = [code for code in wanted if code not in done]
        if todo:
            bars: dict[str, tqdm] = {}
            quiet = options.get("verbosity", 1) == 0

            def progress(label: str, n: int) -> None:
                if quiet:
                    return
                if label not in bars:
                    bars[label] = tqdm(
                        desc=label, unit="行", file=self.stderr._out, leave=False, position=len(bars)
                    )
                bars[label].update(n)

            build(seed=seed, district_codes=todo, city_scale=scale == "city", progress=progress)
            for bar in bars.values():
                bar.close()
            places_recount(actor=system("seed_demo"))
            self.stdout.write(f"生成完成：{len(todo)} 个区（市），用时 {time.monotonic() - started:.1f} 秒")
        else:
            self.stdout.write("示范数据已存在，沿用。")
        from gongzhi.demo.party import build_party

        if build_party(seed=seed, district_codes=wanted):
            self.stdout.write(f"党组织链条生成完成，用时 {time.monotonic() - started:.1f} 秒")
        logins = create_demo_users(password or settings.GONGZHI_DEMO_PASSWORD)
        from gongzhi.demo.affairs import build_affairs

        affairs = build_affairs(seed=seed, district_code=SHINAN)
        self.stdout.write(
            f"自治事务{'生成完成' if affairs.created else '已存在，沿用'}：{affairs.matters} 件"
            f"（已解决 {affairs.resolved}，办理中 {affairs.open}，搁置 {affairs.shelved}），"
            f"吹风会 {affairs.briefings} 场，表决 {affairs.votes} 场（通过 {affairs.votes_passed}，"
            f"其中按单元加装电梯 {affairs.elevator_votes}），表决票 {affairs.ballots} 张；"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.reporting import build_reporting

        rep = build_reporting(seed=seed, district_code=SHINAN)
        self.stdout.write(
            f"双报到{'生成完成' if rep.created else '已存在，沿用'}：报到单位 {rep.units} 个，报到在职党员 {rep.members} 人，"
            f"需求 {rep.needs} 项，接受匹配 {rep.accepted} 人次，确认服务 {rep.hours} 小时；"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        refresh_unknown()  # persons written in bulk get their place path (gongzhi.people.paths)
        analyze()  # the planner's statistics describe the loaded tables, not the empty ones
        from gongzhi.demo.cogovern import build_cogovern

        co = build_cogovern(seed=seed, district_code=SHINAN)
        self.stdout.write(
            f"共治共同体{'生成完成' if co.created else '已存在，沿用'}：业委会应建 {co.required}、已建 {co.formed}，"
            f"物业企业 {co.companies} 家，物管地图 {co.maps} 个社区；用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.cogovern_meetings import build_meetings

        mt = build_meetings(seed=seed, district_code=SHINAN)
        self.stdout.write(
            f"业委会会议{'生成完成' if mt.created else '已存在，沿用'}：{mt.meetings} 次，决定 {mt.decisions} 项"
            f"（通过 {mt.passed}）；换届小组 {mt.groups} 个（已移交资料 {mt.handed_over}，逾期未移交 {mt.overdue}），"
            f"换届小组组织选出新一届 {mt.reelected} 个；用时 {time.monotonic() - started:.1f} 秒"
        )
        shinan = Division.objects.get(code=SHINAN)
        self.stdout.write(
            f"市南区：{shinan.compounds_count} 个小区，{shinan.buildings_count} 栋楼，{shinan.homes_count} 套房屋"
        )
        from gongzhi.demo.people import build_access_log

        if build_access_log(seed=seed):
            self.stdout.write("个人信息查看记录已生成（居民账号 jumin 的“我的信息”页面可见）")
        from gongzhi.demo.security import build_security

        logins += build_security(password=password or settings.GONGZHI_DEMO_PASSWORD, seed=seed)
        from gongzhi.demo.campaign import build_campaign

        campaign = build_campaign(seed=seed, district_code=SHINAN)
        self.stdout.write(
            f"专项行动{'生成完成' if campaign.created else '已存在，沿用'}：攻坚目标 {campaign.targets} 个"
            f"（已完成 {campaign.done}），指标快照 {campaign.snapshots} 条；用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.monitoring import build_monitoring
        from gongzhi.demo.users import create_monitoring_users

        mon = build_monitoring(seed=seed)
        monitoring_logins = create_monitoring_users(password or settings.GONGZHI_DEMO_PASSWORD)
        logins += [login for _user, login in monitoring_logins]
        self.stdout.write(
            f"防返贫监测{'生成完成' if mon.created else '已存在，沿用'}（平度市）：农户 {mon.households} 户，"
            f"监测对象 {mon.cases} 个；用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.centre import build_centre
        from gongzhi.demo.users import create_centre_users

        ctr = build_centre(seed=seed)
        logins += create_centre_users(password or settings.GONGZHI_DEMO_PASSWORD)
        self.stdout.write(
            f"黄岛区服务中心{'生成完成' if ctr.created else '已存在，沿用'}：产业平台 {ctr.platforms} 个，"
            f"启用仪式嘉宾 {ctr.guests} 位，签约 {ctr.signed} 家（已落地 {ctr.landed}），入驻企业 {ctr.settled} 家，"
            f"出租率 {ctr.occupancy:.2%}，招商项目 {ctr.projects} 个，服务诉求 {ctr.requests} 件"
            f"（按时办结率 {ctr.on_time_rate:.2%}），融资推介 {ctr.referrals} 项（批准 {ctr.approved}，"
            f"落实融资 {ctr.finance_yuan / 10000:,.0f} 万元）；用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.agribiz import build_agribiz

        ag = build_agribiz(seed=seed)
        self.stdout.write(
            f"新型农业经营主体{'生成完成' if ag.created else '已存在，沿用'}：平度市合作社 {ag.pingdu_cooperatives} 家、"
            f"家庭农场 {ag.pingdu_family_farms} 家（全市 {ag.cooperatives} 家、{ag.family_farms} 家），"
            f"年度报告 {ag.reports} 份；用时 {time.monotonic() - started:.1f} 秒"
        )
        from gongzhi.demo.collectives import build_collectives

        col = build_collectives(seed=seed)
        self.stdout.write(
            f"平度市农村集体三资{'生成完成' if col.created else '已存在，沿用'}：集体经济组织 {col.collectives} 个，"
            f"资产 {col.assets_yuan / 1e8:.2f} 亿元，合同 {col.contracts} 份（90天内到期 {col.expiring}，"
            f"超出规定 {col.out_of_range}，缺少民主决策 {col.unapproved}），四议两公开事项 {col.decisions} 个；"
            f"镇街评定（按评定规则计算）：示范 {col.grades.get('exemplary', 0)} 个、创优 {col.grades.get('excellent', 0)} 个、"
            f"强基 {col.grades.get('strengthening', 0)} 个；用时 {time.monotonic() - started:.1f} 秒"
        )
        # After the collectives: the live listings rest on their village collective's decisions.
        from gongzhi.demo.trading import build_trading
        from gongzhi.demo.users import create_trading_users

        tr = build_trading(seed=seed)
        logins += create_trading_users(password or settings.GONGZHI_DEMO_PASSWORD)
        self.stdout.write(
            f"平度市农村产权交易{'生成完成' if tr.created else '已存在，沿用'}：挂牌 {tr.listings} 宗，成交结算 {tr.settled} 宗，"
            f"出价 {tr.bids} 次，成交额 {tr.turnover / 1e8:.2f} 亿元，集体增收 {tr.income / 1e4:,.0f} 万元；"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        self.stdout.write("示范账号（用户名 / 角色 / 范围）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role:<10} {login.place}")
