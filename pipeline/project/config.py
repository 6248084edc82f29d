"""Read ``broadsheet.yaml`` into validated, frozen settings, reporting every problem at once.

The schema is written once, as mkdocs writes its ``config_options``: :data:`SCHEMA`
is a table of options (key path, validator, default, docstring).  It yields the
defaults the config is built from, the known keys behind the "did you mean"
warnings, and the README's option reference (:func:`reference_table`; a test
keeps the README in step).  Paths follow the one policy of :mod:`.paths`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editions import EDITIONS, OPENCC_CONFIGS, Edition, unknown_edition
from ..errors import ConfigError
from ..model import Paper, Publication
from ..text.decode import DEFAULT_MAX_BYTES
from ..yamlload import KeyPath, Problems, YamlDoc, plain, suggest
from . import paths

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

PAPER_SIDE_MM = (50.0, 2000.0)
"""The smallest and largest side of a page, in millimetres: a ticket to a poster."""

DEFAULT_MAX_SOURCE_BYTES = DEFAULT_MAX_BYTES
"""The page-text size limit: decode's, the one definition (``limits.max_source_bytes`` changes it)."""

PDF_VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1", "pdf/x-4")
"""Archival, accessible and print variants written reproducibly (the ID is a hash of the content; for
PDF/X-4 ``engine.press`` derives the document ID WeasyPrint stamps at random from the content too)."""

REFUSED_VARIANTS = ("pdf/x-1a", "pdf/x-3", "pdf/x-5g")
"""PDF/X variants refused: X-1a and X-3 forbid the transparency WeasyPrint draws with; X-5g needs external files."""

MARKS = ("none", "crop", "cross", "crop cross")
"""Printer's marks (CSS ``marks``): crop marks at the trim's corners, registration crosses mid-side."""

DEFAULT_EDITIONS = ("zh-Hans", "zh-TW", "zh-HK")


@dataclass(frozen=True, slots=True)
class PageSource:
    """One page of the issue."""

    source: Path
    name: str
    sidecar: Path | None = None
    given: str = ""
    """The source path as written in the config (the Page JSON's ``source``)."""
    encoding: str | None = None
    """The page's encoding when detection should not decide (e.g. big5)."""
    section: str | None = None
    """The section name (版名, e.g. 要闻) printed in the folio and the masthead's ear, or None."""


# ----------------------------------------------------------------------------- validators


class Invalid(Exception):
    """A value an option refuses: the message (and hint) reported at the option's line.

    ``path`` and ``place`` report it in another file instead (a stylesheet the option names).
    """

    def __init__(self, message: str, hint: str | None = None, path: Path | None = None,
                 place: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.place = place


@dataclass(frozen=True, slots=True)
class Context:
    """What a validator may need besides the value: the project folder, and whether the key was written."""

    root: Path
    explicit: bool = True


Validator = Callable[[Any, Context], Any]
"""Return the cleaned value, or raise Invalid."""


def _show(value: Any) -> str:
    return repr(value) if not isinstance(value, (dict, list)) else type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text(strip: bool = False) -> Validator:
    """A non-empty text (``strip``: surrounding space removed, and the message says non-empty)."""
    def check(value: Any, ctx: Context) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"expected a {'non-empty ' if strip else ''}text, got {_show(value)}")
        return value.strip() if strip else value
    return check


def label(value: Any, ctx: Context) -> str | None:
    """An optional text; a number (an issue number) becomes its text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(f"expected a text, got {_show(value)}")
    return str(value)


def date(value: Any, ctx: Context) -> dt.date | None:
    """An ISO date; YAML gives a date object, an impossible one stays text."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise Invalid(f"{value.strip()} is not a calendar date", str(exc)) from None
    raise Invalid(f"expected a date YYYY-MM-DD, got {_show(value)}")


def integer(low: int, high: int) -> Validator:
    def check(value: Any, ctx: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"expected an integer {low}–{high}, got {_show(value)}")
        return value
    return check


def positive(value: Any, ctx: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Invalid(f"expected a positive integer, got {_show(value)}")
    return value


def number(low: float, high: float) -> Validator:
    def check(value: Any, ctx: Context) -> float:
        if not _is_number(value) or not low <= value <= high:
            raise Invalid(f"expected a number {low:g}–{high:g}, got {_show(value)}")
        return float(value)
    return check


_PT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt)?\s*$")
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*mm\s*$")


def points(low: float, high: float) -> Validator:
    """A type size: a number or ``9.5pt``."""
    def check(value: Any, ctx: Context) -> float:
        found: float | None = None
        if _is_number(value):
            found = float(value)
        elif isinstance(value, str) and (match := _PT_RE.match(value)):
            found = float(match[1])
        if found is None or not low <= found <= high:
            raise Invalid(f"expected a size {low:g}–{high:g}pt, got {_show(value)}")
        return found
    return check


def choice(*choices: str) -> Validator:
    def check(value: Any, ctx: Context) -> str:
        if value not in choices:
            raise Invalid(f"expected one of {', '.join(choices)}, got {_show(value)}")
        return str(value)
    return check


def flag(value: Any, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {_show(value)}")
    return value


def paper_size(value: Any, ctx: Context) -> tuple[str, float, float]:
    """A named size or ``W×H mm``: (the name as written, width, height)."""
    if isinstance(value, str) and value in PAPER_SIZES:
        return (value, *PAPER_SIZES[value])
    if isinstance(value, str) and (match := _SIZE_RE.match(value)):
        width, height = float(match[1]), float(match[2])
        low, high = PAPER_SIDE_MM
        if not (low <= width <= high and low <= height <= high):
            raise Invalid(f"{value!r} is out of range: each side must be {low:g}–{high:g} mm")
        return value, width, height
    raise Invalid(f"expected one of {', '.join(PAPER_SIZES)} or 'W×H mm', got {_show(value)}",
                  suggest(str(value), PAPER_SIZES))


def font(value: Any, ctx: Context) -> str:
    """A face name fontconfig knows (a missing face is an error before rendering, never tofu)."""
    name = text()(value, ctx)
    from ..engine.fonts import font_file
    from ..errors import RenderError

    try:
        font_file(name)
    except RenderError as exc:
        raise Invalid(exc.message) from None
    return name


def opencc(value: Any, ctx: Context) -> str | None:
    """An OpenCC config from Simplified (``s2twp`` or ``s2twp.json``), or null for none."""
    if value is None:
        return None
    name = value.removesuffix(".json") if isinstance(value, str) else value
    if name not in OPENCC_CONFIGS:
        raise Invalid(f"expected an OpenCC config from Simplified, got {_show(value)}",
                      suggest(str(name), OPENCC_CONFIGS) or f"choose from {', '.join(OPENCC_CONFIGS)}")
    return str(name)


def pdf_variant(value: Any, ctx: Context) -> str | None:
    if value is None:
        return None
    if value in REFUSED_VARIANTS:
        raise Invalid(f"{value} is not supported: of the PDF/X variants only pdf/x-4 is written",
                      f"use one of {', '.join(PDF_VARIANTS)}")
    if value not in PDF_VARIANTS:
        raise Invalid(f"expected one of {', '.join(PDF_VARIANTS)}, got {_show(value)}",
                      suggest(str(value), PDF_VARIANTS))
    return str(value)


SECTION_MAX_CHARS = 8
"""A section name (版名) is a word or two: 要闻, 县域经济, 文化副刊."""


def section_name(value: Any, ctx: Context) -> str | None:
    """A page's section name, one line of at most ``SECTION_MAX_CHARS`` characters, or null."""
    if value is None:
        return None
    name = text(strip=True)(value, ctx)
    if len(name) > SECTION_MAX_CHARS or any(char in name for char in "\r\n\t"):
        raise Invalid(f"expected a section name of one line and at most {SECTION_MAX_CHARS} characters, "
                      f"got {_show(value)}")
    return name


def output_profile(value: Any, ctx: Context) -> Path | None:
    """A CMYK output profile (ICC, device class printer) inside the project, for PDF/X's output intent."""
    path = project_path("file")(value, ctx)
    if path is None:
        return None
    from ..engine.press import ProfileError, read_output_profile

    try:
        read_output_profile(path)
    except ProfileError as exc:
        raise Invalid(exc.message, exc.hint) from None
    return path


def encoding(value: Any, ctx: Context) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Invalid(f"expected an encoding name such as big5, got {_show(value)}")
    return value


def _inside(value: str, ctx: Context) -> Path:
    try:
        return paths.resolve_inside(value, ctx.root)
    except paths.PathRefused as exc:
        raise Invalid(exc.message, exc.hint) from None


def project_path(kind: str) -> Validator:
    """A file or folder inside the project; when the key is not written, the default only if it exists."""
    def check(value: Any, ctx: Context) -> Path | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Invalid(f"expected a path, got {_show(value)}")
        path = _inside(value, ctx)
        exists = path.is_file() if kind == "file" else path.is_dir()
        if not exists:
            if not ctx.explicit:
                return None
            raise Invalid(f"{kind} not found: {plain(value)}")
        if kind == "dir" and (links := paths.unsafe_links(path, ctx.root)):
            raise Invalid(links[0][1], links[0][2])
        return path
    return check


def styles_folder(value: Any, ctx: Context) -> Path | None:
    """The publication's stylesheets folder; each stylesheet in it must be UTF-8 text."""
    folder: Path | None = project_path("dir")(value, ctx)
    if folder is not None:
        for css in sorted(folder.glob("*.css")):
            try:
                css.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Invalid("stylesheet is not UTF-8 text", "save it as UTF-8", css, f"byte {exc.start}") from None
            except OSError as exc:
                raise Invalid(f"cannot read stylesheet: {exc.strerror}", None, css) from None
    return folder


def page_file(value: Any, ctx: Context) -> Path:
    if not isinstance(value, str) or not value:
        raise Invalid("expected the path of a page text")
    path = _inside(value, ctx)
    if not path.is_file():
        raise Invalid(f"page file not found: {plain(value)}")
    return path


def sidecar_file(value: Any, ctx: Context) -> Path | None:
    if value is None:
        return None
    if isinstance(value, str) and value:
        path = _inside(value, ctx)
        if path.is_file():
            return path
    if not isinstance(value, str):
        raise Invalid(f"expected the path of a sidecar, got {_show(value)}")
    raise Invalid(f"sidecar file not found: {plain(value)}")


def output_folder(value: Any, ctx: Context) -> Path:
    """The output folder named in the config: inside the project, never in ``source/``."""
    if not isinstance(value, str) or not value:
        raise Invalid(f"expected a folder path, got {_show(value)}")
    try:
        out, source = paths.resolve(ctx.root / value), paths.resolve(ctx.root / "source")
    except paths.PathRefused as exc:
        raise Invalid(f"{value!r} is not a usable path", exc.hint) from None
    if out == ctx.root or not out.is_relative_to(ctx.root):
        raise Invalid(f"output folder {value!r} lies outside the config's folder",
                      "pass --output on the command line to build elsewhere")
    if source in (out, *out.parents):
        raise Invalid(f"output folder {value!r} lies inside source/", "a build would read its own output as pages")
    return out


# ----------------------------------------------------------------------------- the schema


FROM_BASE = object()
"""The default of an edition key: the base edition's value."""

READ_BY_SECTION = None
"""The validator of an option whose value is a list read item by item (``editions``, ``pages``)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One key of ``broadsheet.yaml``: where it is, how it is checked, its default, what it does."""

    key: str
    """Dotted key path; ``[]`` marks the items of a list (``editions[].opencc``)."""
    check: Validator | None
    default: Any
    doc: str
    target: str | None = None
    """The field the value sets when it is not the key's last part (``margin`` → ``margin_mm``)."""

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def section(self) -> str:
        return self.key.rpartition(".")[0]


SCHEMA: tuple[Option, ...] = (
    Option("publication", READ_BY_SECTION, None, "The masthead."),
    Option("publication.name", text(strip=True), "县域新闻", "Paper name set in the masthead."),
    Option("publication.date", date, None,
           "Issue date `YYYY-MM-DD`: printed in the masthead and the PDFs' dates (reproducible builds); "
           "else `SOURCE_DATE_EPOCH`."),
    Option("publication.issue", label, None, "Issue number line, e.g. `第12345期`."),
    Option("paper", READ_BY_SECTION, None, "The page format and the type grid."),
    Option("paper.size", paper_size, "broadsheet",
           "`broadsheet` (对开 390×545 mm), `tabloid` (四开 272×390 mm), `A3`, `A4`, or `W×H mm` "
           "(each side 50–2000 mm)."),
    Option("paper.columns", integer(1, 8), 6, "Body columns, 1–8: 6 to 8 on a broadsheet, 5 on a tabloid."),
    Option("paper.body_size", points(6.0, 16.0), 9.5,
           "Body type, 6–16 pt (小五 is 9 pt, 五号 10.5 pt)."),
    Option("paper.leading", number(1.0, 2.5), 1.5,
           "Line height as a multiple of the body size, 1–2.5; below 1.4 CJK lines crowd."),
    Option("paper.margin", number(5.0, 60.0), 18.0,
           "Outer margin in mm, 5–60; presses need at least 10 mm of unprinted edge.", target="margin_mm"),
    Option("paper.pages", integer(1, 64), 2,
           "Page budget: printed pages one source page may fill, with jump lines (1–64)."),
    Option("paper.bleed", number(0.0, 10.0), 0.0,
           "Bleed in mm beyond the trimmed page, 0–10 (the PDF's `BleedBox`; print shops ask for 3).",
           target="bleed_mm"),
    Option("paper.marks", choice(*MARKS), "none",
           "Printer's marks outside the bleed: `none`, `crop` (crop marks), `cross` (registration crosses) "
           "or `crop cross`; the sheet grows to hold them, the `TrimBox` stays the page."),
    Option("editions", READ_BY_SECTION, list(DEFAULT_EDITIONS),
           "Built-in edition names, or mappings that override one (keys below)."),
    Option("editions[].name", READ_BY_SECTION, None,
           "The edition's name and output folder: letters, digits, `-`, `_`; unique regardless of case."),
    Option("editions[].base", READ_BY_SECTION, None,
           "The built-in edition a new name starts from (default: the edition of that name)."),
    Option("editions[].label", text(), FROM_BASE, "The edition's label in the masthead, e.g. 臺灣版."),
    Option("editions[].lang", text(), FROM_BASE, "The HTML `lang` tag, e.g. `zh-TW`."),
    Option("editions[].opencc", opencc, FROM_BASE,
           f"OpenCC config from Simplified ({', '.join(OPENCC_CONFIGS)}; `.json` allowed), or null."),
    Option("editions[].serif", font, FROM_BASE, "Serif face (fontconfig name) for body and headlines."),
    Option("editions[].sans", font, FROM_BASE, "Sans face for kickers and furniture."),
    Option("editions[].kai", font, FROM_BASE, "Kai face for bylines and captions."),
    Option("editions[].quotes", choice("curly", "corner"), FROM_BASE, "`curly` “ ” or `corner` 「 」."),
    Option("editions[].names", choice("convert", "characters"), FROM_BASE,
           "Personal names: `characters` (common Traditional forms only) or `convert` like the text."),
    Option("editions[].protect_names", flag, FROM_BASE,
           "Convert quoted names and titles (“…”, 《…》) character by character."),
    Option("editions[].line_break", choice("none", "basic", "gb", "strict"), FROM_BASE,
           "Line-start/line-end prohibition level.", target="typography.line_break"),
    Option("editions[].compress", flag, FROM_BASE, "Set adjacent punctuation such as 。” in 1.5 em.",
           target="typography.compress"),
    Option("editions[].end_half", flag, FROM_BASE, "Set an isolated mark at a line end half-width.",
           target="typography.end_half"),
    Option("editions[].autospace", flag, FROM_BASE, "A quarter em between Han and Latin/digits.",
           target="typography.autospace"),
    Option("editions[].squeeze", flag, FROM_BASE,
           "Let a line set a few lone marks and its last mark half-width before it widens its gaps.",
           target="typography.squeeze"),
    Option("editions[].line_start", choice("full", "half"), FROM_BASE,
           "An opening mark at a line start: `full` width (clreq) or `half` (flush), on every line.",
           target="typography.line_start"),
    Option("editions[].hang", flag, FROM_BASE,
           "Let a lone 。，、 ending a line one mark too long hang half-width past the measure (`false`: never).",
           target="typography.hang"),
    Option("editions[].writing_mode", choice("horizontal-tb", "vertical-rl"), FROM_BASE,
           "`vertical-rl` sets the edition top to bottom, lines right to left (直排); else `horizontal-tb`."),
    Option("editions[].digits", choice("half", "proportional"), FROM_BASE,
           "European digits: `half` an em each (the faces' half-width forms) or the faces' `proportional` ones.",
           target="typography.digits"),
    Option("pages", READ_BY_SECTION, None, "The pages in printing order: paths, or mappings (keys below)."),
    Option("pages[].source", page_file, None,
           "The page text, inside the project; the page's name is the file's stem."),
    Option("pages[].sidecar", sidecar_file, None,
           "Editorial fixes (default: the `.yaml` beside the page when it exists)."),
    Option("pages[].encoding", encoding, None, "The text's encoding when detection should not decide, e.g. `big5`."),
    Option("pages[].section", section_name, None,
           "The section (版名, e.g. `要闻`) printed in the folio and the masthead's ear of the page's sheets; "
           "converted in Traditional editions."),
    Option("output", output_folder, "output",
           "Generated files; inside the project (`--output` may point elsewhere, to an empty folder or an "
           "earlier output)."),
    Option("phrases", project_path("file"), "source/phrases.yaml",
           "The publication's conversion fixes (used when the file exists)."),
    Option("layouts", project_path("dir"), "layouts",
           "Templates overriding the packaged ones file by file (used when the folder exists)."),
    Option("styles", styles_folder, "styles",
           "Stylesheets (UTF-8) overriding the packaged ones file by file (used when the folder exists)."),
    Option("limits", READ_BY_SECTION, None, "Bounds on the input."),
    Option("limits.max_source_bytes", positive, DEFAULT_MAX_SOURCE_BYTES, "Refuse page texts larger than this."),
    Option("pdf", READ_BY_SECTION, None, "The PDF files written."),
    Option("pdf.variant", pdf_variant, None,
           f"PDF/A, PDF/UA or PDF/X-4 ({', '.join(PDF_VARIANTS)}); pdf/x-4 sets the page in CMYK with an "
           "output intent and needs `publication.date` (or `SOURCE_DATE_EPOCH`)."),
    Option("pdf.output_profile", output_profile, None,
           "The CMYK printer profile (ICC) of pdf/x-4's output intent, inside the project (default: "
           "Ghostscript's `default_cmyk.icc`, SWOP, from the Debian package `libgs-common`)."),
)
"""Every key of ``broadsheet.yaml``, once."""

OPTIONS: dict[str, Option] = {option.key: option for option in SCHEMA}


def options_under(section: str) -> dict[str, Option]:
    """The options directly under ``section`` (``""`` for the top level), by name.

    >>> list(options_under("pdf"))
    ['variant', 'output_profile']
    """
    return {option.name: option for option in SCHEMA if option.section == section}


def known_keys(section: str) -> tuple[str, ...]:
    """The keys allowed in ``section``, for unknown-key warnings.

    >>> known_keys("paper")
    ('size', 'columns', 'body_size', 'leading', 'margin', 'pages', 'bleed', 'marks')
    """
    return tuple(options_under(section))


def default_of(key: str) -> Any:
    """The schema's default for ``key`` (before validation).

    >>> default_of("paper.columns")
    6
    """
    return OPTIONS[key].default


def reference_table() -> str:
    """The README's option reference, generated from the schema (Markdown)."""
    rows = ["| key | default | what it sets |", "|---|---|---|"]
    for option in SCHEMA:
        if option.default is FROM_BASE:
            shown = "the base edition's"
        elif option.default is None:
            shown = "—" if option.check is not READ_BY_SECTION or "[]" in option.key else ""
        elif isinstance(option.default, list):
            shown = "`[" + ", ".join(option.default) + "]`"
        else:
            shown = f"`{option.default}`"
        rows.append(f"| `{option.key}` | {shown} | {option.doc} |")
    return "\n".join(rows) + "\n"


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Config:
    """Everything ``broadsheet build`` needs, with paths resolved against the config folder."""

    path: Path
    root: Path
    publication: Publication = field(default_factory=Publication)
    paper: Paper = field(default_factory=Paper)
    editions: tuple[Edition, ...] = ()
    pages: tuple[PageSource, ...] = ()
    output: Path = Path(default_of("output"))
    phrases: Path | None = None
    layouts: Path | None = None
    styles: Path | None = None
    max_source_bytes: int = default_of("limits.max_source_bytes")
    pdf_variant: str | None = default_of("pdf.variant")
    """A PDF variant from PDF_VARIANTS (e.g. pdf/a-3b for archives), or plain PDF 1.7."""
    output_profile: Path | None = None
    """The publication's CMYK output profile for PDF/X (None: the system's, ``engine.press``)."""
    warnings: tuple[str, ...] = ()


class _Reader(Problems):
    """The config's problem collector, reading each mapping against the schema."""

    def __init__(self, doc: YamlDoc, strict: bool, root: Path) -> None:
        super().__init__(doc, strict)
        self.root = root

    def mapping(self, value: Any, key: KeyPath) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"expected a mapping, got {_show(value)}")
            return {}
        return value

    def section(self, data: dict[str, Any], section: str, key: KeyPath) -> dict[str, Any]:
        """Validate the keys of one mapping against the options under ``section``; warn of unknown keys.

        Returns the cleaned values by target field; a key not written takes the
        schema's default, validated too (an edition key: its base's value); an
        invalid value is left out, as the build stops at the errors anyway.
        """
        options = options_under(section)
        self.unknown_keys(data, tuple(options), key)
        values: dict[str, Any] = {}
        for name, option in options.items():
            if option.check is None:
                continue
            explicit = name in data
            if not explicit and option.default is FROM_BASE:
                continue
            try:
                value = option.check(data[name] if explicit else option.default, Context(self.root, explicit))
            except Invalid as exc:
                if exc.path is not None:
                    self.errors.append(ConfigError(exc.message, str(exc.path), exc.place, exc.hint))
                else:
                    self.error((*key, name), exc.message, exc.hint)
                continue
            values[option.target or name] = value
        return values


def load_config(path: str | Path, strict: bool = False, output: str | Path | None = None) -> Config:
    """Load and validate a config file; raise ConfigErrors listing every problem.

    ``output`` (from the command line) overrides the config's output folder and
    may lie outside the config's folder; one set in the file may not.  Either
    must be missing, empty or an earlier build's output (:mod:`.paths`).
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
    root = path.resolve().parent
    reader = _Reader(doc, strict, root)
    data = reader.mapping(doc.data, ())
    # An --output on the command line replaces the config's, which is then not checked.
    top = reader.section({k: v for k, v in data.items() if output is None or k != "output"}, "", ())
    sections = {name: reader.section(reader.mapping(data.get(name), (name,)), name, (name,))
                for name in ("publication", "paper", "limits", "pdf")}
    publication = Publication(**sections["publication"])
    size = sections["paper"].pop("size", None)
    paper = Paper(**sections["paper"]) if size is None else Paper(
        size=size[0], width_mm=size[1], height_mm=size[2], **sections["paper"])
    editions = _read_editions(reader, data.get("editions", default_of("editions")))
    pages = _read_pages(reader, data.get("pages"))
    out_dir = _read_output(reader, top.get("output"), output, top, editions)
    reader.raise_any()
    return Config(
        path=path, root=root, publication=publication, paper=paper, editions=editions, pages=pages,
        output=out_dir, phrases=top.get("phrases"), layouts=top.get("layouts"), styles=top.get("styles"),
        max_source_bytes=sections["limits"].get("max_source_bytes", DEFAULT_MAX_SOURCE_BYTES),
        pdf_variant=sections["pdf"].get("variant"), output_profile=sections["pdf"].get("output_profile"),
        warnings=tuple(reader.warnings),
    )


def _read_editions(reader: _Reader, value: Any) -> tuple[Edition, ...]:
    key: KeyPath = ("editions",)
    if not isinstance(value, list) or not value:
        reader.error(key, f"expected a non-empty list of editions, got {_show(value)}")
        return ()
    editions: list[tuple[int, Edition]] = []
    for index, item in enumerate(value):
        item_key = (*key, index)
        if isinstance(item, str):
            if item not in EDITIONS:
                problem = unknown_edition(item)
                reader.error(item_key, problem.message, problem.hint)
                continue
            editions.append((index, EDITIONS[item]))
        elif isinstance(item, dict):
            edition = _read_edition_mapping(reader, item, item_key)
            if edition is not None:
                editions.append((index, edition))
        else:
            reader.error(item_key, f"expected an edition name or mapping, got {_show(item)}")
    seen: dict[str, str] = {}
    for index, edition in editions:
        folded = edition.name.lower()
        if folded in seen:
            hint = None if seen[folded] == edition.name else "names differ only in case"
            reader.error((*key, index), f"edition {edition.name!r} is listed twice", hint)
        else:
            seen[folded] = edition.name
    return tuple(edition for _, edition in editions)


def _read_edition_mapping(reader: _Reader, item: dict[str, Any], key: KeyPath) -> Edition | None:
    """A mapping that overrides a built-in edition: its name, its base, then the schema's keys."""
    values = reader.section(item, "editions[]", key)
    name = item.get("name")
    if not isinstance(name, str) or not name:
        reader.error(key, "an edition mapping needs a 'name'")
        return None
    if (problem := paths.edition_name_problem(name)) is not None:
        reader.error((*key, "name"), problem)
        return None
    base_name = item.get("base", name)
    if not isinstance(base_name, str) or base_name not in EDITIONS:
        if "base" in item:
            hint = unknown_edition(str(base_name)).hint
            reader.error((*key, "base"), f"unknown base edition {str(base_name)!r}", hint)
        else:
            reader.error((*key, "name"), f"{name!r} is not a built-in edition, so the mapping needs a 'base'",
                         suggest(name, EDITIONS) or f"choose a base from {', '.join(EDITIONS)}")
        return None
    base = EDITIONS[base_name]
    typography = {field.removeprefix("typography."): value for field, value in values.items()
                  if field.startswith("typography.")}
    changes = {field: value for field, value in values.items() if not field.startswith("typography.")}
    if typography:
        changes["typography"] = dataclasses.replace(base.typography, **typography)
    return dataclasses.replace(base, name=name, **changes)


def _read_pages(reader: _Reader, value: Any) -> tuple[PageSource, ...]:
    key: KeyPath = ("pages",)
    if not isinstance(value, list) or not value:
        reader.error(key, f"expected a non-empty list of pages, got {_show(value)}", "add '- source: source/PAGE.txt'")
        return ()
    pages: list[tuple[int, PageSource]] = []
    for index, item in enumerate(value):
        item_key = (*key, index)
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, dict):
            reader.error(item_key, f"expected a mapping with 'source', got {_show(item)}")
            continue
        values = reader.section(item, "pages[]", item_key)
        source = values.get("source")
        if source is None:
            continue
        sidecar = values.get("sidecar") or _sidecar_beside(reader, source, item_key)
        pages.append((index, PageSource(source=source, name=source.stem, sidecar=sidecar, given=item["source"],
                                        encoding=values.get("encoding"), section=values.get("section"))))
    names = [page.name for _, page in pages]
    for position, (index, page) in enumerate(pages):
        if page.name in names[:position]:
            reader.error((*key, index), f"two pages are named {page.name!r}", "page names are the files' stems")
    return tuple(page for _, page in pages)


def _sidecar_beside(reader: _Reader, source: Path, key: KeyPath) -> Path | None:
    """The ``.yaml`` beside a page, when there is one (it too must lie inside the project)."""
    candidate = source.with_suffix(".yaml")
    if not candidate.is_file():
        return None
    try:
        return paths.resolve_inside(candidate, reader.root)
    except paths.PathRefused as exc:
        reader.error((*key, "sidecar"), exc.message, exc.hint)
        return None


def _read_output(reader: _Reader, configured: Path | None, override: str | Path | None, top: dict[str, Any],
                 editions: Iterable[Edition]) -> Path:
    """The output folder: ``--output`` if given, else the config's; either must be fit to build into."""
    out = Path(os.path.abspath(override)) if override is not None else configured
    if out is None:
        return reader.root / default_of("output")
    own = [("source", reader.root / "source"), ("layouts", top.get("layouts") or reader.root / "layouts"),
           ("styles", top.get("styles") or reader.root / "styles")]
    problem = paths.output_problem(out, reader.root, own, [e.name for e in editions])
    if problem is not None:
        if override is not None:
            reader.errors.append(ConfigError(problem[0], plain(str(out)), hint=problem[1]))
        else:
            reader.error(("output",), problem[0], problem[1])
        return out
    return paths.resolve(out)
