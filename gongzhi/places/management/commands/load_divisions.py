"""manage.py load_divisions FILE.csv — load real administrative divisions; all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongzhi.core.actors import system
from gongzhi.places.divisions_csv import DivisionFileError, parse
from gongzhi.places.models import Division
from gongzhi.places.services import divisions_load


class Command(BaseCommand):
    help = "Load administrative divisions (code,name,level,parent_code) from a UTF-8 or GBK CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            self.stderr.write(f"无法读取文件 {file}：{exc.strerror}")
            sys.exit(2)
        try:
            rows = parse(data, known_codes=set(Division.objects.values_list("code", flat=True)))
        except DivisionFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}:{error.line}: {error.message}")
            self.stderr.write(f"文件有 {len(exc.errors)} 处错误，未写入任何数据。")
            sys.exit(1)
        result = divisions_load(actor=system("command:load_divisions"), rows=rows)
        self.stdout.write(
            f"区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}（共 {len(rows)} 行）"
        )
