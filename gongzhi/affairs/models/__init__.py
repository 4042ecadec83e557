"""Resident matters (自治事务), their meetings and timeline, and owners' votes (业主表决).

Every row carries ``path``, the materialised path of its scope (the compound, or the building for a building
or unit scope), so gongzhi.accounts.access decides who sees and does what with one prefix test. Rows change
only through gongzhi.affairs.services; the counting law is gongzhi.affairs.civil_code. Split by subject:
categories (choices, categories, rule sets), matters (matters, events, meetings, attachments), assembly
(the notice, the register of owners, objections), votes.
"""

from __future__ import annotations

from gongzhi.affairs.models.assembly import Notice, NoticeItem, RegisterEntry, RegisterObjection
from gongzhi.affairs.models.categories import (
    ITEM_CHOICES,
    MatterCategory,
    Responsible,
    Scope,
    ShareChoice,
    Status,
    VoteRuleSet,
    threshold_of,
)
from gongzhi.affairs.models.chain import BallotSeal
from gongzhi.affairs.models.matters import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    MATTER_TAKE,
    Attachment,
    EventKind,
    Matter,
    MatterEvent,
    Meeting,
    MeetingKind,
)
from gongzhi.affairs.models.sheets import SheetJob, SheetStatus
from gongzhi.affairs.models.votes import Ballot, BallotChange, OpinionChoice, Origin, Vote, Voter, VoteStatus

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "ITEM_CHOICES",
    "MATTER_TAKE",
    "Attachment",
    "Ballot",
    "BallotChange",
    "BallotSeal",
    "EventKind",
    "Matter",
    "MatterCategory",
    "MatterEvent",
    "Meeting",
    "MeetingKind",
    "Notice",
    "NoticeItem",
    "OpinionChoice",
    "Origin",
    "RegisterEntry",
    "RegisterObjection",
    "Responsible",
    "Scope",
    "ShareChoice",
    "SheetJob",
    "SheetStatus",
    "Status",
    "Vote",
    "VoteRuleSet",
    "VoteStatus",
    "Voter",
    "threshold_of",
]
