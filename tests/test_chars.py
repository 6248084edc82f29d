"""One definition of a Han character: the generated table is current, and no other module spells a Han range."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from support.han_table import format_table, han_ranges

from pipeline.text import chars

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

HAN_LITERALS = re.compile(
    r"\\u(?:3400|4dbf|4e00|9fff|9fa5|f900|faff)|\\U0002[0-9a-f]{4}|0x(?:3400|4dbf|4e00|9fff|9fa5|20000|2a6df)\b"
    r"|[\u4e00\u9fa5\u9fff]\"?\s*(?:<=|-)",
    re.IGNORECASE,
)
"""How a Han range gets spelled: escapes, hex literals, or the first/last ideograph in a comparison or class."""


def test_the_table_is_generated_from_scripts_txt_for_this_python() -> None:
    assert chars.HAN_RANGES == han_ranges(), "regenerate with: python tests/support/han_table.py"
    source = (PACKAGE / "text" / "chars.py").read_text(encoding="utf-8")
    assert format_table(han_ranges()) in source


def test_no_han_range_outside_chars() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "text" / "chars.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAN_LITERALS.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_scanner_finds_a_planted_range() -> None:
    for line in ('if "\\u4e00" <= c <= "\\u9fff":', "0x4E00 <= code", 'r"[\\u3400-\\u4dbf]"', '"一" <= c'):
        assert HAN_LITERALS.search(line), line


def test_is_han_agrees_with_the_table_at_every_edge() -> None:
    for first, last in chars.HAN_RANGES:
        assert chars.is_han(chr(first)) and chars.is_han(chr(last))
        if first > 0 and unicodedata.category(chr(first - 1)) != "Cn":
            assert not chars.is_han(chr(first - 1)) or any(a <= first - 1 <= b for a, b in chars.HAN_RANGES)
    assert not chars.is_han("\u3006")  # 〆 is Common, not Han
    assert chars.is_han("\u3007")  # 〇 is Han


def test_the_questions_differ_where_they_should() -> None:
    # full-width Latin, full-width digit, 〇, katakana, Extension B
    table = {c: (chars.is_han(c), chars.is_wide_letter(c), chars.is_wide_alnum(c), chars.is_solid_wide(c))
             for c in "Ａ１〇ア\U00020000"}
    assert table == {
        "Ａ": (False, True, True, True),
        "１": (False, False, True, True),
        "〇": (True, False, True, True),
        "ア": (False, True, True, True),
        "\U00020000": (True, True, True, True),
    }
