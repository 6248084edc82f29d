"""Tests for pipeline.engine.pdf: merging page PDFs into an issue, PNG previews; both deterministic."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from pipeline.checks.report import extract_pages
from pipeline.engine.pdf import merge_pdfs, preview_pngs


def page_pdf(path: Path, text: str, title: str, pages: int = 1) -> Path:
    """A small PDF with a bookmark (its h1), a title and a language, as the build's page PDFs have."""
    body = "".join(f'<h1 style="break-before: page">{text}{n}</h1>' for n in range(1, pages + 1))
    document = (f"<html lang='zh-Hans'><head><title>{title}</title><style>@page {{ size: A6 }} "
                f"body {{ font-family: 'Noto Serif CJK SC' }}</style></head><body>{body}</body></html>")
    weasyprint.HTML(string=document).write_pdf(path)
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pages")
    return [page_pdf(folder / "a.pdf", "第一版", "县域新闻 · 简体版"),
            page_pdf(folder / "b.pdf", "第二版", "另一个标题", pages=2)]


def test_merge_keeps_pages_in_order(pages: list[Path]) -> None:
    merged = merge_pdfs(pages)
    texts = [text.strip() for text in extract_pages_of(merged)]
    assert texts == ["第一版1", "第二版1", "第二版2"]


def extract_pages_of(data: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return extract_pages(handle.name)


def _font_programs(data: bytes) -> list[tuple[str, int]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile3") or obj.get("/FontFile2")
                found[stream.objgen] = (str(obj.FontName).split("+")[-1], len(stream.read_raw_bytes()))
        return sorted(found.values())


def test_merge_embeds_each_face_once_and_draws_the_same(tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    from PIL import ImageChops

    texts = ["洪洞县新建高标准农田", "全县小麦机收率达到九成", "城乡公交实现村村通，群众出行方便"]
    paths = [page_pdf(tmp_path / f"{n}.pdf", text, f"第{n}版") for n, text in enumerate(texts)]
    concatenated = sum(path.stat().st_size for path in paths)
    per_page = [program for path in paths for program in _font_programs(path.read_bytes())]
    merged = merge_pdfs(paths)
    shared = _font_programs(merged)
    assert [name for name, _ in shared] == sorted({name for name, _ in per_page})  # one program per face
    assert len(merged) < concatenated - sum(size for _, size in per_page) + sum(size for _, size in shared) + 4096
    assert len(merged) < concatenated * 0.6
    # Every glyph still draws and extracts as on its own page.
    for number, path in enumerate(paths):
        alone, together = pdfium.PdfDocument(str(path)), pdfium.PdfDocument(merged)
        assert together[number].get_textpage().get_text_range() == alone[0].get_textpage().get_text_range()
        picture = together[number].render(scale=1).to_pil().convert("L")
        assert ImageChops.difference(picture, alone[0].render(scale=1).to_pil().convert("L")).getbbox() is None


def test_merge_is_deterministic_across_runs_and_folders(pages: list[Path], tmp_path: Path) -> None:
    copies = []
    for path in pages:
        copies.append(tmp_path / path.name)
        shutil.copy(path, copies[-1])
    first = merge_pdfs(pages)
    assert merge_pdfs(pages) == first
    assert merge_pdfs(copies) == first
    # The document ID is derived from the content, not random: other pages, another ID.
    other = merge_pdfs([pages[1], pages[0]])
    with pikepdf.open(io.BytesIO(first)) as one, pikepdf.open(io.BytesIO(other)) as two:
        assert bytes(one.trailer.ID[0]) != bytes(two.trailer.ID[0])


def test_merge_keeps_the_first_pages_metadata_language_and_every_bookmark(pages: list[Path]) -> None:
    with pikepdf.open(io.BytesIO(merge_pdfs(pages))) as merged:
        assert str(merged.docinfo.Title) == "县域新闻 · 简体版"
        with pikepdf.open(pages[0]) as first:
            assert {k: str(v) for k, v in merged.docinfo.items()} == {k: str(v) for k, v in first.docinfo.items()}
        assert str(merged.Root.Lang) == "zh-Hans"
        with merged.open_outline() as outline:
            marks = [(item.title, pikepdf.Page(item.destination[0]).index) for item in outline.root]
        assert marks == [("第一版1", 0), ("第二版1", 1), ("第二版2", 2)]
        assert merged.check_pdf_syntax() == []


def test_merge_of_nothing_is_an_empty_document() -> None:
    with pikepdf.open(io.BytesIO(merge_pdfs([]))) as merged:
        assert len(merged.pages) == 0


def test_previews_are_one_png_per_page_and_deterministic(pages: list[Path]) -> None:
    data = pages[1].read_bytes()
    pngs = preview_pngs(data, dpi=20)
    assert len(pngs) == 2 and all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pngs)
    assert preview_pngs(data, dpi=20) == pngs


def test_merge_finds_the_original_fonts_without_starting_fc_match(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from pipeline.engine import fonts, fontshare

    texts = ["洪洞县新建高标准农田", "全县小麦机收率达到九成"]
    paths = [page_pdf(tmp_path / f"{n}.pdf", text, f"第{n}版") for n, text in enumerate(texts)]
    fontshare._font_by_postscript_name.cache_clear()
    run = subprocess.run
    started: list[str] = []

    def running(argv: list[str], *args: object, **kwargs: object) -> object:
        started.append(argv[0])
        return run(argv, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", running)
    in_process = merge_pdfs(paths)
    assert started == []
    assert len(_font_programs(in_process)) < sum(len(_font_programs(p.read_bytes())) for p in paths)  # shared
    # The command's answers, where fontconfig cannot be loaded here, give the same bytes.
    fontshare._font_by_postscript_name.cache_clear()
    monkeypatch.setattr(fonts, "_match_in_process", lambda pattern, fields=fonts.FC_FORMAT: None)
    assert merge_pdfs(paths) == in_process
    assert started and all(name.endswith("fc-match") for name in started)
    fontshare._font_by_postscript_name.cache_clear()
