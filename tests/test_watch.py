"""``broadsheet watch``: build once, rebuild what each save touches, one line each; errors wait; Ctrl-C exits 0."""

from __future__ import annotations

import io
import itertools
import re
import threading
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.project.watch import BuildOptions, Desk, Rebuild, disk_changes, relevant, watch_changes

PAGE = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。（张三）\n"
CONFIG = ("publication: {name: 测试县报, date: 2022-03-04}\npaper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\n"
          "editions: [zh-Hans]\npages:\n  - source: source/p.txt\n")


def _publication(root: Path) -> Path:
    (root / "source").mkdir()
    (root / "source" / "p.txt").write_text(PAGE, encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def _desk(config: Path) -> Desk:
    ticks = itertools.count()
    return Desk(BuildOptions(config=config, jobs=1), clock=lambda: float(next(ticks)))


def test_the_loop_rebuilds_what_changed_reports_errors_and_goes_on(tmp_path: Path) -> None:
    config = _publication(tmp_path)
    desk = _desk(config)
    lines: list[str] = []
    source = tmp_path / "source" / "p.txt"

    def changes():  # noqa: ANN202 - a generator of change sets, edited between them as a desk editor would
        yield {str(tmp_path / "output" / "zh-Hans" / "p.pdf"), str(tmp_path / "source" / ".p.txt.swp")}
        source.write_text(PAGE.replace("秋粮", "夏粮"), encoding="utf-8")
        yield {str(source)}
        config.write_text(CONFIG.replace("pages:\n", "pages: [\n"), encoding="utf-8")
        yield {str(config)}
        config.write_text(CONFIG, encoding="utf-8")
        yield {str(config)}
        (tmp_path / "notes.md").write_text("x", encoding="utf-8")
        yield {str(tmp_path / "notes.md")}

    assert watch_changes(desk, changes(), lines.append) == 0
    # (The page is short: preflight may count its ragged lines; the line says how many problems.)
    assert re.fullmatch(r"rebuilt zh-Hans/p in 1\.0 s(; \d+ preflight problem\(s\))?", lines[0])
    assert re.fullmatch(r"rebuilt zh-Hans/p in 1\.0 s \(changed: source/p\.txt\)(; \d+ preflight problem\(s\))?",
                        lines[1])
    assert lines[2].startswith("error: ") and lines[2].endswith(" (waiting for the next save)")
    assert "broadsheet.yaml:" in lines[2] and "\n" not in lines[2]
    assert lines[3].startswith("up to date in 1.0 s (changed: broadsheet.yaml)")
    assert lines[4].startswith("up to date in 1.0 s (changed: notes.md)")
    assert len(lines) == 5  # the output and the editor's swap file were no reason to build
    assert desk.generation == 5
    assert "夏粮" in (tmp_path / "output" / "zh-Hans" / "p.json").read_text(encoding="utf-8")


def test_relevant_paths(tmp_path: Path) -> None:
    config = _publication(tmp_path)
    desk = _desk(config)
    assert relevant(desk, str(tmp_path / "source" / "p.txt"))
    assert relevant(desk, str(tmp_path / "source" / "p.yaml"))
    assert relevant(desk, str(config))
    assert relevant(desk, str(tmp_path / "styles" / "zh-Hans.css"))
    assert not relevant(desk, str(tmp_path / "output" / "zh-Hans" / "p.pdf"))
    assert not relevant(desk, str(tmp_path / "output" / ".cache" / "zh-Hans" / "p.json"))
    assert not relevant(desk, str(tmp_path / ".git" / "index"))
    assert not relevant(desk, str(tmp_path / "source" / "p.txt~"))
    assert not relevant(desk, str(tmp_path / "source" / ".#p.txt"))


def test_rebuild_line_counts_preflight_problems() -> None:
    line = Rebuild(("source/p.txt",), ("zh-TW/p",), 2.0, problems=("zh-TW/p: 3 pages",)).line()
    assert line == "rebuilt zh-TW/p in 2.0 s (changed: source/p.txt); 1 preflight problem(s)"


def test_ctrl_c_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _publication(tmp_path)

    def interrupted(folders, stop=None):  # noqa: ANN001, ANN202, ARG001
        raise KeyboardInterrupt
        yield set()

    monkeypatch.setattr("pipeline.project.watch.disk_changes", interrupted)
    out, err = io.StringIO(), io.StringIO()
    code = main(["watch", "--config", str(config), "--jobs", "1"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("broadsheet: rebuilt zh-Hans/p in ")


def test_a_broken_config_at_start_waits_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _publication(tmp_path)
    config.write_text("pages: 3\n", encoding="utf-8")
    monkeypatch.setattr("pipeline.project.watch.disk_changes", lambda folders, stop=None: iter([]))
    out, err = io.StringIO(), io.StringIO()
    code = main(["watch", "--config", str(config)], stdout=out, stderr=err)
    assert code == 0
    assert out.getvalue() == ""
    assert err.getvalue().startswith("broadsheet: error: ") and err.getvalue().count("\n") == 1


def test_disk_changes_sees_a_save(tmp_path: Path) -> None:
    stop = threading.Event()
    seen: list[set[str]] = []
    ready = threading.Event()

    def collect() -> None:
        for batch in disk_changes([tmp_path], stop):
            seen.append(batch)
            stop.set()

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    target = tmp_path / "page.txt"
    # watchfiles starts watching asynchronously: save until it notices (bounded, not timed).
    for _ in range(50):
        target.write_text("改", encoding="utf-8")
        ready.wait(0.2)
        if seen:
            break
    stop.set()
    thread.join(timeout=10)
    assert seen and any(Path(p).name == "page.txt" for p in seen[0])


def test_the_session_keeps_its_workers_from_one_build_to_the_next(tmp_path: Path) -> None:
    """With two workers, an edit is rendered by the processes of the first build (fonts, OpenCC loaded)."""
    config = _publication(tmp_path)
    (tmp_path / "source" / "q.txt").write_text(PAGE.replace("秋粮", "夏粮"), encoding="utf-8")
    config.write_text(CONFIG + "  - source: source/q.txt\n", encoding="utf-8")
    ticks = itertools.count()
    desk = Desk(BuildOptions(config=config, jobs=2), clock=lambda: float(next(ticks)))
    try:
        assert desk.build().rendered == ("zh-Hans/p", "zh-Hans/q")
        first = {process.pid for process in desk.workers.pool._processes.values()}
        (tmp_path / "source" / "p.txt").write_text(PAGE.replace("会议指出", "会议强调"), encoding="utf-8")
        (tmp_path / "source" / "q.txt").write_text(PAGE.replace("会议指出", "会议要求"), encoding="utf-8")
        assert desk.build(["source/p.txt", "source/q.txt"]).rendered == ("zh-Hans/p", "zh-Hans/q")
        assert {process.pid for process in desk.workers.pool._processes.values()} == first and len(first) == 2
    finally:
        desk.close()
    assert desk.workers is None
