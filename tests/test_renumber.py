"""Page numbers that move after a wrong first guess: the pages after it are numbered from the renders
before them, and a renumbering round renders again only the pages whose HTML shows the numbers that moved."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest
from support.sampler import make_page_text

from pipeline.engine import render
from pipeline.project import build as build_module
from pipeline.project.config import load_config

MEETING = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n"
ROADS = "乡村道路修缮完工\n\n今年以来，全县共修缮乡村道路一百二十\n公里，方便了群众出行。（王五）\n"
CULTURE = "文化活动丰富多彩\n\n国庆期间，县文化馆举办了书画展览和\n戏曲演出，吸引了大批群众观看。（赵六）\n"


def _publication(root: Path) -> Path:
    """Two short pages, a long one (two printed pages) and a short one, in one edition."""
    (root / "source").mkdir(parents=True)
    pages = {"meeting": MEETING, "roads": ROADS, "long": make_page_text(0, 3), "culture": CULTURE}
    for name, text in pages.items():
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 2}\neditions: [zh-Hans]\npages:\n"
                      + "".join(f"  - source: source/{name}.txt\n" for name in pages), encoding="utf-8")
    return config


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def _build_counting(config: Path, monkeypatch: pytest.MonkeyPatch,
                    jobs: int = 1) -> tuple[list[str], list[str], list[str]]:
    """Build cold with every first guess "one printed page": the jobs run and the PDFs written here, in order,
    and the reasons."""
    jobs_run: list[str] = []
    written: list[str] = []
    render_job, write_pdf = build_module.render_job, render.write_pdf

    def counting_job(job: build_module.PageJob) -> object:
        jobs_run.append(job.label)
        return render_job(job)

    def counting_pdf(document: object, source_name: str = "page.html", variant: str | None = None) -> bytes:
        written.append(source_name.removesuffix(".pdf"))
        return write_pdf(document, source_name, variant)

    if jobs == 1:  # a pool pickles the function it runs: the workers count nothing here
        monkeypatch.setattr(build_module, "render_job", counting_job)
        monkeypatch.setattr(render, "write_pdf", counting_pdf)
    monkeypatch.setattr(build_module, "PAGE_FILL", 1000.0)  # the long page's length is not foreseen
    result = build_module.build(load_config(config), jobs=jobs)
    assert not result.problems
    return jobs_run, written, result.reasons


UNIQUE = itertools.count()
"""Keys that match nothing."""
ORDER = ["zh-Hans/meeting", "zh-Hans/roads", "zh-Hans/long", "zh-Hans/culture"]


def test_pages_that_print_no_moved_number_keep_their_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs_run, written, reasons = _build_counting(_publication(tmp_path / "any-total"), monkeypatch)
    # Round 1 guesses 4 printed pages; the long page takes two, and culture, rendered after it, is
    # numbered from its real length: 第5版 at once.  Round 2 has the total 5: page 1 prints it (共5版)
    # and is rendered again; the others' layouts never read the total, so their renders stand.
    assert jobs_run == written == [*ORDER, "zh-Hans/meeting"]
    assert "zh-Hans/meeting: page numbers moved (now 1 of 5)" in reasons
    assert not [reason for reason in reasons if reason.startswith("zh-Hans/roads")][1:]

    with monkeypatch.context() as patched:
        # Not known to be total-free: the HTML of their first pass is last round's, so their files stay.
        patched.setattr(build_module, "any_total_key", lambda inputs, numbering: f"never {next(UNIQUE)}")
        jobs_run, written, reasons = _build_counting(_publication(tmp_path / "kept"), patched)
    assert jobs_run == ORDER * 2 and written == [*ORDER, "zh-Hans/meeting"]
    assert "zh-Hans/roads: page numbers moved (now 2 of 5)" in reasons

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "any_total_key", lambda inputs, numbering: f"never {next(UNIQUE)}")
        patched.setattr(build_module, "_kept_html", lambda job: None)
        jobs_run, written, _ = _build_counting(_publication(tmp_path / "rendered"), patched)
    assert written == ORDER * 2
    # Each way, the same bytes (and, in three folders, the same bytes).
    assert (_digests(tmp_path / "any-total" / "output") == _digests(tmp_path / "kept" / "output")
            == _digests(tmp_path / "rendered" / "output"))
    output = tmp_path / "any-total" / "output" / "zh-Hans"
    assert "共5版" in (output / "meeting.html").read_text(encoding="utf-8")
    assert "第5版" in (output / "culture.html").read_text(encoding="utf-8")


def test_two_workers_keep_the_renders_one_worker_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two workers start a page before the one ahead of it is done: one started with a wrong
    # first number is rendered again, so the files are the same whatever finished first.
    with monkeypatch.context() as patched:
        _build_counting(_publication(tmp_path / "one"), patched, jobs=1)
    _build_counting(_publication(tmp_path / "two"), monkeypatch, jobs=2)
    assert _digests(tmp_path / "one" / "output") == _digests(tmp_path / "two" / "output")
