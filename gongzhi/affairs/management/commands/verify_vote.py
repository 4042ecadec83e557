"""``manage.py verify_vote [ID …] [--all]``: verify votes' ballot chains (gongzhi.affairs.chain).

Prints, per vote, the number of links and the head digest, or every problem found; exits 1 if any vote
fails, so a scheduled run can raise an alarm.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongzhi.affairs.chain import verify
from gongzhi.affairs.models import Vote


class Command(BaseCommand):
    help = "校验表决记录链：逐条核验哈希、重放表决意见并与表决票比较，已结束的表决重新计票。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="vote ids")
        parser.add_argument("--all", action="store_true", help="every vote")

    def handle(self, *args: Any, ids: list[int], all: bool, **options: Any) -> None:
        if not ids and not all:
            raise CommandError("give vote ids or --all")
        votes = Vote.objects.select_related("rule_set", "building", "matter").order_by("pk")
        if not all:
            votes = votes.filter(pk__in=ids)
            missing = set(ids) - set(votes.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no vote {sorted(missing)}")
        failed = 0
        for vote in votes:
            check = verify(vote)
            if check.ok:
                self.stdout.write(f"vote {vote.pk}: ok, {check.length} links, head {check.head}")
                continue
            failed += 1
            self.stdout.write(f"vote {vote.pk}: FAILED, {check.length} links, head {check.head}")
            for problem in check.problems:
                self.stdout.write(f"  {problem}")
        if failed:
            raise CommandError(f"{failed} votes failed verification")
