"""Every option of every subcommand makes an observable difference, through ``main([...])``.

The cases are a table keyed by (subcommand, option); a test generated from the parser fails
when an option has no case, and another fails when ``cli.py`` reads an ``args.X`` that no
option defines.  Each case runs the command with and without its option and asserts what
differs: an exit code, a file, a line of output.
"""

from __future__ import annotations

import ast
import io
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import pipeline.cli as cli
from pipeline.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "hongdong.txt"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@dataclass
class Paper:
    """A scaffolded publication, built once in every edition (the 'without' runs reuse it)."""

    root: Path
    scratch: Path

    @property
    def config(self) -> Path:
        return self.root / "broadsheet.yaml"

    @property
    def page(self) -> Path:
        return self.root / "source" / "example.txt"

    def fresh(self, name: str) -> Path:
        """A new, not yet existing folder for an ``--output``."""
        folder = self.scratch / name
        shutil.rmtree(folder, ignore_errors=True)
        return folder


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Paper:
    scratch = tmp_path_factory.mktemp("options")
    root = scratch / "paper"
    assert run("init", root, "--name", "选项县报", "-q").code == 0
    built = run("build", "--config", root / "broadsheet.yaml", "--jobs", "1", "-q")
    assert built.code in (0, 1), built.err
    return Paper(root, scratch)


def _subcommands() -> dict[str, object]:
    parser = make_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


def parser_options() -> list[tuple[str, str]]:
    """(subcommand, longest option string) for every optional argument, plus the top-level ones."""
    found = [("broadsheet", max(a.option_strings, key=len)) for a in make_parser()._actions
             if a.option_strings and a.dest not in ("help", "command")]
    for name, sub in _subcommands().items():
        for action in sub._actions:  # type: ignore[attr-defined]
            if action.option_strings and action.dest != "help":
                found.append((name, max(action.option_strings, key=len)))
    return found


CASES: dict[tuple[str, str], Callable[[Paper, pytest.MonkeyPatch], None]] = {}


def case(command: str, *options: str) -> Callable[[Callable[[Paper, pytest.MonkeyPatch], None]],
                                                     Callable[[Paper, pytest.MonkeyPatch], None]]:
    def register(function: Callable[[Paper, pytest.MonkeyPatch], None]) -> Callable[[Paper, pytest.MonkeyPatch], None]:
        for option in options:
            CASES[command, option] = function
        return function
    return register


# ----------------------------------------------------------------------------- the generated checks


def test_every_option_has_a_case() -> None:
    missing = [f"{command} {option}" for command, option in parser_options() if (command, option) not in CASES]
    assert missing == [], "options without a case in tests/test_cli_options.py"


def test_every_case_is_a_real_option() -> None:
    assert set(CASES) <= set(parser_options())


def test_every_args_read_has_its_option() -> None:
    tree = ast.parse(Path(cli.__file__).read_text(encoding="utf-8"))
    read = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "args"}
    dests = {a.dest for a in make_parser()._actions}
    for sub in _subcommands().values():
        dests |= {a.dest for a in sub._actions}  # type: ignore[attr-defined]
    assert read - dests == set()


# ----------------------------------------------------------------------------- top level


@case("broadsheet", "--version")
def _version(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    with_it, without = run("--version"), run()
    assert with_it.code == 0 and with_it.out.startswith("broadsheet ") and with_it.out.count("\n") == 1
    assert without.code == 2 and "usage" in without.out


# ----------------------------------------------------------------------------- build (and watch/serve alike)


def _no_pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the worker processes a build asks for, rendering in this process instead."""
    import pipeline.project.build as build

    asked: list[int] = []

    class InlinePool:
        def __init__(self, max_workers: int, **options: object) -> None:  # initializer: the workers' gc.freeze
            asked.append(max_workers)

        def __enter__(self) -> InlinePool:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def map(self, function: Callable[..., object], items: object) -> Iterator[object]:
            return map(function, items)  # type: ignore[call-overload]

    monkeypatch.setattr(build, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 4)
    return asked


@case("build", "--config")
def _build_config(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(paper.scratch)
    assert "config file not found" in run("build").err
    assert run("build", "--config", paper.config, "-q").code in (0, 1)


@case("build", "--edition")
def _build_edition(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    output = paper.fresh("edition")
    assert run("build", "--config", paper.config, "--edition", "zh-Hans", "--output", output, "-q").code in (0, 1)
    assert (output / "zh-Hans" / "example.pdf").is_file() and not (output / "zh-TW").exists()
    assert (paper.root / "output" / "zh-TW" / "example.pdf").is_file()


@case("build", "--jobs")
def _build_jobs(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _no_pool(monkeypatch)
    run("build", "--config", paper.config, "--edition", "zh-Hans", "--edition", "zh-TW",
        "--output", paper.fresh("jobs-default"), "-q")
    assert asked == [2]  # min(cores, jobs) workers
    asked.clear()
    run("build", "--config", paper.config, "--edition", "zh-Hans", "--edition", "zh-TW",
        "--output", paper.fresh("jobs-1"), "--jobs", "1", "-q")
    assert asked == []  # one job at a time, in this process


@case("build", "--output")
def _build_output(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    output = paper.fresh("output")
    run("build", "--config", paper.config, "--edition", "zh-Hans", "--output", output, "-q")
    assert json.loads((output / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def _one_page(paper: Paper, folder: str, name: str, text: str) -> Path:
    """A publication in ``folder`` of the scratch space with one A4 page, budget one (made once)."""
    root = paper.scratch / folder
    if not root.exists():
        (root / "source").mkdir(parents=True)
        (root / "broadsheet.yaml").write_text(
            "publication: {name: 测试, date: 2024-01-02}\npaper: {size: A4, columns: 3, pages: 1}\n"
            f"editions: [zh-Hans]\npages:\n  - source: source/{name}.txt\n", encoding="utf-8")
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
    return root / "broadsheet.yaml"


def _over_budget(paper: Paper) -> Path:
    """A publication whose one A4 page takes two pages against a budget of one."""
    paragraph = "县里组织农技人员深入田间地头，指导群众做好秋收秋种工作，确保颗粒归仓。" * 6
    return _one_page(paper, "over", "long", "秋收秋种有序推进\n\n" + "\n\n".join(paragraph for _ in range(14)) + "\n")


@case("build", "--check")
def _build_check(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _over_budget(paper)
    with_it = run("build", "--config", config, "--check", "-q")
    assert with_it.code == 1 and "over the page budget of 1" in with_it.err
    without = run("build", "--config", config, "-q")  # nothing to do: the cached findings are warnings
    assert without.code == 0 and "warning: preflight" in without.err


@case("build", "--preview")
def _build_preview(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    output = paper.fresh("preview")
    run("build", "--config", paper.config, "--edition", "zh-Hans", "--output", output, "-q")
    assert not list((output / "zh-Hans").glob("*.png"))
    run("build", "--config", paper.config, "--edition", "zh-Hans", "--output", output, "--preview", "-q")
    assert (output / "zh-Hans" / "example-1.png").is_file()


@case("build", "--scheduler")
def _build_scheduler(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    # The client connects on the first round with work (a no-change build contacts no one).
    refused = run("build", "--config", paper.config, "--scheduler", "tcp://127.0.0.1:9", "-q",
                  "--output", paper.fresh("scheduler"))
    assert refused.code == 2 and "tcp://127.0.0.1:9" in refused.err and refused.err.count("\n") == 1
    assert run("build", "--config", paper.config, "-q", "--output", paper.fresh("scheduler")).code in (0, 1)


@case("build", "--shard")
def _build_shard(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    output = paper.fresh("shard")
    assert run("build", "--config", paper.config, "--shard", "1/2", "--output", output, "-q").code in (0, 1)
    assert not list(output.glob("*/issue.pdf"))  # a shard leaves the issue to merge
    assert list((paper.root / "output").glob("*/issue.pdf"))


@case("build", "--verbose")
def _build_verbose(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "timings:" in run("build", "--config", paper.config, "-v").err
    assert "timings:" not in run("build", "--config", paper.config).err


@case("build", "--quiet")
def _build_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--config", paper.config).out.strip()
    assert run("build", "--config", paper.config, "-q").out == ""


def _with_unknown_key(paper: Paper) -> Path:
    config = paper.root / "unknown-key.yaml"
    config.write_text(paper.config.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    return config


@case("build", "--strict")
def _build_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _with_unknown_key(paper)
    lenient = run("build", "--config", config, "-q", "--edition", "zh-Hans")
    assert "colour" in lenient.err and lenient.code in (0, 1)
    assert run("build", "--config", config, "--strict", "-q", "--edition", "zh-Hans").code not in (0,)


# ----------------------------------------------------------------------------- merge


@pytest.fixture(scope="module")
def shards(paper: Paper) -> list[Path]:
    folders = []
    for number in (1, 2):
        output = paper.scratch / f"merge-shard-{number}"
        if not output.exists():
            assert run("build", "--config", paper.config, "--shard", f"{number}/2", "--output", output,
                       "--jobs", "1", "-q").code in (0, 1)
        folders.append(output)
    return folders


def _merge(paper: Paper, *extra: str) -> Run:
    folders = [paper.scratch / "merge-shard-1", paper.scratch / "merge-shard-2"]
    if not all(f.exists() for f in folders):
        for number, output in enumerate(folders, 1):
            run("build", "--config", paper.config, "--shard", f"{number}/2", "--output", output, "--jobs", "1", "-q")
    return run("merge", *folders, *extra)


@case("merge", "--output", "--config")
def _merge_output_config(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(paper.scratch)
    output = paper.fresh("merged")
    assert "config file not found" in _merge(paper, "--output", output).err
    merged = _merge(paper, "--output", output, "--config", paper.config, "-q")
    assert merged.code in (0, 1), merged.err
    assert list(output.glob("*/issue.pdf"))
    assert run("merge", paper.scratch / "merge-shard-1").code == 2  # --output is required


@case("merge", "--jobs")
def _merge_jobs(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = _merge(paper, "--output", paper.fresh("merged-jobs"), "--config", paper.config, "--jobs", "0")
    assert bad.code == 2 and "--jobs" in bad.err
    assert _merge(paper, "--output", paper.fresh("merged-jobs"), "--config", paper.config, "-q").code in (0, 1)


def _briefs(paper: Paper) -> Path:
    """A publication whose one page of forty short briefs takes 4 pages: its text alone, counted
    against the page's capacity, says 1 (the build's first numbering guess), since titles and
    rules take most of the room."""
    brief = "县农业农村局组织农技人员深入乡村，讲解秋收秋种技术。"
    briefs = "\n\n".join(f"第{n}期农技培训班开班\n\n{brief}" for n in range(1, 41))
    return _one_page(paper, "briefs", "briefs", briefs + "\n")


@case("merge", "--scheduler")
def _merge_scheduler(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    # The briefs take 4 pages where the first guess said 1: the shard numbered them "1 of 1", so
    # the merge renders the page again ("1 of 4") and, with --scheduler, has to reach the cluster.
    config = _briefs(paper)
    shard = config.parent / "shard-sched"
    if not shard.exists():
        run("build", "--config", config, "--shard", "1/1", "--output", shard, "-q")
    refused = run("merge", shard, "--output", config.parent / "merged-sched", "--config", config,
                  "--scheduler", "tcp://127.0.0.1:9", "-q")
    assert refused.code == 2 and "tcp://127.0.0.1:9" in refused.err
    assert run("merge", shard, "--output", config.parent / "merged-local", "--config", config, "-q").code == 0


@case("merge", "--check", "--strict")
def _merge_check(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _over_budget(paper)
    root = config.parent
    shard = root / "shard-1"
    if not shard.exists():
        run("build", "--config", config, "--shard", "1/1", "--output", shard, "-q")
    lenient = run("merge", shard, "--output", root / "merged-lenient", "--config", config, "-q")
    assert lenient.code == 0 and "over the page budget" in lenient.err
    checked = run("merge", shard, "--output", root / "merged-check", "--config", config, "--check", "-q")
    assert checked.code == 1
    strict = run("merge", shard, "--output", root / "merged-strict", "--config", config, "--strict", "-q")
    assert strict.code == 1


@case("merge", "--verbose", "--quiet")
def _merge_verbose_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _merge(paper, "--output", paper.fresh("merged-v"), "--config", paper.config)
    assert plain.out.startswith("merged ")
    quiet = _merge(paper, "--output", paper.fresh("merged-q"), "--config", paper.config, "-q")
    assert quiet.out == ""
    verbose = _merge(paper, "--output", paper.fresh("merged-vv"), "--config", paper.config, "-v")
    assert len(verbose.err) > len(plain.err)


# ----------------------------------------------------------------------------- parse and explain


DOUBTFUL = "市\n\n今天县里召开大会，部署秋收工作。\n"


def _page(paper: Paper, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = paper.scratch / name
    path.write_bytes(text.encode(encoding))
    return path


@case("parse", "--json")
def _parse_json(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(run("parse", SAMPLE, "--json").out)["articles"]
    with pytest.raises(ValueError):
        json.loads(run("parse", SAMPLE).out)


@case("parse", "--encoding")
@case("explain", "--encoding")
@case("convert", "--encoding")
def _encoding(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _page(paper, "gb.txt", "县里召开秋收工作会议\n\n会议要求各乡镇抓紧秋收。\n", "gb18030")
    detected = run("parse", path).out
    forced = run("parse", path, "--encoding", "big5", "--replace").out
    assert "秋收" in detected and "秋收" not in forced


@case("parse", "--replace")
@case("explain", "--replace")
@case("convert", "--replace")
def _replace(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    path = paper.scratch / "broken.txt"
    path.write_bytes("县里召开会议。\n".encode() + b"\xff\xfe\x00\xff" + "会议要求抓紧秋收。\n".encode())
    refused = run("parse", path, "--encoding", "utf-8")
    assert refused.code == 2 and "--replace" in refused.err
    assert run("parse", path, "--encoding", "utf-8", "--replace").code == 0


@case("parse", "--sidecar")
@case("explain", "--sidecar")
@case("convert", "--sidecar")
def _sidecar(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "titled.txt", "县里召开秋收会议\n\n会议要求各乡镇抓紧秋收，确保颗粒归仓。\n")
    sidecar = paper.scratch / "fix.yaml"
    sidecar.write_text("articles:\n  - {line: 3, headline: 秋收工作部署会召开}\n", encoding="utf-8")
    without = json.loads(run("parse", page, "--json").out)
    fixed = json.loads(run("parse", page, "--json", "--sidecar", sidecar).out)
    assert fixed["articles"][0]["headline"] == "秋收工作部署会召开" != without["articles"][0]["headline"]


@case("parse", "--verbose")
@case("explain", "--verbose")
def _verbose_text(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    for command in ("parse", "explain"):
        assert "timings: decode" in run(command, SAMPLE, "-v").err
        assert "timings" not in run(command, SAMPLE).err


@case("parse", "--quiet")
def _parse_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "doubtful.txt", DOUBTFUL)
    assert "warning" in run("parse", page).err
    assert run("parse", page, "-q").err == ""


@case("parse", "--strict")
@case("explain", "--strict")
def _strict_doubts(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "doubtful.txt", DOUBTFUL)
    for command in ("parse", "explain"):
        assert run(command, page).code == 0
        assert run(command, page, "--strict").code == 1
        assert run(command, SAMPLE, "--strict").code == 0  # the sample raises no doubt


@case("explain", "--quiet")
def _explain_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = run("explain", SAMPLE).out
    quiet = run("explain", SAMPLE, "-q").out
    assert "space-removed" in everything and "space-removed" not in quiet
    assert "undoubled-caption" in quiet  # it removed text: an editor must see it


# ----------------------------------------------------------------------------- convert


@case("convert", "--edition")
def _convert_edition(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "县" in run("convert", SAMPLE, "--edition", "zh-Hans").out
    assert "縣" in run("convert", SAMPLE, "--edition", "zh-TW").out
    assert run("convert", SAMPLE).code == 2  # required


@case("convert", "--opencc")
def _convert_opencc(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "net.txt", "网络\n\n县里建成了覆盖全县的宽带网络，方便群众使用软件。\n")
    assert "網絡" in run("convert", page, "--edition", "zh-TW").out
    assert "網路" in run("convert", page, "--edition", "zh-TW", "--opencc", "s2twp").out


@case("convert", "--phrases")
def _convert_phrases(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "phrase.txt", "会议\n\n县里召开了秋收工作会议。\n")
    phrases = paper.scratch / "mine.yaml"
    phrases.write_text("phrases:\n  - {from: 秋收, to: 秋穫}\n", encoding="utf-8")
    assert "秋穫" not in run("convert", page, "--edition", "zh-TW").out
    assert "秋穫" in run("convert", page, "--edition", "zh-TW", "--phrases", phrases).out


@case("convert", "--plain")
def _convert_plain(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(paper, "lines.txt", "会议\n\n县里召开了秋收工作会议，要求各乡镇\n抓紧时间，确保颗粒归仓。\n")
    plain = run("convert", page, "--edition", "zh-TW", "--plain").out
    assert plain == "會議\n\n縣裡召開了秋收工作會議，要求各鄉鎮\n抓緊時間，確保顆粒歸倉。\n"
    assert "鄉鎮抓緊" in run("convert", page, "--edition", "zh-TW").out


@case("convert", "--report")
def _convert_report(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "one-to-many" in run("convert", SAMPLE, "--edition", "zh-TW", "--report").out
    assert "one-to-many" not in run("convert", SAMPLE, "--edition", "zh-TW").out


@case("convert", "--json")
def _convert_json(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(run("convert", SAMPLE, "--edition", "zh-TW", "--json").out)["articles"]
    report = json.loads(run("convert", SAMPLE, "--edition", "zh-TW", "--report", "--json").out)
    assert report
    with pytest.raises(ValueError):
        json.loads(run("convert", SAMPLE, "--edition", "zh-TW").out)


@case("convert", "--verbose")
def _convert_verbose(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "timings: dictionaries" in run("convert", SAMPLE, "--edition", "zh-TW", "-v").err
    assert "timings" not in run("convert", SAMPLE, "--edition", "zh-TW").err


def _phrases_with_unknown_key(paper: Paper) -> Path:
    phrases = paper.scratch / "odd-phrases.yaml"
    phrases.write_text("phrases:\n  - {from: 秋收, to: 秋收, colour: red}\n", encoding="utf-8")
    return phrases


@case("convert", "--quiet", "--strict")
def _convert_quiet_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    phrases = _phrases_with_unknown_key(paper)
    lenient = run("convert", SAMPLE, "--edition", "zh-TW", "--phrases", phrases)
    assert lenient.code == 0 and "colour" in lenient.err
    assert "colour" not in run("convert", SAMPLE, "--edition", "zh-TW", "--phrases", phrases, "-q").err
    assert run("convert", SAMPLE, "--edition", "zh-TW", "--phrases", phrases, "--strict").code == 1


# ----------------------------------------------------------------------------- check


def _pdf(paper: Paper) -> Path:
    return paper.root / "output" / "zh-Hans" / "example.pdf"


@case("check", "--page")
def _check_page(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("check", _pdf(paper)).code == 0
    assert run("check", _pdf(paper), "--page", SAMPLE).code == 1  # another page's text is missing


@case("check", "--edition")
def _check_edition(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("check", _pdf(paper)).code == 0
    assert run("check", _pdf(paper), "--edition", "zh-TW").code == 1  # not the zh-TW faces


@case("check", "--pages")
def _check_pages(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _over_budget(paper)
    run("build", "--config", config, "-q")
    pdf = config.parent / "output" / "zh-Hans" / "long.pdf"
    assert "over the page budget" not in run("check", pdf).out
    failed = run("check", pdf, "--pages", "1")
    assert failed.code == 1 and "over the page budget of 1" in failed.out


@case("check", "--json")
def _check_json(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "ok" in json.loads(run("check", _pdf(paper), "--json").out)
    with pytest.raises(ValueError):
        json.loads(run("check", _pdf(paper)).out)


@case("check", "--verbose", "--quiet")
def _check_verbose_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = run("check", _pdf(paper)).out
    assert len(run("check", _pdf(paper), "-v").out) > len(plain)
    assert run("check", _pdf(paper), "-q").out == "" != plain


@case("check", "--strict")
def _check_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = paper.root / "output" / "zh-Hans" / "issue.pdf"  # no page JSON beside it: text not checked
    assert run("check", issue).code == 0
    assert run("check", issue, "--strict").code == 1


# ----------------------------------------------------------------------------- init


@case("init", "--name")
def _init_name(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    named, unnamed = paper.fresh("named"), paper.fresh("unnamed")
    run("init", named, "--name", "山城晚报", "-q")
    run("init", unnamed, "-q")
    assert "山城晚报" in (named / "broadsheet.yaml").read_text(encoding="utf-8")
    assert "山城晚报" not in (unnamed / "broadsheet.yaml").read_text(encoding="utf-8")


@case("init", "--verbose", "--quiet")
def _init_verbose_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "timings: scaffold" in run("init", paper.fresh("init-v"), "-v").err
    assert run("init", paper.fresh("init-plain")).out.startswith("created ")
    assert run("init", paper.fresh("init-q"), "-q").out == ""


@case("init", "--strict")
def _init_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = paper.root / "supplement"
    shutil.rmtree(inside, ignore_errors=True)
    lenient = run("init", inside, "-q")
    assert lenient.code == 0
    shutil.rmtree(inside)
    strict = run("init", inside, "--strict")
    assert strict.code == 1 and "inside the publication" in strict.err
    shutil.rmtree(inside)


# ----------------------------------------------------------------------------- fonts


@case("fonts", "--config")
def _fonts_config(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(paper.scratch)
    assert run("fonts").code == 2
    assert "LXGW WenKai" in run("fonts", "--config", paper.config).out


@case("fonts", "--edition")
def _fonts_edition(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "zh-TW" in run("fonts", "--config", paper.config).out
    assert "zh-TW" not in run("fonts", "--config", paper.config, "--edition", "zh-Hans").out


@case("fonts", "--verbose", "--quiet")
def _fonts_verbose_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "timings: " in run("fonts", "--config", paper.config, "-v").err
    assert run("fonts", "--config", paper.config).out
    assert run("fonts", "--config", paper.config, "-q").out == ""  # every face present and covering


@case("fonts", "--strict")
def _fonts_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _with_unknown_key(paper)
    assert run("fonts", "--config", config, "--edition", "zh-Hans").code == 0
    assert run("fonts", "--config", config, "--edition", "zh-Hans", "--strict").code == 2


# ----------------------------------------------------------------------------- watch and serve


def _one_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Watch without a file system: the loop builds once and sees no change."""
    import pipeline.project.watch as watch

    monkeypatch.setattr(watch, "disk_changes", lambda folders, stop=None: iter(()))


@case("watch", "--config", "--edition", "--output", "--preview")
@case("serve", "--config", "--edition", "--output")
def _desk_options(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_build(monkeypatch)
    monkeypatch.chdir(paper.scratch)
    for command in ("watch", "serve"):
        port = ("--port", "0") if command == "serve" else ()
        assert "config file not found" in run(command, *port).err
        output = paper.fresh(f"{command}-out")
        preview = ("--preview",) if command == "watch" else ()
        done = run(command, "--config", paper.config, "--edition", "zh-Hans", "--output", output, *preview, *port)
        assert done.code == 0, done.err
        assert (output / "zh-Hans" / "example.pdf").is_file() and not (output / "zh-TW").exists()
        assert (output / "zh-Hans" / "example-1.png").is_file()  # serve always previews; watch when asked
    plain = paper.fresh("watch-plain")
    run("watch", "--config", paper.config, "--edition", "zh-Hans", "--output", plain)
    assert not (plain / "zh-Hans" / "example-1.png").exists()


@case("watch", "--jobs")
@case("serve", "--jobs")
def _desk_jobs(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_build(monkeypatch)
    for command in ("watch", "serve"):
        port = ("--port", "0") if command == "serve" else ()
        bad = run(command, "--config", paper.config, "--jobs", "0", *port)
        assert bad.code == 2 and "--jobs" in bad.err
        assert run(command, "--config", paper.config, "--jobs", "1", *port).code == 0


@case("serve", "--port")
def _serve_port(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_build(monkeypatch)
    bad = run("serve", "--config", paper.config, "--port", "70000")
    assert bad.code == 2 and "--port" in bad.err
    chosen = run("serve", "--config", paper.config, "--port", "0")
    assert chosen.code == 0 and "http://127.0.0.1:" in chosen.out and ":8000" not in chosen.out


@case("watch", "--verbose", "--quiet")
@case("serve", "--verbose", "--quiet")
def _desk_verbose_quiet(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_build(monkeypatch)
    for command in ("watch", "serve"):
        port = ("--port", "0") if command == "serve" else ()
        output = paper.fresh(f"{command}-v")
        verbose = run(command, "--config", paper.config, "--edition", "zh-Hans", "--output", output, "-v", *port)
        assert "wrote " in verbose.err
        plain = run(command, "--config", paper.config, "--edition", "zh-Hans", *port)
        assert plain.out and "wrote " not in plain.err
        assert run(command, "--config", paper.config, "--edition", "zh-Hans", "-q", *port).out == ""


@case("watch", "--strict")
@case("serve", "--strict")
def _desk_strict(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_build(monkeypatch)
    config = _with_unknown_key(paper)
    for command in ("watch", "serve"):
        port = ("--port", "0") if command == "serve" else ()
        lenient = run(command, "--config", config, "--edition", "zh-Hans", *port)
        strict = run(command, "--config", config, "--edition", "zh-Hans", "--strict", *port)
        # The loop never exits on a broken build: under --strict the unknown key is its one-line error.
        assert "error" not in lenient.err
        assert "colour" in strict.err and "error" in strict.err


# ------------------------------------------------------------------ the cases, run (after the table is filled)


@pytest.mark.parametrize("command,option", sorted(CASES))
def test_option_makes_a_difference(command: str, option: str, paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    CASES[command, option](paper, monkeypatch)
