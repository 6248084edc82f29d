"""Parse the command line and run a subcommand, mapping errors to DESIGN.md's exit codes."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import BroadsheetError, CheckFailed, ConfigError, SourceError
from .timing import Stopwatch

EXIT_OK = 0
EXIT_CHECK = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{self.prog}: {message}", hint=f"see '{self.prog} -h'")


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand takes the same way (mkdocs' common_options)."""
    group = parser.add_argument_group("common options")
    group.add_argument("-v", "--verbose", action="store_true",
                       help="print each stage's timings (and, for build, why each page was rebuilt)")
    group.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    group.add_argument("--strict", action="store_true", help="treat warnings as failures (exit 1)")


def _count(option: str) -> Callable[[str], int]:
    """An argparse type for a whole number of at least 1; below that, the one-line error of ``option``.

    >>> _count("--jobs")("2")
    2
    >>> _count("--jobs")("0")
    Traceback (most recent call last):
    pipeline.errors.ConfigError: --jobs: expected a whole number of at least 1 (got 0)
    """

    def parse(text: str) -> int:
        value = int(text)  # not a number: argparse's own usage line
        if value < 1:
            raise ConfigError(f"{option}: expected a whole number of at least 1", hint=f"got {value}")
        return value

    parse.__name__ = "int"  # argparse names the type in its message
    return parse


def _source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", metavar="PAGE.txt", help="a page text, or - for standard input")
    parser.add_argument("--encoding", help="the page's encoding (default: detected), e.g. gb18030, big5")
    parser.add_argument("--replace", action="store_true",
                        help="replace undecodable bytes with U+FFFD instead of failing")
    parser.add_argument("--sidecar", metavar="FILE", help="an editorial sidecar (default: PAGE.yaml beside it)")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="broadsheet", description="Typeset OCR'd Chinese newspaper pages into print-ready PDFs.",
                     epilog="Example: broadsheet build --config broadsheet.yaml")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("build", help="build every page and edition into output/",
                       epilog="Example: broadsheet build --edition zh-TW --jobs 2 --check")
    p.add_argument("--config", default="broadsheet.yaml", help="the publication's config (default ./broadsheet.yaml)")
    p.add_argument("--edition", action="append", metavar="E", help="build only this edition (repeatable)")
    p.add_argument("--jobs", type=_count("--jobs"), metavar="N", help="worker processes (default: the number of cores)")
    p.add_argument("--output", metavar="DIR", help="write here instead of the config's output folder")
    p.add_argument("--check", action="store_true", help="exit 1 when preflight finds a problem")
    p.add_argument("--preview", action="store_true", help="also write a PNG of every printed page")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="render on the Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 (extra: broadsheet[dask])")
    p.add_argument("--shard", metavar="i/n",
                   help="build only shard i of n of the pages × editions; then 'broadsheet merge' the shards")
    _common(p)

    p = sub.add_parser("merge", help="merge the output folders of 'build --shard i/n' into one build",
                       epilog="Example: broadsheet merge out-1 out-2 out-3 out-4 --output output")
    p.add_argument("shards", nargs="+", metavar="DIR", help="the shards' output folders, every i of n once")
    p.add_argument("--output", required=True, metavar="DIR",
                   help="the merged build's folder (empty, or an earlier output)")
    p.add_argument("--config", default="broadsheet.yaml", help="the publication's config (default ./broadsheet.yaml)")
    p.add_argument("--jobs", type=_count("--jobs"), metavar="N",
                   help="worker processes for pages whose numbers moved (default: the number of cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="render pages whose numbers moved on this Dask cluster")
    p.add_argument("--check", action="store_true", help="exit 1 when preflight finds a problem")
    _common(p)

    p = sub.add_parser("parse", help="print the structured page",
                       epilog="Example: broadsheet parse source/hongdong.txt --json")
    _source(p)
    p.add_argument("--json", action="store_true", help="print the page as JSON (DESIGN.md's data model)")
    _common(p)

    p = sub.add_parser("explain", help="list every repair with its source line",
                       epilog="Example: broadsheet explain source/hongdong.txt")
    _source(p)
    _common(p)

    p = sub.add_parser("convert", help="convert a page to a Traditional edition",
                       epilog="Example: broadsheet convert source/hongdong.txt --edition zh-TW --report")
    _source(p)
    p.add_argument("--edition", required=True, metavar="E", help="zh-Hans, zh-Hant, zh-TW or zh-HK")
    p.add_argument("--opencc", metavar="CONFIG", help="override the edition's OpenCC config, e.g. s2twp")
    p.add_argument("--phrases", metavar="FILE",
                   help="a phrases.yaml to apply besides the built-in fixes (default: phrases.yaml beside the page)")
    p.add_argument("--plain", action="store_true", help="convert the lines as they are: no reflow, no repairs")
    p.add_argument("--report", action="store_true",
                   help="list every rule, dictionary entry, name kept, phrase and one-to-many choice, grouped "
                        "by kind with counts")
    p.add_argument("--json", action="store_true", help="print the converted page (or, with --report, the report) "
                                                       "as JSON")
    _common(p)

    p = sub.add_parser("check", help="preflight an existing PDF",
                       epilog="Example: broadsheet check output/zh-Hans/hongdong.pdf --json")
    p.add_argument("pdf", metavar="PDF", help="the PDF to check")
    p.add_argument("--page", metavar="PAGE.txt",
                   help="the page it was built from, a text or the build's .json (default: the .json beside the PDF)")
    p.add_argument("--edition", metavar="E", help="the edition it was built for (default: from the folder name)")
    p.add_argument("--pages", type=_count("--pages"), metavar="N",
                   help="the page budget: fail when the PDF has more pages")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _common(p)
    p = sub.add_parser("init", help="scaffold a new publication folder",
                       epilog="Example: broadsheet init my-paper --name 县域新闻")
    p.add_argument("directory", metavar="DIR", help="the folder to create (must not exist, or be empty)")
    p.add_argument("--name", help="the paper's name for the masthead")
    _common(p)

    p = sub.add_parser("watch", help="build, then rebuild what each save touches",
                       epilog="Example: broadsheet watch --config broadsheet.yaml --edition zh-Hans")
    _watch_options(p)
    p.add_argument("--preview", action="store_true", help="also write a PNG of every printed page")
    _common(p)

    p = sub.add_parser("serve", help="watch, and serve output/ on 127.0.0.1 with live reload",
                       epilog="Example: broadsheet serve --port 8000")
    _watch_options(p)
    p.add_argument("--port", type=int, default=8000, metavar="N",
                   help="the port on 127.0.0.1 (default 8000; 0 picks a free one)")
    _common(p)

    p = sub.add_parser("fonts", help="list each edition's faces, their files and coverage of the pages",
                       epilog="Example: broadsheet fonts --edition zh-TW")
    p.add_argument("--config", default="broadsheet.yaml", help="the publication's config (default ./broadsheet.yaml)")
    p.add_argument("--edition", action="append", metavar="E", help="only this edition (repeatable)")
    _common(p)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (tests call this in-process)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            print(f"broadsheet {__version__}", file=out)
            return EXIT_OK
        if not args.command:
            parser.print_help(out)
            return EXIT_BAD_INPUT
        handler = COMMANDS[args.command]
        return handler(args, out, err)
    except CheckFailed as exc:
        print(f"broadsheet: {exc}", file=err)
        return EXIT_CHECK
    except BroadsheetError as exc:
        print(f"broadsheet: error: {exc}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("broadsheet: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        traceback.print_exc(file=err)
        return EXIT_INTERNAL


def _read_input(args: argparse.Namespace, watch: Stopwatch | None = None) -> tuple[str, str]:
    """The decoded text of PAGE.txt or stdin, and the name to report it by."""
    from .text.decode import decode_source

    watch = watch or Stopwatch()

    name = args.page
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise SourceError("no such file", name) from None
        except IsADirectoryError:
            raise SourceError("is a folder, not a page text", name) from None
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror}", name) from None
    with watch.stage("decode"):
        return decode_source(data, name, encoding=args.encoding, replace=args.replace), name


def _load_page(args: argparse.Namespace, watch: Stopwatch | None = None):  # noqa: ANN202 - returns model.Page
    from .project.sidecar import load_sidecar
    from .text import parse_text

    text, name = _read_input(args, watch)
    sidecar = None
    sidecar_path = args.sidecar
    if sidecar_path is None and name != "-":
        candidate = Path(name).with_suffix(".yaml")
        if candidate.is_file():
            sidecar_path = str(candidate)
    if sidecar_path is not None:
        try:
            sidecar_text = Path(sidecar_path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read sidecar: {exc.strerror}", sidecar_path) from None
        sidecar = load_sidecar(sidecar_text, sidecar_path)
    return parse_text(text, name, sidecar, watch=watch)


def _report_timings(args: argparse.Namespace, watch: Stopwatch, err: TextIO) -> None:
    """``-v``: one line of stage timings on standard error."""
    if args.verbose and not args.quiet:
        print(f"broadsheet: {watch.format()}", file=err)


def cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .text.format import format_page

    watch = Stopwatch()
    page = _load_page(args, watch)
    with watch.stage("format"):
        if args.json:
            out.write(json.dumps(page.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(format_page(page))
    _report_timings(args, watch, err)
    return _doubt_verdict(args, page, err, listed=False)


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .model import counted_chars
    from .text.format import format_repairs

    watch = Stopwatch()
    page = _load_page(args, watch)
    if args.quiet:
        # Only what an editor must check: repairs that removed text, and the doubts.
        page = dataclasses.replace(page, repairs=tuple(r for r in page.repairs if counted_chars(r.removed)))
    with watch.stage("format"):
        out.write(format_repairs(page))
    _report_timings(args, watch, err)
    return _doubt_verdict(args, page, err, listed=True)


def _doubt_verdict(args: argparse.Namespace, page: Any, err: TextIO, listed: bool) -> int:
    """The structure stage's doubts are the warnings of ``parse`` and ``explain``; ``--strict`` fails on them.

    ``explain`` lists the doubts in its output already; ``parse`` warns on standard error.
    """
    doubts = sorted(page.doubts, key=lambda doubt: doubt.line)
    if not listed and not args.quiet:
        for doubt in doubts:
            print(f"broadsheet: warning: {page.source}:{doubt.line}: {doubt.what} (sidecar fix: {doubt.fix})",
                  file=err)
    if args.strict and doubts:
        print(f"broadsheet: error: {len(doubts)} structure doubt(s), a failure under --strict", file=err)
        return EXIT_CHECK
    return EXIT_OK


def cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .editions import EDITIONS, unknown_edition
    from .editions.convert import (
        convert_page,
        convert_plain,
        convert_plain_report,
        convert_report,
        format_report,
        format_report_json,
        make_converter,
    )
    from .editions.phrases import load_phrases
    from .text.format import format_page

    if args.edition not in EDITIONS:
        raise unknown_edition(args.edition)
    phrases = None
    phrases_path = args.phrases
    # --plain judges text with the built-in dictionary alone unless --phrases names one.
    if phrases_path is None and args.page != "-" and not args.plain:
        beside = Path(args.page).parent / "phrases.yaml"
        phrases_path = str(beside) if beside.is_file() else None
    if phrases_path:
        try:
            phrases_text = Path(phrases_path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read phrases: {exc.strerror}", phrases_path) from None
        phrases = load_phrases(phrases_text, phrases_path)
    warnings = list(phrases.warnings) if phrases is not None else []
    if not args.quiet:
        for warning in warnings:
            print(f"broadsheet: warning: {warning}", file=err)
    watch = Stopwatch()
    with watch.stage("dictionaries"):
        converter = make_converter(EDITIONS[args.edition], phrases, opencc_config=args.opencc)
    if args.plain:
        text, _ = _read_input(args, watch)
        with watch.stage("convert"):
            if args.report:
                items = convert_plain_report(text, converter)
                out.write(format_report_json(items, converter) if args.json else format_report(items))
            else:
                out.write(convert_plain(text, converter))
    else:
        page = _load_page(args, watch)
        with watch.stage("convert"):
            converted = convert_page(page, converter)
            if args.report:
                source = _read_input(args)[0] if args.page != "-" else None  # for the items' source lines
                items = convert_report(page, converter, source)
                out.write(format_report_json(items, converter) if args.json else format_report(items))
            elif args.json:
                out.write(json.dumps(converted.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(format_page(converted))
    _report_timings(args, watch, err)
    if args.strict and warnings:
        print(f"broadsheet: error: {len(warnings)} phrase warning(s), a failure under --strict", file=err)
        return EXIT_CHECK
    return EXIT_OK


def _runner(address: str | None) -> AbstractContextManager[Any]:
    """The Dask runner of ``--scheduler ADDRESS``, closed after the build; without one, the local pool."""
    if address is None:
        return nullcontext(None)
    try:
        from .project.cluster import DaskRunner
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("dask", "distributed"):
            raise
        raise ConfigError("--scheduler needs Dask distributed, which is not installed",
                          hint="pip install 'broadsheet[dask]'") from None
    return DaskRunner(address)


def cmd_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project.config import load_config
    from .project.merge import merge_shards

    config = load_config(args.config, strict=args.strict, output=args.output)
    for warning in config.warnings:
        print(f"broadsheet: warning: {warning}", file=err)
    watch = Stopwatch()
    with _Progress(err, quiet=args.quiet) as progress, _runner(args.scheduler) as runner, watch.stage("merge"):
        result = merge_shards(config, args.shards, jobs=args.jobs, runner=runner, progress=progress)
    if args.verbose and not args.quiet:
        for folder in args.shards:
            print(f"broadsheet: merged shard {folder}", file=err)
        for reason in result.reasons:
            print(f"broadsheet: rebuilt {reason}", file=err)
        watch.merge(result.timings)
        print(f"broadsheet: {watch.format()}", file=err)
    for warning in result.warnings[len(config.warnings):]:
        print(f"broadsheet: warning: {warning}", file=err)
    for problem in result.problems:
        print(f"broadsheet: {'error' if args.check else 'warning'}: preflight: {problem}", file=err)
    if not args.quiet:
        pdfs = [a for a in result.artifacts if a.kind == "pdf"]
        print(f"merged {len(args.shards)} shard(s), {len(pdfs)} page PDF(s), into {config.output}; "
              f"{len(result.rendered)} rendered again because their page numbers moved", file=out)
    if result.problems and args.check:
        return EXIT_CHECK
    if args.strict and (result.warnings or result.problems):
        return EXIT_CHECK
    return EXIT_OK


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project.build import build
    from .project.config import load_config
    from .project.shard import parse_shard

    config = load_config(args.config, strict=args.strict, output=args.output)
    for warning in config.warnings:
        print(f"broadsheet: warning: {warning}", file=err)

    shard = parse_shard(args.shard) if args.shard else None
    with _Progress(err, quiet=args.quiet) as progress, _runner(args.scheduler) as runner:
        result = build(config, editions=args.edition, jobs=args.jobs, progress=progress, preview=args.preview,
                       runner=runner, shard=shard)
    if args.verbose and not args.quiet:
        from .typeset.html import describe_grid

        print(f"broadsheet: {describe_grid(config.paper)}", file=err)
        for reason in result.reasons:
            print(f"broadsheet: rebuilt {reason}", file=err)
        watch = Stopwatch()
        watch.merge(result.timings)
        print(f"broadsheet: {watch.format()}", file=err)
    for warning in result.warnings[len(config.warnings):]:
        print(f"broadsheet: warning: {warning}", file=err)
    for problem in result.problems:
        label = "error" if args.check else "warning"
        print(f"broadsheet: {label}: preflight: {problem}", file=err)
    if not args.quiet:
        pdfs = [a for a in result.artifacts if a.kind == "pdf"]
        if result.rendered:
            print(f"built {len(result.rendered)} of {len(pdfs)} page PDF(s) into {config.output}", file=out)
        else:
            print(f"nothing to do: all {len(pdfs)} page PDF(s) in {config.output} are up to date", file=out)
    if result.problems and args.check:
        return EXIT_CHECK
    if args.strict and (result.warnings or result.problems):
        return EXIT_CHECK
    return EXIT_OK


class _Progress:
    """Announce each artifact: a live progress bar on a terminal (rich), one plain line per artifact in CI logs."""

    def __init__(self, err: TextIO, quiet: bool) -> None:
        self.err = err
        self.quiet = quiet
        self.count = 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if not self.quiet and self.err.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("[bold]building"), BarColumn(),
                                TextColumn("{task.completed} written"), TimeElapsedColumn(),
                                TextColumn("{task.description}"),
                                console=Console(file=self.err), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=None)
        return self

    def __call__(self, line: str) -> None:
        self.count += 1
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=line)
        else:
            print(line, file=self.err, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project.scaffold import init_publication

    folder = Path(args.directory)
    watch = Stopwatch()
    with watch.stage("scaffold"):
        created = init_publication(folder, name=args.name)
    warnings = []
    enclosing = _enclosing_publication(folder)
    if enclosing is not None:
        warnings.append(f"{folder}: inside the publication of {enclosing}; its builds will not see this one's files "
                        "unless they are listed there")
    if not args.quiet:
        for path in created:
            print(f"created {path}", file=out)
        print(f"next: cd {args.directory} && broadsheet build", file=out)
        for warning in warnings:
            print(f"broadsheet: warning: {warning}", file=err)
    _report_timings(args, watch, err)
    if args.strict and warnings:
        return EXIT_CHECK
    return EXIT_OK


def _enclosing_publication(folder: Path) -> Path | None:
    """The ``broadsheet.yaml`` of a publication that already holds ``folder``, if any."""
    for parent in folder.resolve().parents:
        candidate = parent / "broadsheet.yaml"
        if candidate.is_file():
            return candidate
    return None


def _check_page(args: argparse.Namespace, edition: Any) -> tuple[Any, str | None]:
    """The page a checked PDF should hold, and where it came from, built here at the edge.

    ``--page`` names a build's page JSON (exact), or a page text that is parsed as ``parse``
    parses it (its sidecar beside it) and converted to the edition as ``convert`` converts it
    (with the ``phrases.yaml`` beside it).  Without ``--page``: ``(None, None)``.
    """
    from .checks import load_page_json

    if args.page is None:
        return None, None
    if args.page.endswith(".json"):
        return load_page_json(args.page), args.page
    page = _load_page(argparse.Namespace(page=args.page, encoding=None, replace=False, sidecar=None))
    if edition is None:
        return page, args.page
    from .editions.convert import convert_page, make_converter
    from .editions.phrases import load_phrases

    phrases = None
    beside = Path(args.page).parent / "phrases.yaml"
    if args.page != "-" and beside.is_file():
        phrases = load_phrases(beside.read_text(encoding="utf-8"), str(beside))
    return convert_page(page, make_converter(edition, phrases)), args.page


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checks import check_pdf, find_edition

    edition = find_edition(args.pdf, args.edition)
    page, page_name = _check_page(args, edition)
    report = check_pdf(args.pdf, page, edition, budget=args.pages, page_name=page_name,
                       budget_source="--pages" if args.pages is not None else None)
    if args.json:
        out.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif args.quiet:
        out.writelines(f"problem: {problem}\n" for problem in report.problems())
        if args.strict:
            out.writelines(f"warning: {warning}\n" for warning in report.warnings())
    else:
        out.write(report.format())
        if args.verbose and report.typography is not None:
            out.write(report.typography.format() + "\n")
    if not report.ok:
        return EXIT_CHECK
    if args.strict and report.warnings():
        print(f"broadsheet: error: {len(report.warnings())} warning(s), a failure under --strict", file=err)
        return EXIT_CHECK
    return EXIT_OK


def _watch_options(parser: argparse.ArgumentParser) -> None:
    """The build options ``watch`` and ``serve`` share with ``build``."""
    parser.add_argument("--config", default="broadsheet.yaml",
                        help="the publication's config (default ./broadsheet.yaml)")
    parser.add_argument("--edition", action="append", metavar="E", help="build only this edition (repeatable)")
    parser.add_argument("--jobs", type=_count("--jobs"), metavar="N",
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--output", metavar="DIR", help="write here instead of the config's output folder")


def _desk(args: argparse.Namespace, err: TextIO, preview: bool):  # noqa: ANN202 - returns project.watch.Desk
    """The watch session of ``watch`` and ``serve``: build options, and artifact lines under ``-v``."""
    from .project.watch import make_desk

    return make_desk(args.config, args.edition, args.jobs, args.output, args.strict, preview,
                     err if args.verbose and not args.quiet else None)


def cmd_watch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project.watch import disk_changes, say_lines, watch_changes, watched_folders

    desk = _desk(args, err, preview=args.preview)
    try:
        return watch_changes(desk, disk_changes(watched_folders(desk)), say_lines(out, err, args.quiet))
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .project.serve import Server
    from .project.watch import disk_changes, say_lines, watch_changes, watched_folders

    if not 0 <= args.port <= 65535:
        raise ConfigError("--port: expected a port number 0–65535", hint=f"got {args.port}")
    desk = _desk(args, err, preview=True)
    try:
        server = Server(desk, args.port).start()
    except OSError as exc:
        raise ConfigError(f"--port {args.port}: cannot listen on 127.0.0.1: {exc.strerror}",
                          hint="pass another --port, or 0 for a free one") from None
    try:
        if not args.quiet:
            print(f"broadsheet: serving {server.url} (Ctrl-C stops)", file=out, flush=True)
        return watch_changes(desk, disk_changes(watched_folders(desk)), say_lines(out, err, args.quiet))
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        server.close()


def cmd_fonts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .editions.convert import convert_page
    from .engine.fonts import report_faces, role_texts
    from .project.build import converter_for, read_page, select_editions
    from .project.config import load_config

    config = load_config(args.config, strict=args.strict)
    for warning in config.warnings:
        print(f"broadsheet: warning: {warning}", file=err)
    editions = select_editions(config, args.edition)
    watch = Stopwatch()
    pages = [read_page(config, i, watch) for i in range(len(config.pages))]
    ok = True
    for edition in editions:
        with watch.stage("convert"):
            converter = converter_for(config, edition)
            texts: dict[str, list[tuple[str, str]]] = {}
            for page in pages:
                for role, found in role_texts(convert_page(page, converter), edition).items():
                    texts.setdefault(role, []).extend(found)
        with watch.stage("coverage"):
            reports = report_faces(edition, texts)
        # -q: only the faces that are missing or lack characters
        shown_reports = [r for r in reports if not r.ok] if args.quiet else reports
        if shown_reports:
            print(f"{edition.name} ({edition.label})", file=out)
        for report in reports:
            ok = ok and report.ok
            if report not in shown_reports:
                continue
            if report.file is None:
                package = f"; install {report.package}" if report.package else ""
                print(f"  {report.role:<5}  {report.family}: not installed{package}", file=out)
                continue
            if report.missing:
                shown = " ".join(f"{c} (U+{ord(c):04X})" for c in report.missing)
                coverage = f"lacks {len(report.missing)} of {report.checked} characters: {shown}"
            else:
                coverage = f"covers all {report.checked} characters"
            print(f"  {report.role:<5}  {report.family}  {report.file}  {coverage}", file=out)
    if args.verbose:
        print(f"broadsheet: {watch.format()}", file=err)
    if not ok:
        print("broadsheet: error: a face is missing or lacks characters of the pages", file=err)
        return EXIT_CHECK
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "merge": cmd_merge,
    "parse": cmd_parse,
    "explain": cmd_explain,
    "convert": cmd_convert,
    "check": cmd_check,
    "init": cmd_init,
    "watch": cmd_watch,
    "serve": cmd_serve,
    "fonts": cmd_fonts,
}


if __name__ == "__main__":
    raise SystemExit(main())
