"""Pinyin keys for names, so 八大关 is found by "badaguan" and by its initials "bdg"."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT


@lru_cache(maxsize=1 << 14)
def _char_syllable(char: str) -> str:
    return "".join(lazy_pinyin(char, style=Style.NORMAL, errors="default")).lower()


def _plain_chars(name: str) -> bool:
    """True when pypinyin would read `name` character by character: all CJK, and no part of it is one of
    its phrases (a phrase may choose another reading of a polyphonic character, e.g. 长江)."""
    if not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    n = len(name)
    return not any(name[i:j] in PHRASES_DICT for i in range(n) for j in range(i + 2, n + 1))


@lru_cache(maxsize=1 << 16)
def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin without tones, initials), both lower case, ASCII.

    Names that pypinyin reads character by character are built from cached syllables (same result, a
    ledger of 200,000 owners in a second instead of twenty); others go through pypinyin whole.
    """
    if name and _plain_chars(name):
        syllables = [_char_syllable(c) for c in name]
    else:
        syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default") if s.strip()]
    full = "".join(c for s in syllables for c in s if c.isalnum())
    initials = "".join(s[0] for s in syllables if s and s[0].isalnum())
    return full[:255], initials[:64]


def search_terms(query: str) -> str:
    """Normalise a search box entry for matching against the stored keys."""
    return "".join(query.split()).lower()
