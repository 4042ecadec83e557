"""English is real: the committed catalogue covers every source string, and the switch shows it."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from gongzhi.accounts.roles import Role
from gongzhi.tests.factories import Tree, user_with

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gongzhi_i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_mo_serves_every_po_translation() -> None:
    """Needs no gettext: the .mo a fresh machine serves holds exactly what the .po says."""
    i18n = _script()
    po = polib.pofile(str(i18n.po_path()))
    assert not i18n.untranslated(po), "run `make messages` and add the missing English to translations.json"
    assert not i18n.placeholder_errors(po)
    assert i18n.compiled(polib.mofile(str(i18n.mo_path()))) == i18n.compiled(po)


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="extracting source strings needs GNU gettext (xgettext, msgmerge), not installed here",
)
def test_every_current_source_string_has_english() -> None:
    problems = _script().check()
    assert not problems, "English catalogue out of date; run `make messages`:\n" + "\n".join(problems)


def test_switch_to_english_and_back(client: Client, tree: Tree) -> None:
    user = user_with(Role.COMMUNITY_WORKER, tree.compounds[0].community)
    client.force_login(user)
    community = f"/places/d/{tree.compounds[0].community.code}/"
    try:
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        assert response.redirect_chain[-1][0] == community
        page = response.content.decode()
        assert 'lang="en"' in page
        for english in (
            "Compound",
            "Log out",
            "Self-governance matters",
            "Party members",
            "Community",
            "中文",
        ):
            assert english in page
        for chinese in ("退出", "自治事务", "小区名称", "搜索小区", "社区"):
            assert chinese not in page.replace(tree.compounds[0].community.name, "")

        response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": community}, follow=True)
        page = response.content.decode()
        assert 'lang="zh-hans"' in page
        assert "退出" in page and "自治事务" in page
        assert "Log out" not in page
    finally:
        translation.activate(settings.LANGUAGE_CODE)
