"""Tests for pipeline.project.atomic: no partial file is ever visible, temporaries are cleaned."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.project.atomic import (
    TEMP_SUFFIX,
    atomic_write_bytes,
    atomic_write_text,
    atomic_writer,
    remove_stale_temps,
)

ROOT = Path(__file__).resolve().parent.parent


def _temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(f".*{TEMP_SUFFIX}"))


def test_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "page.pdf"
    atomic_write_bytes(target, b"%PDF-1.7 new")
    assert target.read_bytes() == b"%PDF-1.7 new"
    assert _temps(tmp_path) == []


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "page.pdf"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.pdf"]


def test_text_keeps_newlines_and_encodes_utf8(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    atomic_write_text(target, "洪洞\r\n县\n")
    assert target.read_bytes() == "洪洞\r\n县\n".encode()


def test_error_inside_block_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_bytes(b"{}")
    with pytest.raises(RuntimeError, match="render failed"):
        with atomic_writer(target) as handle:
            handle.write(b'{"half": ')
            raise RuntimeError("render failed")
    assert target.read_bytes() == b"{}"
    assert _temps(tmp_path) == []


def test_failed_rename_removes_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")
    with pytest.raises(OutputError, match=r"taken: cannot write: Is a directory"):
        atomic_write_bytes(target, b"data")
    assert target.is_dir()
    assert _temps(tmp_path) == []


def test_missing_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"page.pdf: cannot write: No such file or directory"):
        atomic_write_bytes(tmp_path / "absent" / "page.pdf", b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_keeps_permissions_of_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "page.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_write_leaves_old_file_and_a_removable_temporary(tmp_path: Path) -> None:
    target = tmp_path / "page.pdf"
    target.write_bytes(b"old complete file")
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pipeline.project.atomic import atomic_writer
        with atomic_writer({str(target)!r}) as handle:
            handle.write(b"new but only half")
            handle.flush()
            print("writing", flush=True)
            time.sleep(60)
            handle.write(b" of it")
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"writing\n"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"old complete file"
    (stale,) = _temps(tmp_path)
    assert stale.read_bytes() == b"new but only half"
    assert remove_stale_temps(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.pdf"]


def test_remove_stale_temps_leaves_other_files(tmp_path: Path) -> None:
    (tmp_path / "zh-TW").mkdir()
    keep = [tmp_path / "manifest.json", tmp_path / "zh-TW" / "page.pdf", tmp_path / ".hidden"]
    for path in keep:
        path.write_bytes(b"x")
    stale = tmp_path / "zh-TW" / f".page.pdf.0123456789ab{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    assert remove_stale_temps(tmp_path) == [stale]
    assert all(path.exists() for path in keep)
    assert remove_stale_temps(tmp_path / "absent") == []


def test_a_group_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.project import atomic

    names = ["a.html", "a.json", "a.pdf"]
    for name in names:
        (tmp_path / name).write_bytes(b"old " + name.encode())
    real_replace = os.replace
    calls = {"n": 0}

    def second_rename_fails(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", second_rename_fails)
    with pytest.raises(OutputError, match="Read-only file system"):
        atomic.atomic_write_group([(tmp_path / name, b"new " + name.encode()) for name in names])
    assert {name: (tmp_path / name).read_bytes() for name in names} == {name: b"old " + name.encode()
                                                                          for name in names}
    assert _temps(tmp_path) == []
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    atomic.atomic_write_group([(tmp_path / name, b"new " + name.encode()) for name in names])
    assert all((tmp_path / name).read_bytes() == b"new " + name.encode() for name in names)
    assert _temps(tmp_path) == []
