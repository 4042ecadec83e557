"""manage.py cogovern_status_rebuild [--place CODE] [--enqueue] — rebuild the map's per-compound status rows.

After migrating an existing database, after bulk loads that bypass the services, and nightly (a contract
that starts, or a committee that ends, on a future day changes which one the row holds). `--enqueue` hands
it to the task worker (`tasks.status_rebuild`), as the nightly cron line does (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongzhi.places.models import Division


class Command(BaseCommand):
    help = "重建物管地图的小区状态行（批量导入后、每日夜间运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--place", default="", help="区划代码；不填则重建全部")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args: Any, place: str, enqueue: bool, **options: Any) -> None:
        from gongzhi.cogovern.tasks import status_rebuild

        path = ""
        if place:
            division = Division.objects.filter(code=place).first()
            if division is None:
                raise CommandError(f"没有区划代码为 {place} 的区划")
            path = division.path
        if enqueue:
            self.stdout.write(f"已排队：{status_rebuild.enqueue(path=path).id}")
            return
        n = status_rebuild.call(path=path)["compounds"]
        self.stdout.write(f"已重建 {n} 个小区的状态行")
