"""Who may use a ledger: each ledger names the actions that open it, so every system's roles reach their own.

A ledger may set `import_action` (template and import) and `export_action` (export); without them it is
one of 市南区's staff ledgers (`ledger.import` / `ledger.export`). `personal_data = False` says its export
holds no ID numbers or phones, so exporting it needs no right to see them unmasked. `exportable = False`
says it is import-only (a department's warning list: kept as imported, nothing to round-trip). The ledger's own
`check` still decides, row by row, where the importer may write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongzhi.accounts.access import can
from gongzhi.accounts.roles import Action
from gongzhi.ledgers.importer import all_ledgers


def import_action(ledger: Any) -> str:
    return str(getattr(ledger, "import_action", Action.LEDGER_IMPORT))


def export_action(ledger: Any) -> str:
    return str(getattr(ledger, "export_action", Action.LEDGER_EXPORT))


def holds_personal_data(ledger: Any) -> bool:
    return bool(getattr(ledger, "personal_data", True))


def exportable(ledger: Any) -> bool:
    return bool(getattr(ledger, "exportable", True))


def import_actions() -> tuple[str, ...]:
    """Every action that lets a user import some ledger (the upload URL's rule)."""
    return tuple(sorted({import_action(led) for led in all_ledgers()}))


def any_ledger_actions() -> tuple[str, ...]:
    """Every action that opens some ledger (the ledgers page's rule and its menu entry)."""
    return tuple(sorted({a for led in all_ledgers() for a in (import_action(led), export_action(led))}))


@dataclass(frozen=True)
class Usable:
    ledger: Any
    may_import: bool
    may_export: bool


def usable_ledgers(user: Any) -> list[Usable]:
    """The ledgers this user may import or export somewhere in their scope, in registration order."""
    rows = []
    for ledger in all_ledgers():
        imp = can(user, import_action(ledger))
        exp = exportable(ledger) and can(user, export_action(ledger))
        if imp or exp:
            rows.append(Usable(ledger, imp, exp))
    return rows


def may_export_at(user: Any, ledger: Any, place: Any) -> bool:
    """Export of this ledger for this place: the ledger's export action there, and, where the file carries
    full ID numbers (the import's key), the right to see them unmasked. An import-only ledger: never."""
    if not exportable(ledger) or not can(user, export_action(ledger), place):
        return False
    return not holds_personal_data(ledger) or can(user, Action.PERSON_UNMASK, place)
