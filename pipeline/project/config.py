"""Read ``broadsheet.yaml`` into validated, frozen settings, reporting every problem at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editions import EDITIONS, Edition
from ..errors import ConfigError
from ..model import Paper, Publication
from ..yamlload import KeyPath, Problems, YamlDoc, suggest

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def packaged_dir(name: str) -> Path:
    """The default ``layouts`` or ``styles`` folder: the installed copy, else the checkout's."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


PAPER_SIZES: dict[str, tuple[float, float]] = {
    # 对开: the broadsheet most Chinese dailies print on (about 390 × 545 mm trimmed).
    "broadsheet": (390.0, 545.0),
    # 四开: the tabloid of evening and county papers (about 272 × 390 mm).
    "tabloid": (272.0, 390.0),
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
}
"""Named page formats in millimetres (width, height)."""

DEFAULT_MAX_SOURCE_BYTES = 32 * 1024 * 1024

PDF_VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1")
"""Archival and accessible variants WeasyPrint writes reproducibly (the ID is a hash of the content)."""

REFUSED_VARIANTS = ("pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g")
"""WeasyPrint's PDF/X writes a random document ID into the metadata, so the bytes would differ each build."""


@dataclass(frozen=True, slots=True)
class PageSource:
    """One page of the issue."""

    source: Path
    name: str
    sidecar: Path | None = None
    line: int = 0
    given: str = ""
    """The source path as written in the config (the Page JSON's ``source``)."""
    encoding: str | None = None
    """The page's encoding when detection should not decide (e.g. big5)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything ``broadsheet build`` needs, with paths resolved against the config folder."""

    path: Path
    root: Path
    publication: Publication = field(default_factory=Publication)
    paper: Paper = field(default_factory=Paper)
    editions: tuple[Edition, ...] = ()
    pages: tuple[PageSource, ...] = ()
    output: Path = Path("output")
    phrases: Path | None = None
    layouts: Path | None = None
    styles: Path | None = None
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES
    pdf_variant: str | None = None
    """A PDF variant from PDF_VARIANTS (e.g. pdf/a-3b for archives), or plain PDF 1.7."""
    warnings: tuple[str, ...] = ()


TOP_KEYS = ("publication", "paper", "editions", "pages", "output", "phrases", "layouts", "styles", "limits", "pdf")
PDF_KEYS = ("variant",)
PUBLICATION_KEYS = ("name", "date", "issue")
PAPER_KEYS = ("size", "columns", "body_size", "leading", "margin", "pages")
PAGE_KEYS = ("source", "sidecar", "encoding")
EDITION_KEYS = ("name", "base", "label", "lang", "opencc", "serif", "sans", "kai", "quotes", "names",
                "protect_names", "line_break", "compress", "end_half", "autospace")
LIMIT_KEYS = ("max_source_bytes",)


class _Problems(Problems):
    """The config's problem collector, with a check that a section is a mapping."""

    def mapping(self, value: Any, key: KeyPath) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"expected a mapping, got {_show(value)}")
            return {}
        return value


def _show(value: Any) -> str:
    return repr(value) if not isinstance(value, (dict, list)) else type(value).__name__


def load_config(path: str | Path, strict: bool = False, output: str | Path | None = None) -> Config:
    """Load and validate a config file; raise ConfigErrors listing every problem.

    ``output`` (from the command line) overrides the config's output folder and
    may lie outside the config's folder; one set in the file may not.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("config file not found", str(path),
                          hint="run 'broadsheet init DIR' or pass --config FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", str(path)) from None
    return parse_config(text, path, strict=strict, output=output)


def parse_config(text: str, path: Path, strict: bool = False, output: str | Path | None = None) -> Config:
    """Validate the text of a config file located at ``path``."""
    doc = YamlDoc.parse(text, str(path))
    problems = _Problems(doc, strict)
    root = path.resolve().parent
    data = problems.mapping(doc.data, ())
    problems.unknown_keys(data, TOP_KEYS, ())

    publication = _read_publication(problems, data.get("publication"))
    paper = _read_paper(problems, data.get("paper"))
    editions = _read_editions(problems, data.get("editions", ["zh-Hans", "zh-TW", "zh-HK"]))
    pages = _read_pages(problems, data.get("pages"), root)
    out_dir = _read_output(problems, data.get("output", "output"), root, output)
    phrases = _read_optional_path(problems, data, "phrases", root, default="source/phrases.yaml", kind="file")
    layouts = _read_optional_path(problems, data, "layouts", root, default="layouts", kind="dir")
    styles = _read_optional_path(problems, data, "styles", root, default="styles", kind="dir")
    limits = problems.mapping(data.get("limits"), ("limits",))
    problems.unknown_keys(limits, LIMIT_KEYS, ("limits",))
    max_bytes = limits.get("max_source_bytes", DEFAULT_MAX_SOURCE_BYTES)
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
        problems.error(("limits", "max_source_bytes"), f"expected a positive integer, got {_show(max_bytes)}")
        max_bytes = DEFAULT_MAX_SOURCE_BYTES

    pdf = problems.mapping(data.get("pdf"), ("pdf",))
    problems.unknown_keys(pdf, PDF_KEYS, ("pdf",))
    variant = pdf.get("variant")
    if variant in REFUSED_VARIANTS:
        problems.error(("pdf", "variant"), f"{variant} is not reproducible: WeasyPrint stamps a random document ID",
                       f"use one of {', '.join(PDF_VARIANTS)}")
        variant = None
    elif variant is not None and variant not in PDF_VARIANTS:
        problems.error(("pdf", "variant"), f"expected one of {', '.join(PDF_VARIANTS)}, got {_show(variant)}",
                       suggest(str(variant), PDF_VARIANTS))
        variant = None

    problems.raise_any()
    return Config(
        path=path, root=root, publication=publication, paper=paper, editions=editions, pages=pages,
        output=out_dir, phrases=phrases, layouts=layouts, styles=styles, max_source_bytes=max_bytes,
        pdf_variant=variant, warnings=tuple(problems.warnings),
    )


def _read_publication(problems: _Problems, value: Any) -> Publication:
    data = problems.mapping(value, ("publication",))
    problems.unknown_keys(data, PUBLICATION_KEYS, ("publication",))
    default = Publication()
    name = data.get("name", default.name)
    if not isinstance(name, str) or not name.strip():
        problems.error(("publication", "name"), f"expected a non-empty text, got {_show(name)}")
        name = default.name
    date = data.get("date")
    if date is not None and not isinstance(date, dt.date):
        parsed = None
        if isinstance(date, str):
            try:
                parsed = dt.date.fromisoformat(date)
            except ValueError:
                parsed = None
        if parsed is None:
            problems.error(("publication", "date"), f"expected a date YYYY-MM-DD, got {_show(date)}")
        date = parsed
    if isinstance(date, dt.datetime):
        date = date.date()
    issue = data.get("issue")
    if issue is not None and not isinstance(issue, (str, int)):
        problems.error(("publication", "issue"), f"expected a text, got {_show(issue)}")
        issue = None
    return Publication(name=name.strip(), date=date, issue=None if issue is None else str(issue))


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*mm\s*$")
_PT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt)?\s*$")


def _read_paper(problems: _Problems, value: Any) -> Paper:
    key: KeyPath = ("paper",)
    data = problems.mapping(value, key)
    problems.unknown_keys(data, PAPER_KEYS, key)
    paper = Paper()
    size = data.get("size", paper.size)
    width, height = paper.width_mm, paper.height_mm
    if isinstance(size, str) and size in PAPER_SIZES:
        width, height = PAPER_SIZES[size]
    elif isinstance(size, str) and (match := _SIZE_RE.match(size)):
        width, height = float(match[1]), float(match[2])
    else:
        problems.error((*key, "size"), f"expected one of {', '.join(PAPER_SIZES)} or 'W×H mm', got {_show(size)}",
                       suggest(str(size), PAPER_SIZES))
        size = paper.size
    columns = _int_in(problems, data, "columns", paper.columns, 1, 8, key)
    pages = _int_in(problems, data, "pages", paper.pages, 1, 64, key)
    body = _points(problems, data, "body_size", paper.body_size, 6.0, 16.0, key)
    margin = _number_in(problems, data, "margin", paper.margin_mm, 5.0, 60.0, key)
    leading = _number_in(problems, data, "leading", paper.leading, 1.0, 2.5, key)
    return Paper(size=str(size), width_mm=width, height_mm=height, margin_mm=margin, columns=columns,
                 body_size=body, leading=leading, pages=pages)


def _int_in(problems: _Problems, data: dict[str, Any], name: str, default: int, low: int, high: int,
            key: KeyPath) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.error((*key, name), f"expected an integer {low}–{high}, got {_show(value)}")
        return default
    return value


def _number_in(problems: _Problems, data: dict[str, Any], name: str, default: float, low: float, high: float,
               key: KeyPath) -> float:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        problems.error((*key, name), f"expected a number {low:g}–{high:g}, got {_show(value)}")
        return default
    return float(value)


def _points(problems: _Problems, data: dict[str, Any], name: str, default: float, low: float, high: float,
            key: KeyPath) -> float:
    value = data.get(name, default)
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and (match := _PT_RE.match(value)):
        number = float(match[1])
    if number is None or not low <= number <= high:
        problems.error((*key, name), f"expected a size {low:g}–{high:g}pt, got {_show(value)}")
        return default
    return number


def _read_editions(problems: _Problems, value: Any) -> tuple[Edition, ...]:
    key: KeyPath = ("editions",)
    if not isinstance(value, list) or not value:
        problems.error(key, f"expected a non-empty list of editions, got {_show(value)}")
        return ()
    editions: list[Edition] = []
    for index, item in enumerate(value):
        item_key = (*key, index)
        if isinstance(item, str):
            if item not in EDITIONS:
                problems.error(item_key, f"unknown edition {item!r}", suggest(item, EDITIONS) or
                               f"choose from {', '.join(EDITIONS)}")
                continue
            editions.append(EDITIONS[item])
        elif isinstance(item, dict):
            edition = _read_edition_mapping(problems, item, item_key)
            if edition is not None:
                editions.append(edition)
        else:
            problems.error(item_key, f"expected an edition name or mapping, got {_show(item)}")
    names = [e.name for e in editions]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.error((*key, index), f"edition {name!r} is listed twice")
    return tuple(editions)


def _read_edition_mapping(problems: _Problems, item: dict[str, Any], key: KeyPath) -> Edition | None:
    problems.unknown_keys(item, EDITION_KEYS, key)
    name = item.get("name")
    if not isinstance(name, str) or not name:
        problems.error(key, "an edition mapping needs a 'name'")
        return None
    base_name = item.get("base", name if name in EDITIONS else None)
    if base_name not in EDITIONS:
        problems.error((*key, "base"), f"unknown base edition {base_name!r}",
                       f"choose from {', '.join(EDITIONS)}")
        return None
    base = EDITIONS[base_name]
    changes: dict[str, Any] = {"name": name}
    for text_key in ("label", "lang", "serif", "sans", "kai"):
        if text_key in item:
            if not isinstance(item[text_key], str) or not item[text_key]:
                problems.error((*key, text_key), f"expected a text, got {_show(item[text_key])}")
            elif text_key in ("serif", "sans", "kai") and (missing := _missing_font(item[text_key])):
                problems.error((*key, text_key), missing)
            else:
                changes[text_key] = item[text_key]
    if "opencc" in item:
        opencc = item["opencc"]
        name = opencc.removesuffix(".json") if isinstance(opencc, str) else opencc
        if opencc is not None and name not in OPENCC_CONFIGS:
            problems.error((*key, "opencc"), f"expected an OpenCC config from Simplified, got {_show(opencc)}",
                           suggest(str(name), OPENCC_CONFIGS) or f"choose from {', '.join(OPENCC_CONFIGS)}")
        else:
            changes["opencc"] = name
    for enum_key, choices in (("quotes", ("curly", "corner")), ("names", ("convert", "characters"))):
        if enum_key in item:
            if item[enum_key] not in choices:
                problems.error((*key, enum_key), f"expected one of {', '.join(choices)}, got {_show(item[enum_key])}")
            else:
                changes[enum_key] = item[enum_key]
    if "protect_names" in item:
        if not isinstance(item["protect_names"], bool):
            problems.error((*key, "protect_names"), f"expected true or false, got {_show(item['protect_names'])}")
        else:
            changes["protect_names"] = item["protect_names"]
    typo_changes: dict[str, Any] = {}
    if "line_break" in item:
        levels = ("none", "basic", "gb", "strict")
        if item["line_break"] not in levels:
            problems.error((*key, "line_break"),
                           f"expected one of {', '.join(levels)}, got {_show(item['line_break'])}")
        else:
            typo_changes["line_break"] = item["line_break"]
    for flag in ("compress", "end_half", "autospace"):
        if flag in item:
            if not isinstance(item[flag], bool):
                problems.error((*key, flag), f"expected true or false, got {_show(item[flag])}")
            else:
                typo_changes[flag] = item[flag]
    if typo_changes:
        changes["typography"] = dataclasses.replace(base.typography, **typo_changes)
    return dataclasses.replace(base, **changes)


OPENCC_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk", "s2hkp")
"""OpenCC's configs that start from Simplified text, as every page here does."""


def _missing_font(family: str) -> str | None:
    """Why a face named in the config cannot be used, or None when fontconfig has it."""
    from ..engine.fonts import font_file
    from ..errors import RenderError

    try:
        font_file(family)
    except RenderError as exc:
        return exc.message
    return None


def _read_pages(problems: _Problems, value: Any, root: Path) -> tuple[PageSource, ...]:
    key: KeyPath = ("pages",)
    if not isinstance(value, list) or not value:
        problems.error(key, f"expected a non-empty list of pages, got {_show(value)}",
                       "add '- source: source/PAGE.txt'")
        return ()
    pages: list[PageSource] = []
    for index, item in enumerate(value):
        item_key = (*key, index)
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, dict):
            problems.error(item_key, f"expected a mapping with 'source', got {_show(item)}")
            continue
        problems.unknown_keys(item, PAGE_KEYS, item_key)
        source = item.get("source")
        if not isinstance(source, str) or not source:
            problems.error((*item_key, "source"), "expected the path of a page text")
            continue
        path = (root / source).resolve()
        if not path.is_file():
            problems.error((*item_key, "source"), f"page file not found: {source}")
            continue
        sidecar_value = item.get("sidecar")
        sidecar: Path | None
        if sidecar_value is None:
            candidate = path.with_suffix(".yaml")
            sidecar = candidate if candidate.is_file() else None
        elif isinstance(sidecar_value, str) and (root / sidecar_value).is_file():
            sidecar = (root / sidecar_value).resolve()
        else:
            problems.error((*item_key, "sidecar"), f"sidecar file not found: {sidecar_value}")
            sidecar = None
        encoding = item.get("encoding")
        if encoding is not None and not isinstance(encoding, str):
            problems.error((*item_key, "encoding"), f"expected an encoding name such as big5, got {_show(encoding)}")
            encoding = None
        line = problems.doc.line(item_key) or 0
        pages.append(PageSource(source=path, name=path.stem, sidecar=sidecar, line=line, given=source,
                                encoding=encoding))
    names = [p.name for p in pages]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.error((*key, index), f"two pages are named {name!r}", "page names are the files' stems")
    return tuple(pages)


def _read_output(problems: _Problems, value: Any, root: Path, override: str | Path | None) -> Path:
    if override is not None:
        return Path(override).resolve()
    if not isinstance(value, str) or not value:
        problems.error(("output",), f"expected a folder path, got {_show(value)}")
        return root / "output"
    out = (root / value).resolve()
    if out == root or not out.is_relative_to(root):
        problems.error(("output",), f"output folder {value!r} lies outside the config's folder",
                       "pass --output on the command line to build elsewhere")
    elif (root / "source").resolve() in (out, *out.parents):
        problems.error(("output",), f"output folder {value!r} lies inside source/",
                       "a build would read its own output as pages")
    return out


def _read_optional_path(problems: _Problems, data: dict[str, Any], name: str, root: Path, default: str,
                        kind: str) -> Path | None:
    if name not in data:
        candidate = root / default
        exists = candidate.is_file() if kind == "file" else candidate.is_dir()
        return candidate.resolve() if exists else None
    value = data[name]
    if value is None:
        return None
    if not isinstance(value, str):
        problems.error((name,), f"expected a path, got {_show(value)}")
        return None
    path = (root / value).resolve()
    exists = path.is_file() if kind == "file" else path.is_dir()
    if not exists:
        problems.error((name,), f"{kind} not found: {value}")
        return None
    return path

