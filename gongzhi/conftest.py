"""Shared fixtures: a small real division tree and users holding each role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from gongzhi.tests.factories import make_tree


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    """Two subdistricts of 市南区, two communities each, compounds with buildings and homes."""
    return make_tree()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
