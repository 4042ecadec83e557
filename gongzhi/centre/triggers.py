"""The triggers that keep the centre's stored pipeline figures honest (models.PipelineSummary).

Every insert, update or delete of a centre's projects, stage steps, credits and enterprises adds one to that
centre's summary `version` (matched by path), whatever writes it. They are (re)installed after every
migrate and flush (apps.py, post_migrate), because SQLite drops a table's triggers when a migration rebuilds
the table; installing is idempotent.
"""

from __future__ import annotations

from typing import Any

TABLES = ("centre_project", "centre_stagestep", "centre_credit", "centre_enterprise")
BUMP = "UPDATE centre_pipelinesummary SET version = version + 1 WHERE path"


def install(conn: Any) -> None:
    """SQLite: row triggers (it has no others). PostgreSQL: statement triggers over the transition tables, so
    a bulk insert of 35,000 steps bumps each centre's version once, not 35,000 times."""
    with conn.cursor() as cur:
        run = cur.execute
        if conn.vendor == "postgresql":
            for name, table in (("new", "new_rows"), ("old", "old_rows")):
                run(
                    f"CREATE OR REPLACE FUNCTION centre_pipeline_bump_{name}() RETURNS trigger LANGUAGE plpgsql "
                    f"AS $$ BEGIN {BUMP} IN (SELECT DISTINCT path FROM {table}); RETURN NULL; END $$"
                )
            run(
                "CREATE OR REPLACE FUNCTION centre_pipeline_bump_both() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {BUMP} IN (SELECT path FROM new_rows UNION SELECT path FROM old_rows); RETURN NULL; END $$"
            )
            # TRUNCATE carries no transition table: every stored figure is then out of date.
            run(
                "CREATE OR REPLACE FUNCTION centre_pipeline_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN UPDATE centre_pipelinesummary SET version = version + 1; RETURN NULL; END $$"
            )
            for t in TABLES:
                run(
                    f"CREATE OR REPLACE TRIGGER {t}_sum_ins AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows "
                    "FOR EACH STATEMENT EXECUTE FUNCTION centre_pipeline_bump_new()"
                )
                run(
                    f"CREATE OR REPLACE TRIGGER {t}_sum_upd AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows "
                    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION centre_pipeline_bump_both()"
                )
                run(
                    f"CREATE OR REPLACE TRIGGER {t}_sum_del AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows "
                    "FOR EACH STATEMENT EXECUTE FUNCTION centre_pipeline_bump_old()"
                )
                run(
                    f"CREATE OR REPLACE TRIGGER {t}_sum_trunc AFTER TRUNCATE ON {t} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION centre_pipeline_bump_all()"
                )
        else:
            for t in TABLES:
                run(
                    f"CREATE TRIGGER IF NOT EXISTS {t}_sum_ins AFTER INSERT ON {t} BEGIN {BUMP} = NEW.path; END"
                )
                run(
                    f"CREATE TRIGGER IF NOT EXISTS {t}_sum_upd AFTER UPDATE ON {t} "
                    f"BEGIN {BUMP} IN (NEW.path, OLD.path); END"
                )
                run(
                    f"CREATE TRIGGER IF NOT EXISTS {t}_sum_del AFTER DELETE ON {t} BEGIN {BUMP} = OLD.path; END"
                )


def drop(conn: Any) -> None:
    postgres = conn.vendor == "postgresql"
    with conn.cursor() as cur:
        for t in TABLES:
            for kind in ("ins", "upd", "del", *(("trunc",) if postgres else ())):
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_sum_{kind}" + (f" ON {t}" if postgres else ""))
        if postgres:
            for name in ("new", "old", "both", "all"):
                cur.execute(f"DROP FUNCTION IF EXISTS centre_pipeline_bump_{name}()")
