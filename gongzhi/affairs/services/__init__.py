"""Every write of the affairs app: ``<noun>_<verb>``, keyword-only, one transaction each.

Each takes ``actor`` (a user, or gongzhi.core.actors.system(...) for the demo and other system jobs) and
checks the right through gongzhi.accounts.access; None is anonymous and refused. Bad input raises
``ValidationError`` with a Chinese message and writes nothing. The law lives in civil_code (counting) and
workflow (stages); these modules only apply them: matters, votes, paper (ballot sheets), common.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from gongzhi.affairs.ballot_sheet import read_ballot_sheet
from gongzhi.affairs.services.assembly import ItemText, notice_post, objection_answer, objection_record
from gongzhi.affairs.services.matters import (
    ScopePlace,
    attachment_add,
    matter_advance,
    matter_fund_emergency,
    matter_note,
    matter_raise,
    matter_take,
    meeting_record,
    scope_path,
)
from gongzhi.affairs.services.owners import owner_login_link
from gongzhi.affairs.services.paper import (
    SheetImport,
    _building_key,
    _unit_key,
    ballots_import_sheet,
    ballots_record_unit,
)
from gongzhi.affairs.services.sheet_jobs import sheet_job_create, sheet_job_run, sheet_jobs_recover_stale
from gongzhi.affairs.services.votes import (
    VoteCount,
    ballot_cast,
    vote_close,
    vote_count,
    vote_open,
    vote_publish,
    voter_link,
)

__all__ = [
    "ItemText",
    "ScopePlace",
    "SheetImport",
    "ValidationError",
    "VoteCount",
    "_building_key",
    "_unit_key",
    "attachment_add",
    "ballot_cast",
    "ballots_import_sheet",
    "ballots_record_unit",
    "matter_advance",
    "matter_fund_emergency",
    "matter_note",
    "matter_raise",
    "matter_take",
    "meeting_record",
    "notice_post",
    "objection_answer",
    "objection_record",
    "owner_login_link",
    "read_ballot_sheet",
    "scope_path",
    "sheet_job_create",
    "sheet_job_run",
    "sheet_jobs_recover_stale",
    "vote_close",
    "vote_count",
    "vote_open",
    "vote_publish",
    "voter_link",
]
