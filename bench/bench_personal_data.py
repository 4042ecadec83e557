"""The cost of encrypting ID numbers and phones at rest (issue 15, "then build" 1).

- the primitives: values per second encrypted, decrypted and hashed (AES-256-GCM, SM4-GCM, HMAC);
- persons written the import way (people.bulk.persons_create_bulk: encrypt + index per value) and read back
  (decrypt per value), and 1,000 ID numbers looked up by `id_number__in` (the keyed-hash index);
- the homes ledger's writing import (a subdistrict under new building numbers, rolled back) and its
  check-only round trip, as bench_ledgers measures them.

Before/after: `python bench/bench_personal_data.py` also runs in a checkout of the commit before encryption
(the script needs nothing new for the import figures), against a demo seeded there; docs/security.md keeps
both tables. Everything runs in transactions that are rolled back.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

Row = tuple[str, float | str, str]


class _Rollback(Exception):
    pass


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s ({seconds:.2f} s)"


def primitives() -> list[Row]:
    from gongzhi.core import crypto

    out: list[Row] = []
    values = [f"3702021990{i:08d}" for i in range(20_000)]
    for cipher in crypto.CIPHERS:
        ring = crypto.Keyring("b1", {"b1": os.urandom(32)}, cipher, os.urandom(32), "sha256")
        started = time.perf_counter()
        stored = [crypto.encrypt(v, ring) for v in values]
        enc = time.perf_counter() - started
        started = time.perf_counter()
        for s in stored:
            crypto.decrypt(s, ring)
        dec = time.perf_counter() - started
        out += [
            (f"encrypt ({cipher})", _rate(len(values), enc), ""),
            (f"decrypt ({cipher})", _rate(len(values), dec), ""),
        ]
    for index_hash in crypto.INDEX_HASHES:
        ring = crypto.Keyring("b1", {"b1": os.urandom(32)}, "aes", os.urandom(32), index_hash)
        started = time.perf_counter()
        for v in values:
            crypto.blind_index(v, ring)
        out.append((f"keyed hash ({index_hash})", _rate(len(values), time.perf_counter() - started), ""))
    return out


def persons(n: int = 20_000) -> list[Row]:
    from gongzhi.core.actors import system
    from gongzhi.people.bulk import NewPerson, persons_create_bulk
    from gongzhi.people.models import Person

    fresh = [NewPerson(name="测试", id_number=f"99{i:016d}", phone=f"199{i:08d}") for i in range(n)]
    out: list[Row] = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            ids = persons_create_bulk(actor=system("bench"), persons=fresh)
            out.append(
                (
                    f"persons_create_bulk {n:,} (with history rows)",
                    _rate(n, time.perf_counter() - started),
                    "",
                )
            )
            started = time.perf_counter()
            got = list(Person.objects.filter(pk__in=ids).values_list("id_number", "phone"))
            out.append(
                (f"read back {n:,} ID numbers and phones", _rate(n, time.perf_counter() - started), "")
            )
            assert len(got) == n
            wanted = [p.id_number for p in fresh[:1000]]
            started = time.perf_counter()
            found = Person.objects.filter(id_number__in=wanted).count()
            out.append(
                (
                    "look up 1,000 ID numbers (id_number__in)",
                    f"{(time.perf_counter() - started) * 1000:.0f} ms",
                    "",
                )
            )
            assert found == 1000
            raise _Rollback
    except _Rollback:
        pass
    return out


def homes_import() -> list[Row]:
    from gongzhi.core.actors import system
    from gongzhi.ledgers.base import Context
    from gongzhi.ledgers.importer import import_file
    from gongzhi.ledgers.xlsx import write_workbook
    from gongzhi.places.ledger import HOMES_LEDGER
    from gongzhi.places.models import Division

    sub = Division.objects.get(code="370202001")  # 香港中路街道
    sheets: list[tuple[Any, list[list[Any]]]] = [(s, list(r)) for s, r in HOMES_LEDGER.export(sub.path, None)]
    n = sum(len(r) for _s, r in sheets)
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        same = Path(tmp) / "same.xlsx"
        write_workbook(same, sheets)
        started = time.perf_counter()
        outcome = import_file(HOMES_LEDGER, same, Context(system("bench")))
        out.append(
            (
                f"homes ledger round trip {n:,} rows (check, write nothing)",
                _rate(n, time.perf_counter() - started),
                "",
            )
        )
        assert outcome.ok, outcome.errors[:3]
        renamed = []
        for spec, rows in sheets:
            col = [c.key for c in spec.columns].index("building")
            renamed.append((spec, [[*r[:col], f"{r[col]}基准", *r[col + 1 :]] for r in rows]))
        new = Path(tmp) / "new.xlsx"
        write_workbook(new, renamed)
        try:
            with transaction.atomic():
                started = time.perf_counter()
                outcome = import_file(HOMES_LEDGER, new, Context(system("bench")))
                out.append(
                    (f"homes ledger writing import {n:,} rows", _rate(n, time.perf_counter() - started), "")
                )
                assert outcome.ok, outcome.errors[:3]
                raise _Rollback
        except _Rollback:
            pass
    return out


def run() -> list[Row]:
    return primitives() + persons() + homes_import()


if __name__ == "__main__":
    # Run from the root of the checkout to measure (this tree, or one before encryption: import figures only).
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    try:
        import gongzhi.core.crypto  # noqa: F401

        rows = run() if "--persons" not in sys.argv else persons()
    except ImportError:
        rows = persons() if "--persons" in sys.argv else persons() + homes_import()
    for figure, value, _target in rows:
        print(f"{figure:<60} {value}")
