"""The cached, character-by-character pinyin keys equal pypinyin's reading of the whole name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from gongzhi.core.pinyin import pinyin_keys

# Common surname and given-name characters, polyphonic ones among them (长, 单, 曾, 重, 乐, 朴, 行).
CHARS = "张王李赵刘陈杨黄周吴长单曾重乐朴行江明华国强伟芳娜秀英敏静丽军平庆海山东青岛大关银"


def whole(name: str) -> tuple[str, str]:
    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default") if s.strip()]
    return "".join(c for s in syllables for c in s if c.isalnum()), "".join(s[0] for s in syllables)


@given(st.text(alphabet=CHARS, min_size=1, max_size=5))
def test_same_keys_as_pypinyin_reading_the_whole_name(name):
    assert pinyin_keys(name) == whole(name)


def test_phrases_keep_their_reading():
    assert pinyin_keys("张长江") == ("zhangchangjiang", "zcj")
    assert pinyin_keys("八大关") == ("badaguan", "bdg")
