"""The CLI: documented in the README, one-line errors, DESIGN.md's exit codes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from pipeline.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "hongdong.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _subcommands() -> dict[str, object]:
    parser = make_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


def test_every_subcommand_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, sub in _subcommands().items():
        assert f"broadsheet {name}" in readme, name
        for action in sub._actions:  # type: ignore[attr-defined]
            for option in action.option_strings:
                assert re.search(rf"`{re.escape(option)}[` ]", readme), (name, option)


def test_every_subcommand_help_ends_with_an_example() -> None:
    for name, sub in _subcommands().items():
        assert sub.epilog and sub.epilog.startswith("Example: broadsheet " + name), name  # type: ignore[attr-defined]


def test_parse_json_has_six_bylines_and_the_caption() -> None:
    code, out, err = run("parse", str(SAMPLE), "--json")
    assert code == 0, err
    page = json.loads(out)
    bylines = [a["byline"] for a in page["articles"] if a["byline"]]
    assert len(bylines) == 6
    assert all(isinstance(name, str) and " " not in name for names in bylines for name in names)
    assert page["captions"][0]["text"] == "洪洞县委副书记、县长李俊平调研指导煤矿安全生产等工作"
    assert page["source"] == str(SAMPLE)


def test_parse_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("标题\n\n正文一句。\n".encode())))
    code, out, _ = run("parse", "-", "--json")
    assert code == 0
    assert json.loads(out)["source"] == "-"


def test_missing_page_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    code, out, err = run("parse", str(missing))
    assert code == 2
    assert err == f"broadsheet: error: {missing}: no such file\n"
    assert out == ""


def test_usage_error_exit_2() -> None:
    code, _, err = run("parse")
    assert code == 2
    assert err.count("\n") == 1 and "broadsheet parse" in err


def test_unknown_edition_exit_2() -> None:
    code, _, err = run("convert", str(SAMPLE), "--edition", "zh-XX")
    assert code == 2
    assert "unknown edition 'zh-XX'" in err and err.count("\n") == 1


def test_build_with_missing_config_exit_2(tmp_path: Path) -> None:
    code, _, err = run("build", "--config", str(tmp_path / "broadsheet.yaml"))
    assert code == 2
    assert "config file not found" in err


def test_explain_lists_repairs_with_lines() -> None:
    code, out, _ = run("explain", str(SAMPLE))
    assert code == 0
    assert re.search(r"\b15\b", out) and "全国平安农机示范县" in out
