"""Builds through a real Dask cluster on loopback: the same bytes as a local build, a lost worker survived."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from support.sampler import make_page_text

distributed = pytest.importorskip("distributed")

from distributed import LocalCluster, WorkerPlugin  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.project.build import build  # noqa: E402
from pipeline.project.cache import _folder_sha, code_sha  # noqa: E402
from pipeline.project.cluster import DaskRunner, Files, page_files, shared_files  # noqa: E402
from pipeline.project.config import load_config, packaged_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ROADS = "乡村道路修缮完工\n\n今年以来，全县共修缮乡村道路一百二十\n公里，方便了群众出行。（王五）\n"
CULTURE = "文化活动丰富多彩\n\n国庆期间，县文化馆举办了书画展览和\n戏曲演出，吸引了大批群众观看。（赵六）\n"
EDITIONS = ("zh-Hans", "zh-TW")


def make_publication(root: Path, editions: tuple[str, ...] = EDITIONS, sample: bool = True) -> Path:
    """The sample page (or a third small page) and two small pages, in ``editions``; the config's path."""
    shutil.copytree(ROOT / "source", root / "source")
    if not sample:
        (root / "source" / "hongdong.txt").write_text(ROADS.replace("乡村道路", "城区道路"), encoding="utf-8")
    (root / "source" / "roads.txt").write_text(ROADS, encoding="utf-8")
    (root / "source" / "culture.txt").write_text(CULTURE, encoding="utf-8")
    text = (ROOT / "broadsheet.yaml").read_text(encoding="utf-8")
    text = text.replace("editions: [zh-Hans, zh-TW, zh-HK]", f"editions: [{', '.join(editions)}]")
    text = text.replace("  - source: source/hongdong.txt\n",
                        "  - source: source/hongdong.txt\n  - source: source/roads.txt\n"
                        "  - source: source/culture.txt\n")
    assert text.count("roads.txt") == 1 and f"[{', '.join(editions)}]" in text
    config = root / "broadsheet.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (cache and manifest included) by its relative path, with its sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class ExitOnFirstTask(WorkerPlugin):
    """Test only: the first worker to start a render exits its process (once per cluster, by a marker file)."""

    name = "test-exit-on-first-task"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and str(key).startswith("broadsheet-render-"):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.close(fd)
            os._exit(1)


def _local_cluster() -> LocalCluster:
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)


def tree() -> tuple[str, str, str]:
    """The package's code, layouts and styles as a build hashes them now."""
    code_sha.cache_clear()
    return code_sha(), _folder_sha([packaged_dir("layouts")]), _folder_sha([packaged_dir("styles")])


@contextmanager
def stable_tree() -> Iterator[tuple[str, str, str]]:
    """Skip instead of failing when another process edited the package meanwhile (a shared checkout).

    The client and the workers hash the code, layouts and styles on their own and refuse to
    render when they differ, so an edit during the test breaks it; a CI checkout never changes.
    """
    before = tree()
    try:
        yield before
    except Exception:
        if tree() != before:
            pytest.skip("the package changed while the test ran (another process is editing it)")
        raise


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    """Fresh workers for each test, and a fresh hash of the code in the client: they must hash one tree."""
    with _local_cluster() as local:
        code_sha.cache_clear()
        yield local


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], tuple[str, str, str]]:
    """The publication built through the cluster, checked file by file against a local build."""
    root = tmp_path_factory.mktemp("cluster")
    config = make_publication(root / "paper")
    with _local_cluster() as cluster, stable_tree() as state, DaskRunner(cluster.scheduler_address) as runner:
        result = build(load_config(config, output=root / "dask"), runner=runner)
        assert runner.tasks == 3 * len(EDITIONS) and len(result.rendered) == 3 * len(EDITIONS)
        build(load_config(config, output=root / "local"), jobs=1)
        local = digests(root / "local")
        assert digests(root / "dask") == local
    return config, local, state


Built = tuple[Path, dict[str, str], tuple[str, str, str]]


def test_cluster_build_is_byte_identical_to_a_local_build(built: Built) -> None:
    config, local, _ = built
    kinds = {name.rsplit(".", 1)[-1] for name in local if not name.startswith(".cache/")}
    assert {"pdf", "html", "json"} <= kinds
    assert sum(name.endswith("issue.pdf") for name in local) == len(EDITIONS)
    assert sum(name.endswith(".pdf") and "issue" not in name for name in local) == 3 * len(EDITIONS)
    assert "manifest.json" in local


def test_no_change_rebuild_contacts_no_cluster(built: Built, tmp_path: Path) -> None:
    config, local, state = built
    shutil.copytree(config.parent.parent / "dask", tmp_path / "dask")
    with stable_tree() as now, DaskRunner("tcp://127.0.0.1:9") as runner:  # nothing listens there
        if now != state:
            pytest.skip("the package changed since the first build (another process is editing it)")
        result = build(load_config(config, output=tmp_path / "dask"), runner=runner)
        assert result.rendered == [] and runner.client is None and runner.tasks == 0
        assert digests(tmp_path / "dask") == local


def test_one_page_edit_sends_one_task_per_edition(built: Built, cluster: LocalCluster, tmp_path: Path) -> None:
    config, _, state = built
    shutil.copytree(config.parent, tmp_path / "paper")
    shutil.copytree(config.parent.parent / "dask", tmp_path / "dask")
    page = tmp_path / "paper" / "source" / "roads.txt"
    page.write_text(ROADS.replace("一百二十", "一百三十"), encoding="utf-8")
    with stable_tree() as now, DaskRunner(cluster.scheduler_address) as runner:
        if now != state:
            pytest.skip("the package changed since the first build (another process is editing it)")
        result = build(load_config(tmp_path / "paper" / "broadsheet.yaml", output=tmp_path / "dask"), runner=runner)
        assert runner.tasks == len(EDITIONS)
        assert sorted(result.rendered) == sorted(f"{e}/roads" for e in EDITIONS)


def test_a_lost_worker_is_survived(built: Built, cluster: LocalCluster, tmp_path: Path) -> None:
    config, local, state = built
    marker = tmp_path / "a-worker-exited"
    with stable_tree() as now, DaskRunner(cluster.scheduler_address, plugins=[ExitOnFirstTask(str(marker))]) as runner:
        if now != state:
            pytest.skip("the package changed since the first build (another process is editing it)")
        build(load_config(config, output=tmp_path / "out"), runner=runner)
        assert marker.exists()  # a worker really died on its first render
        assert digests(tmp_path / "out") == local


def test_a_failing_page_fails_as_it_does_locally(cluster: LocalCluster, tmp_path: Path) -> None:
    config = make_publication(tmp_path / "paper", editions=("zh-Hans",), sample=False)
    (tmp_path / "paper" / "source" / "roads.yaml").write_text("split: [seven]\n", encoding="utf-8")
    text = config.read_text(encoding="utf-8").replace(
        "source: source/roads.txt\n", "source: source/roads.txt\n    sidecar: source/roads.yaml\n")
    config.write_text(text, encoding="utf-8")
    runs = {}
    with stable_tree():
        for how in (["--scheduler", cluster.scheduler_address], ["--jobs", "1"]):
            out, err = io.StringIO(), io.StringIO()
            code = main(["build", "--config", str(config), "--output", str(tmp_path / how[0]), "-q", *how],
                        stdout=out, stderr=err)
            runs[how[0]] = code, err.getvalue()
        assert runs["--jobs"][0] == 2 and "roads.yaml" in runs["--jobs"][1]
        assert runs["--scheduler"] == runs["--jobs"]


def test_a_check_failure_exits_1_as_locally(cluster: LocalCluster, tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "long.txt").write_text(make_page_text(0, 3), encoding="utf-8")
    (tmp_path / "source" / "roads.txt").write_text(ROADS, encoding="utf-8")
    config = tmp_path / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\neditions: [zh-TW]\n"
                      "pages:\n  - source: source/long.txt\n  - source: source/roads.txt\n",
                      encoding="utf-8")  # the long page takes two pages: over its budget of one
    runs = {}
    with stable_tree():
        for how in (["--scheduler", cluster.scheduler_address], ["--jobs", "1"]):
            out, err = io.StringIO(), io.StringIO()
            code = main(["build", "--config", str(config), "--output", str(tmp_path / how[0]), "--check", *how],
                        stdout=out, stderr=err)
            runs[how[0]] = code, [line for line in err.getvalue().splitlines() if "preflight" in line]
        assert runs["--jobs"][0] == 1
        over = r"zh-TW/long: \d pages, over the page budget of 1"
        assert any(re.search(over, line) for line in runs["--jobs"][1])
        assert runs["--scheduler"] == runs["--jobs"]


def test_no_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    config = make_publication(tmp_path / "paper", editions=("zh-Hans",), sample=False)
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), "--scheduler", "tcp://127.0.0.1:9"], stdout=out, stderr=err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "broadsheet: error: --scheduler tcp://127.0.0.1:9: no Dask scheduler answered within 10 s")


def test_what_travels_is_the_page_and_the_publication_files(tmp_path: Path) -> None:
    config = load_config(make_publication(tmp_path / "paper"))
    own = page_files(config, 1)
    assert [name for name, _ in own.items] == ["source/roads.txt"] and own.items[0][1] == ROADS.encode()
    shared = shared_files(config)
    assert [name for name, _ in shared.items] == ["source/phrases.yaml"]
    assert Files(shared.items).digest == shared.digest != Files().digest
