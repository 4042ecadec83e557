"""Pinyin keys for names, so 八大关 is found by "badaguan" and by its initials "bdg"."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin without tones, initials), both lower case, ASCII."""
    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default") if s.strip()]
    full = "".join(c for s in syllables for c in s if c.isalnum())
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return full[:255], initials[:64]


def search_terms(query: str) -> str:
    """Normalise a search box entry for matching against the stored keys."""
    return "".join(query.split()).lower()
