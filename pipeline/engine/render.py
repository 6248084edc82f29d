"""Render HTML to PDF with WeasyPrint, fetching nothing from the network or outside the project.

Broadsheet's CJK justification (``engine.justify``) is patched into WeasyPrint only while
``render_document`` lays a page out and ``write_pdf`` draws it; other documents rendered in
the same process are stock WeasyPrint's. While ``render_document`` runs, the page's stylesheet
comes from a per-process parse cache (``parsed_stylesheets``). Reading a laid-out document back
(``find_page_ends``) takes column boxes in reading order, as CSS columns would fill a page.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..errors import RenderError


class RefusedURL(ValueError):
    """A URL the renderer will not fetch."""


PHOTO_SCHEME = "broadsheet-photo"
"""The URL scheme WeasyPrint reads a page's photos by (``render_document``'s ``photos``)."""


def _is_inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def make_url_fetcher(allowed_roots: Sequence[Path],  # noqa: ANN201 - WeasyPrint's URLFetcher type
                     photos: Mapping[str, Path] | None = None):
    """A WeasyPrint URL fetcher that reads only ``file:`` URLs inside ``allowed_roots``.

    Everything else (http, https, ftp, data of unknown origin, files elsewhere,
    symlinks pointing out) is refused and the refusal recorded in ``.refused``.
    ``photos`` maps ``broadsheet-photo:`` URLs to the files read for them, inside the roots too.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(Path(r).resolve() for r in allowed_roots)
    named = dict(photos or {})

    class RestrictedFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"file"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url in named:
                photo = named[url].resolve()
                if not _is_inside(photo, roots) or not photo.is_file():
                    self.refused.append(url)
                    raise RefusedURL(f"refused to read {photo}: outside the project and package")
                return URLFetcherResponse(url, photo.read_bytes())
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                self.refused.append(url)
                raise RefusedURL(f"refused to fetch {url!r}: only files inside the project are read")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if not _is_inside(path, roots) or not path.is_file():
                self.refused.append(url)
                raise RefusedURL(f"refused to read {path}: outside the project and package")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return RestrictedFetcher()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_weasyprint_warnings() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


PARSED_STYLESHEETS_MAX = 64
"""Parsed stylesheets a process keeps (``parsed_stylesheets``): a few per edition and publication."""

NOT_CACHED_RULES = ("@import", "@font-face", "@counter-style", "@color-profile", "@layer")
"""At-rules whose sheet is parsed for each render: what they load or declare lives outside the
parsed sheet (an imported file that may change, the render's fonts, counter styles and colour
profiles, layers numbered across all of the document's sheets)."""

_PARSED: OrderedDict[tuple[str, str | None, str], Any] = OrderedDict()
_PARSED_LOCK = threading.Lock()
_PATCH: dict[str, Any] = {"entries": 0, "original": None}


def parsed_stylesheet(css: str, base_url: str | None, media_type: str = "print", **options: Any) -> Any:
    """``weasyprint.CSS(string=css, ...)``, parsed once per process for each text, base URL and medium.

    A sheet holding one of ``NOT_CACHED_RULES`` is parsed every time. The cached sheet keeps its
    own ``@page`` rules (WeasyPrint otherwise files every sheet's in one list per document).
    WeasyPrint's warnings about a sheet come with its first parse only: the build reports them
    from each file's own check (``check_stylesheet``), at the file's lines.
    """
    from .libraries import import_weasyprint

    weasyprint = import_weasyprint()

    cacheable = not any(rule in css for rule in NOT_CACHED_RULES)
    if not cacheable:
        return weasyprint.CSS(string=css, base_url=base_url, media_type=media_type, **options)
    key = (hashlib.sha256(css.encode("utf-8")).hexdigest(), base_url, media_type)
    with _PARSED_LOCK:
        sheet = _PARSED.get(key)
        if sheet is not None:
            _PARSED.move_to_end(key)
            return sheet
    options = {name: value for name, value in options.items() if name in ("url_fetcher", "font_config")}
    sheet = weasyprint.CSS(string=css, base_url=base_url, media_type=media_type, **options)
    with _PARSED_LOCK:
        _PARSED[key] = sheet
        while len(_PARSED) > PARSED_STYLESHEETS_MAX:
            _PARSED.popitem(last=False)
    return sheet


@contextmanager
def parsed_stylesheets() -> Iterator[None]:
    """While the block runs, the ``<style>`` sheets WeasyPrint reads come from ``parsed_stylesheet``.

    The page's HTML holds its stylesheets in one ``<style>`` (``layouts/head.html``: the grid's
    properties and every file), the same text for every page of an edition and every pagination
    pass, so a worker parses it once per edition. (One ``<style>`` per file would share the files
    across editions too, but WeasyPrint matches every element against each sheet in turn: that
    costs more than the parse saves.) Blocks nest; on leaving the outermost, WeasyPrint's own
    ``CSS`` is back.
    """
    import weasyprint.css

    with _PARSED_LOCK:
        if _PATCH["entries"] == 0:
            original = weasyprint.css.CSS
            _PATCH["original"] = original

            def stylesheet(*args: Any, string: str | None = None, **options: Any) -> Any:
                if args or string is None or "matcher" in options:
                    return original(*args, string=string, **options)
                return parsed_stylesheet(string, options.pop("base_url", None),
                                         options.pop("media_type", "print"), **options)

            weasyprint.css.CSS = stylesheet
        _PATCH["entries"] += 1
    try:
        yield
    finally:
        with _PARSED_LOCK:
            _PATCH["entries"] -= 1
            if _PATCH["entries"] == 0:
                weasyprint.css.CSS = _PATCH["original"]


class _UntilRegexes(dict[Any, Any]):
    """tinyhtml5's ``characters_until_regex``, filled on a miss with the pattern tinyhtml5 builds.

    tinyhtml5 (the HTML parser WeasyPrint uses) caches the pattern of each ``chars_until`` call
    under the wrong key (``a = d[(a, b)] = x`` binds ``a`` first), so it builds the pattern again
    on every call: two thirds of the time a page takes to parse (the sample: 67 ms CPU, 21 ms with this).
    """

    def __missing__(self, key: Any) -> Any:
        characters, opposite = key
        if isinstance(characters, re.Pattern):  # the key tinyhtml5 stores under: never looked up
            raise KeyError(key)
        pattern = "".join(f"\\x{ord(character):02x}" for character in characters)
        compiled = re.compile(f"[{pattern if opposite else '^' + pattern}]+")
        self[key] = compiled
        return compiled


def _cache_tinyhtml5_patterns() -> None:
    """Give tinyhtml5 a working pattern cache (``_UntilRegexes``), once per process."""
    import tinyhtml5.inputstream as stream

    if type(getattr(stream, "characters_until_regex", None)) is dict:
        stream.characters_until_regex = _UntilRegexes(stream.characters_until_regex)


def render_document(html: str, base_dir: Path, allowed_roots: Sequence[Path],
                    source_name: str = "page.html",
                    photos: Mapping[str, Path] | None = None) -> tuple[Any, list[str], list[str]]:
    """Lay out ``html`` with WeasyPrint: the document, its warnings and the refused URLs.

    Relative URLs resolve against ``base_dir``; only files inside ``base_dir``
    and ``allowed_roots`` are read. ``photos`` maps the relative URLs the HTML names the
    photos by (their copies in ``output/``, written after the render) to the project files
    WeasyPrint reads instead. WeasyPrint asks for them as ``broadsheet-photo:<url>``: it names
    an image in the PDF by a hash of its URL, and a ``file:`` URL would carry the project's
    folder into the bytes (a build elsewhere, or on a cluster worker, would differ).
    """
    from .libraries import import_weasyprint

    weasyprint = import_weasyprint()

    from .justify import justification

    virtual = {}
    for url, path in (photos or {}).items():
        html = html.replace(f'src="{url}"', f'src="{PHOTO_SCHEME}:{url}"')
        virtual[f"{PHOTO_SCHEME}:{url}"] = path
    fetcher = make_url_fetcher([base_dir, *allowed_roots], virtual)
    _cache_tinyhtml5_patterns()
    with _collect_weasyprint_warnings() as log, justification(), parsed_stylesheets():
        try:
            document = weasyprint.HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render()
        except Exception as exc:  # WeasyPrint raises many kinds; name the page
            raise RenderError(f"WeasyPrint failed: {type(exc).__name__}: {exc}", source_name) from exc
    return document, log.messages, fetcher.refused


def check_stylesheet(name: str, css: str, allowed_roots: Sequence[Path]) -> list[str]:
    """What WeasyPrint finds wrong in one stylesheet, each message prefixed with its file.

    The page inlines its stylesheets, so WeasyPrint's own messages would give
    lines of the HTML; parsing each file alone gives its real lines.
    """
    from .libraries import import_weasyprint

    weasyprint = import_weasyprint()

    fetcher = make_url_fetcher(allowed_roots)
    with _collect_weasyprint_warnings() as log:
        weasyprint.CSS(string=css, url_fetcher=fetcher, base_url=str(allowed_roots[0]) + "/" if allowed_roots else None)
    return [f"{name}: {message}" for message in log.messages]


def write_pdf(document: Any, source_name: str = "page.html", variant: str | None = None) -> bytes:
    """The PDF bytes of a laid-out document (dates come from the HTML's meta, never the clock).

    ``variant`` is a WeasyPrint PDF variant such as ``pdf/a-3b``; its file ID is
    a hash of the content, so the bytes stay reproducible. WeasyPrint sets the text again
    when it draws, so the CJK justification patch is in place here too (``engine.justify``);
    its fonts copy their face's file only if they embed it whole (``engine.fontdata``), and a
    CID-keyed CJK face is embedded as a bare CFF of the glyphs printed (``engine.compactfonts``).
    """
    from .compactfonts import compact_cid_fonts
    from .fontdata import font_data_on_demand
    from .justify import justification

    with _collect_weasyprint_warnings(), justification(), font_data_on_demand(), compact_cid_fonts():
        try:
            return bytes(document.write_pdf(pdf_variant=variant) if variant else document.write_pdf())
        except Exception as exc:
            raise RenderError(f"WeasyPrint failed to write the PDF: {type(exc).__name__}: {exc}",
                              source_name) from exc


def find_page_ends(document: Any) -> list[tuple[int, int, int, str] | None]:
    """For each laid-out page, where its body text ends: (article, paragraph, start, rendered).

    Paragraph elements carry ``data-article``, ``data-para`` and ``data-start``
    (the offset of their first character in the paragraph); ``rendered`` is the
    text of that element laid out up to the end of this page, which
    ``layout.align_offset`` maps back to an offset in the paragraph.  Elements
    marked ``data-skip`` (datelines) are not paragraph text.  ``None`` for a
    page with no paragraph text.

    A module whose columns are boxes side by side (``columns set``) and that runs past a page
    foot is read as CSS columns would have filled that page (``_fill_columns``): its first
    columns in reading order, not the top of every column, so pagination cuts it where it did
    when the page set it in CSS columns.
    """
    consumed: dict[tuple[int, int, int], str] = {}
    ends: list[tuple[int, int, int, str] | None] = []
    pages = [page._page_box for page in document.pages]
    reading = _column_sets_in_reading_order(pages)
    for number, page in enumerate(pages):
        last: tuple[int, int, int, str] | None = None
        for key, text in _paragraph_texts(page, None, reading.get(number, {})):
            consumed[key] = consumed.get(key, "") + text
            last = (*key, consumed[key])
        ends.append(last)
    return ends


def find_paragraph_texts(document: Any) -> Iterator[tuple[tuple[int, int, int], str]]:
    """Every laid-out piece of paragraph text: ((article, paragraph, start), text), page by page."""
    for page in document.pages:
        yield from _paragraph_texts(page._page_box, None)


COLUMN_SET_CLASS = "set"
"""The class of a module's columns set as boxes side by side (``layouts/article.html``)."""


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _column_sets_in_reading_order(pages: Sequence[Any]) -> dict[int, dict[Any, list[Any]]]:
    """For each page, the column sets that run past a page foot, each with the block boxes to read
    there in its stead: on the first page, those CSS columns would have put there; on the next page
    it appears on, the rest; on later pages, none."""
    seen: dict[Any, list[tuple[int, Any]]] = {}
    for number, page in enumerate(pages):
        for box in _walk(page):
            element = getattr(box, "element", None)
            if element is not None and {"columns", COLUMN_SET_CLASS} <= _classes(box) and \
                    getattr(box, "is_table_wrapper", False):
                seen.setdefault(element, []).append((number, box))
    reading: dict[int, dict[Any, list[Any]]] = {}
    for element, fragments in seen.items():
        if len(fragments) < 2:
            continue
        first_page, first = fragments[0]
        columns = int(element.get("data-columns") or 0) or None
        blocks, placed = _column_blocks(fragments)
        shown = _fill_columns(blocks, placed, columns)
        reading.setdefault(first_page, {})[element] = [box for block in blocks[:shown] for box in block[2]]
        reading.setdefault(fragments[1][0], {})[element] = [box for block in blocks[shown:] for box in block[2]]
        for number, _ in fragments[2:]:
            reading.setdefault(number, {}).setdefault(element, [])
    return reading


def _column_blocks(fragments: Sequence[tuple[int, Any]]) -> tuple[list[tuple[float, bool, list[Any]]], list[float]]:
    """A column set's blocks in reading order, each (height, opens a column, its boxes), and how
    deep each column's blocks on the set's first page reach (its column boxes' content heights)."""
    order: list[Any] = []
    cells: dict[Any, list[Any]] = {}
    boxes: dict[Any, list[Any]] = {}
    heights: dict[Any, float] = {}
    placed: list[float] = []
    for fragment_index, (_, wrapper) in enumerate(fragments):
        for cell in _walk(wrapper):
            if "col" not in _classes(cell) or cell.element is wrapper.element:
                continue
            if cell.element not in cells:
                order.append(cell.element)
                cells[cell.element] = []
            top = cell.content_box_y()
            bottom = top
            for block in cell.children:
                element = block.element
                if element not in boxes:
                    cells[cell.element].append(element)
                    boxes[element] = []
                    heights[element] = 0.0
                boxes[element].append(block)
                heights[element] += block.margin_height()
                bottom = max(bottom, block.position_y + block.margin_height())
            if fragment_index == 0:
                placed.append(bottom - top)
    blocks = [(heights[element], number > 0 and index == 0, boxes[element])
              for number, cell in enumerate(order) for index, element in enumerate(cells[cell])]
    return blocks, placed


def _fill_columns(blocks: Sequence[tuple[float, bool, Any]], placed: Sequence[float], columns: int | None) -> int:
    """How many of ``blocks`` CSS columns (``column-fill: auto``, a forced break before each block
    that opens a column) would set on the page where the column boxes reached ``placed``.

    A column holds what fits the deepest column box's reach (each box stopped at the page foot
    or at its last block).

    >>> _fill_columns([(1, False, 0), (1, False, 0), (1, True, 0), (1, False, 0)], [2, 1], 2)
    4
    >>> _fill_columns([(1, False, 0), (1, False, 0), (1, False, 0), (1, True, 0), (1, False, 0)], [2, 2], 2)
    3
    """
    room = max(placed, default=0.0) + 0.01  # a hundredth of a point: rounding, not a line
    shown = 0
    for _ in range(columns or len(placed) or 1):
        depth = 0.0
        taken = 0
        while shown < len(blocks):
            height, opens, _ = blocks[shown]
            if (taken and opens) or depth + height > room:
                break
            depth += height
            taken += 1
            shown += 1
    return shown


def find_page_sheets(document: Any) -> list[int | None]:
    """For each laid-out page, the ``data-sheet`` number of the printed sheet it belongs to."""
    return [_first_sheet(page._page_box) for page in document.pages]


def _first_sheet(box: Any) -> int | None:
    element = getattr(box, "element", None)
    if element is not None and element.get("data-sheet") is not None:
        return int(element.get("data-sheet"))
    for child in getattr(box, "children", ()):
        found = _first_sheet(child)
        if found is not None:
            return found
    return None


def _paragraph_texts(box: Any, key: tuple[int, int, int] | None,
                     reading: Mapping[Any, list[Any]] | None = None) -> Iterator[tuple[tuple[int, int, int], str]]:
    element = getattr(box, "element", None)
    if reading and element in reading and getattr(box, "is_table_wrapper", False):
        for block in reading[element]:
            yield from _paragraph_texts(block, key)
        return
    if element is not None and getattr(box, "element_tag", None) is not None:
        if element.get("data-skip"):
            return
        if element.get("data-para") is not None:
            key = (int(element.get("data-article")), int(element.get("data-para")),
                   int(element.get("data-start", "0")))
    text = getattr(box, "text", None)
    if text is not None and key is not None:
        yield key, text
        return
    for child in getattr(box, "children", ()):
        yield from _paragraph_texts(child, key, reading)
