"""``broadsheet fonts``: each edition's faces, their files, their coverage of the pages, a missing face's package."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.editions import EDITIONS
from pipeline.engine.fonts import font_package, report_faces

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _publication(root: Path, text: str, editions: str) -> Path:
    (root / "source").mkdir()
    (root / "source" / "p.txt").write_text(text, encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text("publication: {name: 测试县报}\npaper: {size: A4, columns: 3}\n"
                      f"editions: {editions}\npages:\n  - source: source/p.txt\n", encoding="utf-8")
    return config


PAGE = "县里召开会议\n\n会议指出，要抓好秋粮收购工作。\n（张三 李四）\n"


def test_the_sample_lists_three_editions_faces_and_files() -> None:
    code, out, err = run("fonts", "--config", str(ROOT / "broadsheet.yaml"))
    assert code == 0, err
    blocks = out.split("\n")
    assert [line.split()[0] for line in blocks if line and not line.startswith(" ")] == ["zh-Hans", "zh-TW", "zh-HK"]
    for edition in ("zh-Hans", "zh-TW", "zh-HK"):
        for role in ("serif", "sans", "kai"):
            family = getattr(EDITIONS[edition], role)
            assert any(line.split()[:1] == [role] and family in line and "covers all" in line for line in blocks), \
                (edition, role)
    assert "/usr/share/fonts/" in out or ".tt" in out


def test_one_edition_only(tmp_path: Path) -> None:
    config = _publication(tmp_path, PAGE, "[zh-Hans, zh-TW]")
    code, out, _ = run("fonts", "--config", str(config), "--edition", "zh-TW")
    assert code == 0
    assert out.startswith("zh-TW (臺灣版)\n") and "zh-Hans" not in out


def test_unknown_edition_is_exit_2(tmp_path: Path) -> None:
    config = _publication(tmp_path, PAGE, "[zh-Hans]")
    code, _, err = run("fonts", "--config", str(config), "--edition", "zh-XX")
    assert code == 2 and "unknown edition 'zh-XX', not among the config's editions" in err and err.count("\n") == 1


def test_a_missing_face_names_its_package_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A face named in broadsheet.yaml is checked when the config loads; a built-in edition's
    # default face is not, so this is what a machine without fonts-arphic-ukai shows.
    monkeypatch.setitem(EDITIONS, "zh-TW", dataclasses.replace(EDITIONS["zh-TW"], kai="AR PL UKai QQ"))
    config = _publication(tmp_path, PAGE, "[zh-TW]")
    code, out, err = run("fonts", "--config", str(config))
    assert code == 1
    assert "  kai    AR PL UKai QQ: not installed; install fonts-arphic-ukai\n" in out
    assert err == "broadsheet: error: a face is missing or lacks characters of the pages\n"


def test_characters_a_face_lacks_are_listed(tmp_path: Path) -> None:
    # An Egyptian hieroglyph: no CJK face has it.
    text = "县里召开会议\n\n会议指出\N{EGYPTIAN HIEROGLYPH A001}要抓好秋粮收购工作。\n"
    config = _publication(tmp_path, text, "[zh-Hans]")
    code, out, _ = run("fonts", "--config", str(config))
    assert code == 1
    serif = next(line for line in out.splitlines() if line.startswith("  serif"))
    assert serif.endswith("characters: \N{EGYPTIAN HIEROGLYPH A001} (U+13000)")
    assert "lacks 1 of" in serif
    kai = next(line for line in out.splitlines() if line.startswith("  kai"))
    assert "covers all" in kai


@pytest.mark.parametrize(("family", "weight", "package"), [
    ("Noto Serif CJK SC", 400, "fonts-noto-cjk"),
    ("Noto Sans CJK HK", 700, "fonts-noto-cjk"),
    ("Noto Serif CJK TC", 900, "fonts-noto-cjk-extra"),
    ("LXGW WenKai", 400, "fonts-lxgw-wenkai"),
    ("AR PL UKai TW", 400, "fonts-arphic-ukai"),
    ("Some Other Face", 400, None),
])
def test_font_package(family: str, weight: int, package: str | None) -> None:
    assert font_package(family, weight) == package


def test_report_faces_checks_each_role_against_its_texts() -> None:
    texts = {"serif": [("正文", "p1")], "sans": [("标题", "h")], "kai": [("张三", "byline")]}
    reports = report_faces(EDITIONS["zh-Hans"], texts)
    assert [(r.role, r.family, r.checked, r.missing, r.ok) for r in reports] == [
        ("serif", "Noto Serif CJK SC", 2, (), True),
        ("sans", "Noto Sans CJK SC", 2, (), True),
        ("kai", "LXGW WenKai", 2, (), True),
    ]
    assert all(r.file and Path(r.file).is_file() for r in reports)
