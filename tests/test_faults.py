"""A write that fails anywhere in a build leaves no half-written output, and the CLI says so in one line.

Each test builds a tiny publication once (the old output), changes its page, and builds again
with a fault injected at the k-th write of the build, for every k: creating the temporary file
fails (EROFS: a read-only output folder), its data cannot be flushed (ENOSPC: a full disk), or
the rename into place fails. Afterwards every file in the output folder is the old complete one
or the new complete one, no temporary file is left, the manifest names only files whose bytes
it records, and a build without the fault brings the output to the new state. The faults are
injected in ``pipeline.project.atomic`` (through which every build write goes), so they are
fast and deterministic; ``tests/test_kill.py`` kills a real build instead.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.project import atomic

CONFIG = """\
publication:
  name: 测试报
  date: 2024-10-08
paper:
  size: A4
  columns: 3
  pages: 1
editions: [zh-Hans]
pages:
  - source: source/front.txt
output: output
"""

PAGE = """\
县里召开秋粮收购工作会议

本报讯（记者 王芳）县里昨天召开秋粮收购工作会议，要求各乡镇认真落实收购政策，
确保农民增收。会议强调，要加强市场监管，维护收购秩序。

各乡镇负责同志参加会议。{tail}
"""

STAGES = ("create", "flush", "rename")
"""Where in one atomic write the fault strikes: opening the temporary file, fsync, os.replace."""

ERRORS = {"create": errno.EROFS, "flush": errno.ENOSPC, "rename": errno.EROFS}


@dataclass
class FaultyOS:
    """Stands in for ``os`` inside ``pipeline.project.atomic``: counts writes, fails the k-th.

    ``at`` is 1-based; 0 fails nothing (a counting run). ``targets`` collects, per write, the
    temporary file it created.
    """

    stage: str = "create"
    at: int = 0
    writes: int = 0
    targets: list[str] = field(default_factory=list)
    failed: str | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    """Each temporary file's write number, so a rename fails for the write it belongs to."""
    _replaced: bool = True

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _fail(self, stage: str, path: object) -> None:
        if self.stage == stage and self.writes == self.at and self.failed is None:
            self.failed = str(path)
            code = ERRORS[stage]
            raise OSError(code, os.strerror(code), str(path))

    def open(self, path: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            self.writes += 1
            self._replaced = False
            self.targets.append(Path(path).name)
            self.numbers[str(path)] = self.writes
            self._fail("create", path)
        return os.open(path, flags, mode, *args, **kwargs)

    def fsync(self, fd: int) -> None:
        if not self._replaced:  # the data of the write in progress, not its folder
            self._fail("flush", f"fd {fd}")
        os.fsync(fd)

    def replace(self, source: Any, target: Any) -> None:
        # A group of files is written first and renamed after: the rename of write k fails,
        # whichever write was the last to start.
        number = self.numbers.get(str(source))
        if number is not None and self.stage == "rename" and number == self.at and self.failed is None:
            self.failed = str(target)
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        os.replace(source, target)
        self._replaced = True


@dataclass
class Paper:
    root: Path
    options: tuple[str, ...]
    """Extra build options: none, or ``--preview`` (PNG previews are written too)."""

    @property
    def output(self) -> Path:
        return self.root / "output"


@pytest.fixture(scope="module", params=[(), ("--preview",)], ids=["plain", "preview"])
def paper(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Paper:
    root = tmp_path_factory.mktemp("faults") / "paper"
    (root / "source").mkdir(parents=True)
    (root / "broadsheet.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "source" / "front.txt").write_text(PAGE.format(tail=""), encoding="utf-8")
    return Paper(root, request.param)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def restore(folder: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run_build(paper: Paper, faulty: FaultyOS | None = None) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if faulty is not None:
            patch.setattr(atomic, "os", faulty)
        code = main(["build", "--config", str(paper.root / "broadsheet.yaml"), "--jobs", "1", "-q",
                     *paper.options], stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


@dataclass
class States:
    old: dict[str, bytes]
    new: dict[str, bytes]
    writes: list[str]


@pytest.fixture(scope="module")
def states(paper: Paper) -> States:
    """The old output, the new one (after the page changed), and the new build's writes."""
    output = paper.output
    code, err = run_build(paper)
    assert code == 0, err
    old = snapshot(output)
    (paper.root / "source" / "front.txt").write_text(PAGE.format(tail="会后进行了分组讨论。"), encoding="utf-8")
    counting = FaultyOS()
    code, err = run_build(paper, counting)
    assert code == 0, err
    new = snapshot(output)
    restore(output, old)
    assert counting.writes >= 6, counting.targets  # html, json, pdf, cache, issue, manifest at least
    return States(old, new, counting.targets)


def check_whole(output: Path, states: States, where: str) -> dict[str, bytes]:
    """No temporary file; every file is the old or the new complete one; the manifest's files exist."""
    now = snapshot(output)
    temps = [name for name in now if name.endswith(atomic.TEMP_SUFFIX)]
    assert not temps, f"{where}: temporary files left: {temps}"
    for name, data in now.items():
        if name == "manifest.json":
            continue  # old, new, or withdrawn (fewer entries) while the build replaces files; see below
        assert data in (states.old.get(name), states.new.get(name)), f"{where}: {name} is neither old nor new"
    known = [json.loads(states.old["manifest.json"])["artifacts"], json.loads(states.new["manifest.json"])["artifacts"]]
    for artifact in json.loads(now["manifest.json"])["artifacts"]:
        assert artifact["path"] in now, f"{where}: the manifest names {artifact['path']}, which is missing"
        assert any(artifact in entries for entries in known), f"{where}: the manifest invents {artifact['path']}"
    return now


def each_fault(states: States, only: str = "") -> Iterator[FaultyOS]:
    """A fault at every write of the build (or those whose file name holds ``only``), the three
    stages taking turns."""
    for at in range(1, len(states.writes) + 1):
        if only in states.writes[at - 1]:
            yield FaultyOS(stage=STAGES[(at - 1) % len(STAGES)], at=at)


def describe(faulty: FaultyOS, states: States) -> str:
    return f"{faulty.stage} fails at write {faulty.at} ({states.writes[faulty.at - 1]})"


def test_a_failed_write_anywhere_leaves_old_or_new_complete_files(paper: Paper, states: States) -> None:
    output = paper.output
    # With --preview, the writes a plain build also makes are covered by the plain case.
    faults = list(each_fault(states, ".png" if "--preview" in paper.options else ""))
    assert faults
    for faulty in faults:
        where = describe(faulty, states)
        restore(output, states.old)
        code, err = run_build(paper, faulty)
        assert faulty.failed is not None, where
        assert code != 0, where
        check_whole(output, states, where)
        # The next build, without the fault, finishes the job.
        code, err = run_build(paper)
        assert code == 0, f"{where}: rerun: {err}"
        assert snapshot(output) == states.new, where


def test_a_failed_write_leaves_each_page_and_the_manifest_consistent(paper: Paper, states: States) -> None:
    output = paper.output
    page = ("zh-Hans/front.html", "zh-Hans/front.json", "zh-Hans/front.pdf")
    for faulty in each_fault(states):
        where = describe(faulty, states)
        restore(output, states.old)
        run_build(paper, faulty)
        now = check_whole(output, states, where)
        versions = {"old" if now[name] == states.old[name] else "new" for name in page}
        assert len(versions) == 1, f"{where}: the page's artifacts mix old and new files"
        for artifact in json.loads(now["manifest.json"])["artifacts"]:
            assert hashlib.sha256(now[artifact["path"]]).hexdigest() == artifact["sha256"], \
                f"{where}: {artifact['path']} is not the file the manifest records"


def test_a_failed_write_is_one_line_and_exit_2(paper: Paper, states: States) -> None:
    output = paper.output
    for faulty in each_fault(states):
        where = describe(faulty, states)
        restore(output, states.old)
        code, err = run_build(paper, faulty)
        assert code == 2, f"{where}: exit {code}: {err}"
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("broadsheet: error: "), f"{where}: {err}"
        assert os.strerror(ERRORS[faulty.stage]) in lines[0], f"{where}: {err}"
