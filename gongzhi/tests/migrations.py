"""Migration tests' moves through the migration graph, at the cost of the migrations they move.

`MigrationExecutor.migrate` going backwards renders the project state and then replays every migration of
the whole project over it, as `migrate` does on an empty database (a minute or more here, since each model
the historical records point at re-renders most of the others). Unapplying one migration needs only the
state of what it depends on, so `migrate_to` applies or unapplies each migration of the plan from that state:
the same schema operations, run in the same order, without rebuilding the project's state around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str | None]


def leaves() -> list[Target]:
    """Every app's last migration: where a test that moved the schema must put it back."""
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def migrate_to(targets: Sequence[Target]) -> MigrationExecutor:
    """Migrate the test database to `targets` (as `manage.py migrate app name` for each)."""
    executor = MigrationExecutor(connection)
    for migration, backwards in executor.migration_plan(list(targets)):
        state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
        state.apps  # noqa: B018 -- rendered once, so the operations' clones reuse its models
        if backwards:
            executor.unapply_migration(state, migration)
        else:
            executor.apply_migration(state, migration)
    return executor


def models_at(targets: Sequence[Target]) -> Any:
    """The historical app registry at `targets` (None: the app before its first migration is left out)."""
    nodes = [(app, name) for app, name in targets if name is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps
