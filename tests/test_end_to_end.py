"""The sample page built in all three editions: text conserved, the editions' faces, reproducible bytes."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pypdf
import pytest

from pipeline.checks.report import extract_text
from pipeline.cli import main
from pipeline.model import Page

ROOT = Path(__file__).resolve().parent.parent
EDITION_FACES = {"zh-Hans": "Noto-Serif-CJK-SC", "zh-TW": "Noto-Serif-CJK-TC", "zh-HK": "Noto-Serif-CJK-HK"}
EDITION_LANGS = {"zh-Hans": "zh-Hans", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}


def _copy_publication(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(ROOT / "broadsheet.yaml", target / "broadsheet.yaml")
    shutil.copytree(ROOT / "source", target / "source")
    return target / "broadsheet.yaml"


def _build(config: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), *extra], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample publication, built once with two workers, --check on."""
    config = _copy_publication(tmp_path_factory.mktemp("first") / "paper")
    code, out, err = _build(config, "--jobs", "2", "--check")
    assert code == 0, err
    return config.parent / "output"


def _han(text: str) -> Counter[str]:
    return Counter(c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


@pytest.mark.parametrize("edition", sorted(EDITION_FACES))
def test_every_han_character_of_the_edition_is_in_its_pdf(built: Path, edition: str) -> None:
    page = Page.from_dict(json.loads((built / edition / "hongdong.json").read_text(encoding="utf-8")))
    expected = Counter()
    for text in page.texts():
        expected.update(_han(text))
    found = _han(extract_text(built / edition / "hongdong.pdf"))
    missing = expected - found
    assert sum(expected.values()) > 5000
    assert not missing, f"missing from the PDF: {dict(missing)}"


@pytest.mark.parametrize("edition", sorted(EDITION_FACES))
def test_pdf_embeds_a_subset_of_the_editions_face(built: Path, edition: str) -> None:
    reader = pypdf.PdfReader(built / edition / "hongdong.pdf")
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    face = EDITION_FACES[edition]
    assert any(name.split("+", 1)[1] == face for name in names if "+" in name), names
    assert all("+" in name for name in names), "every font is embedded as a subset"
    others = set(EDITION_FACES.values()) - {face}
    assert not any(name.split("+", 1)[1] in others for name in names), names


@pytest.mark.parametrize("edition", sorted(EDITION_FACES))
def test_html_carries_the_editions_language(built: Path, edition: str) -> None:
    html = (built / edition / "hongdong.html").read_text(encoding="utf-8")
    assert f'<html lang="{EDITION_LANGS[edition]}">' in html


def test_traditional_editions_are_converted(built: Path) -> None:
    def text(edition: str) -> str:
        data = json.loads((built / edition / "hongdong.json").read_text(encoding="utf-8"))
        return "\n".join(Page.from_dict(data).texts())

    tw, hk = text("zh-TW"), text("zh-HK")
    assert "洪洞：奮力在全方位推進高質量發展中爭先崛起" in tw
    assert "「" in tw and "“" not in tw
    assert "發展" in hk


def test_manifest_lists_every_artifact_with_hashes(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    paths = {a["path"] for a in manifest["artifacts"]}
    for edition in EDITION_FACES:
        assert {f"{edition}/hongdong.pdf", f"{edition}/hongdong.html", f"{edition}/issue.pdf"} <= paths
    for artifact in manifest["artifacts"]:
        data = (built / artifact["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["sha256"]
        assert len(data) == artifact["size"]
        if artifact["kind"] == "pdf":
            assert artifact["pages"] == len(pypdf.PdfReader(built / artifact["path"]).pages)
            assert {"source", "settings", "layouts", "styles", "fonts", "code"} <= set(artifact["inputs"])


def test_no_change_rebuild_renders_nothing(built: Path) -> None:
    code, out, _ = _build(built.parent / "broadsheet.yaml", "--jobs", "2")
    assert code == 0
    assert out.startswith("nothing to do")


def test_builds_are_reproducible_across_folders_and_jobs(built: Path, tmp_path: Path) -> None:
    config = _copy_publication(tmp_path / "elsewhere" / "paper")
    code, _, err = _build(config, "--jobs", "1")
    assert code == 0, err
    first = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    second = json.loads((config.parent / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert [(a["path"], a["sha256"]) for a in first["artifacts"]] == [
        (a["path"], a["sha256"]) for a in second["artifacts"]]


MM = 72 / 25.4


@pytest.mark.parametrize("edition", sorted(EDITION_FACES))
def test_banner_spans_the_full_text_width_and_headlines_span_their_modules(built: Path, edition: str) -> None:
    from pipeline.checks.typography import read_glyphs
    from pipeline.project.config import load_config
    from pipeline.typeset.html import make_grid

    paper = load_config(built.parent / "broadsheet.yaml").paper
    grid = make_grid(paper)  # whole-em columns: the text width sits between the grid's side margins
    left, right = grid.side_pt, grid.side_pt + grid.width_pt
    page = Page.from_dict(json.loads((built / edition / "hongdong.json").read_text(encoding="utf-8")))
    glyphs = read_glyphs(built / edition / "hongdong.pdf")[0]

    def runs_of(text: str, em: float) -> list[list]:
        """Glyph runs of ``text`` set at ``em`` points, on one baseline each."""
        found = [g for g in glyphs if abs(g.em - em) < 0.5 and g.char in text]
        baselines: dict[float, list] = {}
        for glyph in found:
            baselines.setdefault(round(glyph.y, 1), []).append(glyph)
        runs = []
        for line in baselines.values():
            line.sort(key=lambda g: g.x)
            run = [line[0]]
            for glyph in line[1:]:
                if glyph.x - (run[-1].x + run[-1].advance) > 2 * em:  # another module's title
                    runs.append(run)
                    run = []
                run.append(glyph)
            runs.append(run)
        return [run for run in runs if len(run) >= len(text) * 0.8]

    banner = page.articles[0].headline
    assert banner
    (run,) = runs_of(banner, 42)
    assert abs(min(g.x for g in run) - left) < 1.0
    assert abs(max(g.x + g.advance for g in run) - right) < 1.0

    # Each module's extent from the laid-out HTML of the same build: a full-width module spans the
    # measure; two modules in a row share it by their whole columns, with one gutter between them.
    html = (built / edition / "hongdong.html").read_text(encoding="utf-8")
    first_sheet = html.split('<section class="sheet"')[1]
    gutter = grid.gutter_pt
    extents: dict[int, tuple[float, float]] = {}
    rows: list[list[tuple[float, int]]] = []
    token = re.compile(r'class="module-row"|style="width: ([0-9.]+)pt">\s*<article[^>]*data-article="(\d+)"'
                       r'|\n<article class="module[^"]*"\s*data-article="(\d+)"')
    for match in token.finditer(first_sheet):
        if match[0] == 'class="module-row"':
            rows.append([])
        elif match[1]:
            rows[-1].append((float(match[1]), int(match[2])))
        else:
            extents[int(match[3])] = (left, right)
    for cells in rows:
        x = left
        for width, index in cells:
            extents[index] = (x, x + width)
            x += width + gutter

    checked = 0
    for index, article in enumerate(page.articles[1:], 1):
        if not article.headline or index not in extents:
            continue
        start, end = extents[index]
        for run in runs_of(article.headline, 24):
            first, last = min(g.x for g in run), max(g.x + g.advance for g in run)
            if not (start - 24 <= first and last <= end + 24):
                continue  # the same characters in another module's headline
            # Letter-spaced headlines carry half a space of slack on the right.
            assert abs((first + last) / 2 - (start + end) / 2) < 0.5 * 24, article.headline
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-TW"])
def test_the_html_a_build_writes_is_what_it_rendered(built: Path, edition: str) -> None:
    """Stock WeasyPrint on the written HTML gives the build's pages: the same count and the same text.

    The build renders inside Broadsheet's justification patch, which only spreads gaps inside
    lines, so apart from spacing a bare render of the HTML it wrote must reproduce its PDF; a
    build that wrote the HTML of another pagination pass than the one it printed fails here.
    """
    import weasyprint

    from pipeline.checks.reader import read_text_layer
    from pipeline.checks.report import extract_pages

    html = built / edition / "hongdong.html"
    document = weasyprint.HTML(filename=str(html), base_url=str(built.parent) + "/").render()
    bare = read_text_layer(document.write_pdf(), "bare render", glyphs=False).texts
    printed = extract_pages(built / edition / "hongdong.pdf")
    assert len(document.pages) == len(printed)
    assert [re.sub(r"\s+", "", page) for page in bare] == [re.sub(r"\s+", "", page) for page in printed]
