"""The `under` lookup: `path__under="37/3702/370202/"` selects rows at or below a place.

One definition of "under" for every query in the project, each database getting its index-friendly form:
PostgreSQL `LIKE 'prefix%'` (served by the varchar_pattern_ops index), SQLite the equivalent range
[prefix, prefix with its final "/" raised to "0") — SQLite's LIKE … ESCAPE never uses an index. Paths
always end in "/" (gongzhi.core.paths), so nothing sorts inside the range that is not under the prefix.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup


@CharField.register_lookup
class Under(Lookup[str]):
    lookup_name = "under"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        path = str(self.rhs)
        if connection.vendor == "sqlite" and path.endswith("/"):
            return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, path, *lhs_params, path[:-1] + "0"]
        pattern = connection.ops.prep_for_like_query(path) + "%"
        return f"{lhs} LIKE %s", [*lhs_params, pattern]
