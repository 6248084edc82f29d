"""Photos (issue 15, item 6): the sidecar's images, placed in their articles on the grid, copied beside the
HTML, in the cache key, measured by preflight; a caption without a photo set as a caption.

Every image here is drawn by the test with Pillow.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pipeline.checks import check_pdf
from pipeline.cli import main
from pipeline.editions import EDITIONS
from pipeline.errors import ConfigError
from pipeline.model import Article, Caption, Page, Paragraph
from pipeline.project.cache import CACHE_DIR, SIZES_FOLDER
from pipeline.project.config import Paper, Publication, packaged_dir
from pipeline.project.images import load_photos
from pipeline.project.sidecar import load_sidecar
from pipeline.typeset.html import LayoutSettings, layout_page, make_environment, make_grid
from pipeline.typeset.metrics import Metrics
from pipeline.typeset.photos import Picture

PAGE_TEXT = """\
秋粮收获进度过半

连日来，清水县抢抓晴好天气，组织农机手和种粮大户开展秋收作业。截至10月8日，全县已收获玉米和大豆12万亩，占播种面积的百分之五十六。

在城关镇东坡村，几台联合收割机在田间来回穿梭，收割、脱粒、装车一气呵成。种粮大户王建国说：“今年雨水匀，玉米棒子个头大，亩产比去年多出一百多斤。”

县农业农村局组建了8支技术服务队，深入各乡镇指导机收减损和秸秆还田，帮助群众把粮食颗粒归仓。（张三 李四）

图为农机手在城关镇东坡村收割玉米
"""
CAPTION_LINE = 9


def _photo(size: tuple[int, int], fmt: str = "PNG", shade: int = 0) -> bytes:
    """A test picture: stripes and a disc, so a crop or a stretch would show."""
    image = Image.new("RGB", size, (200, 210 - shade, 190))
    draw = ImageDraw.Draw(image)
    for y in range(0, size[1], max(1, size[1] // 20)):
        draw.line([(0, y), (size[0], size[1] - y)], fill=(60, 80, 120), width=max(1, size[0] // 100))
    draw.ellipse([size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4], fill=(180, 60, 50))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _publication(root: Path, sidecar: str, photo: bytes | None = None, name: str = "photo.png") -> Path:
    (root / "source" / "images").mkdir(parents=True)
    (root / "source" / "p.txt").write_text(PAGE_TEXT, encoding="utf-8")
    (root / "source" / "p.yaml").write_text(sidecar, encoding="utf-8")
    if photo is not None:
        (root / "source" / "images" / name).write_bytes(photo)
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\n"
                      "editions: [zh-Hans]\npages:\n  - source: source/p.txt\n", encoding="utf-8")
    return config


IMAGES = f"images:\n  - file: source/images/photo.png\n    caption_line: {CAPTION_LINE}\n    credit: 本报记者 王五 摄\n"


def _build(config: Path, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), "--jobs", "1", *extra], stdout=out, stderr=err)
    return code, err.getvalue()


# ----------------------------------------------------------------------------- the sidecar


def test_images_list_and_the_short_form_give_file_credit_and_columns() -> None:
    car = load_sidecar("images:\n  - {file: source/a.jpg, caption_line: 9, credit: 记者 王五 摄, columns: 2}\n"
                       "captions:\n  12: source/b.png\n", "p.yaml")
    assert [(f.line, f.image, f.credit, f.columns, f.key, f.where) for f in car.images] == [
        (9, "source/a.jpg", "记者 王五 摄", 2, "images.0", 2),
        (12, "source/b.png", None, None, "captions.12", 4)]


@pytest.mark.parametrize(("text", "message"), [
    ("images:\n  - {file: a.png, caption_line: 9, columns: 9}\n",
     "p.yaml:2: images.0.columns: expected a number of columns 1–8, got 9"),
    ("images:\n  - {caption_line: 9}\n", "p.yaml:2: images.0.file: expected an image file name, got None"),
    ("images:\n  - {file: ../x.png, caption_line: 9}\n",
     "p.yaml:2: images.0.file: '../x.png' is not a path inside the project folder (name an image file relative "
     "to the config's folder)"),
    ("images:\n  - {file: a.png, caption_line: 9, credt: 摄}\n",
     "p.yaml:2: images.0.credt: unknown key (did you mean 'credit'?)"),
    ("images:\n  - {file: a.png, caption_line: 9}\ncaptions:\n  9: b.png\n",
     "p.yaml:4: captions.9: the caption at line 9 already has a photo (images.0) (give each caption one photo)"),
])
def test_sidecar_image_entries_are_checked(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar(text, "p.yaml")
    assert str(caught.value) == message


def test_a_stale_caption_line_names_the_images_key() -> None:
    from pipeline.text import parse_text

    with pytest.raises(ConfigError) as caught:
        parse_text(PAGE_TEXT, "p.txt", load_sidecar("images:\n  - {file: a.png, caption_line: 8}\n", "p.yaml"))
    assert str(caught.value).startswith("p.yaml:2: images.0.caption_line: no caption starts at line 8")


# ----------------------------------------------------------------------------- the files


def _load_error(root: Path, name: str) -> str:
    car = load_sidecar(f"images:\n  - {{file: {name}, caption_line: 9}}\n", "source/p.yaml")
    with pytest.raises(ConfigError) as caught:
        load_photos(car, root)
    return str(caught.value)


def test_missing_unreadable_and_unsafe_photos_are_one_line_errors(tmp_path: Path) -> None:
    project = tmp_path / "paper"
    project.mkdir()
    (project / "notes.png").write_text("not a picture", encoding="utf-8")
    (project / "cut.png").write_bytes(_photo((300, 200))[:400])
    (tmp_path / "outside.png").write_bytes(_photo((30, 20)))
    (project / "link.png").symlink_to(tmp_path / "outside.png")
    (project / "anim.gif").write_bytes(b"GIF89a" + b"\0" * 20)
    assert _load_error(project, "none.png") == (
        "source/p.yaml:2: images.0.file: 'none.png' does not exist (name a JPEG or PNG file relative to the "
        "config's folder)")
    assert _load_error(project, "notes.png") == (
        "source/p.yaml:2: images.0.file: 'notes.png' is not a JPEG or PNG image (give a JPEG or PNG photo)")
    assert _load_error(project, "cut.png").startswith(
        "source/p.yaml:2: images.0.file: 'cut.png' cannot be read as an image (")
    assert _load_error(project, "anim.gif").startswith("source/p.yaml:2: images.0.file: 'anim.gif' is not a JPEG")
    link = _load_error(project, "link.png")
    assert link.startswith("source/p.yaml:2: images.0.file: 'link.png' lies outside the project folder")
    assert "\n" not in link and str(tmp_path / "outside.png") not in link


def test_a_sideways_jpeg_is_measured_upright(tmp_path: Path) -> None:
    image = Image.new("RGB", (400, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: shown rotated a quarter
    image.save(tmp_path / "a.jpg", "JPEG", exif=exif.tobytes())
    car = load_sidecar("captions:\n  9: a.jpg\n", "p.yaml")
    picture = load_photos(car, tmp_path)["a.jpg"].picture
    assert (picture.width_px, picture.height_px) == (300, 400) and picture.url.endswith(".jpg")


def test_a_photo_is_decoded_once_for_every_load_of_the_same_bytes(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.project.images as images

    decoded: list[int] = []
    measure = images.measure_image
    monkeypatch.setattr(images, "measure_image", lambda data: decoded.append(len(data)) or measure(data))
    (tmp_path / "a.png").write_bytes(_photo((300, 200)))
    car = load_sidecar("captions:\n  9: a.png\n", "p.yaml")
    sizes = tmp_path / "output" / CACHE_DIR / SIZES_FOLDER
    first = load_photos(car, tmp_path, sizes)["a.png"].picture
    again = load_photos(car, tmp_path, sizes)["a.png"].picture  # another edition's job, or the web edition
    assert first == again and (first.width_px, first.height_px) == (300, 200)
    assert len(decoded) == 1 and len(list(sizes.glob("*.json"))) == 1
    (tmp_path / "a.png").write_bytes(_photo((300, 200))[:400])  # edited, and broken: checked afresh
    with pytest.raises(ConfigError, match="cannot be read as an image"):
        load_photos(car, tmp_path, sizes)
    assert len(decoded) == 2
    (tmp_path / "a.png").write_bytes(_photo((300, 200)))
    for record in sizes.glob("*.json"):
        record.write_text("{not json", encoding="utf-8")  # a damaged record is decoded past, and replaced
    assert load_photos(car, tmp_path, sizes)["a.png"].picture == first and len(decoded) == 3
    assert load_photos(car, tmp_path, sizes)["a.png"].picture == first and len(decoded) == 3
    assert load_photos(car, tmp_path)["a.png"].picture == first and len(decoded) == 4  # no folder: decoded


# ----------------------------------------------------------------------------- the layout


ARTICLE = Article(tuple(Paragraph("县里的秋收工作进展顺利，群众满意。" * 6, lines=(n,)) for n in (3, 5, 7)),
                  headline="秋粮收获进度过半")


def _layout(caption: Caption, pictures: dict[str, Picture], paper: Paper) -> str:
    page = Page("p.txt", (ARTICLE,), (caption,))
    settings = LayoutSettings(Publication(name="测试报"), paper, ("",), metrics=Metrics(), pictures=pictures)
    return layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))


def _text(html: str) -> str:
    """The HTML's text (the photo as ``PHOTO``), without the typographic joiners."""
    return re.sub(r"<[^>]+>", "", html.replace('class="photo-image"', '>PHOTO<')).replace("\N{WORD JOINER}", "")


@pytest.mark.parametrize(("columns", "body"), [(1, 2), (2, 1), (None, None)])
def test_a_photo_spans_whole_columns_and_whole_lines_beside_the_body(columns: int | None, body: int | None) -> None:
    paper = Paper(width_mm=210.0, height_mm=297.0, columns=3, body_size=10.0)
    grid = make_grid(paper)
    caption = Caption("图为农机手收割玉米", image="a.png", lines=(9,), credit="本报记者 王五 摄", columns=columns)
    html = _layout(caption, {"a.png": Picture("images/0123456789abcdef.png", 3000, 2000)}, paper)
    image = re.search(r'<img class="photo-image" src="images/0123456789abcdef.png" alt=""\s+'
                      r'style="width: ([\d.]+)pt; height: ([\d.]+)pt">', html)
    assert image is not None
    width, height = float(image[1]), float(image[2])
    spans = [round(grid.span_pt(n), 3) for n in range(1, 4)]
    assert width in spans
    pitch = paper.body_size * paper.leading
    assert abs(height / pitch - round(height / pitch)) < 1e-3 and height >= 3 * pitch
    used = spans.index(width) + 1
    if columns is not None:
        assert used == columns
    # The body takes the columns the photo leaves (all of them under a photo as wide as the
    # module); caption and credit follow the photo.
    text = _text(html)
    body_columns = 3 - used if used < 3 else 3
    assert (f"column-count: {body_columns}" in html or f'data-columns="{body_columns}"' in html) \
        and "本报记者 王五 摄" in text
    assert text.index("PHOTO") < text.index("图为农机手收割玉米") < text.index("本报记者 王五 摄")
    if body is not None:
        assert f"width: {grid.span_pt(body):.3f}pt" in html


def test_a_photo_is_never_stretched_only_cropped() -> None:
    paper = Paper(width_mm=210.0, height_mm=297.0, columns=3, body_size=10.0)
    tall = {"a.png": Picture("images/a.png", 500, 5000)}
    html = _layout(Caption("图为玉米", image="a.png", lines=(9,), columns=3), tall, paper)
    width, height = map(float, re.search(r'style="width: ([\d.]+)pt; height: ([\d.]+)pt"', html).groups())
    assert height <= 1.5 * width + 1e-6  # a very tall photo is cropped to at most 3:2 upright
    assert "object-fit: cover" in (packaged_dir("styles") / "page.css").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- builds


def test_a_photo_builds_within_budget_its_url_resolves_and_a_low_resolution_warns(tmp_path: Path) -> None:
    low = _photo((308, 430))
    config = _publication(tmp_path, IMAGES, low)
    code, err = _build(config)
    assert code == 0, err
    out = tmp_path / "output" / "zh-Hans"
    html = (out / "p.html").read_text(encoding="utf-8")
    (src,) = re.findall(r'<img class="photo-image" src="([^"]+)"', html)
    assert not src.startswith(("/", "file:")) and (out / src).read_bytes() == low  # relative to the HTML
    report = check_pdf(out / "p.pdf", budget=1)
    assert report.ok, report.problems()
    assert report.pages == 1 and len(report.images) == 1
    (image,) = report.images
    assert (image.width_px, image.height_px) == (308, 430) and image.ppi < 200
    warning = [line for line in err.splitlines() if "ppi" in line]
    assert len(warning) == 1 and re.search(r"zh-Hans/p: preflight: page 1: an image of 308×430 px printed "
                                           r"\d+×\d+ mm is \d+ ppi, under 200", warning[0]), err
    # --strict fails on it (nothing is rendered again for that)
    code, err = _build(config, "--strict")
    assert code == 1 and "ppi, under 200" in err and "wrote" not in err
    # A new photo renders the page again: the cache key holds the photo, and the old copy goes.
    sharp = _photo((3000, 4200), shade=40)
    (tmp_path / "source" / "images" / "photo.png").write_bytes(sharp)
    code, err = _build(config, "--strict")
    assert code == 0, err
    assert "wrote zh-Hans/p.pdf" in err and "ppi" not in err
    (src,) = re.findall(r'<img class="photo-image" src="([^"]+)"', (out / "p.html").read_text(encoding="utf-8"))
    assert (out / src).read_bytes() == sharp
    assert sorted(os.listdir(out / "images")) == [Path(src).name]


def test_the_web_edition_shows_the_photo_from_its_own_folder_with_caption_and_credit(tmp_path: Path) -> None:
    photo = _photo((900, 600))
    config = _publication(tmp_path, IMAGES, photo)
    code, err = _build(config)
    assert code == 0, err
    web = tmp_path / "output" / "web" / "zh-Hans"
    html = (web / "p.html").read_text(encoding="utf-8")
    (figure,) = re.findall(r'<figure class="web-figure web-photo">.*?</figure>', html, re.S)
    (src,) = re.findall(r'<img src="([^"]+)" width="900" height="600"', figure)
    # Relative to the web page and inside output/web: the web edition can be published alone.
    assert not src.startswith(("/", "file:", "..")) and (web / src).read_bytes() == photo
    assert "王五" in figure and "caption-credit" in figure
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert f"web/zh-Hans/{src}" in {a["path"] for a in manifest["artifacts"] if a["kind"] == "image"}
    # A changed photo is a new copy; the old one goes, and the page names the new one.
    other = _photo((900, 600), shade=40)
    (tmp_path / "source" / "images" / "photo.png").write_bytes(other)
    code, err = _build(config)
    assert code == 0, err
    (src2,) = re.findall(r'<img src="([^"]+)"', (web / "p.html").read_text(encoding="utf-8"))
    assert src2 != src and (web / src2).read_bytes() == other and os.listdir(web / "images") == [Path(src2).name]


def test_a_missing_photo_fails_the_build_naming_the_sidecar_and_key(tmp_path: Path) -> None:
    config = _publication(tmp_path, IMAGES)
    code, err = _build(config)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "broadsheet: error: source/p.yaml:2: images.0.file: 'source/images/photo.png' does not exist (name a JPEG "
        "or PNG file relative to the config's folder)")
    assert not (tmp_path / "output" / "zh-Hans" / "p.pdf").exists()


def test_the_sample_with_a_caption_photo_keeps_its_pages_headers_and_folios(tmp_path: Path) -> None:
    """The issue's case: a 308×430 PNG for the sample's caption left page 1 with the masthead alone, set
    the image full width on a page without a header and labelled the third page 第2版, over budget."""
    root = Path(__file__).parent.parent
    (tmp_path / "source" / "images").mkdir(parents=True)
    for name in ("hongdong.txt", "phrases.yaml"):
        (tmp_path / "source" / name).write_bytes((root / "source" / name).read_bytes())
    (tmp_path / "source" / "images" / "li.png").write_bytes(_photo((308, 430)))
    (tmp_path / "source" / "hongdong.yaml").write_text("captions:\n  395: source/images/li.png\n", encoding="utf-8")
    (tmp_path / "broadsheet.yaml").write_text((root / "broadsheet.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, err = _build(tmp_path / "broadsheet.yaml", "--edition", "zh-Hans", "--check")
    assert code == 0, err
    pdf = tmp_path / "output" / "zh-Hans" / "hongdong.pdf"
    report = check_pdf(pdf, budget=2)
    assert report.ok and report.pages == 2, report.problems()
    from pipeline.checks.reader import read_text_layer

    first, second = read_text_layer(pdf.read_bytes(), "p", glyphs=False).texts
    assert "县域新闻" in first and "第1版" in first and "洪洞" in first.split("县域新闻")[1][:40]
    assert second.lstrip().startswith("第2版") and "第3版" not in first + second
    (image,) = report.images
    grid = make_grid(Paper(columns=6, body_size=9.5, width_mm=390.0, height_mm=545.0))
    assert any(abs(image.width_pt - grid.span_pt(n)) < 0.5 for n in range(1, 6))  # whole columns, not the page


def test_a_cluster_worker_renders_the_photo_page_to_the_local_bytes(tmp_path: Path) -> None:
    """What a Dask worker gets (the page's files, the photo among them) renders the same artifacts, photo
    copy included, as the local build."""
    pytest.importorskip("distributed")
    from pipeline.engine.paginate import Numbering
    from pipeline.project.build import PageJob
    from pipeline.project.cache import job_inputs, job_key
    from pipeline.project.cluster import RemoteJob, page_files, render_remote, shared_files
    from pipeline.project.config import load_config

    photo = _photo((600, 400), "JPEG")
    config_path = _publication(tmp_path / "paper", IMAGES.replace("photo.png", "photo.jpg"), photo, "photo.jpg")
    code, err = _build(config_path)
    assert code == 0, err
    config = load_config(str(config_path))
    own = page_files(config, 0)
    assert "source/images/photo.jpg" in [name for name, _ in own.items]
    edition = config.editions[0]
    inputs = job_inputs(config, edition, 0)
    job = PageJob(0, edition, config, Numbering(1, 1), job_key(inputs, Numbering(1, 1)), inputs)
    _, files = render_remote(RemoteJob(job, own), shared_files(config))
    sent = dict(files)
    local = {path.relative_to(config.output).as_posix(): path.read_bytes()
             for path in (config.output / "zh-Hans").rglob("*") if path.is_file() and path.name != "issue.pdf"}
    assert sent == local and any(name.startswith("zh-Hans/images/") for name in sent)


# ----------------------------------------------------------------------------- several photos


def test_an_articles_photos_stand_side_by_side_across_its_columns_at_one_depth() -> None:
    # A landscape 3:2 and an upright 3:4 photo of one article on a 3-column A4: side by side (2 + 1
    # columns, by their shapes), cut to one whole number of lines, each caption and credit under its
    # photo; before, they were stacked above the body, each at its own width.
    paper = Paper(width_mm=210.0, height_mm=297.0, columns=3, body_size=10.0)
    grid = make_grid(paper)
    wide = Caption("图为农机手收割玉米", image="a.png", lines=(9,), credit="本报记者 王五 摄")
    tall = Caption("图为种粮大户晾晒玉米", image="b.png", lines=(11,), credit="本报记者 赵六 摄")
    pictures = {"a.png": Picture("images/a.png", 2400, 1600), "b.png": Picture("images/b.png", 1500, 2000)}
    page = Page("p.txt", (ARTICLE,), (wide, tall))
    settings = LayoutSettings(Publication(name="测试报"), paper, ("",), metrics=Metrics(), pictures=pictures)
    html = layout_page(page, EDITIONS["zh-Hans"], settings, make_environment([packaged_dir("layouts")]))
    (row,) = re.findall(r'<div class="photo-set">(.*?)</div>\s*</div>\s*(?=<div class="columns[" ])', html, re.S)
    boxes = [(src, float(w), float(h)) for src, w, h in re.findall(
        r'<img class="photo-image" src="([^"]+)" alt=""\s+style="width: ([\d.]+)pt; height: ([\d.]+)pt">', row)]
    assert [src for src, _, _ in boxes] == ["images/a.png", "images/b.png"]
    assert [round(w, 3) for _, w, _ in boxes] == [round(grid.span_pt(2), 3), round(grid.span_pt(1), 3)]
    pitch = paper.body_size * paper.leading
    (depth,) = {h for _, _, h in boxes}
    assert abs(depth / pitch - round(depth / pitch)) < 1e-3 and depth <= 1.5 * grid.span_pt(1) + 1e-6
    text = _text(row)
    assert text.index("PHOTO") < text.index("图为农机手收割玉米") < text.index("本报记者 王五 摄") \
        < text.rindex("PHOTO") < text.index("图为种粮大户晾晒玉米") < text.index("本报记者 赵六 摄")
    assert "column-count: 3" in html or 'data-columns="3"' in html  # the body runs on below in all its columns


def test_an_article_with_two_photos_builds_on_one_page_with_both_side_by_side(tmp_path: Path) -> None:
    config = _publication(tmp_path, IMAGES.replace("photo.png", "a.png") +
                          "  - file: source/images/b.png\n    caption_line: 11\n    credit: 本报记者 赵六 摄\n")
    (tmp_path / "source" / "p.txt").write_text(PAGE_TEXT + "\n图为种粮大户王建国在晾晒新收的玉米\n", encoding="utf-8")
    (tmp_path / "source" / "images" / "a.png").write_bytes(_photo((2400, 1600)))
    (tmp_path / "source" / "images" / "b.png").write_bytes(_photo((1500, 2000), shade=60))
    code, err = _build(config, "--check")
    assert code == 0, err
    report = check_pdf(tmp_path / "output" / "zh-Hans" / "p.pdf", budget=1)
    assert report.ok and report.pages == 1, report.problems()
    assert len(report.images) == 2  # each drawn to cover its box (and clipped to it)
    html = (tmp_path / "output" / "zh-Hans" / "p.html").read_text(encoding="utf-8")
    (row,) = re.findall(r'<div class="photo-set">(.*?)</div>\s*</div>\s*(?=<div class="columns[" ])', html, re.S)
    assert row.count('class="photo-image"') == 2 and "本报记者 赵六 摄" in row
