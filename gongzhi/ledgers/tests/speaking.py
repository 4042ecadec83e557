"""Run a ledger import as the worker does, for a requester of a given language (tests of translated errors).

The worker's own language is set to the other one, so a test passes only when the job's recorded language,
not the worker's, decides the words (gongzhi.core.job_language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from django.utils import translation

from gongzhi.ledgers import tasks
from gongzhi.ledgers.base import SheetSpec
from gongzhi.ledgers.models import LedgerImport


def run_import(
    tmp_path: Path, user: Any, ledger: str, sheets: list[tuple[SheetSpec, list[list[Any]]]], language: str
) -> LedgerImport:
    """Write `sheets` (header first, then the rows as given: text where a number belongs too) to a workbook
    and import it through the background job queued in `language`."""
    path = tmp_path / f"{ledger}-{language}.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec, rows in sheets:
        sheet = book.create_sheet(spec.name)
        for row in [spec.headers, *rows]:
            sheet.append(row)
    book.save(path)
    return run_file(str(path), user, ledger, language)


def run_file(path: str, user: Any, ledger: str, language: str) -> LedgerImport:
    job = LedgerImport.objects.create(ledger=ledger, file=path, created_by=user, language=language)
    with translation.override("zh-hans" if language == "en" else "en"):  # the worker's own language differs
        tasks.run(job.pk)
    job.refresh_from_db()
    return job


def messages(job: LedgerImport) -> list[str]:
    """Each row error as "sheet/row/column: message"."""
    return [f"{e['sheet']}/{e['row']}/{e['column']}: {e['message']}" for e in job.errors]
