"""Re-encrypt ID numbers and phones under the current key (the first of GONGZHI_PERSONAL_DATA_KEYS).

Put the new key first and keep the old one after it, run this, then drop the old key. Batches commit one
by one; stop it at any time and run it again to go on (gongzhi/core/rotation.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongzhi.core.crypto import keyring
from gongzhi.core.rotation import encrypted_models, rotate_model, stale_count


class Command(BaseCommand):
    help = "按当前密钥重新加密身份证号和手机号（分批提交，可中断后续跑）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="每批行数")
        parser.add_argument(
            "--max-batches", type=int, default=None, help="每张表最多处理的批数（用于分段执行）"
        )
        parser.add_argument("--check", action="store_true", help="只统计尚未使用当前密钥的行数")

    def handle(self, *args: Any, batch: int, max_batches: int | None, check: bool, **options: Any) -> None:
        ring = keyring()
        self.stdout.write(f"当前密钥 {ring.current}，算法 {ring.cipher}")
        left = 0
        for model in encrypted_models():
            if check:
                n = stale_count(model)
                left += n
                self.stdout.write(f"{model._meta.label}: 待重新加密 {n} 行")
                continue
            done = rotate_model(model, batch=max(1, batch), max_batches=max_batches)
            n = stale_count(model)
            left += n
            self.stdout.write(f"{done.model}: 重新加密 {done.rows} 行（{done.batches} 批），剩余 {n} 行")
        self.stdout.write(
            self.style.SUCCESS("全部完成") if left == 0 else f"尚余 {left} 行，再次运行即可继续"
        )
