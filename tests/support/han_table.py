"""Generate ``text/chars.py``'s ``HAN_RANGES``: Script=Han from Unicode's Scripts.txt, assigned characters only.

fontTools ships Scripts.txt as ``fontTools.unicodedata.Scripts``; a character counts when
its script is ``Hani`` and the Python in use (``unicodedata.unidata_version``) knows it, so
the table never claims a character that the rest of the standard library calls unassigned.
Run ``python tests/support/han_table.py`` to print the literal; a test compares it with the
table in the package.
"""

from __future__ import annotations

import unicodedata

from fontTools.unicodedata import script


def han_ranges() -> tuple[tuple[int, int], ...]:
    """The inclusive code-point ranges of assigned Script=Han characters."""
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for code in range(0x110000):
        char = chr(code)
        inside = unicodedata.category(char) != "Cn" and script(char) == "Hani"
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))
    return tuple(ranges)


def format_table(ranges: tuple[tuple[int, int], ...]) -> str:
    """The Python literal of the table, as ``chars.py`` holds it."""
    rows = "".join(f"    (0x{first:04X}, 0x{last:04X}),\n" for first, last in ranges)
    return f"HAN_RANGES: tuple[tuple[int, int], ...] = (\n{rows})\n"


if __name__ == "__main__":
    print(f"# Unicode {unicodedata.unidata_version}")
    print(format_table(han_ranges()), end="")
