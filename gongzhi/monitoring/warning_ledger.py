"""Department warning lists (部门预警名单) as a ledger of the ledgers framework.

A sheet 预警名单 with 身份证号, 预警部门 and 预警事由. The upload goes through `/ledgers/` like every other
ledger: stored privately, imported by the task worker with its progress bar, every cell checked (a bad ID
number is a row error with its reason), and all or nothing. The matching and writing are the one service
`services.warning_list_import` that `/monitoring/warnings/` calls too: rows are grouped by department (one
`WarningList` each) and matched to the members of households under the importer's place — the place where
they hold `monitoring.warn_import` (the county bureau's county). IDs of no member are counted, not refused:
a department lists people outside the county too.

A warning list is the department's, kept as it was imported (`WarningList`, read by the API); there is
nothing to export and import back, so the ledger offers no export (`exportable = False`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.access import actor_of
from gongzhi.ledgers.base import Book, CellError, Column, Context, SheetSpec, choice, text_max
from gongzhi.monitoring import services
from gongzhi.monitoring.ledger import id_number
from gongzhi.monitoring.models import WARN_IMPORT, Department

DEPARTMENTS = {str(label): value for value, label in Department.choices}

WARNINGS = SheetSpec(
    "预警名单",
    (
        Column("身份证号", "id_number", id_number, required=True, width=22, note="18 位，含校验码"),
        Column("预警部门", "department", choice(DEPARTMENTS), required=True, note="、".join(DEPARTMENTS)),
        Column("预警事由", "reason", text_max(200), width=30, field="monitoring.Warning.reason"),
    ),
)


@dataclass
class Plan:
    path: str = ""
    by_department: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # value → (ID, reason)


def place_of(user: Any) -> str | None:
    """Where a user's lists are matched: the one place where they may import warning lists."""
    paths = actor_of(user).paths(WARN_IMPORT)
    return paths[0] if len(paths) == 1 else None


class WarningLedger:
    slug = "monitoring_warnings"
    title = gettext_noop("部门预警名单（民政、医保、教育、住建、水利、残联、应急管理）")
    sheets = (WARNINGS,)
    import_action = export_action = WARN_IMPORT  # the county bureau (gongzhi.ledgers.access)
    exportable = False
    personal_data = True

    def check(self, book: Book, ctx: Context) -> tuple[Plan, list[CellError]]:
        plan, errors = Plan(), list[CellError]()
        if ctx.user is None:  # the command line without --user: no place to match under
            return plan, [CellError("", 0, "", _("部门预警名单须以县级主管部门的账号导入（--user）"))]
        path = place_of(ctx.user)
        if path is None:
            return plan, [
                CellError(
                    "",
                    0,
                    "",
                    _("您没有导入部门预警名单的权限，或有多个辖区：请在“部门预警名单”页面选择辖区导入"),
                )
            ]
        plan.path = path
        for r in book.rows(WARNINGS.name):
            v = r.values
            plan.by_department.setdefault(v["department"], []).append((v["id_number"], v["reason"]))
        return plan, errors

    def apply(self, plan: Plan, ctx: Context) -> dict[str, int]:
        lists = lines = matched = raised = unknown = 0
        for department, rows in plan.by_department.items():
            report = services.warning_list_import(
                actor=ctx.user, department=department, path=plan.path, rows=rows
            )
            if report.bad:  # every ID was checked cell by cell already; the service checks again
                raise ValidationError("；".join(why for _n, why in report.bad[:5]))
            lists += 1
            lines += report.rows
            matched += report.matched
            raised += report.cases_raised
            unknown += len(report.unknown)
        return {  # labelled in the importer's language (a job speaks its requester's)
            _("预警名单"): lists,
            _("行数"): lines,
            _("匹配农户"): matched,
            _("新发现监测对象"): raised,
            _("未匹配身份证号"): unknown,
        }

    def export(self, place_path: str, user: Any) -> Iterator[tuple[SheetSpec, Iterable[list[Any]]]]:
        yield WARNINGS, []  # not offered (exportable = False); an empty sheet if called directly


WARNING_LEDGER = WarningLedger()
