"""Builds of small publications: incremental rebuilds, page numbers, PDF/A, hostile text, budgets."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from pipeline.checks.report import extract_text
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE_A = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n"
PAGE_B = "乡村道路修缮完工\n\n今年以来，全县共修缮乡村道路一百二十\n公里，方便了群众出行。（王五）\n"
PAGE_C = "文化活动丰富多彩\n\n国庆期间，县文化馆举办了书画展览和\n戏曲演出，吸引了大批群众观看。（赵六）\n"


def _publication(root: Path, pages: dict[str, str], extra: str = "", editions: str = "[zh-Hans]") -> Path:
    (root / "source").mkdir(parents=True)
    for name, text in pages.items():
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
    listing = "".join(f"  - source: source/{name}.txt\n" for name in pages)
    config = root / "broadsheet.yaml"
    config.write_text(
        "publication: {name: 测试县报, date: 2022-03-04}\n"
        "paper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\n"
        f"editions: {editions}\npages:\n{listing}{extra}", encoding="utf-8")
    return config


def _build(config: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), "--jobs", "1", *extra], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _wrote(err: str) -> list[str]:
    return sorted(line.removeprefix("wrote ") for line in err.splitlines() if line.startswith("wrote "))


def test_one_page_change_rebuilds_only_that_page(tmp_path: Path) -> None:
    config = _publication(tmp_path, {"a": PAGE_A, "b": PAGE_B, "c": PAGE_C})
    code, _, err = _build(config)
    assert code == 0, err
    assert len(_wrote(err)) == 13  # 3 pages × (pdf, html, json, web) + issue.pdf

    code, out, err = _build(config)
    assert code == 0 and out.startswith("nothing to do") and _wrote(err) == []

    (tmp_path / "source" / "b.txt").write_text(PAGE_B.replace("一百二十", "一百三十"), encoding="utf-8")
    code, out, err = _build(config)
    assert code == 0
    assert _wrote(err) == ["web/zh-Hans/b.html", "zh-Hans/b.html", "zh-Hans/b.json", "zh-Hans/b.pdf",
                           "zh-Hans/issue.pdf"]
    assert "一百三十" in "".join(extract_text(tmp_path / "output" / "zh-Hans" / "b.pdf").split())


def test_style_change_rebuilds_everything(tmp_path: Path) -> None:
    config = _publication(tmp_path, {"a": PAGE_A, "b": PAGE_B})
    assert _build(config)[0] == 0
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "zh-Hans.css").write_text(".byline { color: #333; }\n", encoding="utf-8")
    code, _, err = _build(config)
    assert code == 0
    assert [p for p in _wrote(err) if p.endswith(".pdf")] == ["zh-Hans/a.pdf", "zh-Hans/b.pdf", "zh-Hans/issue.pdf"]


def test_combined_issue_has_pages_in_order_with_running_numbers(tmp_path: Path) -> None:
    config = _publication(tmp_path, {"a": PAGE_A, "b": PAGE_B, "c": PAGE_C})
    assert _build(config)[0] == 0
    issue = tmp_path / "output" / "zh-Hans" / "issue.pdf"
    reader = pypdf.PdfReader(issue)
    assert len(reader.pages) == 3
    texts = ["".join(page.extract_text().split()) for page in reader.pages]
    assert "秋粮" in texts[0] and "道路" in texts[1] and "书画" in texts[2]
    assert "第2版" in texts[1] and "第3版" in texts[2]
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    (issue_entry,) = [a for a in manifest["artifacts"] if a["kind"] == "issue"]
    assert issue_entry["pages"] == 3


def test_a_one_page_editions_issue_is_its_pages_file(tmp_path: Path) -> None:
    config = _publication(tmp_path, {"a": PAGE_A}, editions="[zh-Hans, zh-TW]")
    code, _, err = _build(config)
    assert code == 0, err
    for edition in ("zh-Hans", "zh-TW"):
        folder = tmp_path / "output" / edition
        assert (folder / "issue.pdf").read_bytes() == (folder / "a.pdf").read_bytes()
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    issues = {a["edition"]: a for a in manifest["artifacts"] if a["kind"] == "issue"}
    pages = {a["edition"]: a for a in manifest["artifacts"] if a["kind"] == "pdf"}
    assert {e: (a["sha256"], a["pages"]) for e, a in issues.items()} == \
        {e: (a["sha256"], a["pages"]) for e, a in pages.items()}
    # A second page makes it a merge again.
    (tmp_path / "broadsheet.yaml").write_text(
        config.read_text(encoding="utf-8") + "  - source: source/b.txt\n", encoding="utf-8")
    (tmp_path / "source" / "b.txt").write_text(PAGE_B, encoding="utf-8")
    assert _build(config)[0] == 0
    assert len(pypdf.PdfReader(tmp_path / "output" / "zh-Hans" / "issue.pdf").pages) == 2

def test_pdfa_variant_is_reproducible(tmp_path: Path) -> None:
    first = _publication(tmp_path / "one", {"a": PAGE_A}, extra="pdf: {variant: pdf/a-3b}\n")
    second = _publication(tmp_path / "two", {"a": PAGE_A}, extra="pdf: {variant: pdf/a-3b}\n")
    assert _build(first)[0] == 0 and _build(second)[0] == 0
    one = (tmp_path / "one" / "output" / "zh-Hans" / "a.pdf").read_bytes()
    two = (tmp_path / "two" / "output" / "zh-Hans" / "a.pdf").read_bytes()
    assert one == two
    xmp = pypdf.PdfReader(io.BytesIO(one)).xmp_metadata
    assert xmp is not None
    assert 'pdfaid:part="3"' in xmp.rdf_root.toxml() and 'pdfaid:conformance="B"' in xmp.rdf_root.toxml()


def test_hostile_text_is_printed_as_text_and_fetches_nothing(tmp_path: Path) -> None:
    hostile = ("测试标题\n\n正文<script>alert(1)</script>结束，{{ 7*7 }}和{% if x %}不执行。\n"
               "图片<img src=file:///etc/passwd>与</p>标签。（记者 张三）\n")
    config = _publication(tmp_path, {"h": hostile})
    code, _, err = _build(config)
    assert code == 0, err
    text = "".join(extract_text(tmp_path / "output" / "zh-Hans" / "h.pdf").split())
    for fragment in ("<script>alert(1)</script>", "{{7*7}}", "{%ifx%}", "<imgsrc=file:///etc/passwd>", "</p>"):
        assert fragment in text
    assert "refused" not in err


def test_over_budget_fails_the_check(tmp_path: Path) -> None:
    paragraph = "段，县里的工作取得了新进展，群众满意度不断提高。\n\n"
    long_text = "长篇报道\n\n" + "".join(f"第{i}{paragraph}" for i in range(120))
    config = _publication(tmp_path, {"long": long_text})
    code, _, err = _build(config, "--check")
    assert code == 1
    assert "over the page budget of 1 (paper.pages)" in err


def test_output_outside_is_refused_unless_given_on_the_command_line(tmp_path: Path) -> None:
    config = _publication(tmp_path / "paper", {"a": PAGE_A}, extra="output: ../out\n")
    code, _, err = _build(config)
    assert code == 2 and "outside the config's folder" in err
    config.write_text(config.read_text(encoding="utf-8").replace("output: ../out\n", ""), encoding="utf-8")
    code, _, err = _build(config, "--output", str(tmp_path / "elsewhere"))
    assert code == 0, err
    assert (tmp_path / "elsewhere" / "zh-Hans" / "a.pdf").is_file()


def test_source_date_epoch_dates_an_undated_publication(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _publication(tmp_path, {"a": PAGE_A})
    config.write_text(config.read_text(encoding="utf-8").replace(", date: 2022-03-04", ""), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _build(config)[0] == 0
    info = pypdf.PdfReader(tmp_path / "output" / "zh-Hans" / "a.pdf").metadata
    assert info is not None and str(info["/CreationDate"]).startswith("D:20231114")


def test_no_change_rebuild_imports_nothing_heavy(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = _publication(tmp_path, {"a": PAGE_A})
    assert _build(config)[0] == 0
    probe = ("import sys, io\nfrom pipeline.cli import main\n"
             f"code = main(['build', '--config', {str(config)!r}], stdout=io.StringIO(), stderr=io.StringIO())\n"
             "heavy = ('weasyprint', 'opencc', 'jinja2', 'pypdf')\n"
             "print(code, sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []"


def test_sample_on_a_tabloid_jumps_between_pages_and_loses_nothing(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    config = _publication(tmp_path, {"hongdong": (root / "source" / "hongdong.txt").read_text(encoding="utf-8")},
                          editions="[zh-TW]")
    # Leading 1.6: at 1.5 the sample's stories now break between articles (its caption line stands in
    # its own article instead of a box under the lead story), and this test is about jump lines.
    text = config.read_text(encoding="utf-8").replace("{size: A4, columns: 3, body_size: 10pt, pages: 1}",
                                                     "{size: tabloid, columns: 5, body_size: 9.5pt, leading: 1.6, "
                                                     "pages: 3}")
    config.write_text(text, encoding="utf-8")
    code, _, err = _build(config, "--check")
    assert code == 0, err  # preflight: no character lost, clreq typography, within the budget
    pdf = tmp_path / "output" / "zh-TW" / "hongdong.pdf"
    pages = ["".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]
    assert 2 <= len(pages) <= 3
    for number in range(1, len(pages)):
        if f"（下轉第{number + 1}版）" in pages[number - 1]:
            assert f"（上接第{number}版）" in pages[number]
    assert any("下轉第" in page for page in pages)
    assert "第2版" in pages[1] and "測試縣報" in pages[1]  # the running folio


def test_an_edited_phrase_file_reaches_the_next_build_in_the_same_process(tmp_path: Path) -> None:
    # watch and serve build again in one process: the cached converter must follow the file.
    config = _publication(tmp_path, {"a": PAGE_A}, "phrases: source/phrases.yaml\n", editions="[zh-TW]")
    phrases = tmp_path / "source" / "phrases.yaml"
    phrases.write_text("phrases:\n  - {from: 秋粮, to: 秋糧甲}\n", encoding="utf-8")
    assert _build(config)[0] in (0, 1)
    page = tmp_path / "output" / "zh-TW" / "a.json"
    assert "秋糧甲" in page.read_text(encoding="utf-8")
    phrases.write_text("phrases:\n  - {from: 秋粮, to: 秋糧乙}\n", encoding="utf-8")
    assert _build(config)[0] in (0, 1)
    assert "秋糧乙" in page.read_text(encoding="utf-8")


def test_a_side_by_side_row_at_the_page_foot_loses_no_text(tmp_path: Path) -> None:
    """Page 5 of the generated issue ends in two stories side by side that do not fit above the foot.

    The row's cells are floats, and WeasyPrint drops what of a float runs past the page: the
    pagination must notice and set the two stories full width, with a jump to the next page.
    """
    from support.sampler import make_page_text

    config = _publication(tmp_path, {"page05": make_page_text(0, 4)})
    text = config.read_text(encoding="utf-8").replace("{size: A4, columns: 3, body_size: 10pt, pages: 1}",
                                                     "{size: tabloid, columns: 5, body_size: 9.5pt, pages: 2}")
    config.write_text(text, encoding="utf-8")
    code, _, err = _build(config, "--check")
    assert code == 0, err  # preflight: every character of the page is in its PDF
    pages = pypdf.PdfReader(tmp_path / "output" / "zh-Hans" / "page05.pdf").pages
    assert len(pages) == 2


_FORKED_WORKER = """
import sys
from pathlib import Path
from types import SimpleNamespace

from pipeline.project import build
from pipeline.project.config import load_config


def loaded():
    import gc
    from pipeline.text import words
    return "weasyprint" in sys.modules, "pikepdf" in sys.modules, words._tokenizer.cache_info().currsize, \\
        len(build._CONVERTERS), "pipeline.checks.preflight" in sys.modules, gc.get_freeze_count() > 10000, \\
        gc.get_threshold()[0]


config = load_config(Path(sys.argv[1]))
jobs = [SimpleNamespace(config=config, edition=edition) for edition in config.editions]
pool = build._fork_pool(jobs, 2)
print(pool.submit(loaded).result())
pool.shutdown()
import gc
print(gc.get_freeze_count(), gc.get_threshold()[0])
"""


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers are not forked here")
def test_forked_workers_start_with_what_renders_load(tmp_path: Path) -> None:
    # A fresh process, so nothing is loaded before the pool: its workers get what the parent loaded,
    # freeze it (the collector's full passes skip it) and run with raised thresholds (engine.collector);
    # the parent's collector is left alone.
    config = _publication(tmp_path, {"a": "第一段。\n"}, editions="[zh-Hans, zh-TW]")
    done = subprocess.run([sys.executable, "-c", _FORKED_WORKER, str(config)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, timeout=120)
    assert done.stdout.split() == ["(True,", "True,", "1,", "2,", "True,", "True,", "5000)", "0", "700"]


def _record_renders_and_issues(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the build does, in order: each page × edition rendered and each issue.pdf combined (``--jobs 1``)."""
    from pipeline.project import build as build_module

    events: list[str] = []
    render_job, combine_issue = build_module.render_job, build_module._combine_issue

    def rendering(job: build_module.PageJob) -> object:
        events.append(f"render {job.label}")
        return render_job(job)

    def combining(config: object, edition: object, *rest: object) -> object:
        events.append(f"issue {edition.name}")  # type: ignore[attr-defined]
        return combine_issue(config, edition, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "render_job", rendering)
    monkeypatch.setattr(build_module, "_combine_issue", combining)
    return events


def test_an_editions_issue_is_combined_as_soon_as_its_pages_are_final(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # With workers, the first editions' issue.pdf is made while the last edition's pages still render.
    config = _publication(tmp_path, {"a": PAGE_A, "b": PAGE_B}, editions="[zh-Hans, zh-TW]")
    events = _record_renders_and_issues(monkeypatch)
    assert _build(config)[0] == 0
    assert events == ["render zh-Hans/a", "render zh-TW/a", "render zh-Hans/b", "issue zh-Hans",
                      "render zh-TW/b", "issue zh-TW"]
    events.clear()
    (tmp_path / "source" / "b.txt").write_text(PAGE_B.replace("一百二十", "一百三十"), encoding="utf-8")
    assert _build(config)[0] == 0
    assert events == ["render zh-Hans/b", "issue zh-Hans", "render zh-TW/b", "issue zh-TW"]


def test_an_issue_waits_for_the_round_that_settles_its_page_numbers(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from support.sampler import make_page_text

    from pipeline.project import build as build_module

    # The long page is guessed at one printed page: the first round numbers the total wrong, and only
    # a second round (page 1 prints the total) gives the edition's final pages.
    config = _publication(tmp_path, {"a": PAGE_A, "long": make_page_text(0, 3), "c": PAGE_C},
                          editions="[zh-Hans, zh-TW]")
    config.write_text(config.read_text(encoding="utf-8").replace("pages: 1}", "pages: 2}"), encoding="utf-8")
    monkeypatch.setattr(build_module, "PAGE_FILL", 1000.0)
    events = _record_renders_and_issues(monkeypatch)
    code, _, err = _build(config)
    assert code == 0, err
    for edition in ("zh-Hans", "zh-TW"):
        mine = [i for i, event in enumerate(events) if event.split()[1].split("/")[0] == edition]
        assert [events[i] for i in mine].count(f"issue {edition}") == 1
        assert events[mine[-1]] == f"issue {edition}"
        assert events.count(f"render {edition}/a") == 2  # renumbered: page 1 prints the total
    reader = pypdf.PdfReader(tmp_path / "output" / "zh-TW" / "issue.pdf")
    assert len(reader.pages) == 4


def test_a_build_walks_the_template_folders_once_for_print_and_once_for_the_web(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.project import cache
    from pipeline.project.config import packaged_dir

    config = _publication(tmp_path, {"a": PAGE_A, "b": PAGE_B, "c": PAGE_C})
    walked: list[tuple[Path | None, ...]] = []
    folder_sha = cache._folder_sha

    def walking(folders: list[Path | None]) -> str:
        walked.append(tuple(folders))
        return folder_sha(folders)

    monkeypatch.setattr(cache, "_folder_sha", walking)
    assert _build(config)[0] == 0
    assert sum(packaged_dir("layouts") in folders for folders in walked) == 2
    assert sum(packaged_dir("styles") in folders for folders in walked) == 2
