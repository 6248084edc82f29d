"""Name the punctuation classes every stage agrees on (one table, spelled by name)."""

from __future__ import annotations

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
