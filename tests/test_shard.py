"""``build --shard i/n`` and ``merge``: a stable split of the jobs, and shards that merge into the whole."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import pytest
from support.sampler import make_page_text

from pipeline.checks.report import extract_text
from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.project.shard import in_shard, parse_shard

MEETING = "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n"
ROADS = "乡村道路修缮完工\n\n今年以来，全县共修缮乡村道路一百二十\n公里，方便了群众出行。（王五）\n"


def test_parse_shard() -> None:
    assert parse_shard("1/3") == (1, 3) and parse_shard(" 3 / 3 ") == (3, 3)
    for bad, message in [("0/3", "--shard: '0/3' is not one of 1/3 … 3/3"),
                         ("4/3", "--shard: '4/3' is not one of 1/3 … 3/3"),
                         ("1/0", "--shard: '1/0' has no shards"),
                         ("half", "--shard: expected i/n such as 1/4, got 'half'")]:
        with pytest.raises(ConfigError) as error:
            parse_shard(bad)
        assert str(error.value) == message


def test_every_job_is_in_one_shard_whatever_the_page_order() -> None:
    pages = [f"page{i:03d}" for i in range(200)]
    editions = ["zh-Hans", "zh-TW", "zh-HK"]
    shuffled = pages[:]
    random.Random(0).shuffle(shuffled)
    split = {i: {(e, p) for e in editions for p in pages if in_shard(e, p, (i, 4))} for i in range(1, 5)}
    again = {i: {(e, p) for p in shuffled for e in editions if in_shard(e, p, (i, 4))} for i in range(1, 5)}
    assert split == again
    assert sum(len(jobs) for jobs in split.values()) == len(set().union(*split.values())) == 600
    assert all(120 <= len(jobs) <= 180 for jobs in split.values())  # about a quarter each
    assert all(in_shard(e, p, None) for e in editions for p in pages)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A long page first (two printed pages, numbered from its length) and two short ones."""
    root = tmp_path_factory.mktemp("shards")
    (root / "source").mkdir()
    (root / "source" / "long.txt").write_text(make_page_text(0, 3), encoding="utf-8")
    (root / "source" / "meeting.txt").write_text(MEETING, encoding="utf-8")
    (root / "source" / "roads.txt").write_text(ROADS, encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 2}\neditions: [zh-Hans]\n"
                      "pages:\n  - source: source/long.txt\n  - source: source/meeting.txt\n"
                      "  - source: source/roads.txt\n", encoding="utf-8")
    return config


def test_shards_merge_into_the_whole(publication: Path) -> None:
    root = publication.parent
    code, _, err = _run("build", "--config", str(publication), "--output", str(root / "whole"), "--jobs", "1", "-v")
    assert code == 0, err
    # The long page takes two printed pages, which its length alone tells (build._estimate_length):
    # the pages after it are numbered right the first time, never rendered twice.
    assert "rebuilt zh-Hans/roads: no earlier build" in err and "page numbers moved" not in err
    assert "第4版" in "".join(extract_text(root / "whole" / "zh-Hans" / "roads.pdf").split())
    shards = [str(root / f"shard-{i}") for i in (1, 2, 3)]
    built = []
    for i, folder in enumerate(shards, 1):
        code, _, err = _run("build", "--config", str(publication), "--output", folder, "--shard", f"{i}/3",
                            "--jobs", "1")
        assert code == 0, err
        assert not (Path(folder) / "zh-Hans" / "issue.pdf").exists()
        built += sorted(p.stem for p in (Path(folder) / "zh-Hans").glob("*.pdf"))
    assert sorted(built) == ["long", "meeting", "roads"]  # each page × edition in exactly one shard

    code, out, err = _run("merge", *reversed(shards), "--config", str(publication), "--output", str(root / "merged"),
                          "--jobs", "1")
    assert code == 0, err
    assert out.startswith("merged 3 shard(s), 3 page PDF(s), into ")
    assert _digests(root / "merged") == _digests(root / "whole")

    code, out, err = _run("build", "--config", str(publication), "--output", str(root / "merged"), "--jobs", "1")
    assert code == 0 and out.startswith("nothing to do"), err


def test_merge_needs_every_shard_once(publication: Path, tmp_path: Path) -> None:
    shards = [publication.parent / f"shard-{i}" for i in (1, 2, 3)]
    if not all(s.is_dir() for s in shards):
        pytest.skip("needs the shards of test_shards_merge_into_the_whole")
    for given, message in [
        (shards[:2], "merge: shard 3/3 is missing (pass every shard's output folder)"),
        ([shards[0], shards[0], *shards[1:]], f"merge: shard 1/3 is given twice ({shards[0]} and {shards[0]})"),
        ([*shards, tmp_path], f"{tmp_path}: not the output of a sharded build (no shard.json) "
                              "(build it with 'broadsheet build --shard i/n --output DIR')"),
    ]:
        code, _, err = _run("merge", *map(str, given), "--config", str(publication), "--output", str(tmp_path / "m"))
        assert (code, err.strip()) == (2, f"broadsheet: error: {message}")
