"""manage.py import_ledger FILE.xlsx [--ledger party] [--user NAME] — all or nothing, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gongzhi.core.actors import system
from gongzhi.ledgers.base import Context
from gongzhi.ledgers.importer import LEDGERS, get_ledger, import_file


class Command(BaseCommand):
    help = "Import a ledger workbook (台账). Any bad cell rejects the whole file; errors are listed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--ledger", choices=sorted(LEDGERS), default=None, help="default: from the sheets"
        )
        parser.add_argument(
            "--user",
            default=None,
            help="import with this user's scope (default: the command acts as a system actor, everywhere)",
        )

    def handle(self, *args: Any, file: str, ledger: str | None, user: str | None, **options: Any) -> None:
        actor: Any = system("command:import_ledger")
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user}")
        quiet = options.get("verbosity", 1) == 0
        bar = tqdm(total=0, unit="行", desc="检查", file=self.stderr._out, disable=quiet, leave=False)

        def report(phase: str, done: int, total: int) -> None:
            bar.set_description(
                {"reading": "读取", "checking": "检查", "writing": "写入", "done": "完成"}[phase]
            )
            if total and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()

        outcome = import_file(get_ledger(ledger) if ledger else None, file, Context(actor, report))
        bar.close()
        if not outcome.ok:
            for e in outcome.errors[:200]:
                self.stderr.write(f"{e.sheet} 第{e.row}行 {e.column}：{e.message}")
            raise CommandError(f"{len(outcome.errors)} 处错误，未写入任何数据")
        summary = "，".join(f"{k} {v}" for k, v in outcome.counts.items()) or "没有变化"
        self.stdout.write(f"导入完成：{summary}")
