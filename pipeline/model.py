"""Define the plain data objects that flow between the pipeline's stages.

Every object is a frozen dataclass with ``to_dict()``/``from_dict()``; the JSON
they produce is the public interface printed by ``broadsheet parse --json``
(documented in the README).  Derive changed values with
``dataclasses.replace``; no stage fills in an object made by another.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Repair:
    """One change to the text that was not a plain line join.

    ``line`` is the 1-based source line; ``removed`` holds the Han characters,
    letters and digits the change took out of the text (usually empty), so the
    no-text-lost invariant can be audited from the repair log alone.
    """

    kind: str
    line: int
    detail: str
    removed: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "line": self.line, "detail": self.detail}
        if self.removed:
            data["removed"] = self.removed
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Repair:
        return cls(data["kind"], int(data["line"]), data["detail"], data.get("removed", ""))


@dataclass(frozen=True, slots=True)
class Block:
    """A run of source lines that reflow joined into one piece of text.

    ``lines`` are the 1-based source line numbers that make up the block;
    ``starts`` (optional, same length) the offset in ``text`` where each of
    those lines begins, so a repair can name the line it changed.
    """

    text: str
    lines: tuple[int, ...]
    starts: tuple[int, ...] = ()
    after_blank: bool | None = None
    """Whether a blank line (or the start of the text) comes before the block; ``None`` if unknown
    (then the line numbers tell: ``pdftotext -layout`` columns skip numbers without a blank line)."""

    @property
    def first_line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph; ``lead`` is its bold lead-in prefix or ``None``; ``signoff`` marks a notice's
    issuing body and date, set flush to the line end rather than justified."""

    text: str
    lead: str | None = None
    lines: tuple[int, ...] = ()
    signoff: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "lead": self.lead, "lines": list(self.lines)}
        if self.signoff:  # only when set, so pages without sign-offs keep their JSON
            data["signoff"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paragraph:
        return cls(data["text"], data.get("lead"), tuple(data.get("lines", ())), bool(data.get("signoff", False)))


@dataclass(frozen=True, slots=True)
class Credit:
    """One role of a byline and the names it credits (``通讯员`` → ``李四``); ``role`` may be ``None``."""

    role: str | None
    names: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "names": list(self.names)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Credit:
        return cls(data.get("role"), tuple(data.get("names", ())))


@dataclass(frozen=True, slots=True)
class Article:
    """One story: up to three stacked titles, its paragraphs and its byline.

    ``byline`` holds the bare names and ``credit`` the roles (kept for compatibility);
    ``credits`` pairs each role with its names, and ``byline_at`` says where the byline
    was printed (``start``: under the titles or run in after the dateline; ``end``; ``None``
    without a byline).  The names count once for no-text-lost, in ``byline``.
    """

    paragraphs: tuple[Paragraph, ...]
    kicker: str | None = None
    headline: str | None = None
    subheadline: str | None = None
    dateline: str | None = None
    credit: str | None = None
    byline: tuple[str, ...] = ()
    credits: tuple[Credit, ...] = ()
    byline_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "credit": self.credit,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "byline": list(self.byline),
            "credits": [c.to_dict() for c in self.credits],
            "byline_at": self.byline_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            paragraphs=tuple(Paragraph.from_dict(p) for p in data.get("paragraphs", ())),
            kicker=data.get("kicker"),
            headline=data.get("headline"),
            subheadline=data.get("subheadline"),
            dateline=data.get("dateline"),
            credit=data.get("credit"),
            byline=tuple(data.get("byline", ())),
            credits=tuple(Credit.from_dict(c) for c in data.get("credits", ())),
            byline_at=data.get("byline_at"),
        )

    def texts(self) -> list[str]:
        """Every piece of text of the article, titles first, in reading order (names once, from ``byline``)."""
        parts = [self.kicker, self.headline, self.subheadline, self.dateline, self.credit]
        out = [p for p in parts if p]
        out.extend(p.text for p in self.paragraphs)
        out.extend(self.byline)
        return out


@dataclass(frozen=True, slots=True)
class PageHeadline:
    """A section title set over several articles (``乡镇简讯``); ``articles`` are indices into ``Page.articles``."""

    text: str
    articles: tuple[int, ...]
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "articles": list(self.articles), "lines": list(self.lines)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageHeadline:
        return cls(data["text"], tuple(data.get("articles", ())), tuple(data.get("lines", ())))


@dataclass(frozen=True, slots=True)
class Doubt:
    """Something the structure stage is unsure of: the source ``line``, ``what`` it doubts, the sidecar ``fix``."""

    line: int
    what: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "what": self.what, "fix": self.fix}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Doubt:
        return cls(int(data["line"]), data["what"], data["fix"])


@dataclass(frozen=True, slots=True)
class Caption:
    """A picture caption; ``image`` is the image file named by the sidecar, if any.

    ``credit`` (the photographer, e.g. ``本报记者 张三 摄``) and ``columns`` (how many grid
    columns the photo spans; None lets the layout choose) come from the sidecar's ``images``.
    """

    text: str
    image: str | None = None
    lines: tuple[int, ...] = ()
    credit: str | None = None
    columns: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "image": self.image, "lines": list(self.lines), "credit": self.credit,
                "columns": self.columns}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Caption:
        return cls(data["text"], data.get("image"), tuple(data.get("lines", ())), data.get("credit"),
                   data.get("columns"))


@dataclass(frozen=True, slots=True)
class Page:
    """A structured newspaper page: articles in reading order, page headlines, captions, repairs, doubts."""

    source: str
    articles: tuple[Article, ...]
    captions: tuple[Caption, ...] = ()
    repairs: tuple[Repair, ...] = ()
    page_headlines: tuple[PageHeadline, ...] = ()
    doubts: tuple[Doubt, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "articles": [a.to_dict() for a in self.articles],
            "page_headlines": [h.to_dict() for h in self.page_headlines],
            "captions": [c.to_dict() for c in self.captions],
            "repairs": [r.to_dict() for r in self.repairs],
            "doubts": [d.to_dict() for d in self.doubts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        return cls(
            source=data["source"],
            articles=tuple(Article.from_dict(a) for a in data.get("articles", ())),
            captions=tuple(Caption.from_dict(c) for c in data.get("captions", ())),
            repairs=tuple(Repair.from_dict(r) for r in data.get("repairs", ())),
            page_headlines=tuple(PageHeadline.from_dict(h) for h in data.get("page_headlines", ())),
            doubts=tuple(Doubt.from_dict(d) for d in data.get("doubts", ())),
        )

    def texts(self) -> list[str]:
        """Every piece of text on the page in reading order (page headlines first)."""
        out: list[str] = [headline.text for headline in self.page_headlines]
        for article in self.articles:
            out.extend(article.texts())
        out.extend(c.text for c in self.captions)
        return out


def is_counted(char: str) -> bool:
    """Whether the no-text-lost invariant counts this character.

    Han characters, letters and digits count; punctuation, spaces and
    symbols do not.

    >>> [is_counted(c) for c in "洪a5，　"]
    [True, True, True, False, False]
    """
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd"


def counted_chars(text: str) -> Counter[str]:
    """The multiset of counted characters of ``text`` (NFKC-folded, so ５ counts as 5).

    Every character is counted, then the characters that do not count are dropped: each
    distinct character is asked about once (a page repeats its characters).

    >>> counted_chars("洪洞，洪５")
    Counter({'洪': 2, '洞': 1, '5': 1})
    """
    counts = Counter(unicodedata.normalize("NFKC", text))
    for char in [char for char in counts if not is_counted(char)]:
        del counts[char]
    return counts


def page_chars(page: Page) -> Counter[str]:
    """The multiset of counted characters on a page.

    Its texts are folded as one, a line end apart: NFKC folds no character across a line end
    (it neither composes with nor reorders around one), so this is the sum of each text's.
    """
    return counted_chars("\n".join(page.texts()))


def removed_chars(repairs: tuple[Repair, ...] | list[Repair]) -> Counter[str]:
    """The counted characters that repairs report removed."""
    total: Counter[str] = Counter()
    for repair in repairs:
        total.update(counted_chars(repair.removed))
    return total


# ----------------------------------------------------------------------------- the publication


@dataclass(frozen=True, slots=True)
class Publication:
    """The masthead."""

    name: str = "县域新闻"
    """Paper name set in the masthead."""
    date: dt.date | None = None
    """Issue date: printed in the masthead and used as the PDF's dates (reproducible builds)."""
    issue: str | None = None
    """Optional issue number line, e.g. 第12345期."""


@dataclass(frozen=True, slots=True)
class Paper:
    """The page format and the type grid."""

    size: str = "broadsheet"
    """A name from PAPER_SIZES or ``W×H mm`` (each side 50–2000 mm); the default 对开 broadsheet is what
    dailies print.  The config builds Paper and Publication from its schema (``project/config.py``
    SCHEMA), whose defaults a test holds equal to these."""
    width_mm: float = 390.0
    height_mm: float = 545.0
    margin_mm: float = 18.0
    """Outer margin; presses need at least 10 mm of unprinted edge."""
    columns: int = 6
    """Body columns (1–8); 6 to 8 on a broadsheet, 5 on a tabloid."""
    body_size: float = 9.5
    """Body type size in points (Chinese dailies set 小五 9 pt to 五号 10.5 pt)."""
    leading: float = 1.5
    """Line height as a multiple of the body size; below 1.4 CJK lines crowd."""
    pages: int = 2
    """The page budget per source page: how many printed pages it may fill with jumps."""
    bleed_mm: float = 0.0
    """Bleed beyond the trimmed page for the print shop (``BleedBox``); 3 mm is the common ask."""
    marks: str = "none"
    """Printer's marks outside the trim: ``none``, ``crop``, ``cross`` or ``crop cross``."""

    def body_capacity(self) -> int:
        """How many body characters a page holds at most: every column full, no titles, no masthead.

        An upper bound, so ``characters / capacity`` never overestimates the pages a text needs.

        >>> Paper().body_capacity(), Paper(width_mm=272.0, height_mm=390.0, columns=5).body_capacity()
        (9696, 4550)
        """
        points_per_mm = 72 / 25.4
        measure_pt = (self.width_mm - 2 * self.margin_mm) * points_per_mm
        depth_pt = (self.height_mm - 2 * self.margin_mm) * points_per_mm
        gutter_pt = max(self.body_size * 1.2, 9.0)
        column_pt = (measure_pt - (self.columns - 1) * gutter_pt) / self.columns
        per_line = max(1, int(column_pt / self.body_size))
        lines = max(1, int(depth_pt / (self.body_size * self.leading)))
        return self.columns * per_line * lines


# ----------------------------------------------------------------------------- an editor's fixes (the sidecar)


@dataclass(frozen=True, slots=True)
class TitleFix:
    """Titles for the article that holds source line ``line``; ``where`` is the sidecar line."""

    line: int
    where: int
    kicker: str | None = None
    headline: str | None = None
    subheadline: str | None = None


@dataclass(frozen=True, slots=True)
class LineFix:
    """A split or merge at source line ``line``; ``where`` is the sidecar line."""

    line: int
    where: int


@dataclass(frozen=True, slots=True)
class LeadFix:
    """A lead-in decision for the paragraph starting at ``line``.

    ``lead`` is the lead-in text, ``True`` for the first sentence, ``False`` for none.
    """

    line: int
    where: int
    lead: str | bool


@dataclass(frozen=True, slots=True)
class ImageFix:
    """The image file for the caption starting at source line ``line``.

    ``key`` is the sidecar key it was given under (``images[0]``, or ``captions.395`` for the
    short form), so errors about the file name it.
    """

    line: int
    where: int
    image: str
    credit: str | None = None
    columns: int | None = None
    key: str = ""


@dataclass(frozen=True, slots=True)
class Sidecar:
    """An editor's fixes to one page, each remembering its line in the sidecar file."""

    path: str
    titles: tuple[TitleFix, ...] = ()
    splits: tuple[LineFix, ...] = ()
    merges: tuple[LineFix, ...] = ()
    leads: tuple[LeadFix, ...] = ()
    images: tuple[ImageFix, ...] = ()

    def error(self, where: int, message: str, hint: str | None = None) -> ConfigError:
        """A ConfigError at a line of this sidecar."""
        return ConfigError(message, self.path, where, hint)
