"""manage.py cogovern_status_rebuild [--place CODE] — rebuild the map's per-compound status rows.

After bulk loads that bypass the services, and nightly (a contract that starts, or a committee that ends,
on a future day changes which one the row holds).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gongzhi.cogovern.services import compound_status_refresh
from gongzhi.core.paths import under
from gongzhi.places.models import Division


class Command(BaseCommand):
    help = "重建物管地图的小区状态行（批量导入后、每日夜间运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--place", default="", help="区划代码；不填则重建全部")

    def handle(self, *args: Any, place: str, **options: Any) -> None:
        scope = Q()
        if place:
            division = Division.objects.filter(code=place).first()
            if division is None:
                raise CommandError(f"没有区划代码为 {place} 的区划")
            scope = under(division.path)
        n = compound_status_refresh(compounds=scope)
        self.stdout.write(f"已重建 {n} 个小区的状态行")
