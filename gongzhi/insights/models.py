"""Stored figures: every provider's answer for a place, kept with the state of the data it was computed from.

`StoredFigures` holds one provider's figures for one place (a division or a compound) and a stamp: the day,
the code it was computed by, and for each table the computation read, how many write statements that table
had seen. `SourceChanges` holds those counts; database triggers (gongzhi.insights.store.install) move them
on every INSERT, UPDATE, DELETE or TRUNCATE of a watched table, whoever writes — a service, a bulk load, the
admin, a raw `.update()` or psql. A stored answer is used only while its stamp equals the data's state, so a
writer can make the next page slower (it recomputes), never wrong.
"""

from __future__ import annotations

from django.db import models


class SourceChanges(models.Model):
    """Write statements a watched table has seen, one row per table and database backend (PostgreSQL's
    process id; 0 for SQLite and for the folded rows of ended backends). Each backend adds to its own row,
    so concurrent writers never wait on each other here; a table's state is the sum over its rows, which
    only grows while a committed write exists that the sum does not count."""

    table_name = models.CharField(max_length=100)
    backend = models.IntegerField(default=0)
    changes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table_name", "backend"], name="insights_source_changes_key")
        ]

    def __str__(self) -> str:
        return f"{self.table_name}@{self.backend}: {self.changes}"


class StoredFigures(models.Model):
    """One provider's figures for one place (path) as last computed, with the stamp saying from what."""

    provider = models.CharField(max_length=200)  # "module:function", as registered
    path = models.CharField(max_length=110)
    figures = models.JSONField()  # {code: value}: numbers (int or float) or null
    # {"day": ISO date, "code": the source's hash, "tables": {table: changes}}
    stamp = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "path"], name="insights_stored_key")]

    def __str__(self) -> str:
        return f"{self.provider} {self.path}"
