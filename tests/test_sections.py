"""Section names (版名): ``pages[].section`` in the ear and the folios, converted; folios count printed pages."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.project.config import parse_config
from pipeline.project.scaffold import init_publication

CONFIG = """\
publication: {{name: 县域新闻, date: 2021-09-28}}
paper: {{size: "120×170 mm", columns: 2, margin: 10, body_size: 10pt, pages: 3}}
editions: [zh-TW]
pages:
  - {{source: source/example.txt, section: {first}}}
  - {{source: source/second.txt, section: 经济}}
output: output
"""


def _publication(tmp_path: Path, first: str = "要闻") -> Path:
    target = tmp_path / "paper"
    init_publication(target)
    (target / "source" / "second.txt").write_bytes((target / "source" / "example.txt").read_bytes())
    config = target / "broadsheet.yaml"
    config.write_text(CONFIG.format(first=first), encoding="utf-8")
    return config


def test_a_page_section_is_read_from_the_config(tmp_path: Path) -> None:
    config = _publication(tmp_path)
    pages = parse_config(config.read_text(encoding="utf-8"), config).pages
    assert [(page.name, page.section) for page in pages] == [("example", "要闻"), ("second", "经济")]


@pytest.mark.parametrize(("value", "message"), [
    ("[要闻]", "expected a non-empty text, got list"),
    ("'  '", "expected a non-empty text, got '  '"),
    ("要闻要闻要闻要闻要闻",
     "expected a section name of one line and at most 8 characters, got '要闻要闻要闻要闻要闻'"),
])
def test_a_bad_section_is_an_error_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    config = _publication(tmp_path, first=value)
    with pytest.raises(ConfigError) as caught:
        parse_config(config.read_text(encoding="utf-8"), config)
    assert str(caught.value) == f"{config}:5: pages.0.section: {message}"


def _page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_sections_print_converted_and_folios_count_printed_pages(tmp_path: Path) -> None:
    config = _publication(tmp_path)
    code = main(["build", "--config", str(config), "--jobs", "1", "-q"], stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    output = config.parent / "output" / "zh-TW"
    first, second = _page_texts(output / "example.pdf"), _page_texts(output / "second.pdf")
    # The first page jumps onto a second sheet, so the next source page begins on 第3版 of 4.
    assert len(first) == 2 and len(second) == 2
    assert "要聞" in first[0] and "第1版 · 共4版" in first[0]  # the ear, in the edition's characters
    assert "第2版" in first[1].splitlines()[0] and "要聞" in first[1].splitlines()[0]
    assert [page.splitlines()[0].split()[:2] for page in second] == [["第3版", "經濟"], ["第4版", "經濟"]]
    assert "下轉第4版" in second[0] and "上接第3版" in second[1]
