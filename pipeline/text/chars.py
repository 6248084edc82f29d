"""Name the punctuation classes every stage agrees on (one table, spelled by name)."""

from __future__ import annotations

from functools import lru_cache

SENTENCE_END = frozenset(
    "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
    "\N{HORIZONTAL ELLIPSIS}"
)
"""Marks that end a sentence: 。！？…"""

CLOSING_QUOTES = frozenset(
    "\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{RIGHT CORNER BRACKET}\N{RIGHT WHITE CORNER BRACKET}"
)
"""Closing quotes that may follow a sentence end: ” ’ 」 』"""

OPENING_QUOTES = frozenset(
    "\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}"
    "\N{LEFT CORNER BRACKET}\N{LEFT WHITE CORNER BRACKET}"
)
"""Opening quotes: “ ‘ 「 『"""

OPENING_BRACKETS = frozenset(
    "\N{FULLWIDTH LEFT PARENTHESIS}\N{LEFT DOUBLE ANGLE BRACKET}\N{LEFT ANGLE BRACKET}"
    "\N{LEFT BLACK LENTICULAR BRACKET}\N{LEFT TORTOISE SHELL BRACKET}"
)
"""Opening brackets: （ 《 〈 【 〔"""

CLOSING_BRACKETS = frozenset(
    "\N{FULLWIDTH RIGHT PARENTHESIS}\N{RIGHT DOUBLE ANGLE BRACKET}\N{RIGHT ANGLE BRACKET}"
    "\N{RIGHT BLACK LENTICULAR BRACKET}\N{RIGHT TORTOISE SHELL BRACKET}"
)
"""Closing brackets: ） 》 〉 】 〕"""

HALF_TO_FULL = {
    ",": "\N{FULLWIDTH COMMA}",
    ":": "\N{FULLWIDTH COLON}",
    ";": "\N{FULLWIDTH SEMICOLON}",
    "?": "\N{FULLWIDTH QUESTION MARK}",
    "!": "\N{FULLWIDTH EXCLAMATION MARK}",
    "(": "\N{FULLWIDTH LEFT PARENTHESIS}",
    ")": "\N{FULLWIDTH RIGHT PARENTHESIS}",
}
"""Half-width marks OCR leaves in Chinese text and their full-width forms."""

CLAUSE_MARKS = frozenset(
    "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH COLON}"
)
"""Marks inside a sentence, after which a line cannot end a paragraph: ， 、 ； ："""

INDENT_SPACE = "\N{IDEOGRAPHIC SPACE}"
"""The full-width space that typesetters and some OCR engines use for a 2-em indent."""

HYPHENS = frozenset("-\N{HYPHEN}\N{NON-BREAKING HYPHEN}")
"""Hyphens that may split a Latin word at a line end."""

# --- W3C clreq tables: line-start/line-end prohibition, punctuation width, justification ---

FULL_STOPS = frozenset(
    "\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH FULL STOP}"
    "\N{FULLWIDTH COLON}\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH EXCLAMATION MARK}"
    "\N{FULLWIDTH QUESTION MARK}"
)
"""Pause and stop marks set in a full em with blank space: 、，。．：；！？"""

WORD_JOINER = "\N{WORD JOINER}"
"""U+2060: invisible, forbids a line break on either side, not extracted from PDFs as text."""

EM_DASH = "\N{EM DASH}"
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"

UNBREAKABLE_DOUBLES = frozenset(EM_DASH + ELLIPSIS + "\N{TWO-EM DASH}\N{MIDLINE HORIZONTAL ELLIPSIS}")
"""Marks written doubled (—— ……) that must never split or take justification space inside."""

_NO_START_BASIC = frozenset(
    "\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH FULL STOP}"
    "\N{FULLWIDTH COLON}\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH EXCLAMATION MARK}"
    "\N{FULLWIDTH QUESTION MARK}\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{RIGHT CORNER BRACKET}\N{RIGHT WHITE CORNER BRACKET}\N{FULLWIDTH RIGHT PARENTHESIS}"
    "\N{RIGHT DOUBLE ANGLE BRACKET}\N{RIGHT ANGLE BRACKET}\N{RIGHT BLACK LENTICULAR BRACKET}"
    "\N{RIGHT TORTOISE SHELL BRACKET}\N{FULLWIDTH TILDE}\N{FULLWIDTH HYPHEN-MINUS}"
    "\N{MIDDLE DOT}\N{KATAKANA MIDDLE DOT}"
    ",.:;!?)]}"
)
_NO_END_BASIC = frozenset(
    "\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}\N{LEFT CORNER BRACKET}"
    "\N{LEFT WHITE CORNER BRACKET}\N{FULLWIDTH LEFT PARENTHESIS}\N{LEFT DOUBLE ANGLE BRACKET}"
    "\N{LEFT ANGLE BRACKET}\N{LEFT BLACK LENTICULAR BRACKET}\N{LEFT TORTOISE SHELL BRACKET}"
    "([{"
)
_NO_START_GB = _NO_START_BASIC | frozenset(
    "\N{FULLWIDTH PERCENT SIGN}%\N{PER MILLE SIGN}\N{DEGREE CELSIUS}"
    "\N{RIGHT WHITE LENTICULAR BRACKET}\N{REVERSED DOUBLE PRIME QUOTATION MARK}"
)
_NO_END_GB = _NO_END_BASIC | frozenset(
    "\N{LEFT WHITE LENTICULAR BRACKET}\N{REVERSED DOUBLE PRIME QUOTATION MARK}"
    "\N{FULLWIDTH YEN SIGN}\N{FULLWIDTH DOLLAR SIGN}$"
)
_NO_START_STRICT = _NO_START_GB | UNBREAKABLE_DOUBLES

NO_LINE_START: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _NO_START_BASIC,
    "gb": _NO_START_GB,
    "strict": _NO_START_STRICT,
}
"""Marks that may not begin a line, per clreq level (basic: 、，。．：；！？”’」』）》〉】～－·)."""

NO_LINE_END: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _NO_END_BASIC,
    "gb": _NO_END_GB,
    "strict": _NO_END_GB,
}
"""Marks that may not end a line, per clreq level (basic: “‘「『（《〈【〔)."""

OPENING_MARKS = OPENING_QUOTES | OPENING_BRACKETS | frozenset(
    "\N{LEFT WHITE LENTICULAR BRACKET}"
)
"""Opening marks: their blank half is on the left (in horizontal text)."""

CLOSING_MARKS = CLOSING_QUOTES | CLOSING_BRACKETS | frozenset(
    "\N{RIGHT WHITE LENTICULAR BRACKET}"
)
"""Closing marks: their blank half is on the right (in horizontal text)."""

COMPRESSIBLE = OPENING_MARKS | CLOSING_MARKS | FULL_STOPS
"""Full-width marks with a blank half that clreq lets adjacent marks give up (1.5 em for two)."""


@lru_cache(maxsize=8192)
def is_wide(char: str) -> bool:
    """Say whether a character is set in a full em (Han, kana, full-width marks).

    >>> is_wide("汉"), is_wide("，"), is_wide("a"), is_wide("1")
    (True, True, False, False)
    """
    code = ord(char)
    return (
        0x1100 <= code <= 0x115F
        or 0x2E80 <= code <= 0xA4CF
        or 0xAC00 <= code <= 0xD7A3
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFF60
        or 0xFFE0 <= code <= 0xFFE6
        or 0x20000 <= code <= 0x3FFFD
        or char in OPENING_MARKS or char in CLOSING_MARKS or char in UNBREAKABLE_DOUBLES
    )


@lru_cache(maxsize=65536)
def is_expandable_gap(before: str, after: str) -> bool:
    """Say whether justification may widen the gap between two adjacent characters.

    Space goes between Han characters, between Han and marks, and after spaces; never inside
    —— or ……, a Latin word or a digit group, nor between two marks (which would undo their
    compression).

    >>> [is_expandable_gap(*pair) for pair in ("汉字", "字，", "——", "12", "ab", "。”", "a汉")]
    [True, True, False, False, False, False, True]
    """
    if before in " \N{NO-BREAK SPACE}":
        return True
    if after in " \N{NO-BREAK SPACE}":
        return False
    if before == after and before in UNBREAKABLE_DOUBLES:
        return False
    if not (is_wide(before) or is_wide(after)):
        return False
    return not (before in COMPRESSIBLE and after in COMPRESSIBLE)


ZERO_WIDTH_SPACE = "\N{ZERO WIDTH SPACE}"
"""U+200B: an invisible break opportunity."""

QUOTES_OPENING_QU = frozenset("\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}")
QUOTES_CLOSING_QU = frozenset("\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}")
"""Curly quotes, which Unicode line breaking (class QU) never breaks around: in Chinese text a
line may break before “ ‘ and after ” ’ (clreq), so the markup adds a break opportunity there."""
