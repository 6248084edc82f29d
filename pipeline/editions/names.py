"""Find organisation names (companies, parks, institutes) in running text, so regional phrasing spares them.

Under Taiwan phrasing (``s2twp``) OpenCC renames generic words: 智能→智慧,
高端→高階, 项目→專案.  Inside a name it must not: 新区智能装备产业园 is a
park's name.  A name is recognised by its ending (``STRONG_SUFFIXES`` always;
``WEAK_SUFFIXES`` such as 化工, 科技 or 园区 only after a place name or in a
list of names) and reaches back over Han characters to the nearest
punctuation mark, function word or verb that introduces it (``STOP_CHARS``,
``STOP_WORDS``), at most ``MAX_NAME`` characters.  A publication's
``names:`` list is matched first and always wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..text.chars import is_han

STRONG_SUFFIXES = (
    "有限责任公司", "股份有限公司", "有限公司", "股份公司", "公司", "集团", "研究所", "研究院", "工作站",
    "合作社", "实验室", "工程中心", "技术中心", "产业园", "工业园", "物流园", "科技园", "示范园", "开发区",
)
"""Endings that make a stretch of text a name wherever it stands."""

WEAK_SUFFIXES = ("园区", "化工", "科技", "基地", "新材料", "装备", "电子", "能源", "股份")
"""Endings that make a name only after a place name (…区, …县) or in a list (、 or 等 beside it)."""

PLACE_ENDINGS = frozenset("区县市省镇乡村州盟旗")
"""A character ending a place name: a weak suffix after one makes a name (新区智能装备产业园)."""

STOP_CHARS = frozenset(
    "的在和与及或等为是了对把将向从由被让给于以并同跟也都还就又所其这那该各每个家座批项着过"
)
"""Characters that end the backward reach of a name: function words, measure words, auxiliaries."""

STOP_WORDS = (
    "入驻", "落户", "引进", "建设", "打造", "成立", "投资", "签约", "依托", "推动", "加快", "支持", "培育",
    "引导", "建成", "形成", "组建", "拥有", "包括", "其中", "以及", "重点", "全力", "积极", "发展", "推进",
    "服务", "围绕", "携手", "联合", "实施", "开展", "举办", "参观", "调研", "考察", "走进", "来到", "前往",
)
"""Words that introduce a name and are no part of it."""

MAX_NAME = 14
"""The longest name recognised, suffix included."""

MIN_BODY = 2
"""The fewest characters before the suffix (一家公司 names nothing)."""


@dataclass(frozen=True, slots=True)
class Name:
    """An organisation name found at ``start:end``, with the suffix that made it one."""

    start: int
    end: int
    suffix: str


def find_organisations(text: str, blocked: Sequence[bool] | None = None) -> list[Name]:
    """Organisation names in ``text``, left to right, not overlapping each other or ``blocked`` characters.

    >>> [(n.start, n.end, n.suffix) for n in find_organisations("入驻南岭高端材料公司的企业")]
    [(2, 10, '公司')]
    >>> [text[n.start:n.end] for text in ["推动新区智能装备产业园建设"] for n in find_organisations(text)]
    ['新区智能装备产业园']
    >>> find_organisations("发展高端化工产业")
    []
    """
    names: list[Name] = []
    taken = [False] * len(text) if blocked is None else list(blocked)
    # Right to left, so the longest name wins (新区智能装备产业园 over its 新区智能装备).
    for end, suffix in reversed(_suffix_ends(text)):
        start = end - len(suffix)
        if any(taken[start:end]):
            continue
        begin = _reach_back(text, start, taken)
        if start - begin < MIN_BODY:
            continue
        if suffix not in STRONG_SUFFIXES and not _weak_name_holds(text, begin, start, end):
            continue
        names.append(Name(begin, end, suffix))
        for k in range(begin, end):
            taken[k] = True
    names.sort(key=lambda n: n.start)
    return names


def _suffix_ends(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for suffix in (*STRONG_SUFFIXES, *WEAK_SUFFIXES):
        at = text.find(suffix)
        while at != -1:
            end = at + len(suffix)
            if not any(e == end and len(s) > len(suffix) for e, s in found):
                found.append((end, suffix))
            at = text.find(suffix, at + 1)
    # Keep the longest suffix ending at each position (有限公司 over 公司).
    best: dict[int, str] = {}
    for end, suffix in found:
        if len(suffix) > len(best.get(end, "")):
            best[end] = suffix
    return sorted(best.items())


def _reach_back(text: str, start: int, taken: Sequence[bool]) -> int:
    """The start of the name whose suffix begins at ``start``."""
    begin = start
    while begin > 0 and start - begin < MAX_NAME:
        char = text[begin - 1]
        if not is_han(char) or char in STOP_CHARS or taken[begin - 1]:
            break
        if any(text.endswith(word, 0, begin) for word in STOP_WORDS):
            break
        begin -= 1
    return begin


def _weak_name_holds(text: str, begin: int, start: int, end: int) -> bool:
    """A weak suffix makes a name after a place name or in a list of names."""
    if any(char in PLACE_ENDINGS for char in text[begin:start]):
        return True
    before = text[begin - 1] if begin > 0 else ""
    after = text[end] if end < len(text) else ""
    return before == "\N{IDEOGRAPHIC COMMA}" or after in ("\N{IDEOGRAPHIC COMMA}", "等")
