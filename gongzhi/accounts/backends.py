"""The password backend (AUTHENTICATION_BACKENDS): Django's ModelBackend, the signed-in user read by one
prepared statement.

Every signed-in request reads its user after its session. Django's backend builds that statement through the
ORM on every request, which cost more CPU than PostgreSQL spent answering it: a sixth of an online cast's
(docs/performance.md, "What one cast costs"). Here PostgreSQL runs it as a server-side prepared statement
(gongzhi.core.prepared) and the row becomes the same User the ORM would build. Authentication, permissions
and the "is active" rule are Django's, unchanged.

Sessions remember their backend's dotted path: sessions signed in under
``django.contrib.auth.backends.ModelBackend`` before this backend was listed end at the upgrade (their
holders sign in again once).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections, router

from gongzhi.core.prepared import fetch, instance


@cache
def _user_sql(model: Any, alias: str) -> tuple[str, list[Any], int]:
    """The statement reading one user by id, its fields and the id's bound; built once per database."""
    q = connections[alias].ops.quote_name
    pk_field = model._meta.pk
    big = pk_field.get_internal_type() == "BigAutoField"
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(q(f.column) for f in fields)
    table, key = q(model._meta.db_table), q(pk_field.column)
    return (
        f"SELECT {columns} FROM {table} WHERE {key} = %s::{'bigint' if big else 'integer'}",
        fields,
        2 ** (63 if big else 31),
    )


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The active user with this id, or None (an id that is not one is nobody, on every database)."""
        model = get_user_model()
        using = router.db_for_read(model)
        connection = connections[using]
        sql, fields, bound = _user_sql(model, connection.alias)
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if not 0 < pk < bound:
            return None
        if connection.vendor != "postgresql":
            return super().get_user(pk)
        rows = fetch(sql, [pk], using=using)
        if not rows:
            return None
        user = instance(model, fields, rows[0], using=using)
        return user if self.user_can_authenticate(user) else None
