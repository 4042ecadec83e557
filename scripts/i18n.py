#!/usr/bin/env python
"""Keep the English catalogue in step with the Chinese source strings.

    .venv/bin/python scripts/i18n.py           # `make messages`: extract, translate, write django.po + django.mo
    .venv/bin/python scripts/i18n.py --check   # write nothing; exit 1 listing strings English would miss
    .venv/bin/python scripts/i18n.py --unmarked  # list Chinese text in code/templates not marked for translation

The source strings are Chinese (LANGUAGE_CODE zh-hans needs no catalogue). English comes from
gongzhi/locale/en/translations.json, a table kept by hand: Chinese msgid -> English msgstr, or for a
plural entry msgid -> [singular, plural]; an entry with a msgctxt is keyed "context\\u0004msgid". The table
wins over whatever the .po says, so a fix made there reaches the .po and the .mo on the next run.

Extraction is Django's makemessages (it needs GNU gettext's xgettext/msgmerge). The .mo is written by
polib, not msgfmt, and is committed, so a fresh machine serves English without gettext installed.
Locations are written without line numbers so that editing a template does not churn the catalogue.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "gongzhi" / "locale"
LANG = "en"
DOMAIN = "django"
TABLE = LOCALE_DIR / LANG / "translations.json"
# One extra table per app or feature (translations.d/<name>.json), so branches that each add strings do not
# edit the same file; entries there win over the main table.
TABLE_DIR = LOCALE_DIR / LANG / "translations.d"
# "locale": makemessages would otherwise adopt any locale/ folder it walks past (gongzhi/locale) as the
# catalogue for the files beside it, and --check would write into the work tree instead of its temp dir.
IGNORE = [".venv", "var", "node_modules", "test-artifacts", "locale"]
HEADER = {
    "Project-Id-Version": "gongzhi",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "English",
    "Language": LANG,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def po_path(locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / LANG / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / LANG / "LC_MESSAGES" / f"{DOMAIN}.mo"


def key(entry: polib.POEntry | polib.MOEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def load_table(path: Path = TABLE) -> dict[str, str | list[str]]:
    table: dict[str, str | list[str]] = {}
    if path.exists():
        table.update(json.loads(path.read_text(encoding="utf-8")))
    if path == TABLE and TABLE_DIR.is_dir():
        for extra in sorted(TABLE_DIR.glob("*.json")):
            table.update(json.loads(extra.read_text(encoding="utf-8")))
    return table


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def extract(locale_dir: Path = LOCALE_DIR) -> Path:
    """Run makemessages for English into locale_dir (merging with a .po already there); return the .po."""
    _setup_django()
    from django.core.management import call_command
    from django.test.utils import override_settings

    (locale_dir / LANG / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    with _cwd(ROOT), override_settings(LOCALE_PATHS=[locale_dir]):
        call_command(
            "makemessages",
            locale=[LANG],
            domain=DOMAIN,
            ignore_patterns=IGNORE,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    return po_path(locale_dir)


def fill(po: polib.POFile, table: dict[str, str | list[str]]) -> None:
    """Put the table's English into po; a fuzzy guess from msgmerge that the table does not confirm is dropped."""
    po.header = "English UI strings for Gongzhi (共治), made by scripts/i18n.py from translations.json:\nedit that table and run `make messages`, not this file."
    po.metadata_is_fuzzy = False
    po.metadata = dict(HEADER)
    for entry in po:
        english = table.get(key(entry))
        if english is not None:
            if entry.msgid_plural:
                forms = [english] * 2 if isinstance(english, str) else list(english)
                entry.msgstr_plural = {i: form for i, form in enumerate(forms)}
            else:
                entry.msgstr = english if isinstance(english, str) else english[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{[a-z_]*\}")


def placeholder_errors(po: polib.POFile) -> list[str]:
    """Translations whose %(name)s-style placeholders differ from their msgid's."""
    errors = []
    for e in po.translated_entries():
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        for english in e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]:
            if sorted(PLACEHOLDER.findall(english)) != wanted:
                errors.append(f"placeholders differ: {e.msgid!r} -> {english!r}")
    return errors


def untranslated(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and not e.translated()]


def compiled(po_or_mo: polib.POFile | polib.MOFile) -> dict[str, object]:
    """What a catalogue actually serves: key -> English (a tuple of forms for a plural)."""
    out: dict[str, object] = {}
    for e in po_or_mo.translated_entries():
        if not e.msgid:
            continue
        out[key(e)] = (
            tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr
        )
    return out


def update() -> list[polib.POEntry]:
    """`make messages`: extract into the repo's catalogue, translate, write .po and .mo; return what is missing."""
    po = polib.pofile(str(extract()), wrapwidth=78)
    fill(po, load_table())
    po.save(str(po_path()))
    po.save_as_mofile(str(mo_path()))
    return untranslated(po)


def check() -> list[str]:
    """Problems with the committed catalogue for the current sources, as lines to print; [] when all is well.

    Runs the whole pipeline on copies in a temporary directory, so the work tree is not touched.
    """
    with tempfile.TemporaryDirectory(prefix="gongzhi-i18n-") as tmp:
        tmp_locale = Path(tmp) / "locale"
        (tmp_locale / LANG / "LC_MESSAGES").mkdir(parents=True)
        if po_path().exists():
            shutil.copy(po_path(), po_path(tmp_locale))
        po = polib.pofile(str(extract(tmp_locale)))
    fill(po, load_table())
    problems = [f"no English for: {e.msgid!r}" for e in untranslated(po)] + placeholder_errors(po)
    served = compiled(polib.mofile(str(mo_path()))) if mo_path().exists() else {}
    for k, english in compiled(po).items():
        if served.get(k) != english:
            msgid = k.split("\x04")[-1]
            problems.append(f"not in the committed django.mo (run `make messages`): {msgid!r}")
    return problems


CJK = re.compile(r"[\u3400-\u9fff]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}
TEMPLATE_MARKED = [
    re.compile(r"\{%\s*(blocktrans|blocktranslate)\b.*?\{%\s*end(blocktrans|blocktranslate)\s*%\}", re.S),
    re.compile(r"\{%\s*(trans|translate)\s.*?%\}"),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
]


def unmarked() -> list[str]:
    """Chinese text outside gettext calls and trans tags, as "file:line: text" (docstrings, comments,
    tests and migrations skipped). Much of it is meant to stay Chinese (file formats, legal text, demo
    data); the rest shows in Chinese on English pages until it is marked."""
    import ast

    found: list[str] = []
    for path in sorted((ROOT / "gongzhi").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in TEMPLATE_MARKED:
            text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for n, line in enumerate(text.splitlines(), 1):
            if CJK.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    for path in sorted((ROOT / "gongzhi").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"migrations", "tests"} & set(rel.parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        skip: set[int] = set()
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name in GETTEXT:
                skip.update(id(sub) for arg in node.args for sub in ast.walk(arg))
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                skip.add(id(body[0].value))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and CJK.search(node.value)
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:120]!r}")
    for path in sorted((ROOT / "gongzhi").rglob("*.js")):
        if "vendor" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CJK.search(line) and not line.lstrip().startswith("//"):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if English would miss a string"
    )
    parser.add_argument(
        "--unmarked", action="store_true", help="list Chinese text not marked for translation"
    )
    args = parser.parse_args(argv)
    if args.unmarked:
        print("\n".join(unmarked()))
        return 0
    if args.check:
        problems = check()
        for line in problems:
            print(line)
        print(
            f"{len(problems)} problem(s) in the English catalogue"
            if problems
            else "English catalogue complete"
        )
        return 1 if problems else 0
    missing = update()
    po = polib.pofile(str(po_path()))
    print(f"{po_path().relative_to(ROOT)}: {len(po) - len(missing)} translated, {len(missing)} untranslated")
    for entry in missing:
        print(f"  no English for: {entry.msgid!r}  ({', '.join(f for f, _ in entry.occurrences)})")
    errors = placeholder_errors(po)
    for line in errors:
        print(f"  {line}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
