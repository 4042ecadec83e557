"""Every write to the organisation chain: keyword-only, `actor` first, one transaction, counters in step.

Each service checks the actor's right itself (gongzhi.accounts.access; None is refused), validates with the
pure rules in gongzhi.party.rules (the ledger's check calls the same validators), stamps the rows it saves so
their history names the actor, and recomputes the compound counters. Rule violations raise
django.core.exceptions.ValidationError with a message fit for the page.
"""

from gongzhi.party.services.chain import (
    central_household_designate,
    central_household_remove,
    central_household_set_links,
    group_create,
    group_delete,
    group_save,
    group_set_leader,
    group_update,
    household_save,
)
from gongzhi.party.services.counters import common_path, party_recount, stats_refresh
from gongzhi.party.services.members import (
    member_make_full,
    member_register,
    member_transfer,
    member_update,
    members_bulk_save,
)
from gongzhi.party.services.organisations import (
    committee_seat_remove,
    committee_seat_set,
    organisation_create,
    organisation_dissolve,
    organisation_update,
    secretary_set,
)
from gongzhi.party.services.setting import setting_add

__all__ = [
    "central_household_designate",
    "central_household_remove",
    "central_household_set_links",
    "committee_seat_remove",
    "committee_seat_set",
    "common_path",
    "group_create",
    "group_delete",
    "group_save",
    "group_set_leader",
    "group_update",
    "household_save",
    "member_make_full",
    "member_register",
    "member_transfer",
    "member_update",
    "members_bulk_save",
    "organisation_create",
    "organisation_dissolve",
    "organisation_update",
    "party_recount",
    "secretary_set",
    "setting_add",
    "stats_refresh",
]
