"""The issue merge remembers its font proofs, names and shared programs (``fontshare.FontMemo``), and the
``issue.pdf`` it writes is the same bytes whether they were remembered, damaged or made afresh."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import weasyprint

from pipeline.cli import main
from pipeline.engine import fontshare
from pipeline.engine.fontshare import FontMemo
from pipeline.engine.pdf import merge_pdfs

TEXTS = ["洪洞县新建高标准农田", "全县小麦机收率达到九成", "城乡公交实现村村通，群众出行方便"]


def page_pdf(path: Path, text: str) -> Path:
    document = ("<html lang='zh-Hans'><head><style>@page { size: A6 } h2 { font-family: 'Noto Sans CJK SC' } "
                f"body {{ font-family: 'Noto Serif CJK SC' }}</style></head><body><h1>{text}</h1><h2>{text[::-1]}</h2>"
                "</body></html>")
    weasyprint.HTML(string=document).write_pdf(path)
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often HarfBuzz subsets and fontTools reads a name, with this process's memo emptied."""
    counts = {"subset": 0, "name": 0}
    subset, name = fontshare.subset_font, fontshare._postscript_name

    def counted_subset(*args: Any) -> Any:
        counts["subset"] += 1
        return subset(*args)

    def counted_name(program: bytes) -> Any:
        counts["name"] += 1
        return name(program)

    monkeypatch.setattr(fontshare, "subset_font", counted_subset)
    monkeypatch.setattr(fontshare, "_postscript_name", counted_name)
    for table in ("_PROOFS", "_UNIONS", "_NAMES"):
        monkeypatch.setattr(fontshare, table, {})
    return counts


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process: nothing in memory, only what is on disk."""
    for table in ("_PROOFS", "_UNIONS", "_NAMES"):
        monkeypatch.setattr(fontshare, table, {})


def _shared_faces(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        programs = {obj.get("/FontFile3", obj.get("/FontFile2")).objgen for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"}
        return len(programs)


def test_remembered_merge_is_the_same_bytes_and_subsets_nothing(tmp_path: Path, calls: dict[str, int],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [page_pdf(tmp_path / f"{n}.pdf", text) for n, text in enumerate(TEXTS)]
    plain = merge_pdfs(paths)
    assert _shared_faces(plain) == 2  # serif and sans, each shared by the three pages
    assert calls == {"subset": 4, "name": 6}  # each face: its proof and its union; each page's two programs
    _forget(monkeypatch)
    folder = tmp_path / "output" / ".cache" / "_fonts"
    assert merge_pdfs(paths, cache=folder) == plain
    assert calls == {"subset": 8, "name": 12}
    records = sorted(p.name for p in folder.iterdir())
    assert len(records) == 2 + 2 + 6
    _forget(monkeypatch)
    assert merge_pdfs(paths, cache=folder) == plain  # from disk: no HarfBuzz, no fontTools
    assert calls == {"subset": 8, "name": 12}
    assert merge_pdfs(paths) == plain  # from this process's memory, without a folder
    assert calls == {"subset": 8, "name": 12}
    assert sorted(p.name for p in folder.iterdir()) == records
    other = tmp_path / "other" / ".cache" / "_fonts"
    assert merge_pdfs(paths, cache=other) == plain  # from memory, and written to a folder that lacks them
    assert calls == {"subset": 8, "name": 12}
    assert {p.name: p.read_bytes() for p in other.iterdir()} == {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_record_is_made_again(tmp_path: Path, calls: dict[str, int], monkeypatch: pytest.MonkeyPatch,
                                        damage: str) -> None:
    paths = [page_pdf(tmp_path / f"{n}.pdf", text) for n, text in enumerate(TEXTS[:2])]
    folder = tmp_path / "fonts"
    plain = merge_pdfs(paths, cache=folder)
    made = dict(calls)
    for record in folder.iterdir():
        data = record.read_bytes()
        record.write_bytes({"truncate": data[:-3], "flip": data[:-1] + bytes([data[-1] ^ 1]), "empty": b"",
                            "garbage": b"0" * 64 + b"\n" + data[65:]}[damage])
    _forget(monkeypatch)
    assert merge_pdfs(paths, cache=folder) == plain
    assert calls == {key: 2 * value for key, value in made.items()}  # every record made again
    _forget(monkeypatch)
    assert merge_pdfs(paths, cache=folder) == plain  # and rewritten whole
    assert calls == {key: 2 * value for key, value in made.items()}


def test_the_key_follows_the_font_file_the_glyphs_and_the_probe(tmp_path: Path) -> None:
    font = tmp_path / "font.otf"
    font.write_bytes(b"x" * 10)
    key = FontMemo.key("proof", str(font), 0, [3, 1, 2], b"probe")
    assert FontMemo.key("proof", str(font), 0, [1, 2, 3, 3], b"probe") == key
    assert FontMemo.key("proof", str(font), 1, [1, 2, 3], b"probe") != key
    assert FontMemo.key("proof", str(font), 0, [1, 2], b"probe") != key
    assert FontMemo.key("proof", str(font), 0, [1, 2, 3], b"other") != key
    assert FontMemo.key("union", str(font), 0, [1, 2, 3], b"probe") != key
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert FontMemo.key("proof", str(font), 0, [1, 2, 3], b"probe") != key
    touched = FontMemo.key("proof", str(font), 0, [1, 2, 3], b"probe")
    font.write_bytes(b"y" * 11)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert FontMemo.key("proof", str(font), 0, [1, 2, 3], b"probe") != touched


def test_old_records_beyond_the_limit_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontshare, "_KEPT_ON_DISK", 3)
    memo = FontMemo(tmp_path)
    for n in range(5):
        memo._write(f"{n:064x}", b"same")
        os.utime(tmp_path / f"{n:064x}", ns=(n * 10**9, n * 10**9))
    memo.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{n:064x}" for n in (2, 3, 4)]


# ----------------------------------------------------------------------------- in a build

PAGES = {"a": "县里召开会议\n\n会议指出，要抓好秋粮收购工作，确保\n农民增收。会议要求各乡镇认真落实。\n（张三 李四）\n",
         "b": "乡村道路修缮完工\n\n今年以来，全县共修缮乡村道路一百二十\n公里，方便了群众出行。（王五）\n",
         "c": "文化活动丰富多彩\n\n国庆期间，县文化馆举办了书画展览和\n戏曲演出，吸引了大批群众观看。（赵六）\n"}


def _publication(root: Path) -> Path:
    (root / "source").mkdir(parents=True)
    for name, text in PAGES.items():
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
    listing = "".join(f"  - source: source/{name}.txt\n" for name in PAGES)
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报, date: 2022-03-04}\n"
                      "paper: {size: A4, columns: 3, body_size: 10pt, pages: 1}\n"
                      f"editions: [zh-Hans]\npages:\n{listing}", encoding="utf-8")
    return config


def _build(config: Path, jobs: int) -> bytes:
    code = main(["build", "--config", str(config), "--jobs", str(jobs)], stdout=io.StringIO(), stderr=io.StringIO())
    assert code in (0, 1)  # 1: preflight warnings of a small test page
    return (config.parent / "output" / "zh-Hans" / "issue.pdf").read_bytes()


def test_an_edited_and_reverted_issue_is_byte_identical_to_a_cold_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    config = _publication(tmp_path / "pub")
    cold = _build(config, 1)
    assert list((tmp_path / "pub" / "output" / ".cache" / "_fonts").iterdir())  # the records, inside the output
    source = tmp_path / "pub" / "source" / "b.txt"
    source.write_text(PAGES["b"].replace("出行", "出游"), encoding="utf-8")
    _forget(monkeypatch)
    edited = _build(config, 1)
    assert edited != cold
    shutil.copytree(tmp_path / "pub", tmp_path / "fresh", ignore=shutil.ignore_patterns("output"))
    _forget(monkeypatch)
    assert _build(tmp_path / "fresh" / "broadsheet.yaml", 2) == edited  # the edited issue, cold, --jobs 2
    source.write_text(PAGES["b"], encoding="utf-8")
    _forget(monkeypatch)
    assert _build(config, 1) == cold


def test_a_record_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    memo = FontMemo(tmp_path / "memo")
    monkeypatch.setattr(fontshare.os, "replace", full_disk)
    memo._write("record", b"body")
    assert list((tmp_path / "memo").iterdir()) == [] and not memo.written
    monkeypatch.undo()
    memo._write("record", b"body")
    assert [p.name for p in (tmp_path / "memo").iterdir()] == ["record"] and memo._read("record") == b"body"
