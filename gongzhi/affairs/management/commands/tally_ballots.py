"""``manage.py tally_ballots FILE.xlsx --item N [--json] [--strict]``: count a paper-ballot sheet.

Without a register, rows of one name and no ID number are counted as one owner and the result lists that
as an assumption (``assumptions`` in ``--json``, "假定：" lines in the text); ``--strict`` refuses instead.

Exit codes: 0 when the sheet was tallied (passed or not); 2 for a bad ``--item``, a missing or unreadable
file, or an invalid sheet (every problem printed to stderr as "第N行 列名: 消息"). ``CommandError`` would
exit 1, hence ``SystemExit(2)``: the caller must be able to tell "the matter failed" from "the sheet is bad".
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from gongzhi.affairs import timeline
from gongzhi.affairs.ballot_sheet import BallotSheet, NotAnXlsxError, read_ballot_sheet
from gongzhi.affairs.civil_code import Item, TallyResult, format_area, participation_threshold


class Command(BaseCommand):
    help = "按民法典第二百七十八条统计纸质表决票（.xlsx）：--item 为第二百七十八条第一款的项（1–9）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="纸质表决统计表 .xlsx")
        parser.add_argument(
            "--item",
            default=None,
            help="民法典第二百七十八条第一款所列事项（1–9）；第六至八项须 3/4 以上同意，其余过半数",
        )
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="不作任何假定：同名而未填身份证号的多户业主须补填身份证号，否则拒绝统计",
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        item = self._item(options["item"])
        path = options["file"]
        try:
            result = read_ballot_sheet(path)
        except FileNotFoundError:
            self._fail(f"文件不存在：{path}")
        except IsADirectoryError:
            self._fail(f"不是文件：{path}")
        except PermissionError:
            self._fail(f"无权读取文件：{path}")
        except NotAnXlsxError as exc:
            self._fail(str(exc))
        if not isinstance(result, BallotSheet):
            for error in result:
                self.stderr.write(str(error))
            raise SystemExit(2)

        assumptions = result.assumptions()
        if assumptions and options["strict"]:
            for line in assumptions:
                self.stderr.write(f"--strict 拒绝统计：{line}")
            raise SystemExit(2)
        outcome = result.tally(item)
        if options["json"]:
            data = outcome.as_json_dict()
            data["reasons"] = [timeline.reason_text(r) for r in outcome.reasons]  # worded
            data["assumptions"] = assumptions
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            report = self._report(outcome)
            if assumptions:
                report += "\n\n" + "\n".join(f"假定：{line}" for line in assumptions)
            self.stdout.write(report)

    def _item(self, raw: str | None) -> Item:
        if raw is None:
            self._fail("缺少 --item：请给出民法典第二百七十八条第一款所列事项的序号（1–9）")
        try:
            return Item(int(raw.strip()))
        except ValueError:
            self._fail(f"--item 无效：「{raw}」；应为 1–9 的整数（民法典第二百七十八条第一款第一至九项）")

    @staticmethod
    def _report(r: TallyResult) -> str:
        approval = f"> {r.threshold[1:]}" if r.threshold.startswith(">") else f"≥ {r.threshold}"
        lines = [
            f"表决事项：民法典第二百七十八条第一款{r.item.title}",
            f"表决规则：参与表决的面积和人数均须 {participation_threshold().symbol}（占全体）；"
            f"同意的面积和人数均须 {approval}（占参与表决）",
            f"专有部分：{r.homes} 户，总面积 {format_area(r.area_total)}㎡",
            f"业主总人数：{r.owners_total} 人（一人多户计一人；建设单位未售、未交付房屋合计一人）",
            f"参与表决：{r.owners_voted} 人，面积 {format_area(r.area_voted)}㎡",
            f"  同意：{r.owners_agree} 人，面积 {format_area(r.area_agree)}㎡",
            f"  反对：{r.owners_against} 人，面积 {format_area(r.area_against)}㎡",
            f"  弃权：{r.owners_abstain} 人，面积 {format_area(r.area_abstain)}㎡",
            f"未参与表决：{r.owners_total - r.owners_voted} 人",
            "",
            "计算依据：",
            *(f"  - {timeline.reason_text(reason)}" for reason in r.reasons),
            "",
            f"结果：{'通过' if r.passed else '未通过'}",
        ]
        return "\n".join(lines)
