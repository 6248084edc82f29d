"""Extend WeasyPrint 70's justification to widen the gaps between CJK characters (W3C clreq).

WeasyPrint justifies a line by widening its spaces only, so a line of Chinese (which has none)
stays ragged. Inside ``with justification():`` WeasyPrint's ``justify_line`` is replaced by a
version that spreads the slack of a line holding CJK text over its *expandable gaps*, as
``pipeline.text.chars.is_expandable_gap`` defines them: between Han characters, between Han
and marks or Latin text, and after spaces; never inside ``——``, ``……``, a Latin word or a
digit group, nor between two adjacent marks. The gaps between Han text and a Latin letter or
digit (``is_western_gap``) take it first, up to half an em each (less the autospace a line
holds), as clreq orders it and as the line breaker counted; the rest goes evenly to the others.
A line without CJK text is left to WeasyPrint's own justification. Gaps inside one text box are
drawn with Pango letter-spacing attributes; gaps between two boxes move the boxes that follow.

The patch is scoped: ``pipeline.engine.render`` enters it around Broadsheet's own layout
(``render()``) and drawing (``write_pdf()``: WeasyPrint lays text out again when it draws, and
only then are the letter-spacings set), and WeasyPrint is restored on leaving, so any other
document rendered in the same process, before or after, comes out as stock WeasyPrint sets it.
Entries nest and may come from several threads: the functions are patched while at least one
``with`` block is open anywhere in the process, and restored when the last one closes (also
on an exception); the patched functions act only for the threads inside a block and call
WeasyPrint's own for every other thread (``engine.scoped``).

Pango gives each character carrying a letter-spacing ``L`` half of it on either side, and drops
the outer halves at both ends of a layout. A gap of width ``g`` between characters ``i`` and
``i + 1`` therefore needs ``(L[i] + L[i + 1]) / 2 == g``; ``_letter_spacings`` solves that chain.
Characters with different spacings become separate Pango items, which breaks kerning and
ligatures across them: ``pipeline.typeset.marks`` therefore sets Latin words, digit groups,
``——`` and ``……`` in spans of their own, which this patch moves but never spaces out.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

from ..errors import RenderError
from ..text.chars import EM_DASH, ZERO_WIDTH, is_expandable_gap, is_western_gap, is_wide
from ..typeset.linebreak import AUTOSPACE, WESTERN_MAX
from ..typeset.marks import AUTOSPACE_CLASS
from .scoped import ScopedPatch

END_CLASS = "t-end"
"""Class of an isolated mark that may be set half-width where it ends a line (GB style)."""

SUPPORTED = ((70, 0), (71, 0))
"""WeasyPrint versions the patch is tested on: at least the first, below the second."""

SIGNATURES: dict[str, str] = {
    "weasyprint.layout.inline.justify_line": "(context, line, extra_width)",
    "weasyprint.layout.inline.text_align": "(context, line, available_width, last)",
    "weasyprint.text.line_break.Layout.set_text": "(self, text, justify=False)",
    "weasyprint.text.line_break.Layout.reactivate": "(self, style)",
    "weasyprint.text.line_break.Layout.deactivate": "(self)",
    "weasyprint.text.line_break.Layout.get_first_line": "(self)",
    "weasyprint.text.line_break.create_layout":
        "(text, style, context, max_width, justification_spacing)",
    "weasyprint.text.line_break.line_size": "(line, style)",
    "weasyprint.formatting_structure.boxes.Box.translate": "(self, dx=0, dy=0, ignore_floats=False)",
    "weasyprint.formatting_structure.boxes.Box.is_in_normal_flow": "(self)",
}
"""Every private WeasyPrint function the patch replaces, calls or relies on, with the signature
it was written against; a different one refuses the patch (see ``check_weasyprint``)."""

_GENERAL_PUNCTUATION = range(0x2000, 0x2070)
"""Curly quotes, dashes and ellipses: wide in CJK text, but Latin text uses them too."""

_STATE: dict[str, Any] = {"entries": 0}
"""``entries``: open ``with justification()`` blocks in the process (``_PATCH``); the originals once installed."""


class UnsupportedWeasyPrint(RenderError):
    """The installed WeasyPrint is not a version, or has not the internals, this patch was tested on."""


def _version(text: str) -> tuple[int, int]:
    parts = (text.split(".") + ["0"])[:2]
    return int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or 0)


def _resolve(dotted: str) -> Any:
    """The object a dotted name such as ``weasyprint.text.line_break.Layout.set_text`` names."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def _bare_signature(function: Callable[..., Any]) -> str:
    """A function's parameters and defaults, annotations left out (they change nothing here).

    >>> def f(a: int, b: str = "x") -> None: ...
    >>> _bare_signature(f)
    "(a, b='x')"
    """
    signature = inspect.signature(function)
    parameters = [p.replace(annotation=p.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=parameters, return_annotation=signature.empty))


def changed_internals(signatures: dict[str, str], calls: Sequence[tuple[str, str]]) -> list[str]:
    """What differs from the WeasyPrint a patch was written against: each dotted name in
    ``signatures`` whose signature is not the one given (or that is missing), and each
    ``(caller, callee)`` of ``calls`` where the caller no longer calls the callee by name."""
    changed = []
    for name, expected in signatures.items():
        try:
            found = _bare_signature(_resolve(name))
        except (ImportError, AttributeError, TypeError, ValueError):
            found = "missing"
        if found != expected:
            changed.append(f"{name} {found} (expected {expected})")
    for caller, callee in calls:
        try:
            code = getattr(_resolve(caller), "__code__", None)
        except (ImportError, AttributeError):
            code = None  # reported missing above
        if code is not None and callee not in code.co_names:
            changed.append(f"{caller} no longer calls {callee}")
    return changed


def check_weasyprint() -> None:
    """Refuse a WeasyPrint whose version or private functions differ from those the patch knows.

    Raises UnsupportedWeasyPrint naming the version, or every function to re-check with the
    signature expected and the one found.
    """
    import weasyprint

    version = _version(weasyprint.__version__)
    low, high = SUPPORTED
    if not low <= version < high:
        raise UnsupportedWeasyPrint(
            f"CJK justification patches WeasyPrint internals tested on versions >=70,<71, "
            f"found {weasyprint.__version__}",
            hint="pin weasyprint==70.*, or check pipeline/engine/justify.py against the new "
                 "weasyprint/layout/inline.py (justify_line) and text/line_break.py (set_text)",
        )
    # The patch takes effect only through these calls: text_align looks justify_line up as a
    # module global, and drawing re-sets each deactivated layout's text with justify=True.
    changed = changed_internals(SIGNATURES, (("weasyprint.layout.inline.text_align", "justify_line"),
                                             ("weasyprint.text.line_break.Layout.reactivate", "set_text")))
    if changed:
        raise UnsupportedWeasyPrint(
            f"CJK justification: WeasyPrint {weasyprint.__version__} changed internals the patch "
            f"relies on: {'; '.join(changed)}",
            hint="re-check pipeline/engine/justify.py against these functions, then update "
                 "justify.SIGNATURES",
        )


def _active() -> bool:
    """Whether this thread is inside a ``with justification()`` block."""
    return _PATCH.active()


def justification() -> AbstractContextManager[None]:
    """Patch WeasyPrint, for this block only, so justified CJK lines are flush at CJK gaps too.

    Lay out (``HTML.render()``) and draw (``Document.write_pdf()``) inside the block: WeasyPrint
    sets the text again when it draws. Blocks nest; on leaving the outermost block in the
    process, or on an exception, WeasyPrint's own functions are back. Raises
    UnsupportedWeasyPrint (see ``check_weasyprint``) before patching anything.
    """
    return _PATCH.block()


def _install() -> None:
    """Replace WeasyPrint's functions (``_PATCH``: its lock held, no block open)."""
    check_weasyprint()
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original_set_text: Callable[..., None] = line_break.Layout.set_text

    def set_text(self: Any, text: str, justify: bool = False) -> None:
        original_set_text(self, text, justify)
        if not justify or not _active() or getattr(self, "_broadsheet_text", None) != text:
            return
        if getattr(self, "_broadsheet_half", False):
            _apply_halt(self)
        gaps = getattr(self, "_broadsheet_gaps", None)
        if gaps is not None:
            _apply_spacings(self, text, _letter_spacings(text, gaps))

    _STATE.update(original_set_text=original_set_text, boxes=boxes,
                  original_justify_line=inline.justify_line)
    line_break.Layout.set_text = set_text
    inline.justify_line = _justify_line


def _uninstall() -> None:
    """Put WeasyPrint's own functions back (``_PATCH``: its lock held, the last block closed)."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    # The originals stay in _STATE: a thread that looked the patched function up just before
    # this still finds WeasyPrint's own to call.
    line_break.Layout.set_text = _STATE["original_set_text"]
    inline.justify_line = _STATE["original_justify_line"]


_PATCH = ScopedPatch(_install, _uninstall, _STATE)


def is_cjk_line(chars: str) -> bool:
    """Whether a line holds CJK text, whose gaps the patch justifies; other lines are WeasyPrint's.

    >>> is_cjk_line("“Quoted” — text…"), is_cjk_line("WeasyPrint 70。"), is_cjk_line("汉字")
    (False, True, True)
    """
    return any(is_wide(char) and ord(char) not in _GENERAL_PUNCTUATION for char in chars)


def _apply_spacings(layout: Any, text: str, spacings: Sequence[float]) -> None:
    """Set one Pango letter-spacing per character of a laid-out text box.

    The box's own CSS ``letter-spacing`` (which WeasyPrint set on the whole text) is kept
    and the justification added to it.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    base = layout.style["letter_spacing"]
    base = 0.0 if base == "normal" else float(base)
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    start = 0
    for char, spacing in zip(text, spacings, strict=True):
        end = start + len(char.encode())
        if spacing:
            attr = pango.pango_attr_letter_spacing_new(round((base + spacing) * TO_UNITS))
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attr_list, attr)
        start = end
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _apply_halt(layout: Any) -> None:
    """Switch on the font's ``halt`` feature (half-width marks) for a whole layout."""
    from weasyprint.text.ffi import ffi, pango

    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    pango.pango_attr_list_insert(attr_list, pango.pango_attr_font_features_new(b"halt 1"))
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _halve_line_end(context: Any, box: Any) -> float:
    """Set a line-final mark marked ``t-end`` half-width; return the width it gave up.

    ``pipeline.typography`` marks isolated marks so in editions that set them half-width at a
    line end (GB style, ``Typography.end_half``); only here is it known which one ends a line.
    """
    from weasyprint.text.line_break import create_layout, line_size

    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if END_CLASS not in classes:
        return 0.0
    layout = create_layout(box.text, box.style, context, max_width=None,
                           justification_spacing=0)
    _apply_halt(layout)
    line, _ = layout.get_first_line()
    width, _ = line_size(line, box.style)
    layout.deactivate()
    saved = box.width - width
    if saved <= 0:
        return 0.0
    layout._broadsheet_text = box.text
    layout._broadsheet_half = True
    box.pango_layout = layout
    box.width = width
    return float(saved)


@lru_cache(maxsize=4096)
def _cached_gap_flags(chars: str) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    # Column balancing lays out (and justifies) the same lines several times.
    return tuple(gap_flags(chars)), tuple(gap_flags(chars, western=True))


def gap_flags(chars: str, western: bool = False) -> list[bool]:
    """Flag, for each boundary between ``chars[i]`` and ``chars[i + 1]``, if it may widen.

    Zero-width characters are transparent: the gap goes just before the next visible one.
    ``western`` flags only the gaps where Han text meets a Latin letter or digit, which widen first.

    >>> gap_flags("汉字——好")
    [True, True, False, True]
    >>> gap_flags("字\N{WORD JOINER}，好")
    [False, True, True]
    >>> gap_flags("至\N{WORD JOINER}10月", western=True)
    [False, True, False, True]
    """
    test = is_western_gap if western else is_expandable_gap
    flags = []
    previous = None
    for index in range(len(chars) - 1):
        if chars[index] not in ZERO_WIDTH:
            previous = chars[index]
        after = chars[index + 1]
        flags.append(previous is not None and after not in ZERO_WIDTH and test(previous, after))
    return flags


def _letter_spacings(text: str, gaps: Sequence[float]) -> list[float]:
    """Solve (L[a] + L[b]) / 2 == gap for each pair of adjacent visible units a, b.

    ``gaps[j]`` is what the boundary after ``text[j]`` widens by (0: it does not). A unit is one visible
    character, or a run of em dashes: Noto CJK draws —— as one ligature, which holds only if
    both dashes carry the same spacing (a different one splits them into two Pango items);
    Pango then spaces the ligature as one cluster, never inside it. Zero-width characters get
    no spacing (WeasyPrint 70 writes an empty glyph's advance 2.4% too wide, which would show);
    they are transparent, as in ``gap_flags``. The first unit's left half is dropped by Pango
    only when it opens the layout; its spacing is that of the next unit all the same, so a run of
    equal gaps gets one constant spacing, and where the first unit does not open the layout (a
    word joiner before it) the box is moved back by the half it keeps (``_kept_half``). An
    alternating spacing (0, 2g, 0, …) would draw unequal gaps: WeasyPrint 70 writes a glyph's
    x offset (half its spacing) 2.4% too wide, so such a line's gaps alternated g ± 2.4%, and
    at 0.1 em pdftotext split every other one with a space.

    >>> _letter_spacings("汉字——好", [2.0, 2.0, 0.0, 2.0, 0.0])
    [2.0, 2.0, 2.0, 2.0, 2.0]
    >>> _letter_spacings("汉……好", [2.0, 0.0, 2.0, 0.0])
    [2.0, 2.0, -2.0, 6.0]
    >>> _letter_spacings("\N{WORD JOINER}汉\N{WORD JOINER}字", [2.0, 0.0, 2.0, 0.0])
    [0.0, 2.0, 0.0, 2.0]
    >>> _letter_spacings("至1", [3.0, 0.0])
    [3.0, 3.0]
    """
    spacings = [0.0] * len(text)
    units: list[list[int]] = []
    for index, char in enumerate(text):
        if char in ZERO_WIDTH:
            continue
        if units and char == EM_DASH and text[units[-1][-1]] == EM_DASH \
                and units[-1][-1] == index - 1:
            units[-1].append(index)
        else:
            units.append([index])
    if not units:
        return spacings
    widths = [gaps[unit[0] - 1] for unit in units[1:]]
    previous = widths[0] if widths else 0.0
    for unit, spacing in zip(units, [previous, *widths], strict=True):
        if unit is not units[0]:
            previous = 2 * spacing - previous
        for index in unit:
            spacings[index] = previous
    return spacings


def _kept_half(text: str, gaps: Sequence[float], first: int) -> float:
    """The left half of its spacing that the first visible character of a box keeps when zero-width
    characters open the box's layout (Pango drops only the opening cluster's half).

    >>> _kept_half("\N{WORD JOINER}汉字", [0.0, 2.0, 0.0], 1), _kept_half("汉字", [2.0, 0.0], 0)
    (1.0, 0.0)
    """
    return _letter_spacings(text, gaps)[first] / 2 if 0 < first < len(text) else 0.0


def _text_boxes(box: Any) -> Iterator[Any]:
    boxes = _STATE["boxes"]
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _has_autospace(box: Any) -> bool:
    """Whether a line holds an autospace (``.t-autospace``): its Han–Latin gaps hold a quarter em already."""
    boxes = _STATE["boxes"]
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBox):
            element = getattr(child, "element", None)
            if element is not None and AUTOSPACE_CLASS in (element.get("class") or "").split():
                return True
            if _has_autospace(child):
                return True
    return False


def gap_widths(flags: Sequence[bool], western: Sequence[bool], extra: float, cap: float) -> list[float]:
    """Share ``extra`` out over the gaps ``flags`` marks: those ``western`` marks first, up to ``cap``
    each (clreq widens Han–Latin spacing first), the rest evenly over the other gaps.

    The line breaker (``pipeline.typeset.linebreak``) chose the lines counting on this order.

    >>> gap_widths([True, True, True, True], [False, True, True, False], 1.0, 0.25)
    [0.25, 0.25, 0.25, 0.25]
    >>> gap_widths([True, True, True], [False, True, False], 0.2, 0.5)
    [0.0, 0.2, 0.0]
    >>> gap_widths([True, True], [True, True], 3.0, 0.5)
    [1.5, 1.5]
    """
    count, share = sum(flags), sum(western)
    if share and (extra <= share * cap or count == share):
        each, rest = extra / share, 0.0
    else:
        each = cap if share else 0.0
        rest = (extra - share * each) / (count - share)
    return [(each if is_western else rest) if flag else 0.0 for flag, is_western in zip(flags, western, strict=True)]


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread ``extra_width`` over the line's expandable gaps (replaces WeasyPrint's): its Han–Latin
    gaps first, up to half an em each, then the others evenly.

    Right-to-left lines, lines without CJK text and every line of a thread outside
    ``justification()`` get WeasyPrint's own justification.
    """
    if not _active() or line.style["direction"] == "rtl":
        _STATE["original_justify_line"](context, line, extra_width)
        return
    text_boxes = list(_text_boxes(line))
    chars = "".join(box.text for box in text_boxes)
    if not is_cjk_line(chars):
        _STATE["original_justify_line"](context, line, extra_width)
        return
    if text_boxes:
        extra_width += _halve_line_end(context, text_boxes[-1])
    # A trailing collapsible space is not a gap: the line ends before it.
    stripped = len(chars.rstrip(" "))
    flags, western = _cached_gap_flags(chars[:stripped])
    if not any(flags) or extra_width <= 0:
        return
    cap = (WESTERN_MAX - (AUTOSPACE if _has_autospace(line) else 0.0)) * float(line.style["font_size"])
    widths = gap_widths(flags, western, extra_width, cap)
    padded = (*widths, *(0.0,) * (len(chars) - len(widths)))
    _shift_boxes(context, line, padded, [0], 0.0)


def _spaced_layout(context: Any, box: Any, gaps: tuple[float, ...]) -> Any:
    """Give a text box its own deactivated layout that draws its justification gaps.

    Copying the box's layout (a few Python attributes once deactivated) is much cheaper than
    building a new Pango layout; the copy is needed as column balancing shares layouts
    between passes. WeasyPrint rebuilds the Pango layout when it draws (``reactivate``), and
    only then are the letter-spacings computed.
    """
    from weasyprint.text.line_break import create_layout

    layout = box.pango_layout
    if layout is not None and getattr(layout, "text", None) == box.text \
            and not hasattr(layout, "layout"):
        clone = object.__new__(type(layout))
        clone.__dict__.update(layout.__dict__)
        layout = clone
    else:
        layout = create_layout(box.text, box.style, context, max_width=None,
                               justification_spacing=0)
        layout.deactivate()
    layout.justification_spacing = 0
    layout._broadsheet_text = box.text
    layout._broadsheet_gaps = gaps
    return layout


def _shift_boxes(context: Any, box: Any, line_gaps: tuple[float, ...], cursor: list[int],
                 x_advance: float) -> float:
    """Move and widen boxes in line order; return the x advance accumulated so far.

    ``line_gaps`` gives what each boundary of the line widens by (the one after each of its
    characters); ``cursor[0]`` is the first character of ``box``.
    """
    boxes = _STATE["boxes"]
    if isinstance(box, boxes.TextBox):
        text = box.text
        if not text:  # WeasyPrint may leave an empty box where it stripped a trailing space
            box.position_x += x_advance
            return x_advance
        start = cursor[0]
        cursor[0] = start + len(text)
        gaps = line_gaps[start:start + len(text)]
        if not any(gaps):
            box.position_x += x_advance
            return x_advance
        first = next((i for i, char in enumerate(text) if char not in ZERO_WIDTH), len(text))
        # A gap before the first visible character moves the whole box.
        x_advance += sum(gaps[:first])
        box.position_x += x_advance
        inner = sum(gaps[first:-1])
        if inner:
            box.pango_layout = _spaced_layout(context, box, gaps)
            box.width += inner
            x_advance += inner
            kept = _kept_half(text, gaps, first)
            box.position_x -= kept
            box.width += kept
        if gaps[-1] and first < len(text):
            x_advance += gaps[-1]
        return x_advance
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift_boxes(context, child, line_gaps, cursor, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance
