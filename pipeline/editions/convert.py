"""Convert a Page into a Traditional edition with OpenCC, phrase dictionaries that win, and corner quotes.

How one text is converted (``_translate``), in order:

1. Dictionary entries (the built-in ``pipeline/editions/data/opencc_fixes.yaml`` merged
   with the publication's ``phrases.yaml``) are matched leftmost-longest on the
   *simplified* text.  Each match is cut out and replaced by a private-use
   placeholder that OpenCC passes through unchanged, so OpenCC can neither
   segment across it (``好干部`` is no longer read as ``好干|部``) nor rephrase
   it in a later regional stage.  The placeholder is chosen among characters
   that do not occur in the text, so it cannot collide with real text.
2. Proper names, slogans and titles in ``“…”`` and ``《…》`` (``Edition.protect_names``)
   are converted character by character, without regional phrasing, the same way.
3. The rest goes to OpenCC in one call, so a word keeps its context.
4. Placeholders are restored with the entry's form: a fixed ``to`` (passed
   through the region's variant table, t2tw or t2hk), the characters-only
   conversion (``keep: characters``), the edition's own conversion of the
   phrase as a unit (``keep: phrasing``), or the name policy (``people``).
5. Quotes become 「」 and 『』 in corner-quote editions, nesting kept right.

Personal names follow ``Edition.names``; see ``pipeline/editions.py`` for the default.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import opencc

from ..errors import ConfigError
from ..model import Article, Page, Paragraph
from ..text.chars import CLOSING_QUOTES, OPENING_QUOTES
from . import (
    NAMES_OPENCC,
    QUOTE_MARKS,
    Edition,
    characters_config,
    opencc_stem,
    variants_config,
)
from .phrases import Entry, Phrases, builtin_phrases

ReportKind = Literal["entry", "phrase", "choice"]

NAME_SUFFIXES = (
    "会", "园", "区", "县", "市", "省", "镇", "乡", "村", "基地", "中心", "公司", "集团", "工程", "活动",
    "大赛", "赛", "品牌", "奖", "节", "站", "馆", "院", "校", "厂", "局", "网", "报", "社", "城", "港",
    "路", "街", "桥", "杯", "展", "计划", "行动", "战略", "工作法", "模式", "年", "论坛", "峰会", "协会",
    "学会", "联盟", "平台", "号", "湾", "岛", "山", "河", "湖", "江", "队", "店", "楼", "所", "宫",
    "寺", "庙", "剧", "书", "刊", "杂志", "歌", "项目", "工作室", "实验室", "银行", "医院", "大学",
)
"""Endings that make a quoted phrase look like a proper name (“项目招商恳谈会”, “全国文明城市”)."""

NAME_MARKS = frozenset("+＋·•&＆")
"""Marks that make a quoted phrase a slogan or brand (“互联网+网格管理”)."""

_QUOTED = re.compile("\N{LEFT DOUBLE QUOTATION MARK}("
                     "[^\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
                     "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH COMMA}\N{FULLWIDTH QUESTION MARK}"
                     "\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH COLON}\n]{2,30})"
                     "\N{RIGHT DOUBLE QUOTATION MARK}")
_TITLE = re.compile("\N{LEFT DOUBLE ANGLE BRACKET}([^\N{LEFT DOUBLE ANGLE BRACKET}"
                    "\N{RIGHT DOUBLE ANGLE BRACKET}\n]{1,60})\N{RIGHT DOUBLE ANGLE BRACKET}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\N{IDEOGRAPHIC SPACE}]*\n\s*")


@dataclass(frozen=True, slots=True)
class Converter:
    """Everything needed to convert text for one edition; build it once with ``make_converter``."""

    edition: Edition
    config: str | None
    phrases: Phrases
    index: dict[str, tuple[Entry, ...]]
    ambiguous: dict[str, str]
    fixes: dict[str, dict[str, str]]
    surnames: dict[str, str]
    engines: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """(OpenCC config, OpenCC object) by role: main, characters, names, variants (absent if unused)."""

    def run(self, role: str, text: str) -> str:
        """Convert ``text`` with one engine, then apply that config's character fixes."""
        if role not in self.engines or not text:
            return text
        config, engine = self.engines[role]
        out: str = engine.convert(text)
        table = self.fixes.get(config)
        if table:
            out = "".join(table.get(c, c) for c in out)
        return out

    def same_engine(self, role: str, other: str) -> bool:
        """Whether two roles convert with the same OpenCC config."""
        return self.engines.get(role, ("", None))[0] == self.engines.get(other, ("", None))[0]


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One decision a desk editor may want to check.

    ``kind`` is ``entry`` (a dictionary entry applied), ``phrase`` (OpenCC
    changed a phrase beyond its characters' default forms) or ``choice`` (a
    simplified character with several Traditional forms).
    """

    where: str
    offset: int
    kind: ReportKind
    source: str
    target: str
    context: str
    candidates: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class _Applied:
    start: int
    end: int
    entry: Entry | None
    """None for a protected quoted name."""


@dataclass(frozen=True, slots=True)
class _Converted:
    source: str
    output: str
    applied: tuple[_Applied, ...]
    blocks: tuple[tuple[int, int, int, int], ...]
    """Alignment: (source start, source end, output start, output end), covering both texts."""

    def map_offset(self, offset: int) -> int:
        """The output offset matching a source offset (the end of a phrase if it falls inside one)."""
        if offset >= len(self.source):
            return len(self.output)
        for s0, s1, o0, o1 in self.blocks:
            if s0 <= offset < s1 or s0 == s1 == offset:  # text inserted here goes after the offset
                if s1 - s0 == o1 - o0:
                    return o0 + offset - s0
                return o0 if offset == s0 else o1
        return len(self.output)


def make_converter(edition: Edition, phrases: Phrases | None = None,
                   opencc_config: str | None = None) -> Converter:
    """Build the converter of an edition: OpenCC engines and the merged phrase dictionary.

    ``phrases`` (the publication's) override the built-in fixes entry by entry;
    ``opencc_config`` (``s2twp`` or ``s2twp.json``) overrides the edition's config.
    """
    merged = builtin_phrases().merged(phrases) if phrases is not None else builtin_phrases()
    config = opencc_stem(opencc_config) if opencc_config else edition.opencc
    if config is not None:
        config = opencc_stem(config)
    engines: dict[str, tuple[str, Any]] = {}
    if config is not None:
        known = sorted(opencc_stem(c) for c in opencc.CONFIGS)
        if config not in known or not config.startswith("s2"):
            choices = ", ".join(c for c in known if c.startswith("s2"))
            raise ConfigError(f"unknown OpenCC config {config!r} for a Traditional edition",
                              hint=f"choose from {choices}")
        loaded: dict[str, Any] = {}

        def engine(name: str) -> tuple[str, Any]:
            if name not in loaded:
                loaded[name] = opencc.OpenCC(name + ".json")
            return name, loaded[name]

        engines["main"] = engine(config)
        engines["characters"] = engine(characters_config(config))
        engines["names"] = engine(NAMES_OPENCC) if edition.names == "characters" else engines["main"]
        variants = variants_config(config)
        if variants is not None:
            engines["variants"] = engine(variants)
    index: dict[str, list[Entry]] = {}
    for entry in merged.entries:
        index.setdefault(entry.source[0], []).append(entry)
    # Longest first; later entries (the publication's) win ties: reverse before the stable sort.
    ranked = {first: tuple(sorted(reversed(entries), key=lambda e: -len(e.source)))
              for first, entries in index.items()}
    fixes: dict[str, dict[str, str]] = {}
    for cfg, char, repl in merged.characters:
        fixes.setdefault(cfg, {})[char] = repl
    return Converter(edition=edition, config=config, phrases=merged, index=ranked,
                     ambiguous=dict(merged.ambiguous), fixes=fixes, surnames=dict(merged.surnames),
                     engines=engines)


# --- one text ------------------------------------------------------------------------------

def _placeholders(text: str) -> Iterator[str]:
    """Private-use characters that do not occur in ``text``."""
    for start, end in ((0xE000, 0xF900), (0xF0000, 0xFFFFE), (0x100000, 0x10FFFE)):
        for code in range(start, end):
            char = chr(code)
            if char not in text:
                yield char


def _match(text: str, start: int, converter: Converter) -> Entry | None:
    for entry in converter.index.get(text[start], ()):
        if entry.applies_at(text, start):
            return entry
    return None


def _looks_like_name(inner: str) -> bool:
    """Whether a quoted phrase is a proper name, slogan or title rather than speech.

    >>> _looks_like_name("项目招商恳谈会"), _looks_like_name("互联网+网格管理"), _looks_like_name("高端化")
    (True, True, False)
    """
    if any(c in NAME_MARKS for c in inner):
        return True
    return len(inner) >= 3 and inner.endswith(NAME_SUFFIXES)


def _protected_regions(text: str, converter: Converter) -> dict[int, int]:
    """Start → end of the quoted names and titles to convert characters only."""
    if not converter.edition.protect_names or converter.same_engine("characters", "main"):
        return {}
    regions: dict[int, int] = {}
    for match in _QUOTED.finditer(text):
        if _looks_like_name(match.group(1)):
            regions[match.start(1)] = match.end(1)
    for match in _TITLE.finditer(text):
        regions[match.start(1)] = match.end(1)
    return regions


def _render(entry: Entry, source: str, converter: Converter) -> str:
    if entry.mode == "fixed":
        target = entry.target_for(converter.edition.name, converter.config or "") or source
        return converter.run("variants", target)
    if entry.mode == "characters":
        return converter.run("characters", source)
    if entry.mode == "person":
        return convert_name(source, converter)
    return converter.run("main", source)


def _translate_run(text: str, converter: Converter, role: str,
                   regions: dict[int, int]) -> tuple[str, list[_Applied]]:
    """Convert one run: entries and protected regions become placeholders around one OpenCC call."""
    pool = _placeholders(text)
    pieces: list[str] = []
    fills: dict[str, str] = {}
    applied: list[_Applied] = []
    i = 0
    while i < len(text):
        if i in regions:
            end = regions[i]
            inner, inner_applied = _translate_run(text[i:end], converter, "characters", {})
            applied.append(_Applied(i, end, None))
            applied.extend(replace(a, start=a.start + i, end=a.end + i) for a in inner_applied)
            token = next(pool)
            fills[token] = inner
            pieces.append(token)
            i = end
            continue
        entry = _match(text, i, converter)
        if entry is not None:
            end = i + len(entry.source)
            token = next(pool)
            fills[token] = _render(entry, text[i:end], converter)
            pieces.append(token)
            applied.append(_Applied(i, end, entry))
            i = end
            continue
        pieces.append(text[i])
        i += 1
    converted = converter.run(role, "".join(pieces))
    if fills:
        converted = "".join(fills.get(c, c) for c in converted)
    return converted, applied


def map_quotes(text: str, edition: Edition) -> str:
    """Set the edition's quotation marks, alternating outer and inner marks by nesting depth.

    >>> from pipeline.editions import EDITIONS
    >>> map_quotes("他说：“要‘优’字当头，不要“差”。”", EDITIONS["zh-TW"])
    '他说：「要『优』字当头，不要『差』。」'
    """
    if edition.quotes == "curly":
        return text
    outer, inner = QUOTE_MARKS[edition.quotes]
    double_open, double_close = "\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"
    single_open, single_close = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
    stack: list[tuple[str, str]] = []
    out: list[str] = []
    for index, char in enumerate(text):
        if char in (double_open, single_open):
            enclosing = stack[-1] if stack else None
            if char == double_open:
                marks = inner if enclosing == outer else outer
            else:
                marks = outer if enclosing == inner else inner
            stack.append(marks)
            out.append(marks[0])
        elif char in (double_close, single_close):
            if char == single_close and _between_letters(text, index):
                out.append(char)  # an apostrophe in Latin text
            elif stack:
                out.append(stack.pop()[1])
            else:
                out.append(outer[1] if char == double_close else inner[1])
        else:
            out.append(char)
    return "".join(out)


def _between_letters(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


def _baseline(text: str, converter: Converter) -> str:
    """Each character converted alone with the characters-only engine: the "default" form."""
    out = []
    cache: dict[str, str] = {}
    for char in text:
        if char not in cache:
            converted = converter.run("characters", char)
            cache[char] = converted if len(converted) == 1 else char
        out.append(cache[char])
    return "".join(out)


def _align(source: str, output: str, converter: Converter,
           merge: bool = False) -> tuple[tuple[int, int, int, int], ...]:
    """Blocks (s0, s1, o0, o1) covering source and output, in order.

    Characters that kept their default form are one-character blocks, and so
    is each character of a same-length change.  With ``merge`` (for the
    report) a change is merged with the next across a gap of at most one
    unchanged character, so 互联网 → 網際網路 reads as one phrase.
    """
    base = map_quotes(_baseline(source, converter), converter.edition)
    matcher = difflib.SequenceMatcher(None, base, output, autojunk=False)
    pieces: list[tuple[int, int, int, int, bool]] = []  # a change, and whether it is one ambiguous character
    for tag, s0, s1, o0, o1 in matcher.get_opcodes():
        if tag == "replace" and s1 - s0 == o1 - o0:
            pieces.extend((s0 + k, s0 + k + 1, o0 + k, o0 + k + 1, source[s0 + k] in converter.ambiguous)
                          for k in range(s1 - s0))
        elif tag != "equal":
            pieces.append((s0, s1, o0, o1, False))
    changes: list[list[int]] = []
    previous_ambiguous = True
    for s0, s1, o0, o1, ambiguous in pieces:
        gap = s0 - changes[-1][1] if changes else -1
        resized = s1 - s0 != o1 - o0 or (bool(changes) and changes[-1][1] - changes[-1][0]
                                           != changes[-1][3] - changes[-1][2])
        if merge and changes and not ambiguous and not previous_ambiguous and (gap == 0 or (gap == 1 and resized)):
            changes[-1][1], changes[-1][3] = s1, o1
        else:
            changes.append([s0, s1, o0, o1])
        previous_ambiguous = ambiguous
    blocks: list[tuple[int, int, int, int]] = []
    s_pos = o_pos = 0
    for s0, s1, o0, o1 in changes:
        blocks.extend((s_pos + k, s_pos + k + 1, o_pos + k, o_pos + k + 1) for k in range(s0 - s_pos))
        blocks.append((s0, s1, o0, o1))
        s_pos, o_pos = s1, o1
    blocks.extend((s_pos + k, s_pos + k + 1, o_pos + k, o_pos + k + 1) for k in range(len(source) - s_pos))
    return tuple(blocks)


def _output(text: str, converter: Converter,
            regions: dict[int, int] | None = None) -> tuple[str, list[_Applied]]:
    """The converted text with quotes set, and the entries applied.

    ``regions`` overrides the protected regions found in ``text`` (for a
    piece of a longer text, whose quotes may open or close outside it).
    """
    if converter.config is None:
        return map_quotes(text, converter.edition), []
    if regions is None:
        regions = _protected_regions(text, converter)
    output, applied = _translate_run(text, converter, "main", regions)
    return map_quotes(output, converter.edition), applied


def _piece(text: str, start: int, end: int, converter: Converter, regions: dict[int, int]) -> str:
    """``text[start:end]`` converted alone, with the whole text's protected regions clipped to it."""
    clipped = {max(a, start) - start: min(b, end) - start for a, b in regions.items() if a < end and b > start}
    return _output(text[start:end], converter, clipped)[0]


def _translate(text: str, converter: Converter) -> _Converted:
    """Convert one text with no line breaks (a headline, a paragraph, a caption), aligned to its source."""
    output, applied = _output(text, converter)
    if converter.config is None:
        return _Converted(text, output, (), tuple((k, k + 1, k, k + 1) for k in range(len(text))))
    return _Converted(text, output, tuple(applied), _align(text, output, converter))


# --- public API ----------------------------------------------------------------------------

def convert_text(text: str, converter: Converter) -> str:
    """Convert one piece of running text (no line breaks) for the converter's edition.

    >>> from pipeline.editions import EDITIONS
    >>> convert_text("坚持好干部标准，天气好干燥。", make_converter(EDITIONS["zh-TW"]))
    '堅持好幹部標準，天氣好乾燥。'
    """
    return _output(text, converter)[0]


def convert_name(name: str, converter: Converter) -> str:
    """Convert a personal name by the edition's name policy (bylines, ``people:``)."""
    if converter.config is None:
        return name
    if converter.edition.names == "characters":
        out = converter.run("names", name)
    else:
        out = _output(name, converter)[0]
    form = converter.surnames.get(name[:1])
    if form is not None and len(out) == len(name):
        out = form + out[1:]  # 余华 is 余華, not 餘華
    return out


def convert_plain(text: str, converter: Converter) -> str:
    """Convert text line by line exactly as given: no reflow, line breaks and spacing kept.

    Words broken across a line or letter-spaced keep their context: single
    line breaks and spaces are taken out for conversion and put back after;
    a blank line is a hard boundary.

    >>> from pipeline.editions import EDITIONS
    >>> convert_plain("不要放\\n松，头 发\\n", make_converter(EDITIONS["zh-TW"]))
    '不要放\\n鬆，頭 髮\\n'
    """
    out: list[str] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        out.append(_convert_chunk(text[position:match.start()], converter))
        out.append(match.group())
        position = match.end()
    out.append(_convert_chunk(text[position:], converter))
    return "".join(out)


def _convert_chunk(chunk: str, converter: Converter) -> str:
    """Convert a chunk with no blank line, taking its whitespace out and putting it back."""
    joined: list[str] = []
    gaps: list[tuple[int, str]] = []
    for char in chunk:
        if char.isspace():
            if gaps and gaps[-1][0] == len(joined):
                gaps[-1] = (gaps[-1][0], gaps[-1][1] + char)
            else:
                gaps.append((len(joined), char))
        else:
            joined.append(char)
    text = "".join(joined)
    result = _translate(text, converter)
    if not gaps:
        return result.output
    regions = _protected_regions(text, converter) if converter.config is not None else {}
    out: list[str] = []
    previous = 0
    for offset, space in gaps:
        cut = max(previous, _cut_at(text, offset, result, converter, regions))
        out.append(result.output[previous:cut])
        out.append(space)
        previous = cut
    out.append(result.output[previous:])
    return "".join(out)


_QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES
_WINDOW = 40


def _cut_at(text: str, offset: int, result: _Converted, converter: Converter, regions: dict[int, int]) -> int:
    """Where in ``result.output`` the source ``text[:offset]`` ends.

    The text since the last punctuation mark (no phrase spans one; at most
    ``_WINDOW`` characters), converted alone, agrees with the whole text's
    conversion up to the cut, unless a phrase spans the cut (优|化 → 最佳化):
    then the cut moves back to where they agree, never inside a phrase.
    """
    start = offset
    while start > 0 and offset - start < _WINDOW and not _is_boundary(text[start - 1]):
        start -= 1
    base = result.map_offset(start) if start else 0
    alone = _piece(text, start, offset, converter, regions)
    agreed = _agreement(alone, result.output[base:])
    if agreed < len(alone) // 2:  # the piece disagrees from its start: trust the alignment instead
        return result.map_offset(offset)
    return base + agreed


def _is_boundary(char: str) -> bool:
    return unicodedata.category(char)[0] in "PZ"


def _agreement(alone: str, output: str) -> int:
    """How many leading characters agree (any two quotation marks agree: their nesting may differ)."""
    length = 0
    for a, b in zip(alone, output, strict=False):
        if a != b and not (a in _QUOTE_MARKS and b in _QUOTE_MARKS):
            break
        length += 1
    return length


def _cut_after(text: str, offset: int, output: str, converter: Converter) -> int:
    """Where in ``output`` (the conversion of ``text``) the prefix ``text[:offset]`` ends."""
    if not offset:
        return 0
    regions = _protected_regions(text, converter) if converter.config is not None else {}
    return _agreement(_piece(text, 0, offset, converter, regions), output)


def convert_page(page: Page, converter: Converter) -> Page:
    """Convert every text of a page: titles, paragraphs (lead kept a prefix), bylines, captions.

    Repairs are untouched: they describe the source.
    """
    if converter.config is None and converter.edition.quotes == "curly":
        return page
    articles = tuple(_convert_article(a, converter) for a in page.articles)
    captions = tuple(replace(c, text=_output(c.text, converter)[0]) for c in page.captions)
    return replace(page, articles=articles, captions=captions)


def _convert_optional(text: str | None, converter: Converter) -> str | None:
    return None if text is None else _output(text, converter)[0]


def _convert_paragraph(paragraph: Paragraph, converter: Converter) -> Paragraph:
    output = _output(paragraph.text, converter)[0]
    lead = None
    if paragraph.lead is not None and paragraph.text.startswith(paragraph.lead):
        lead = output[:_cut_after(paragraph.text, len(paragraph.lead), output, converter)]
    elif paragraph.lead is not None:
        lead = _output(paragraph.lead, converter)[0]
    return replace(paragraph, text=output, lead=lead)


def _convert_article(article: Article, converter: Converter) -> Article:
    return replace(
        article,
        kicker=_convert_optional(article.kicker, converter),
        headline=_convert_optional(article.headline, converter),
        subheadline=_convert_optional(article.subheadline, converter),
        dateline=_convert_optional(article.dateline, converter),
        credit=_convert_optional(article.credit, converter),
        paragraphs=tuple(_convert_paragraph(p, converter) for p in article.paragraphs),
        byline=tuple(convert_name(name, converter) for name in article.byline),
    )


# --- report --------------------------------------------------------------------------------

def _fields(page: Page) -> Iterator[tuple[str, str]]:
    """(where, text) for every converted text of the page, in reading order."""
    for a_index, article in enumerate(page.articles, 1):
        for name in ("kicker", "headline", "subheadline", "dateline", "credit"):
            value = getattr(article, name)
            if value:
                yield f"article {a_index} {name}", value
        for p_index, paragraph in enumerate(article.paragraphs, 1):
            line = f" (line {paragraph.lines[0]})" if paragraph.lines else ""
            yield f"article {a_index} paragraph {p_index}{line}", paragraph.text
    for c_index, caption in enumerate(page.captions, 1):
        yield f"caption {c_index}", caption.text


def _context(output: str, start: int, end: int, width: int = 8) -> str:
    left = output[max(0, start - width):start]
    right = output[end:end + width]
    return f"{left}[{output[start:end]}]{right}"


def _items(where: str, result: _Converted, converter: Converter) -> list[ReportItem]:
    items: list[ReportItem] = []
    covered = [False] * len(result.source)
    for applied in result.applied:
        if applied.entry is None:  # a quoted name: reported, its characters' choices still listed
            o0, o1 = result.map_offset(applied.start), result.map_offset(applied.end)
            items.append(ReportItem(where, applied.start, "entry", result.source[applied.start:applied.end],
                                    result.output[o0:o1], _context(result.output, o0, o1),
                                    origin="quoted name: characters only (edition protect_names)"))
            continue
        for k in range(applied.start, applied.end):
            covered[k] = True
        o0, o1 = result.map_offset(applied.start), result.map_offset(applied.end)
        entry = applied.entry
        how = {"fixed": f"to: {entry.target}", "person": "people", "characters": "keep: characters",
               "phrasing": "keep: phrasing"}[entry.mode]
        origin = f"{entry.origin} {how}" + (f" — {entry.note}" if entry.note else "")
        items.append(ReportItem(where, applied.start, "entry", entry.source, result.output[o0:o1],
                                _context(result.output, o0, o1), origin=origin))
    base = map_quotes(_baseline(result.source, converter), converter.edition)
    for s0, s1, o0, o1 in _align(result.source, result.output, converter, merge=True):
        if all(covered[s0:s1]):
            continue
        source = result.source[s0:s1]
        target = result.output[o0:o1]
        single = s1 - s0 == 1 == o1 - o0
        if single and (source in converter.ambiguous or target != base[s0]):
            candidates = converter.ambiguous.get(source) or base[s0] + target
            items.append(ReportItem(where, s0, "choice", source, target, _context(result.output, o0, o1),
                                    candidates=candidates, origin=converter.config or ""))
        elif target != base[s0:s1]:
            items.append(ReportItem(where, s0, "phrase", source, target, _context(result.output, o0, o1),
                                    origin=converter.config or ""))
    items.sort(key=lambda item: item.offset)
    return items


def convert_report(page: Page, converter: Converter) -> list[ReportItem]:
    """Every entry applied, every phrase-level substitution and every one-to-many choice, in page order."""
    if converter.config is None:
        return []
    items: list[ReportItem] = []
    for where, text in _fields(page):
        items.extend(_items(where, _translate(text, converter), converter))
    for a_index, article in enumerate(page.articles, 1):
        for name in article.byline:
            converted = convert_name(name, converter)
            as_text = _translate(name, converter).output
            if converted != as_text:
                policy = f"names: {converter.edition.names} (as text: {as_text})"
                items.append(ReportItem(f"article {a_index} byline", 0, "entry", name, converted,
                                        f"[{converted}]", origin=policy))
    return items


def format_report(items: Sequence[ReportItem]) -> str:
    """The report as text: one line per decision, a tally of the choices, then counts.

    Lines read ``where  kind  source → target  …context…  origin``; an editor
    checks each and adds a ``phrases.yaml`` entry for what is wrong.  The
    tally (``发: 發×38 髮×1``) points at the rare choices worth a look first.
    """
    lines = []
    for item in items:
        extra = f"  ({item.candidates})" if item.candidates else ""
        origin = f"  {item.origin}" if item.origin else ""
        lines.append(f"{item.where}:{item.offset}  {item.kind:<6}  {item.source} → {item.target}  "
                     f"…{item.context}…{extra}{origin}")
    tally: dict[str, dict[str, int]] = {}
    for item in items:
        if item.kind == "choice":
            forms = tally.setdefault(item.source, {})
            forms[item.target] = forms.get(item.target, 0) + 1
    for char, forms in tally.items():
        ranked = sorted(forms.items(), key=lambda kv: -kv[1])
        lines.append(f"choices {char}: " + " ".join(f"{form}×{count}" for form, count in ranked))
    counts = {kind: sum(1 for i in items if i.kind == kind) for kind in ("entry", "phrase", "choice")}
    lines.append(f"{counts['entry']} dictionary entries, {counts['phrase']} phrase substitutions, "
                 f"{counts['choice']} one-to-many choices")
    return "\n".join(lines) + "\n"
