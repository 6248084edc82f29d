"""Report a conversion to the desk: every rule, entry and name applied, OpenCC's phrases and its one-to-many choices.

``convert_report`` lists the items of a page in page order, ``convert_plain_report``
those of plain text by line and column; ``format_report`` groups them by kind
with counts (``convert --report``), ``format_report_json`` gives the same for
tools (``convert --report --json``) and ``review_text`` is the build's
``output/<edition>/<page>.review.txt``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import Page
from .convert import (
    _LINE_BREAK,
    Conversion,
    Converter,
    ReportKind,
    Segment,
    convert_name,
    convert_segments,
    convert_text,
    map_quotes,
)

REPORT_GROUPS: dict[ReportKind, str] = {
    "rule": "phrase rules",
    "entry": "dictionary entries",
    "name": "names kept",
    "phrase": "regional phrasing",
    "choice": "one-to-many choices",
}
"""The report's groups, in the order a desk reads them."""


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One decision a desk editor may want to check.

    ``kind`` is ``entry`` (a dictionary entry applied), ``rule`` (a rule set
    a character by its word), ``name`` (a name kept to its characters: the
    publication's names and people, bylines, quoted names, organisations),
    ``phrase`` (OpenCC changed a phrase beyond its characters' default forms)
    or ``choice`` (a simplified character with several Traditional forms).
    ``offset``/``end`` are the source span, in the text ``where`` names.
    """

    where: str
    offset: int
    kind: ReportKind
    source: str
    target: str
    context: str
    candidates: str = ""
    origin: str = ""
    end: int = -1
    line: int = 0
    """The source line the item's first character came from (0: not known)."""

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON (``convert --report --json``)."""
        return {"where": self.where, "offset": self.offset, "end": self.end, "line": self.line, "kind": self.kind,
                "source": self.source, "target": self.target, "context": self.context,
                "candidates": self.candidates, "origin": self.origin}


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


def _source_lines(text: str, lines: Sequence[int], source_lines: Sequence[str]) -> list[int]:
    """The source line of each character of a reflowed text, from the lines it was joined from.

    Characters are matched in order against the non-space characters of those
    lines; one a repair added (a widened comma, say) takes the line before it.

    >>> _source_lines("头发，好", (3, 4), ["", "", "头发,", "好"])
    [3, 3, 3, 4]
    """
    chars = [(number, char) for number in lines if 0 < number <= len(source_lines)
             for char in source_lines[number - 1] if not char.isspace()]
    out: list[int] = []
    k = 0
    current = lines[0] if lines else 0
    for char in text:
        if not char.isspace():
            found = next((j for j in range(k, min(k + _LOOKAHEAD, len(chars))) if chars[j][1] == char), None)
            if found is not None:
                current, k = chars[found][0], found + 1
        out.append(current)
    return out


_LOOKAHEAD = 6
"""How far ahead a reflowed character is looked for among its source lines' characters."""


def _text_lines(page: Page) -> dict[str, tuple[int, ...]]:
    """The source lines of each field of ``_fields`` that records them (paragraphs, captions)."""
    out: dict[str, tuple[int, ...]] = {}
    for a_index, article in enumerate(page.articles, 1):
        for p_index, paragraph in enumerate(article.paragraphs, 1):
            line = f" (line {paragraph.lines[0]})" if paragraph.lines else ""
            out[f"article {a_index} paragraph {p_index}{line}"] = paragraph.lines
    for c_index, caption in enumerate(page.captions, 1):
        out[f"caption {c_index}"] = caption.lines
    return out


def _context(output: str, start: int, end: int, width: int = 8) -> str:
    left = output[max(0, start - width):start].replace("\n", "⏎")
    right = output[end:end + width].replace("\n", "⏎")
    return f"{left}[{output[start:end].replace(chr(10), '⏎')}]{right}"


def _baseline_char(char: str, converter: Converter) -> str:
    """A character converted alone with the characters-only engine: its "default" form."""
    cache = converter.baselines
    if char not in cache:
        converted = converter.run("characters", char)
        cache[char] = converted if len(converted) == 1 else char
    return cache[char]


def report_items(where: str, result: Conversion, converter: Converter) -> list[ReportItem]:
    """The report items of one converted text: what was applied, then OpenCC's phrases and choices."""
    items: list[ReportItem] = []
    for applied in result.applied:
        o0, o1 = result.output_span(applied.start, applied.end)
        items.append(ReportItem(where, applied.start, applied.kind, applied.source, result.output[o0:o1],
                                _context(result.output, o0, o1), origin=applied.origin, end=applied.end))
    edition = converter.edition
    pending: list[Segment] = []

    def flush() -> None:
        if pending:
            s0, s1 = pending[0].start, pending[-1].end
            o0, o1 = pending[0].output_start, pending[-1].output_end
            items.append(ReportItem(where, s0, "phrase", result.source[s0:s1], result.output[o0:o1],
                                    _context(result.output, o0, o1), origin=converter.config or "", end=s1))
            pending.clear()

    for segment in result.segments:
        if segment.kind != "opencc":
            flush()
            continue
        source = result.source[segment.start:segment.end]
        if len(source) != len(segment.output):
            pending.append(segment)
            continue
        flush()
        for k, (char, target) in enumerate(zip(source, segment.output, strict=True)):
            base = map_quotes(_baseline_char(char, converter), edition)
            if char in converter.ambiguous or (target != base and not _is_quote(char)):
                at = segment.output_start + k
                candidates = converter.ambiguous.get(char) or base + target
                items.append(ReportItem(where, segment.start + k, "choice", char, target,
                                        _context(result.output, at, at + 1), candidates=candidates,
                                        origin=converter.config or "", end=segment.start + k + 1))
    flush()
    items.sort(key=lambda item: (item.offset, item.kind != "choice"))
    return items


def _is_quote(char: str) -> bool:
    return char in "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}" \
        "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"


def convert_report(page: Page, converter: Converter, source: str | None = None) -> list[ReportItem]:
    """Every entry, rule and name applied, every phrase-level substitution and one-to-many choice, in page order.

    With the page's ``source`` text, each item of a paragraph or caption gets
    the source line its first character came from (``ReportItem.line``).
    """
    if converter.config is None:
        return []
    source_lines = source.splitlines() if source is not None else None
    lines_of = _text_lines(page)
    items: list[ReportItem] = []
    for where, text in _fields(page):
        found = report_items(where, convert_segments(text, converter), converter)
        if source_lines is not None and lines_of.get(where):
            line_at = _source_lines(text, lines_of[where], source_lines)
            found = [replace(i, line=line_at[i.offset]) if i.offset < len(line_at) else i for i in found]
        items.extend(found)
    for a_index, article in enumerate(page.articles, 1):
        for name in article.byline:
            converted = convert_name(name, converter)
            as_text = convert_text(name, converter)
            if converted != as_text:
                policy = f"names: {converter.edition.names} (as text: {as_text})"
                items.append(ReportItem(f"article {a_index} byline", 0, "name", name, converted,
                                        f"[{converted}]", origin=policy, end=len(name)))
    return items


def convert_plain_report(text: str, converter: Converter) -> list[ReportItem]:
    """The report of ``convert_plain``: ``where`` is the item's line (1-based), ``offset``/``end`` its columns.

    >>> from pipeline.editions import EDITIONS
    >>> from pipeline.editions.convert import make_converter
    >>> item = convert_plain_report("头发\\n好干部", make_converter(EDITIONS["zh-TW"]))[-1]
    >>> item.where, item.offset, item.end, item.source, item.target
    ('line 2', 1, 3, '干部', '幹部')
    """
    if converter.config is None:
        return []
    result = convert_segments(text, converter, plain=True)
    items = report_items("text", result, converter)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out = []
    for item in items:
        line = sum(1 for s in starts if s <= item.offset)
        start = starts[line - 1]
        out.append(replace(item, where=f"line {line}", offset=item.offset - start, end=item.end - start))
    return out


def _counts(items: Sequence[ReportItem]) -> dict[str, int]:
    return {kind: sum(1 for i in items if i.kind == kind) for kind in REPORT_GROUPS}


def _tally(items: Sequence[ReportItem]) -> dict[str, dict[str, int]]:
    tally: dict[str, dict[str, int]] = {}
    for item in items:
        if item.kind == "choice":
            forms = tally.setdefault(item.source, {})
            forms[item.target] = forms.get(item.target, 0) + 1
    return {char: dict(sorted(forms.items(), key=lambda kv: -kv[1])) for char, forms in tally.items()}


def format_report(items: Sequence[ReportItem]) -> str:
    """The report as text: the items grouped by kind with counts, a tally of the choices, then the counts.

    Lines read ``where:offset  kind  source → target  …context…  origin``; an
    editor checks each and adds a ``phrases.yaml`` entry for what is wrong.
    The tally (``发: 發×38 髮×1``) points at the rare choices worth a look first.
    """
    lines = []
    for kind, label in REPORT_GROUPS.items():
        group = [item for item in items if item.kind == kind]
        if not group:
            continue
        lines.append(f"## {label} ({len(group)})")
        for item in group:
            extra = f"  ({item.candidates})" if item.candidates else ""
            origin = f"  {item.origin}" if item.origin else ""
            at = f" (source line {item.line})" if item.line else ""
            source, target = (_LINE_BREAK.sub("⏎", t) for t in (item.source, item.target))
            lines.append(f"{item.where}:{item.offset}{at}  {item.kind:<6}  {source} → {target}  "
                         f"…{item.context}…{extra}{origin}")
    for char, forms in _tally(items).items():
        lines.append(f"choices {char}: " + " ".join(f"{form}×{count}" for form, count in forms.items()))
    counts = _counts(items)
    lines.append(f"{counts['rule']} phrase rules, {counts['entry']} dictionary entries, {counts['name']} names kept, "
                 f"{counts['phrase']} phrase substitutions, {counts['choice']} one-to-many choices")
    return "\n".join(lines) + "\n"


def format_report_json(items: Sequence[ReportItem], converter: Converter) -> str:
    """The report for tools: counts, the items grouped by kind, and the choices tally."""
    data = {
        "edition": converter.edition.name,
        "opencc": converter.config,
        "counts": _counts(items),
        "groups": {kind: [item.to_dict() for item in items if item.kind == kind] for kind in REPORT_GROUPS},
        "choices": _tally(items),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def review_text(page: Page, converter: Converter) -> str | None:
    """The desk's review file for a page (``output/<edition>/<page>.review.txt``), or None without choices.

    A build writes it when the edition made one-to-many choices a desk should see.
    """
    items = convert_report(page, converter)
    if not any(item.kind == "choice" for item in items):
        return None
    header = (f"# {page.source}: {converter.edition.name} (OpenCC {converter.config}); "
              f"check each choice, add a phrases.yaml entry for what is wrong\n")
    return header + format_report(items)
