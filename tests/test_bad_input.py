"""Bad and hostile page files: each has a defined outcome, a text or a one-line SourceError.

Every case that yields text also goes through ``parse_text``, which must keep
every counted character (minus what its repairs report removed); hostile markup
must come through the text stages verbatim, as text.  A hypothesis test feeds
arbitrary bytes through decode → parse → convert: only BroadsheetError may
escape.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.editions import EDITIONS
from pipeline.editions.convert import convert_page, make_converter
from pipeline.errors import BroadsheetError, SourceError
from pipeline.model import counted_chars, page_chars, removed_chars
from pipeline.text import parse_text
from pipeline.text.decode import decode_source

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8")
SAMPLE_TW = opencc.OpenCC("s2tw").convert(SAMPLE)
LINE = "洪洞县委副书记、县长李俊平调研指导工作。"
NO_TEXT = r"^page\.txt: the file holds no Han character, letter or digit: there is no text to set$"
NOT_A_TEXT_FILE = r"not a text file \(give Broadsheet the OCR text \(\.txt\) of the page\)$"


@dataclass(frozen=True)
class Case:
    """One input file and its outcome: the decoded text, or an error matching ``error``."""

    name: str
    data: bytes
    text: str | None = None
    error: str | None = None
    kwargs: dict[str, object] = field(default_factory=dict)
    verbatim: str | None = None
    """A fragment that must appear unchanged in the parsed page's texts."""


def hostile(name: str, fragment: str) -> Case:
    text = f"县委书记说 {fragment} 会议结束。\n"
    return Case(name, text.encode(), text, verbatim=fragment)


CASES = [
    # Encodings.
    Case("utf-8", SAMPLE.encode(), SAMPLE),
    Case("utf-8-bom", codecs.BOM_UTF8 + SAMPLE.encode(), SAMPLE),
    Case("utf-16-le-bom", SAMPLE.encode("utf-16"), SAMPLE),
    Case("utf-16-be-bom", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), SAMPLE),
    Case("utf-32-bom", SAMPLE.encode("utf-32"), SAMPLE),
    Case("gb18030", SAMPLE.encode("gb18030"), SAMPLE),
    Case("gbk-short", LINE.encode("gbk"), LINE),
    Case("big5-page-not-gb18030", SAMPLE_TW.encode("cp950"), SAMPLE_TW),
    Case("big5-named", SAMPLE_TW.encode("big5"), SAMPLE_TW, kwargs={"encoding": "big5"}),
    Case("gb-named-as-big5", SAMPLE.encode("gb18030"), error=r"^page\.txt:byte \d+: .* is not valid Big5 ",
         kwargs={"encoding": "big5"}),
    Case("unknown-encoding", b"abc", error=r"unknown encoding 'ebcdic-zh'", kwargs={"encoding": "ebcdic-zh"}),
    Case("latin-1-bytes", "café au lait 2021".encode("latin-1"),
         error=r"^page\.txt:byte 3: cannot decode the text: 0xE9 0x20 \(line 1\) is not valid UTF-8, "
               r"GB18030 or Big5 \(name the encoding with --encoding .*--replace"),
    Case("invalid-byte-replaced", LINE.encode() + b"\xff\n", LINE + "\ufffd\n", kwargs={"replace": True}),
    Case("utf-16-without-bom", "Broadsheet 2021 page".encode("utf-16-le"),
         error=r"binary file .* try --encoding utf-16-le\)$"),
    Case("surrogate-in-utf-8", b"abc \xed\xa0\x80 def", error=r"^page\.txt:byte 4: cannot decode"),
    # Line ends and invisible characters.
    Case("crlf", "第一行\r\n第二行\r\n".encode(), "第一行\n第二行\n"),
    Case("cr-only", "第一行\r第二行\r".encode(), "第一行\n第二行\n"),
    Case("mixed-line-ends", "一\r\n二\r三\n四".encode(), "一\n二\n三\n四"),
    Case("form-feed-page-break", "第一页\f第二页".encode(), "第一页\n第二页"),
    Case("stray-nul-bytes", "洪洞\x00县\x00委".encode(), "洪洞县委"),
    Case("control-characters", "洪洞\x1b[31m县\x07委\x7f".encode(), "洪洞[31m县委"),
    Case("bidi-override", f"{LINE}\u202e{LINE}\u202c".encode(), LINE + LINE),
    Case("zero-width-space-kept", "洪\u200b洞".encode(), "洪\u200b洞"),
    # Files that are not page text.
    Case("empty", b"", error=r"^page\.txt: the file is empty: there is no text to set$"),
    Case("whitespace-only", " \t\n\u3000\u3000\r\n".encode(),
         error=r"^page\.txt: the file holds only whitespace: there is no text to set$"),
    Case("newlines-only", b"\n\n\n\n", error=r"the file holds only whitespace"),
    Case("punctuation-only", "，。、！？“”《》……——\n".encode(), error=NO_TEXT),
    Case("emoji-only", "😀🎉👍\n".encode(), error=NO_TEXT),
    Case("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", error=r"^page\.txt: this is a PNG image, " + NOT_A_TEXT_FILE),
    Case("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", error=r"^page\.txt: this is a PDF document, "),
    Case("zip-docx", b"PK\x03\x04\x14\x00\x06\x00", error=r"^page\.txt: this is a ZIP archive"),
    Case("nul-heavy-binary", b"\x00\x01\x02\x03" * 64 + "洪洞".encode(), error=r"binary file"),
    Case("too-big", LINE.encode() * 100, error=r"over the limit of 1,000 bytes", kwargs={"max_bytes": 1000}),
    # Odd but legitimate text.
    Case("mixed-full-and-half-width", "全县ＧＤＰ增长８％，GDP增长8%。\n".encode(),
         "全县ＧＤＰ增长８％，GDP增长8%。\n"),
    Case("emoji-in-text", "会议😀圆满结束🎉。\n".encode(), "会议😀圆满结束🎉。\n"),
    Case("cjk-extension-b-utf-8", "村民𠀀𪚥说话。\n".encode(), "村民𠀀𪚥说话。\n"),
    Case("cjk-extension-b-gb18030", "村民𠀀𪚥说话。\n".encode("gb18030"), "村民𠀀𪚥说话。\n"),
    Case("private-use-kept", "香港\ue000字\n".encode(), "香港\ue000字\n"),
    Case("starts-like-a-signature", b"MZ Wallace and BZh RIFF 2021\n", "MZ Wallace and BZh RIFF 2021\n"),
    Case("long-line", ("长" * 100_000).encode(), "长" * 100_000),
    # Hostile text: it is text, nothing more.
    hostile("script-tag", '<script>alert("x")</script>'),
    hostile("closing-paragraph", "</p><p>"),
    hostile("jinja-expression", "{{ config.__class__ }}"),
    hostile("jinja-statement", '{% include "/etc/passwd" %}'),
    hostile("img-file-url", "<img src=file:///etc/passwd>"),
    hostile("css-url", "<style>@import url(http://example.com/x.css)</style>"),
    hostile("html-entity", "&lt;b&gt;&amp;amp;x"),
]


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_has_its_outcome(case: Case) -> None:
    if case.error is not None:
        with pytest.raises(SourceError, match=case.error) as caught:
            decode_source(case.data, "page.txt", **case.kwargs)  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)  # one line for the CLI
        assert caught.value.exit_code == 2
        return
    text = decode_source(case.data, "page.txt", **case.kwargs)  # type: ignore[arg-type]
    assert text == case.text
    page = parse_text(text, "page.txt")
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)
    if case.verbatim is not None:
        assert any(case.verbatim in piece for piece in page.texts())


CONVERTER = make_converter(EDITIONS["zh-TW"])


def run_text_side(data: bytes) -> None:
    """decode → parse → convert; BroadsheetError is an accepted outcome."""
    try:
        text = decode_source(data, "fuzz.txt")
        page = parse_text(text, "fuzz.txt")
        convert_page(page, CONVERTER)
    except BroadsheetError:
        return
    assert page_chars(page) + removed_chars(page.repairs) == counted_chars(text)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    run_text_side(data)


chinese_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("洪洞县委书记，。、“”！？ 　\n\r\t<>/{}%&ＡＢ１２abc123")),
        st.characters(codec="utf-8"),
    ),
    max_size=300,
)


@FUZZ
@given(chinese_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
@example("0/¼", "utf-8")  # OCR noise dropped: its repair must count ¼ as 1 and 4, as the input's count does
def test_arbitrary_text_in_any_encoding_never_crashes(text: str, encoding: str) -> None:
    run_text_side(text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace"))
