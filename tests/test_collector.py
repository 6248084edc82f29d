"""The collector runs with raised thresholds while a build lays pages out, and is left as it was found
(``engine.collector``)."""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.engine import collector
from pipeline.engine.collector import OLDER, YOUNG, roomy_collector


@pytest.fixture(autouse=True)
def _default_thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_thresholds_are_raised_inside_and_restored_after() -> None:
    with roomy_collector():
        assert gc.get_threshold() == (YOUNG, OLDER, OLDER)
        with roomy_collector():  # nested: still raised, and the inner exit restores nothing
            assert gc.get_threshold() == (YOUNG, OLDER, OLDER)
        assert gc.get_threshold() == (YOUNG, OLDER, OLDER)
    assert gc.get_threshold() == (700, 10, 10)


def test_an_error_inside_still_restores() -> None:
    with pytest.raises(KeyError), roomy_collector():
        raise KeyError("x")
    assert gc.get_threshold() == (700, 10, 10)
    assert collector._STATE.depth == 0


def test_a_callers_own_tuning_stands() -> None:
    gc.set_threshold(50_000, 5, 100)
    with roomy_collector():
        assert gc.get_threshold() == (50_000, OLDER, 100)
    assert gc.get_threshold() == (50_000, 5, 100)
    gc.set_threshold(0, 10, 10)  # automatic collection off: stays off
    with roomy_collector():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_threads_leaving_out_of_order_restore_once_the_last_leaves() -> None:
    inside, leave_first = threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def first() -> None:
        with roomy_collector():
            inside.set()
            leave_first.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(10)
    with roomy_collector():  # entered second, left... after the first thread has left
        leave_first.set()
        thread.join(10)
        seen.append(gc.get_threshold())  # the first thread left: still raised for this one
    assert seen == [(YOUNG, OLDER, OLDER)]
    assert gc.get_threshold() == (700, 10, 10)


def test_start_worker_freezes_and_keeps_the_thresholds_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(collector.gc, "freeze", lambda: frozen.append(True))
    collector.start_worker()
    assert frozen == [True]
    assert gc.get_threshold() == (YOUNG, OLDER, OLDER)


def test_a_build_renders_with_them_raised_and_leaves_them_as_found(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.cli import main
    from pipeline.project import build as build_module

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.txt").write_text("标题\n\n第一段文字。\n", encoding="utf-8")
    (tmp_path / "broadsheet.yaml").write_text(
        "publication: {name: 测试县报, date: 2022-03-04}\npaper: {size: A4, columns: 3, pages: 1}\n"
        "editions: [zh-Hans]\npages:\n  - source: source/a.txt\n", encoding="utf-8")
    during: list[tuple[int, ...]] = []
    combine = build_module._combine_issue

    def combining(*args: object) -> object:
        during.append(gc.get_threshold())
        return combine(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "_combine_issue", combining)
    code = main(["build", "--config", str(tmp_path / "broadsheet.yaml"), "--jobs", "1"],
                stdout=io.StringIO(), stderr=io.StringIO())
    assert code in (0, 1)
    assert during == [(YOUNG, OLDER, OLDER)]
    assert gc.get_threshold() == (700, 10, 10)
