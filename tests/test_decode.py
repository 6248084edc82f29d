"""Tests for pipeline.text.decode: encodings, detection between GB18030 and Big5, errors, cleanup."""

from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import BroadsheetError, SourceError
from pipeline.text.decode import COMMON_HAN, DEFAULT_MAX_BYTES, decode_source, score_chinese

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
SAMPLE_TW = opencc.OpenCC("s2tw").convert(SAMPLE)


def expect_error(data: bytes, message: str, **kwargs: object) -> None:
    with pytest.raises(SourceError) as caught:
        decode_source(data, "page.txt", **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_common_han_table_covers_both_scripts() -> None:
    assert {"的", "国", "國", "县", "縣", "发", "發"} <= COMMON_HAN
    assert not {"い", "ㄓ", "𠀀"} & COMMON_HAN


def test_score_prefers_real_chinese() -> None:
    big5 = SAMPLE_TW.encode("cp950")
    assert score_chinese(big5.decode("cp950")) > 0.9
    assert score_chinese(big5.decode("gb18030")) < 0.5
    assert score_chinese("") == 1.0


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", SAMPLE),
        ("utf-8-sig", SAMPLE),
        ("utf-16", SAMPLE),
        ("utf-16-be", None),
        ("utf-32", SAMPLE),
        ("gb18030", SAMPLE),
        ("gbk", SAMPLE),
        ("cp950", SAMPLE_TW),
        ("big5hkscs", SAMPLE_TW),
    ],
)
def test_detects_encoding_of_sample(encoding: str, text: str | None) -> None:
    if text is None:  # UTF-16 big-endian with its BOM
        data = codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be")
        text = SAMPLE
    else:
        data = text.encode(encoding)
    assert decode_source(data, "page.txt") == text


def test_big5_page_is_not_read_as_gb18030() -> None:
    data = SAMPLE_TW.encode("cp950")
    data.decode("gb18030")  # both codecs accept these bytes ...
    assert decode_source(data, "page.txt") == SAMPLE_TW  # ... and the plausible one wins


def test_short_big5_and_gb_words() -> None:
    assert decode_source("中文".encode("big5"), "p") == "中文"
    assert decode_source("中文".encode("gb18030"), "p") == "中文"
    assert decode_source("臺灣新聞".encode("big5"), "p") == "臺灣新聞"


def test_hkscs_character_falls_back_to_big5_hkscs() -> None:
    text = "香港" + "\u4f60" * 3 + "嘅新聞" * 4
    assert decode_source(text.encode("big5hkscs"), "p") == text


def test_extension_b_in_gb18030() -> None:
    text = "姓名：𠀀𪚥，县长。"
    assert decode_source(text.encode("gb18030"), "p") == text


@pytest.mark.parametrize(
    ("name", "codec", "text"),
    [
        ("big5", "cp950", SAMPLE_TW),
        ("BIG-5", "cp950", SAMPLE_TW),
        ("cp950", "cp950", SAMPLE_TW),
        ("gb2312", "gb18030", SAMPLE),
        ("GBK", "gbk", SAMPLE),
        ("GB-18030", "gb18030", SAMPLE),
        ("utf_8", "utf-8", SAMPLE),
        ("UTF-16", "utf-16", SAMPLE),
    ],
)
def test_named_encodings(name: str, codec: str, text: str) -> None:
    assert decode_source(text.encode(codec), "page.txt", encoding=name) == text


def test_named_utf8_strips_bom() -> None:
    assert decode_source(codecs.BOM_UTF8 + "洪洞".encode(), "p", encoding="utf-8") == "洪洞"


def test_unknown_encoding_name() -> None:
    expect_error(b"abc", "page.txt: unknown encoding 'klingon' "
                 "(try --encoding utf-8, gb18030, big5 or utf-16)", encoding="klingon")


def test_wrong_named_encoding_names_offset_and_flags() -> None:
    expect_error("洪洞县".encode("gb18030"),
                 "page.txt:byte 0: cannot decode the text: 0xBA 0xE9 (line 1) is not valid utf-8 "
                 "(check --encoding, or pass --replace to substitute U+FFFD for bad bytes)",
                 encoding="utf-8")


def test_undecodable_bytes_name_offset_line_and_flags() -> None:
    data = "第一行\n第二行 caf".encode() + b"\xe9 au lait"
    expect_error(data, "page.txt:byte 23: cannot decode the text: 0xE9 0x20 (line 2) is not valid "
                 "UTF-8, GB18030 or Big5 (name the encoding with --encoding (e.g. --encoding big5), "
                 "or pass --replace to substitute U+FFFD for bad bytes)")


def test_implausible_legacy_decoding_is_refused() -> None:
    # Valid GB18030, but what it spells is not Chinese text anyone wrote.
    data = bytes(range(0x81, 0xFF)) * 2
    with pytest.raises(SourceError, match=r"^page.txt:byte 0: .*does not read as GB18030 or Big5"):
        decode_source(data, "page.txt")


def test_replace_is_opt_in() -> None:
    data = "洪洞县".encode() + b"\xff" + "人民".encode()
    with pytest.raises(SourceError, match="--replace"):
        decode_source(data, "page.txt")
    assert decode_source(data, "page.txt", replace=True) == "洪洞县\ufffd人民"
    assert decode_source(data, "page.txt", encoding="utf-8", replace=True) == "洪洞县\ufffd人民"


def test_replace_picks_the_least_damaged_decoding() -> None:
    data = SAMPLE_TW.encode("cp950") + b"\xff"
    assert decode_source(data, "page.txt", replace=True) == SAMPLE_TW + "\ufffd"


def test_literal_replacement_character_is_kept() -> None:
    assert decode_source("洪\ufffd洞".encode(), "p") == "洪\ufffd洞"


def test_line_ends_become_lf() -> None:
    data = "一\r\n二\r三\n四\x0b五\x0c六\x85七\u2028八\u2029九".encode()
    assert decode_source(data, "p") == "一\n二\n三\n四\n五\n六\n七\n八\n\n九"


def test_controls_and_bidi_overrides_are_dropped() -> None:
    data = "洪\x00洞\x1b县\u202e委\u2066书\u2069记\ufeff\x7f。\t完".encode()
    assert decode_source(data, "p") == "洪洞县委书记。\t完"


def test_size_limit() -> None:
    expect_error(b"a" * 101, "page.txt: the file is 101 bytes, over the limit of 100 bytes "
                 "(split the page, or raise limits.max_source_bytes in broadsheet.yaml)",
                 max_bytes=100)
    assert decode_source(b"a" * 100, "page.txt", max_bytes=100) == "a" * 100
    assert decode_source(b"a" * 101, "page.txt", max_bytes=0) == "a" * 101
    assert DEFAULT_MAX_BYTES >= 20 * 1024 * 1024


def test_binary_files_are_refused() -> None:
    expect_error(b"%PDF-1.7\n%\xe2\xe3\n", "page.txt: this is a PDF document, not a text file "
                 "(give Broadsheet the OCR text (.txt) of the page)")
    expect_error(bytes(range(256)) * 4, "page.txt: this looks like a binary file (112 NUL or "
                 "control bytes in the first 1,024) (give Broadsheet the OCR text (.txt) of the page)")


def test_utf16_without_bom_gets_a_hint() -> None:
    with pytest.raises(SourceError, match=r"try --encoding utf-16-le\)$"):
        decode_source("Broadsheet page 2021".encode("utf-16-le"), "page.txt")
    text = "Broadsheet page 2021"
    assert decode_source(text.encode("utf-16-le"), "p", encoding="utf-16-le") == text


def test_many_control_characters_are_binary() -> None:
    controls = "\x01\x02\x03\x04\x05 text \x06\x07\x08\x0e\x0f\x10"
    expect_error(controls.encode(), "page.txt: this looks like a binary file (11 NUL or control "
                 "bytes in the first 17) (give Broadsheet the OCR text (.txt) of the page)")
    expect_error(controls.encode("utf-16"), "page.txt: this looks like a binary file (11 control "
                 "characters in the first 17 characters) (give Broadsheet the OCR text (.txt) of the "
                 "page)")


@given(st.text(min_size=1, max_size=200))
def test_utf8_roundtrip_modulo_cleanup(text: str) -> None:
    """Any text with a Han character, letter or digit comes back, cleaned; else SourceError."""
    data = text.encode("utf-8", "surrogatepass")
    try:
        result = decode_source(data, "p")
    except BroadsheetError:
        return
    assert "\r" not in result and "\x00" not in result
    assert decode_source(result.encode(), "p") == result  # cleaning is a fixed point
