"""Preflight measures evenness (checks/grid.py) in every check and build: misses are warnings naming the place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.checks import run_checks
from pipeline.cli import main
from pipeline.editions import EDITIONS
from pipeline.project.scaffold import init_publication

TEXT = ("五年来在临汾市委市政府的坚强领导下洪洞县委县政府坚持以新时代中国特色社会主义思想为指引"
        "团结带领全县广大党员和干部群众认真推动中央和省市重大决策部署落地见效"
        "成功申报国家级小麦绿色高质高效行动示范县") * 2


def _pdf(spacing: str) -> bytes:
    """A two-column page of body text set solid, every gap widened by ``spacing``."""
    import weasyprint

    html = ("<html lang='zh-Hans'><style>body { font-family: 'Noto Serif CJK SC'; font-size: 10pt } "
            "div { width: 33em; column-count: 2; column-gap: 1em } "
            f"p {{ margin: 0; letter-spacing: {spacing}; text-indent: 2em }}</style>"
            f"<div><p>{TEXT}</p><p>{TEXT}</p></div></html>")
    return bytes(weasyprint.HTML(string=html).write_pdf())


def test_loose_lines_are_warnings_naming_page_and_line() -> None:
    report = run_checks(_pdf("0.3em"), None, EDITIONS["zh-Hans"], name="zh-Hans/p")
    assert report.grid is not None and report.grid.loosest == pytest.approx(0.3, abs=0.01)
    evenness = report.evenness()
    assert evenness[0].startswith("zh-Hans/p: evenness: looseness p95 0.300 em per gap over the goal of 0.06 (")
    named = [line for line in evenness if line.startswith("zh-Hans/p: evenness: page 1: body line 0.300 em per gap, "
                                                          "looser than 0.15: “")]
    # The five loosest lines are named by their text, the others counted.
    assert len(named) == 5 and all(line.removesuffix("”")[-4:] in TEXT for line in named)
    assert evenness[-1] == f"zh-Hans/p: evenness: page 1: {report.grid.loose_lines - 5} more body line(s) looser " \
        "than 0.15 em per gap"
    # Evenness is a warning (fails --strict), never a problem (the letter-spaced lines are ragged, a problem).
    assert set(evenness) <= set(report.warnings()) and not any("evenness" in p for p in report.problems())
    assert report.to_dict()["grid"]["loose_lines"] == report.grid.loose_lines > 0
    assert "evenness: looseness p95 0.300 em per gap" in report.format()


def test_solid_lines_give_no_evenness_warning() -> None:
    report = run_checks(_pdf("0"), None, EDITIONS["zh-Hans"], name="zh-Hans/p")
    assert report.grid is not None and report.grid.looseness
    assert report.evenness() == []


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def test_a_build_warns_of_loose_lines_and_strict_fails(tmp_path: Path) -> None:
    target = tmp_path / "paper"
    init_publication(target)
    # The publication's own stylesheet spreads every body line by a fifth of an em per gap.
    packaged = Path(__file__).resolve().parents[1] / "styles" / "zh-Hans.css"
    (target / "styles" / "zh-Hans.css").write_text(
        packaged.read_text(encoding="utf-8") + "\n.ln { letter-spacing: 0.2em; }\n", encoding="utf-8")
    config = str(target / "broadsheet.yaml")
    code, err = _run("build", "--config", config, "--edition", "zh-Hans", "--jobs", "1", "-q")
    assert code == 0
    lines = [line for line in err.splitlines() if "evenness" in line]
    assert any(line.startswith("broadsheet: warning: zh-Hans/example: evenness: page 1: body line 0.199 em")
               and "looser than 0.15: “" in line for line in lines), err
    # The second build has nothing to do and still reports them; --strict makes them a failure.
    code, err = _run("build", "--config", config, "--edition", "zh-Hans", "--jobs", "1", "-q", "--strict")
    assert code == 1 and "zh-Hans/example: evenness: page 1: body line" in err


def _glyph_column(x: float, top: float, lines: int, text: str, chars: int = 16) -> list:
    from pipeline.checks.reader import Glyph

    return [Glyph(char, x + index * 10.0, top - number * 15.0, 10.0, 10.0)
            for number in range(lines) for index, char in enumerate(text[number * chars:(number + 1) * chars])]


def test_feet_and_baselines_name_the_module_they_were_measured_in() -> None:
    from pipeline.checks.grid import analyse_grid, grid_findings
    from pipeline.checks.reader import Glyph

    body = TEXT * 3
    # A module of three columns whose last stops 6 lines short; beside it, below a title, a module
    # whose baselines sit 0.4 line off the first one's grid.
    left = (_glyph_column(0, 500, 10, body) + _glyph_column(170, 500, 10, body[160:])
            + _glyph_column(340, 500, 4, body[320:]))
    title = [Glyph(char, 560 + 24 * i, 540, 24, 24) for i, char in enumerate("另一篇")]
    other = "社区干部挨家挨户征求意见把群众提出的增设停车位安装路灯等建议纳入了设计方案" * 3
    right = _glyph_column(520, 494, 6, other, chars=12)
    findings = grid_findings(analyse_grid([left + title + right]))
    assert "page 1: column feet 6.0 lines apart, over 1 line, in the module opening “五年来在临汾市委市政府的…”" \
        in findings
    assert "page 1: baselines 0.40 line apart across the rule between the modules opening " \
        "“五年来在临汾市委市政府的…” and “社区干部挨家挨户征求意见” (goal 0.05)" in findings
