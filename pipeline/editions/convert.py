"""Convert a Page into a Traditional edition with OpenCC, dictionaries and rules that win, and corner quotes.

Conversion is exactly aligned by construction: the text is cut into segments
that each know their source span, and the output is their concatenation.

1. **Protected spans** are found first, on the simplified text: quoted names
   and titles (``Edition.protect_names``), then dictionary entries
   (leftmost-longest, with their guards; the publication's ``names:`` and
   ``people:`` are entries too), then organisation names under regional
   phrasing (``names.find_organisations``).  Each converts on its own: a fixed
   ``to`` (through the region's variant table), characters only, the
   edition's phrasing as a unit, or the name policy.
2. **Unprotected runs** between them go to stock OpenCC, each run whole, so a
   word keeps its context and a run's output is exactly what OpenCC writes
   for it.  In ``convert_plain`` whitespace and line breaks always end a run
   (stock OpenCC never matches a phrase across them either), so every line's
   content stays on its line and every space between the same characters.
   A run's output is split into *pieces*: the shortest prefixes whose
   conversion, followed by the conversion of the rest, is the run's output
   (``_pieces``), which gives each output character its source characters.
3. **Rules** (``rules.decide``) then set one-to-many characters inside
   length-keeping pieces: only that character changes.
4. Character fixes (``characters:`` in a phrase file) replace output
   characters of one config; quotes become 「」 and 『』 in corner-quote editions.

Every change from stock OpenCC is therefore the doing of an entry, rule, name
or character fix, inside its span, and ``convert_report`` names each.
Personal names follow ``Edition.names``; see ``pipeline/editions/__init__.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import opencc

from ..errors import ConfigError
from ..model import Article, Page, Paragraph
from . import (
    NAMES_OPENCC,
    OPENCC_CONFIGS,
    QUOTE_MARKS,
    Edition,
    characters_config,
    opencc_stem,
    variants_config,
)
from .names import find_organisations
from .phrases import Entry, Phrases, Rule, builtin_phrases
from .rules import decide

ReportKind = Literal["entry", "rule", "name", "phrase", "choice"]
SegmentKind = Literal["opencc", "space", "entry", "rule", "name", "fix"]

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
_LINE_BREAK = re.compile(r"[ \t\N{IDEOGRAPHIC SPACE}]*\r?\n[ \t\N{IDEOGRAPHIC SPACE}]*")
_TITLE = re.compile("\N{LEFT DOUBLE ANGLE BRACKET}([^\N{LEFT DOUBLE ANGLE BRACKET}"
                    "\N{RIGHT DOUBLE ANGLE BRACKET}\n]{1,60})\N{RIGHT DOUBLE ANGLE BRACKET}")


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
    rules: tuple[Rule, ...] = ()
    memo: dict[tuple[str, bool], Conversion] = field(default_factory=dict, compare=False, repr=False)
    """``convert_segments``' results by (text, plain): a build converts each text once for the page
    and asks again for the desk's review (``review_text``), which then costs nothing."""
    baselines: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each character's form converted alone by the characters-only engine (``report``'s baseline),
    kept for every text of every page the converter reports on."""

    def raw(self, role: str, text: str) -> str:
        """Convert ``text`` with one engine exactly as stock OpenCC does."""
        if role not in self.engines or not text:
            return text
        out: str = self.engines[role][1].convert(text)
        return out

    def fix(self, role: str, text: str) -> str:
        """Apply the character fixes of a role's config to its output."""
        table = self.fixes.get(self.engines[role][0]) if role in self.engines else None
        return "".join(table.get(c, c) for c in text) if table else text

    def run(self, role: str, text: str) -> str:
        """Convert ``text`` with one engine, then apply that config's character fixes."""
        return self.fix(role, self.raw(role, text))

    def same_engine(self, role: str, other: str) -> bool:
        """Whether two roles convert with the same OpenCC config."""
        return self.engines.get(role, ("", None))[0] == self.engines.get(other, ("", None))[0]


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of source text and its output; ``output_start`` is where it begins in the output."""

    start: int
    end: int
    output_start: int
    output: str
    kind: SegmentKind = "opencc"
    origin: str = ""

    @property
    def output_end(self) -> int:
        return self.output_start + len(self.output)


@dataclass(frozen=True, slots=True)
class Applied:
    """A protected span, rule decision or character fix, with what made it (for the report)."""

    start: int
    end: int
    kind: ReportKind
    origin: str
    source: str


@dataclass(frozen=True, slots=True)
class Conversion:
    """One converted text: output, the segments covering source and output in order, and what was applied."""

    source: str
    output: str
    segments: tuple[Segment, ...]
    applied: tuple[Applied, ...] = ()

    def map_offset(self, offset: int) -> int:
        """The output offset of a source offset (the end of its segment if it falls inside a resized one).

        >>> from pipeline.editions import EDITIONS
        >>> c = convert_segments("加强网络用户", make_converter(EDITIONS["zh-TW"], opencc_config="s2twp"))
        >>> c.output, c.map_offset(4), c.output[c.map_offset(4):]
        ('加強網路使用者', 4, '使用者')
        """
        for segment in self.segments:
            if segment.start <= offset < segment.end:
                if segment.end - segment.start == len(segment.output):
                    return segment.output_start + offset - segment.start
                return segment.output_start if offset == segment.start else segment.output_end
        return len(self.output)

    def output_span(self, start: int, end: int) -> tuple[int, int]:
        """The output span of the segments that cover ``start:end`` of the source, widened to whole segments
        where they change length."""
        if start >= end:
            at = self.map_offset(start)
            return at, at
        o0 = self.map_offset(start)
        o1 = o0
        for segment in self.segments:
            if segment.start < end and segment.end > start:
                if segment.end - segment.start == len(segment.output):
                    o1 = max(o1, segment.output_start + min(end, segment.end) - segment.start)
                else:
                    o0 = min(o0, segment.output_start)
                    o1 = max(o1, segment.output_end)
        return o0, o1

    def source_of(self, output_offset: int) -> tuple[int, int]:
        """The source span an output character came from."""
        for segment in self.segments:
            if segment.output_start <= output_offset < segment.output_end:
                if segment.end - segment.start == len(segment.output):
                    at = segment.start + output_offset - segment.output_start
                    return at, at + 1
                return segment.start, segment.end
        raise IndexError(output_offset)


def make_converter(edition: Edition, phrases: Phrases | None = None,
                   opencc_config: str | None = None) -> Converter:
    """Build the converter of an edition: OpenCC engines, the merged dictionary and its rules.

    ``phrases`` (the publication's) override the built-in fixes entry by entry
    and rule by rule; ``opencc_config`` (``s2twp`` or ``s2twp.json``) overrides
    the edition's config.
    """
    merged = builtin_phrases().merged(phrases) if phrases is not None else builtin_phrases()
    config = opencc_stem(opencc_config) if opencc_config else edition.opencc
    if config is not None:
        config = opencc_stem(config)
    engines: dict[str, tuple[str, Any]] = {}
    if config is not None:
        if config not in OPENCC_CONFIGS:
            raise ConfigError(f"unknown OpenCC config {config!r} for a Traditional edition",
                              hint=f"choose from {', '.join(OPENCC_CONFIGS)}")
        engines["main"] = _engine(config)
        engines["characters"] = _engine(characters_config(config))
        engines["names"] = _engine(NAMES_OPENCC) if edition.names == "characters" else engines["main"]
        variants = variants_config(config)
        if variants is not None:
            engines["variants"] = _engine(variants)
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
                     engines=engines, rules=merged.rules)


_ENGINES: dict[str, Any] = {}


def _engine(name: str) -> tuple[str, Any]:
    """One OpenCC object per config per process (they are immutable once loaded)."""
    if name not in _ENGINES:
        _ENGINES[name] = opencc.OpenCC(name + ".json")
    return name, _ENGINES[name]


# --- finding the protected spans -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Cut:
    start: int
    end: int
    kind: ReportKind
    role: str
    """How the span converts: main, characters, names (the name policy), fixed."""
    origin: str
    entry: Entry | None = None


def _looks_like_name(inner: str) -> bool:
    """Whether a quoted phrase is a proper name, slogan or title rather than speech.

    >>> _looks_like_name("项目招商恳谈会"), _looks_like_name("互联网+网格管理"), _looks_like_name("高端化")
    (True, True, False)
    """
    if any(c in NAME_MARKS for c in inner):
        return True
    return len(inner) >= 3 and inner.endswith(NAME_SUFFIXES)


def _match(text: str, start: int, converter: Converter) -> Entry | None:
    for entry in converter.index.get(text[start], ()):
        if _entry_in_force(entry, converter) and entry.applies_at(text, start):
            return entry
    return None


def _entry_in_force(entry: Entry, converter: Converter) -> bool:
    """An entry that would write what the edition writes anyway is left out, so it cuts no run.

    ``keep: characters`` and ``keep: phrasing`` only matter where the edition
    rephrases (s2twp); names and people always convert on their own.
    """
    if entry.section != "phrases" or entry.mode in ("fixed", "person"):
        return True
    return not converter.same_engine("characters", "main")


def _find_cuts(text: str, converter: Converter) -> list[_Cut]:
    """The protected spans of ``text``, in order, not overlapping."""
    regions: dict[int, int] = {}
    protect = converter.edition.protect_names and not converter.same_engine("characters", "main")
    if protect:
        for match in _QUOTED.finditer(text):
            if _looks_like_name(match.group(1)):
                regions[match.start(1)] = match.end(1)
        for match in _TITLE.finditer(text):
            regions[match.start(1)] = match.end(1)
    cuts: list[_Cut] = []
    i = 0
    while i < len(text):
        if i in regions:
            cuts.append(_Cut(i, regions[i], "name", "characters",
                             "quoted name: characters only (edition protect_names)"))
            i = regions[i]
            continue
        entry = _match(text, i, converter)
        if entry is not None:
            end = i + len(entry.source)
            cuts.append(_cut_of(entry, i, end))
            i = end
            continue
        i += 1
    return cuts


def _cut_of(entry: Entry, start: int, end: int) -> _Cut:
    if entry.section != "phrases":
        kind: ReportKind = "name"
        how = "people: the name policy" if entry.section == "people" else "names: characters only"
    else:
        kind = "entry"
        how = {"fixed": f"to: {entry.target}", "person": "people", "characters": "keep: characters",
               "phrasing": "keep: phrasing"}[entry.mode]
    origin = f"{entry.origin} {how}" + (f" — {entry.note}" if entry.note else "")
    role = {"fixed": "fixed", "characters": "characters", "phrasing": "main", "person": "names"}[entry.mode]
    return _Cut(start, end, kind, role, origin, entry)


def _blocked(length: int, cuts: Sequence[_Cut]) -> list[bool]:
    blocked = [False] * length
    for cut in cuts:
        for k in range(cut.start, cut.end):
            blocked[k] = True
    return blocked


# --- converting runs -------------------------------------------------------------------------

def _pieces(text: str, output: str, convert: Callable[[str], str]) -> list[tuple[int, int, int, int]]:
    """Split a run and its conversion into pieces (s0, s1, o0, o1) with ``output[o0:o1] == convert(text[s0:s1])``.

    Each piece is the shortest prefix of the rest whose conversion, followed by
    the conversion of what follows it, gives the rest of the output; so the
    pieces concatenate to the output by construction, and a phrase OpenCC
    converts as a unit (头发 → 頭髮, 互联网 → 網際網路) stays one piece.

    >>> import opencc
    >>> cc = opencc.OpenCC("s2twp.json").convert
    >>> _pieces("头发好", cc("头发好"), cc)
    [(0, 2, 0, 2), (2, 3, 2, 3)]
    """
    chunks = _chunks(text)
    if len(chunks) > 1:
        outputs = [convert(text[s0:s1]) for s0, s1 in chunks]
        if "".join(outputs) == output:  # no phrase spans a chunk boundary: piece each chunk alone
            out: list[tuple[int, int, int, int]] = []
            at = 0
            for (s0, s1), chunk_output in zip(chunks, outputs, strict=True):
                out.extend((s0 + a, s0 + b, at + c, at + d)
                           for a, b, c, d in _pieces_of(text[s0:s1], chunk_output, convert))
                at += len(chunk_output)
            return out
    return _pieces_of(text, output, convert)


CHUNK_ENDS = frozenset("\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC FULL STOP}\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH SEMICOLON}"
                       "\N{FULLWIDTH COLON}\N{FULLWIDTH QUESTION MARK}\N{FULLWIDTH EXCLAMATION MARK}"
                       "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
                       "\N{FULLWIDTH LEFT PARENTHESIS}\N{FULLWIDTH RIGHT PARENTHESIS}")
"""Marks after which a run is cut into chunks to piece it quickly (the cut is checked, never assumed)."""


def _chunks(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for index, char in enumerate(text):
        if char in CHUNK_ENDS:
            out.append((start, index + 1))
            start = index + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _pieces_of(text: str, output: str, convert: Callable[[str], str]) -> list[tuple[int, int, int, int]]:
    singles = [convert(char) for char in text]
    if "".join(singles) == output:  # every character converts as it does alone: one piece each
        out: list[tuple[int, int, int, int]] = []
        at = 0
        for index, single in enumerate(singles):
            out.append((index, index + 1, at, at + len(single)))
            at += len(single)
        return out
    pieces: list[tuple[int, int, int, int]] = []
    i = j = 0
    n = len(text)
    while i < n:
        for k in range(i + 1, n + 1):
            head = convert(text[i:k])
            if not output.startswith(head, j):
                continue
            rest = output[j + len(head):]
            if (rest == "") if k == n else (convert(text[k:]) == rest):
                break
        else:  # unreachable for a deterministic converter: the whole rest is one piece
            k, head = n, output[j:]
        pieces.append((i, k, j, j + len(head)))
        i, j = k, j + len(head)
    return pieces


_CACHE: dict[str, dict[str, str]] = {}
_CACHE_LIMIT = 50_000


def _cached(converter: Converter) -> Callable[[str], str]:
    """The main engine's stock conversion, memoised for short texts (single characters above all)."""
    config = converter.engines["main"][0]
    cache = _CACHE.setdefault(config, {})

    def convert(text: str) -> str:
        if len(text) > 4:
            return converter.raw("main", text)
        found = cache.get(text)
        if found is None:
            found = converter.raw("main", text)
            if len(cache) < _CACHE_LIMIT:
                cache[text] = found
        return found
    return convert


def _whitespace_runs(text: str, start: int, end: int, split: bool) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_whitespace) stretches of ``text[start:end]``; one stretch unless ``split``."""
    if not split:
        if start < end:
            yield start, end, False
        return
    i = start
    while i < end:
        space = text[i].isspace()
        k = i
        while k < end and text[k].isspace() == space:
            k += 1
        yield i, k, space
        i = k


@dataclass
class _Builder:
    """Collects segments in source order."""

    converter: Converter
    segments: list[tuple[int, int, str, SegmentKind, str]] = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)

    def add(self, start: int, end: int, output: str, kind: SegmentKind, origin: str = "") -> None:
        self.segments.append((start, end, output, kind, origin))


def _convert_run(text: str, start: int, end: int, builder: _Builder) -> None:
    """One unprotected run, converted whole by stock OpenCC and split into pieces."""
    converter = builder.converter
    run = text[start:end]
    output = converter.raw("main", run)
    for s0, s1, o0, o1 in _pieces(run, output, _cached(converter)):
        piece = output[o0:o1]
        fixed = converter.fix("main", piece)
        if fixed != piece:
            origin = f"characters: {converter.engines['main'][0]}"
            builder.add(start + s0, start + s1, fixed, "fix", origin)
            builder.applied.append(Applied(start + s0, start + s1, "entry", origin, text[start + s0:start + s1]))
        else:
            builder.add(start + s0, start + s1, piece, "opencc")


def _convert_cut(text: str, cut: _Cut, builder: _Builder, split: bool) -> None:
    """One protected span: its own conversion, split at whitespace in plain text."""
    converter = builder.converter
    kind: SegmentKind = "entry" if cut.kind == "entry" else "name"
    stretches = list(_whitespace_runs(text, cut.start, cut.end, split))
    target = None
    if cut.role == "fixed" and cut.entry is not None:
        target = cut.entry.target_for(converter.edition.name, converter.config or "") or cut.entry.source
        target = converter.run("variants", target)
        if len(stretches) > 1 and len(target) != len(cut.entry.source):
            target = None  # a resizing fix cannot be spread over a line break: convert as text
    at = 0
    for s0, s1, space in stretches:
        piece = text[s0:s1]
        if space:
            builder.add(s0, s1, piece, "space")
            continue
        if cut.role == "fixed":
            out = target[at:at + len(piece)] if target is not None and len(stretches) > 1 else target
            if out is None:
                out = converter.run("main", piece)
        elif cut.role == "names":
            out = convert_name(piece, converter)
        else:
            out = converter.run(cut.role, piece)
        at += len(piece)
        builder.add(s0, s1, out, kind, cut.origin)
    builder.applied.append(Applied(cut.start, cut.end, cut.kind, cut.origin, text[cut.start:cut.end]))


def _apply_rules(text: str, segments: list[tuple[int, int, str, SegmentKind, str]],
                 decisions: Sequence[Any], converter: Converter) -> tuple[list[tuple[int, int, str, SegmentKind, str]],
                                                                         list[Applied]]:
    """Set each decided character inside its length-keeping OpenCC piece; other pieces are left alone."""
    if not decisions:
        return segments, []
    by_position = {d.position: d for d in decisions}
    out: list[tuple[int, int, str, SegmentKind, str]] = []
    applied: list[Applied] = []
    for start, end, output, kind, origin in segments:
        hits = [p for p in range(start, end) if p in by_position]
        if kind != "opencc" or not hits or len(output) != end - start:
            out.append((start, end, output, kind, origin))
            continue
        cursor = start
        for position in hits:
            decision = by_position[position]
            form = converter.run("variants", decision.form)
            current = output[position - start]
            if form == current or len(form) != 1:
                continue
            if cursor < position:
                out.append((cursor, position, output[cursor - start:position - start], "opencc", ""))
            word = _LINE_BREAK.sub("", text[decision.start:decision.end])
            rule_origin = f"{decision.rule.origin} rule {decision.rule.char}→{decision.form} ({word})"
            out.append((position, position + 1, form, "rule", rule_origin))
            applied.append(Applied(decision.start, decision.end, "rule", rule_origin, word))
            cursor = position + 1
        if cursor < end:
            out.append((cursor, end, output[cursor - start:], "opencc", ""))
    return out, applied


def _apply_organisations(text: str, segments: list[tuple[int, int, str, SegmentKind, str]],
                         names: Sequence[tuple[int, int, str]], converter: Converter,
                         ) -> tuple[list[tuple[int, int, str, SegmentKind, str]], list[Applied]]:
    """Inside an organisation name, undo the regional phrasing of the words after its first.

    The name's head stays as OpenCC writes it, since OpenCC knows brands
    (大众汽车集团 → 福斯汽車集團); a generic word inside the name keeps its
    characters (新区智能装备产业园 → 新區智能裝備產業園, not 智慧).
    """
    if not names:
        return segments, []
    out: list[tuple[int, int, str, SegmentKind, str]] = []
    changed: dict[int, tuple[int, int, str]] = {}
    for start, end, output, kind, origin in segments:
        name = next((n for n in names if n[0] < start and end <= n[1]), None)
        if kind == "opencc" and name is not None:
            plain = converter.run("characters", text[start:end])
            if plain != output:
                origin = f"organisation name (…{name[2]}): characters only"
                out.append((start, end, plain, "name", origin))
                changed[name[0]] = name
                continue
        out.append((start, end, output, kind, origin))
    applied = [Applied(s0, s1, "name", f"organisation name (…{suffix}): characters only", text[s0:s1])
               for s0, s1, suffix in changed.values()]
    return out, applied


def _view(text: str, plain: bool) -> tuple[str, list[int]]:
    """The text that entries, names and rules are matched on, and each of its characters' source offsets.

    In plain text a single line break (with the indentation around it) is left
    out, so a name or word broken over a line is still found; a space within a
    line and a blank line stay and end every match.
    """
    if not plain:
        return text, list(range(len(text)))
    positions: list[int] = []
    i = 0
    while i < len(text):
        if not text[i].isspace():
            positions.append(i)
            i += 1
            continue
        k = i
        while k < len(text) and text[k].isspace():
            k += 1
        breaks = text.count("\n", i, k) + text.count("\r", i, k) - text.count("\r\n", i, k)
        if breaks == 0:
            positions.extend(range(i, k))  # a space within a line ends every match
        elif breaks > 1:
            positions.append(i)  # a blank line is a hard boundary: one whitespace character stays
        i = k
    return "".join(text[i] for i in positions), positions


def convert_segments(text: str, converter: Converter, plain: bool = False) -> Conversion:
    """Convert one text, exactly aligned: every output character knows the source characters it came from.

    ``plain`` ends a run at every whitespace character (``convert_plain``);
    otherwise the text converts whole (a headline, a paragraph, a caption).
    """
    key = (text, plain)
    found = converter.memo.get(key)
    if found is None:
        if len(converter.memo) >= MEMO_SIZE:
            converter.memo.clear()
        found = converter.memo[key] = _convert_segments(text, converter, plain)
    return found


MEMO_SIZE = 20000
"""Texts a converter remembers (a broadsheet page has a few hundred); past it, it starts afresh."""


def _convert_segments(text: str, converter: Converter, plain: bool) -> Conversion:
    if converter.config is None:
        output = map_quotes(text, converter.edition)
        return Conversion(text, output, (Segment(0, len(text), 0, output),) if text else ())
    view, positions = _view(text, plain)

    def to_source(start: int, end: int) -> tuple[int, int]:
        return (positions[start], positions[end - 1] + 1) if end > start else (positions[start],) * 2

    found = _find_cuts(view, converter)
    cuts = []
    for cut in found:
        s0, s1 = to_source(cut.start, cut.end)
        cuts.append(replace(cut, start=s0, end=s1))
    builder = _Builder(converter)
    position = 0
    for next_cut in [*cuts, None]:
        stop = len(text) if next_cut is None else next_cut.start
        for s0, s1, space in _whitespace_runs(text, position, stop, plain):
            if space:
                builder.add(s0, s1, text[s0:s1], "space")
            else:
                _convert_run(text, s0, s1, builder)
        if next_cut is not None:
            _convert_cut(text, next_cut, builder, plain)
            position = next_cut.end
    blocked_view = _blocked(len(view), found)
    decisions = [replace(d, position=positions[d.position], start=to_source(d.start, d.end)[0],
                         end=to_source(d.start, d.end)[1])
                 for d in decide(view, converter.rules, blocked_view)]
    segments, rule_applied = _apply_rules(text, builder.segments, decisions, converter)
    if converter.edition.protect_names and not converter.same_engine("characters", "main"):
        names = [(*to_source(n.start, n.end), n.suffix) for n in find_organisations(view, blocked_view)]
        segments, name_applied = _apply_organisations(text, segments, names, converter)
        rule_applied += name_applied
    raw_output = "".join(s[2] for s in segments)
    output = map_quotes(raw_output, converter.edition)
    built: list[Segment] = []
    at = 0
    for start, end, piece, kind, origin in segments:
        built.append(Segment(start, end, at, output[at:at + len(piece)], kind, origin))
        at += len(piece)
    applied = sorted([*builder.applied, *rule_applied], key=lambda a: (a.start, a.end))
    return Conversion(text, output, tuple(built), tuple(applied))


# --- quotes ----------------------------------------------------------------------------------

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


# --- public API ----------------------------------------------------------------------------

def convert_text(text: str, converter: Converter) -> str:
    """Convert one piece of running text (a headline, a paragraph) for the converter's edition.

    >>> from pipeline.editions import EDITIONS
    >>> convert_text("坚持好干部标准，天气好干燥。", make_converter(EDITIONS["zh-TW"]))
    '堅持好幹部標準，天氣好乾燥。'
    """
    return convert_segments(text, converter).output


def convert_name(name: str, converter: Converter) -> str:
    """Convert a personal name by the edition's name policy (bylines, ``people:``)."""
    if converter.config is None:
        return name
    if converter.edition.names == "characters":
        out = converter.run("names", name)
    else:
        out = converter.run("main", name)
    form = converter.surnames.get(name[:1])
    if form is not None and len(out) == len(name):
        out = form + out[1:]  # 余华 is 余華, not 餘華
    return out


def convert_plain(text: str, converter: Converter) -> str:
    """Convert text exactly as given: no reflow; whitespace ends every run, so lines and spaces stay put.

    >>> from pipeline.editions import EDITIONS
    >>> convert_plain("不要放松，头发\\n好 干部\\n", make_converter(EDITIONS["zh-TW"]))
    '不要放鬆，頭髮\\n好 幹部\\n'
    """
    return convert_segments(text, converter, plain=True).output


def convert_page(page: Page, converter: Converter) -> Page:
    """Convert every text of a page: titles, paragraphs (lead kept a prefix), bylines, captions and their credits.

    Repairs are untouched: they describe the source.
    """
    if converter.config is None and converter.edition.quotes == "curly":
        return page
    articles = tuple(_convert_article(a, converter) for a in page.articles)
    captions = tuple(replace(c, text=convert_text(c.text, converter), credit=_convert_optional(c.credit, converter))
                     for c in page.captions)
    headlines = tuple(replace(h, text=convert_text(h.text, converter)) for h in page.page_headlines)
    return replace(page, articles=articles, captions=captions, page_headlines=headlines)


def _convert_optional(text: str | None, converter: Converter) -> str | None:
    return None if text is None else convert_text(text, converter)


def _convert_paragraph(paragraph: Paragraph, converter: Converter) -> Paragraph:
    result = convert_segments(paragraph.text, converter)
    lead = None
    if paragraph.lead is not None and paragraph.text.startswith(paragraph.lead):
        lead = result.output[:result.map_offset(len(paragraph.lead))]
    elif paragraph.lead is not None:
        lead = convert_text(paragraph.lead, converter)
    return replace(paragraph, text=result.output, lead=lead)


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
        credits=tuple(replace(credit, role=_convert_optional(credit.role, converter),
                              names=tuple(convert_name(name, converter) for name in credit.names))
                      for credit in article.credits),
    )


# The report lives in report.py; these names stay importable from here for existing callers.
from .report import (  # noqa: E402
    REPORT_GROUPS,
    ReportItem,
    convert_plain_report,
    convert_report,
    format_report,
    format_report_json,
    report_items,
    review_text,
)

__all__ = [
    "REPORT_GROUPS", "Conversion", "Converter", "ReportItem", "Segment", "convert_name", "convert_page",
    "convert_plain", "convert_plain_report", "convert_report", "convert_segments", "convert_text", "format_report",
    "format_report_json", "make_converter", "map_quotes", "report_items", "review_text",
]
