"""Tests for pipeline.engine.justify: glyph positions in PDFs rendered here, not the patch's internals."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.checks.grid import extracted_lines
from pipeline.checks.typography import Line, analyse_pdf, build_lines, read_glyphs
from pipeline.editions import EDITIONS
from pipeline.engine import justify
from pipeline.errors import RenderError
from pipeline.typeset.marks import mark_text

DATA = Path(__file__).parent / "data" / "typography"
STYLES = Path(__file__).resolve().parents[1] / "styles" / "typography.css"
FONTS = {"zh-Hans": "Noto Serif CJK SC", "zh-TW": "Noto Serif CJK TC", "zh-HK": "Noto Serif CJK HK"}
HAN = "洪洞县委县政府坚持以新时代中国特色社会主义思想为指引团结带领全县广大党员和干部群众认真推动"


def render(body: str, width_em: float = 12, lang: str = "zh-Hans", columns: int = 1,
           align: str = "justify") -> bytes:
    import weasyprint

    css = STYLES.read_text(encoding="utf-8")
    document = (
        f"<html lang='{lang}'><style>{css} @page {{ size: A4; margin: 10mm }} "
        f"body {{ font-family: '{FONTS[lang]}'; font-size: 10pt; line-height: 1.5 }} "
        f"div {{ width: {width_em * columns + 1.5 * (columns - 1)}em; column-count: {columns}; "
        f"column-gap: 1.5em }} p {{ text-align: {align}; margin: 0; text-indent: 2em }}</style>"
        f"<div>{body}</div></html>"
    )
    with justify.justification():
        return weasyprint.HTML(string=document).write_pdf()


def lines_of(pdf: bytes) -> list[Line]:
    return [line for page in read_glyphs(pdf) for line in build_lines(page)]


def gaps(line: Line) -> list[tuple[str, float]]:
    """Distance from each glyph's origin to the next one's, in points."""
    return [(left.char + right.char, right.x - left.x)
            for left, right in zip(line.glyphs, line.glyphs[1:], strict=False)]


LATIN_TEXT = ("WeasyPrint lays out this plain Latin paragraph, justified on both edges, with the "
              "spaces between its words widened by WeasyPrint itself and by nothing else. ") * 5


def render_plain(body: str, lang: str = "en") -> bytes:
    """A justified paragraph rendered by stock WeasyPrint calls, outside any Broadsheet render."""
    import weasyprint

    document = (f"<html lang='{lang}'><style>@page {{ size: A5; margin: 15mm }} "
                "body { font-family: 'Noto Serif CJK SC'; font-size: 10pt; line-height: 1.5 } "
                f"p {{ text-align: justify; width: 24.4em; margin: 0 }}</style><p>{body}</p></html>")
    return weasyprint.HTML(string=document).write_pdf()


def broadsheet_render(tmp_path: Path) -> bytes:
    """A justified CJK page through Broadsheet's own renderer, as the build renders and writes it."""
    from pipeline.engine.render import render_document, write_pdf

    css = STYLES.read_text(encoding="utf-8")
    markup = mark_text(HAN * 2, EDITIONS["zh-Hans"].typography)
    html = (f"<html lang='zh-Hans'><style>{css} @page {{ size: A5; margin: 15mm }} "
            "body { font-family: 'Noto Serif CJK SC'; font-size: 10pt } "
            f"p {{ text-align: justify; width: 12.4em; margin: 0 }}</style><p>{markup}</p></html>")
    document, _, _ = render_document(html, tmp_path, [])
    return write_pdf(document)


def weasyprint_functions() -> tuple[object, object]:
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    return inline.justify_line, line_break.Layout.set_text


def test_a_latin_document_is_the_same_before_and_after_a_broadsheet_render(tmp_path: Path) -> None:
    before = render_plain(LATIN_TEXT)
    pdf = broadsheet_render(tmp_path)
    after = render_plain(LATIN_TEXT)
    assert before == after
    # ...and the Broadsheet render in between was justified at its CJK gaps.
    lines = lines_of(pdf)
    right = max(line.right for line in lines)
    assert len(lines) >= 4
    assert all(line.right == pytest.approx(right, abs=0.5) for line in lines[:-1])


def test_latin_lines_are_left_to_weasyprint_inside_the_patch() -> None:
    outside = render_plain(LATIN_TEXT)
    with justify.justification():
        inside = render_plain(LATIN_TEXT)
    assert inside == outside


def test_cjk_lines_change_only_inside_the_patch() -> None:
    # The comparisons of Latin renders above could fail: a CJK paragraph does change.
    plain = render_plain(HAN * 2, "zh-Hans")
    with justify.justification():
        patched = render_plain(HAN * 2, "zh-Hans")
    assert patched != plain
    assert render_plain(HAN * 2, "zh-Hans") == plain


def test_the_patch_is_in_place_only_inside_the_block() -> None:
    originals = weasyprint_functions()
    with justify.justification():
        patched = weasyprint_functions()
        assert patched[0] is not originals[0] and patched[1] is not originals[1]
        with justify.justification():
            assert weasyprint_functions() == patched
        assert weasyprint_functions() == patched  # leaving the inner block keeps the outer's patch
    assert weasyprint_functions() == originals
    assert justify._STATE["entries"] == 0


def test_an_exception_inside_nested_blocks_restores_weasyprint() -> None:
    originals = weasyprint_functions()
    with pytest.raises(ZeroDivisionError), justify.justification(), justify.justification():
        assert weasyprint_functions() != originals
        _ = 1 / 0
    assert weasyprint_functions() == originals
    assert justify._STATE["entries"] == 0


def test_a_failed_broadsheet_render_restores_weasyprint(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from pipeline.engine.render import render_document

    def broken(self: object) -> None:
        raise ValueError("layout went wrong")

    originals = weasyprint_functions()
    monkeypatch.setattr(weasyprint.HTML, "render", broken)
    with pytest.raises(RenderError, match="layout went wrong"):
        render_document("<p>汉字</p>", tmp_path, [])
    assert weasyprint_functions() == originals


def test_another_thread_gets_weasyprint_unpatched_while_one_is_inside() -> None:
    import threading

    plain = render_plain(HAN * 2, "zh-Hans")
    found: dict[str, object] = {}

    def outside() -> None:
        found["pdf"] = render_plain(HAN * 2, "zh-Hans")

    def inside() -> None:
        with justify.justification():
            found["inside"] = render_plain(HAN * 2, "zh-Hans")

    with justify.justification():
        patched = weasyprint_functions()
        for target in (outside, inside):
            thread = threading.Thread(target=target)
            thread.start()
            thread.join()
        # The other thread's block closing did not unpatch this one's.
        assert weasyprint_functions() == patched
        mine = render_plain(HAN * 2, "zh-Hans")
    assert found["pdf"] == plain
    assert found["inside"] == mine != plain
    assert justify._STATE["entries"] == 0


def test_refuses_an_untested_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    originals = weasyprint_functions()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(justify.UnsupportedWeasyPrint) as caught, justify.justification():
        pass
    assert str(caught.value) == (
        "CJK justification patches WeasyPrint internals tested on versions >=70,<71, found 71.0 "
        "(pin weasyprint==70.*, or check pipeline/engine/justify.py against the new "
        "weasyprint/layout/inline.py (justify_line) and text/line_break.py (set_text))")
    assert isinstance(caught.value, RenderError)
    assert weasyprint_functions() == originals
    assert justify._STATE["entries"] == 0


def test_refuses_changed_weasyprint_internals_naming_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    def justify_line(context: object, line: object, extra_width: float, spacing: float = 0) -> None:
        pass

    def text_align(context: object, line: object, available_width: float, last: bool) -> int:
        return 0

    monkeypatch.setattr(inline, "justify_line", justify_line)
    monkeypatch.setattr(inline, "text_align", text_align)
    monkeypatch.delattr(line_break, "line_size")
    with pytest.raises(justify.UnsupportedWeasyPrint) as caught, justify.justification():
        pass
    assert str(caught.value) == (
        "CJK justification: WeasyPrint 70.0 changed internals the patch relies on: "
        "weasyprint.layout.inline.justify_line (context, line, extra_width, spacing=0) "
        "(expected (context, line, extra_width)); "
        "weasyprint.text.line_break.line_size missing (expected (line, style)); "
        "weasyprint.layout.inline.text_align no longer calls justify_line "
        "(re-check pipeline/engine/justify.py against these functions, then update justify.SIGNATURES)")
    assert inline.justify_line is justify_line  # nothing was patched
    assert justify._STATE["entries"] == 0


def test_refuses_a_weasyprint_that_no_longer_sets_the_text_when_drawing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.text import line_break

    def reactivate(self: object, style: object) -> None:
        pass

    monkeypatch.setattr(line_break.Layout, "reactivate", reactivate)
    with pytest.raises(justify.UnsupportedWeasyPrint, match=(
            r"relies on: weasyprint\.text\.line_break\.Layout\.reactivate no longer calls set_text \(")), \
            justify.justification():
        pass


def test_every_guarded_function_exists_with_its_signature() -> None:
    justify.check_weasyprint()
    assert len(justify.SIGNATURES) >= 8


def test_pure_han_lines_are_flush_and_evenly_spaced() -> None:
    # 12.4 em leaves 0.4 em of slack on every full line of 12 characters.
    pdf = render(f"<p>{HAN}</p>", width_em=12.4)
    lines = lines_of(pdf)
    assert len(lines) >= 4
    right = max(line.right for line in lines)
    for line in lines[:-1]:
        assert line.right == pytest.approx(right, abs=0.5)
        distances = [distance for _, distance in gaps(line)]
        assert max(distances) - min(distances) < 0.1
        assert min(distances) > 10.2  # the slack went between the characters
    # The last line keeps its natural spacing.
    assert all(distance == pytest.approx(10, abs=0.05) for _, distance in gaps(lines[-1]))


def test_no_slack_inside_dashes_ellipses_latin_words_or_digit_groups() -> None:
    text = "一二三四——五六七八九十一二三四五WeasyPrint六七八九十……一二三2021年12.5%四五六七八九十一二三"
    markup = mark_text(text, EDITIONS["zh-Hans"].typography)
    natural = {line.text: gaps(line) for line in lines_of(render(f"<p>{markup}</p>",
                                                                   width_em=40, align="left"))}
    natural_gaps = dict(pair for line_gaps in natural.values() for pair in line_gaps)
    justified = lines_of(render(f"<p>{markup}</p>", width_em=10.4))
    right = max(line.right for line in justified)
    checked = 0
    for line in justified[:-1]:
        assert line.right == pytest.approx(right, abs=0.5), line.text
        slack = line.slack()
        assert slack > 0.5
        for pair, distance in gaps(line):
            if pair in ("——", "……") or (pair.isascii() and pair.isalnum()) or pair in (
                    "2.", ".5", "5%"):
                assert distance == pytest.approx(natural_gaps[pair], abs=0.1), pair
                checked += 1
    assert checked >= 12


def test_lines_with_spaces_and_marks_are_flush() -> None:
    text = "他说：“我们 will keep going。”记者注意到，会场气氛热烈（见图）。" * 3
    lines = lines_of(render(f"<p>{mark_text(text, EDITIONS['zh-Hans'].typography)}</p>",
                            width_em=11.3))
    right = max(line.right for line in lines)
    assert all(line.right == pytest.approx(right, abs=0.5) for line in lines[:-1])


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-TW", "zh-HK"])
def test_fixture_paragraphs_meet_the_clreq_targets(edition: str) -> None:
    typography = EDITIONS[edition].typography
    paragraphs = (DATA / "paragraphs.txt").read_text(encoding="utf-8").split()
    body = "".join(f"<p>{mark_text(text, typography)}</p>" for text in paragraphs * 2)
    # A break inside ，“ leaves the compressed ， half-width at the line end (line_start: full):
    # flush as the preflight of a squeezing edition measures it.
    report = analyse_pdf(render(body, width_em=13.3, lang=edition, columns=3),
                         end_half=typography.end_half or typography.squeeze)
    assert report.nonfinal_lines > 40
    assert report.forbidden_starts == 0
    assert report.forbidden_ends == 0
    assert report.flush_ratio >= 0.99, report.format()
    assert report.isolated_full_ratio == 1.0, report.format()
    pairs = list(zip(report.pair_texts, report.pair_widths, strict=True))
    assert len(pairs) >= 20
    if not typography.compress:
        assert min(width for _, width in pairs) > 1.9
    elif edition == "zh-Hans":
        assert report.compressed_ratio >= 0.95, report.format()
    else:
        # Noto CJK HK has no half-width ？ (it is centred and `halt` leaves it alone), so ？”
        # stays at 2 em; every other pair is compressed.
        assert all(width <= 1.55 for text, width in pairs if text[0] != "？"), report.format()


def test_justified_pdfs_are_deterministic() -> None:
    body = f"<p>{mark_text(HAN * 2 + '“好”，WeasyPrint 70。', EDITIONS['zh-Hans'].typography)}</p>"
    assert render(body, width_em=12.4) == render(body, width_em=12.4)


def test_autospace_puts_a_quarter_em_between_han_and_latin() -> None:
    from pipeline.editions import Typography

    def distances(autospace: bool) -> dict[str, float]:
        markup = mark_text("我们在2021年使用WeasyPrint排版", Typography(autospace=autospace))
        (line,) = lines_of(render(f"<p>{markup}</p>", width_em=30, align="left"))
        return dict(gaps(line))

    plain, spaced = distances(False), distances(True)
    for pair in ("在2", "1年", "用W", "t排"):
        assert spaced[pair] - plain[pair] == pytest.approx(2.5, abs=0.05)
    assert spaced["使用"] == pytest.approx(plain["使用"])


def test_css_letter_spacing_is_kept_under_justification() -> None:
    spaced = f"<p style='letter-spacing: 0.2em'>{HAN}</p>"
    lines = lines_of(render(spaced, width_em=12.4))
    right = max(line.right for line in lines)
    for line in lines[:-1]:
        assert line.right == pytest.approx(right, abs=0.5)
    # The last line is not justified but keeps its letter-spacing: 1.2 em per character.
    assert all(distance == pytest.approx(12, abs=0.05) for _, distance in gaps(lines[-1]))


def test_gb_style_sets_a_line_final_mark_half_width() -> None:
    from dataclasses import replace

    typography = replace(EDITIONS["zh-Hans"].typography, end_half=True)
    paragraphs = (DATA / "paragraphs.txt").read_text(encoding="utf-8").split()
    body = "".join(f"<p>{mark_text(text, typography)}</p>" for text in paragraphs)
    pdf = render(body, width_em=13.3)
    assert analyse_pdf(pdf, end_half=True).flush_ratio >= 0.99
    # Held to full-width marks, the lines ending in a halved mark stick out by half an em.
    lines = lines_of(pdf)
    right = max(line.right for line in lines if line.text[-1] not in "，。、；：”）》")
    halved = [line for line in lines if line.right == pytest.approx(right + 5, abs=0.1)]
    assert halved and all(line.text[-1] in "，。、；：”）》" for line in halved)


def test_han_latin_gaps_take_a_lines_slack_first() -> None:
    # The first line (2 em indent in 10.3 em) holds 一二三四五在2021: 8 em with half-width digits,
    # and its 0.3 em of slack all goes between 在 and 2 (clreq: Han–Latin spacing widens first,
    # up to half an em), none between the Han characters.
    markup = mark_text("一二三四五在2021年" + HAN, EDITIONS["zh-Hans"].typography)
    lines = lines_of(render(f"<p>{markup}</p>", width_em=10.3))
    first = lines[0]
    assert first.text == "一二三四五在2021"
    distances = dict(gaps(first))
    assert distances["在2"] == pytest.approx(10 + 3, abs=0.05)
    assert all(distances[pair] == pytest.approx(10, abs=0.05) for pair in ("一二", "二三", "四五", "五在"))
    assert all(distances[pair] == pytest.approx(5, abs=0.05) for pair in ("20", "02", "21"))  # hwid
    # A line of Han only spreads its slack over every gap.
    assert all(distance == pytest.approx(10 + 3 / 9, abs=0.05) for _, distance in gaps(lines[1]))


def test_a_box_opening_with_a_word_joiner_spaces_its_gaps_evenly() -> None:
    # The text after a digits span starts with a word joiner (2⁠.睡前…): Pango keeps its first visible
    # character's left half, and a spacing of 0, 2g, 0, … drew the gaps g ± 2.4% (WeasyPrint writes
    # x offsets that much too wide): 0.95 and 1.00 pt at 10 pt, and pdftotext, which starts a word
    # past 0.1 em, split every other gap of a line 0.097 em loose with a space.
    typography = EDITIONS["zh-Hans"].typography
    plain = lines_of(render(f"<p>{mark_text(HAN, typography)}</p>", width_em=12.88))[0]
    joined = lines_of(render(f"<p>\N{WORD JOINER}{mark_text(HAN, typography)}</p>", width_em=12.88))[0]
    assert joined.text == plain.text
    distances = [distance for _, distance in gaps(joined)]
    assert max(distances) - min(distances) < 0.01
    assert all(distance < 10 + 1.0 for distance in distances)  # every gap under 0.1 em
    # The box is moved back by the half its first character keeps: the glyphs land where they do without it.
    assert joined.glyphs[0].x == pytest.approx(plain.glyphs[0].x, abs=0.02)
    assert joined.right == pytest.approx(plain.right, abs=0.02)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_grid_analysers_text_layer_model_spaces_lines_as_pdftotext_does() -> None:
    # pdftotext starts a word past 0.1 em; a line of one-character words (Han evenly spaced 0.108 em)
    # keeps no space, a line holding a word (——, drawn as one two-em glyph) gets one at every gap.
    typography = EDITIONS["zh-Hans"].typography
    even = render(f"<p>{mark_text(HAN, typography)}</p>", width_em=12.97)
    dashed = render(f"<p>{mark_text(HAN[:4] + '——' + HAN[4:], typography)}</p>", width_em=12.97)
    for pdf, spaced in ((even, False), (dashed, True)):
        first = lines_of(pdf)[0]
        extra = [distance - 10 for pair, distance in gaps(first) if "—" not in pair]
        assert min(extra) > 1.0  # every Han gap past 0.1 em
        model = extracted_lines(read_glyphs(pdf)[0])[0]
        real = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode().splitlines()[0]
        assert model == real
        assert (" " in model) is spaced
