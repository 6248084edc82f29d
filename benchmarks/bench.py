"""Print the performance issue's table in one run: the sample against bare WeasyPrint, then a 20-page issue.

Usage: ``.venv/bin/python benchmarks/bench.py [--runs 5] [--pages 20] [--seed 0] [--no-issue] [--edit-runs 1]
[--only-edit] [--work DIR]`` (``make bench``).

The sample (its three editions × one page) is built cold with ``--jobs 1`` ``--runs`` times,
paired and alternated with one process of bare WeasyPrint rendering the HTML the build wrote
(``A B``, ``B A``, …), so a load that comes and goes on a shared machine falls on both.
Every measured thing runs as its own process and is timed from outside it (``os.wait4``):
CPU (user + system) and wall seconds, and the process's peak resident memory.  The table
gives medians with min–max.  Then:

- the build's own stage split (``pipeline.timing``, the ``-v`` stopwatch), medians over the runs;
- ``split_first_line`` calls (WeasyPrint's line splitter) per printed body line of the sample;
- the generated issue of ``benchmarks/make_issue.py`` (``--pages``, seed ``--seed``) built cold
  with ``--jobs 2`` and ``--jobs 1`` (in alternated order when ``--runs-issue`` > 1), one page
  edited and rebuilt (``--edit-runs`` times, each from a copy of the cold build), and the PDFs'
  size: KB per printed page per edition, ``issue.pdf`` against its pages and the font programs
  they repeat; ``--only-edit`` builds the issue cold once with ``--jobs 2`` and prints row 4 alone;
- Typst setting the sample page (``benchmarks/typst/page.typ``), when the ``typst`` package
  is importable.

A measurement, not a test: numbers depend on the machine and on what else it runs.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("zh-Hans", "zh-TW", "zh-HK")
BUILD_OK = (0, 1)
"""Exit codes of a build child that still built everything (1: preflight warnings were raised)."""


@dataclass
class Run:
    """One measured process: wall and CPU seconds, peak RSS in MiB, and what it printed as JSON."""

    wall: float
    cpu: float
    rss: float
    report: dict = field(default_factory=dict)


def measure(argv: Sequence[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run ``argv`` as a child process; its own CPU (and its reaped children's), wall and peak RSS.

    The child writes a JSON report to the file named by ``BENCH_REPORT``; an exit code not in
    ``ok`` stops the benchmark (a build exits 1 for preflight warnings).
    """
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report_path = Path(handle.name)
    environment = {**os.environ, **(env or {}), "BENCH_REPORT": str(report_path), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    child = subprocess.Popen(list(argv), cwd=ROOT, env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}):\n{errors.decode(errors='replace')[-3000:]}")
    try:
        report = json.loads(report_path.read_text(encoding="utf-8") or "{}")
    finally:
        report_path.unlink(missing_ok=True)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, report)


def spread(values: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    """``median (min–max)``."""
    if not values:
        return "—"
    space = "" if unit == "×" else " "
    return (f"{statistics.median(values):.{digits}f}{space}{unit} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


# ----------------------------------------------------------------------------- children


def child_build(config: str, jobs: str) -> None:
    """Build ``config`` cold in this process; report the stage totals and the page counts."""
    from pipeline.project.build import build
    from pipeline.project.config import load_config

    loaded = load_config(Path(config))
    shutil.rmtree(loaded.output, ignore_errors=True)
    result = build(loaded, jobs=int(jobs))
    pdfs = {a.path: a.pages for a in result.artifacts if a.kind == "pdf"}
    _write_report({"timings": result.timings, "pdfs": pdfs, "rendered": len(result.rendered)})


def child_rebuild(config: str, jobs: str) -> None:
    """Build ``config`` incrementally (after an edit); report what was rendered again."""
    from pipeline.project.build import build
    from pipeline.project.config import load_config

    result = build(load_config(Path(config)), jobs=int(jobs))
    _write_report({"timings": result.timings, "rendered": result.rendered})


def child_bare(root: str, *htmls: str) -> None:
    """Render each HTML file with stock WeasyPrint (no patch, default fetcher), as a build renders it."""
    import weasyprint

    pages = {}
    for html in htmls:
        document = weasyprint.HTML(filename=html, base_url=root + "/").render()
        document.write_pdf()
        pages[html] = len(document.pages)
    _write_report({"pages": pages})


def child_count(config: str) -> None:
    """Count WeasyPrint's ``split_first_line`` calls in a cold build, and the body lines it printed."""
    import weasyprint
    import weasyprint.layout.inline as inline
    import weasyprint.layout.preferred as preferred
    from weasyprint.formatting_structure import boxes

    from pipeline.project.build import build
    from pipeline.project.config import load_config

    calls = [0]
    original = inline.split_first_line

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls[0] += 1
        return original(*args, **kwargs)

    inline.split_first_line = preferred.split_first_line = counted
    loaded = load_config(Path(config))
    shutil.rmtree(loaded.output, ignore_errors=True)
    try:
        result = build(loaded, jobs=1)
    finally:
        inline.split_first_line = preferred.split_first_line = original
    htmls = [loaded.output / a.path for a in result.artifacts if a.kind == "html"]

    def body_lines(box: object) -> int:
        classes = set((getattr(box, "element", None) is not None and box.element.get("class") or "").split())
        children = getattr(box, "children", ())
        if isinstance(box, boxes.BlockBox) and classes & {"ln", "para"}:
            return sum(1 for child in children if isinstance(child, boxes.LineBox))
        return sum(body_lines(child) for child in children)

    lines = 0
    for html in htmls:
        document = weasyprint.HTML(filename=str(html), base_url=str(loaded.root) + "/").render()
        lines += sum(body_lines(page._page_box) for page in document.pages)
    _write_report({"calls": calls[0], "lines": lines, "renders": len(htmls)})


def _import_typst() -> object | None:
    """The ``typst`` package, or None; never this folder's ``typst/`` (the script's folder leads sys.path)."""
    import importlib

    here = str(Path(__file__).resolve().parent)
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    try:
        module = importlib.import_module("typst")
    except ImportError:
        return None
    finally:
        sys.path[:] = saved
    return module if hasattr(module, "compile") else None


def child_typst(page_json: str) -> None:
    """Compile ``benchmarks/typst/page.typ`` on one page's JSON with the ``typst`` package."""
    typst: Any = _import_typst()
    if typst is None:
        raise SystemExit("the typst package is not installed")

    source = ROOT / "benchmarks" / "typst" / "page.typ"
    pdf = typst.compile(str(source), root="/", sys_inputs={"page": page_json})
    _write_report({"bytes": len(pdf)})


CHILDREN: dict[str, Callable[..., None]] = {
    "build": child_build, "rebuild": child_rebuild, "bare": child_bare, "count": child_count, "typst": child_typst,
}


def _write_report(report: dict) -> None:
    Path(os.environ["BENCH_REPORT"]).write_text(json.dumps(report), encoding="utf-8")


def spawn(name: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", name, *args]


# ----------------------------------------------------------------------------- the parts


def copy_sample(folder: Path) -> Path:
    """The bundled sample publication, copied (config and sources) into ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "broadsheet.yaml", folder / "broadsheet.yaml")
    shutil.copytree(ROOT / "source", folder / "source")
    return folder / "broadsheet.yaml"


def bench_sample(work: Path, runs: int) -> dict:
    """The sample built cold, paired and alternated with bare WeasyPrint on the build's own HTML."""
    config = copy_sample(work / "sample")
    # A warm-up build, which also writes the HTML bare WeasyPrint renders.
    first = measure(spawn("build", str(config), "1"), ok=BUILD_OK)
    htmls = sorted(str(config.parent / "output" / p.replace(".pdf", ".html")) for p in first.report["pdfs"])
    builds: list[Run] = []
    bares: list[Run] = []
    for number in range(runs):
        order = ("build", "bare") if number % 2 == 0 else ("bare", "build")
        for what in order:
            if what == "build":
                builds.append(measure(spawn("build", str(config), "1"), ok=BUILD_OK))
            else:
                bares.append(measure(spawn("bare", str(config.parent), *htmls)))
    page_editions = len(htmls)
    built_pages = {str(config.parent / "output" / p.replace(".pdf", ".html")): n
                   for p, n in builds[-1].report["pdfs"].items()}
    if bares[-1].report["pages"] != built_pages:
        print(f"warning: bare WeasyPrint's page counts {bares[-1].report['pages']} differ from the build's "
              f"{built_pages}", file=sys.stderr)
    count = measure(spawn("count", str(copy_sample(work / "count"))), ok=BUILD_OK)
    return {"builds": builds, "bares": bares, "page_editions": page_editions, "count": count.report,
            "config": config}


def edit_one_page(folder: Path) -> str:
    """Change one character in the middle page's body (same length), so its content and only it changes."""
    sources = sorted((folder / "source").glob("*.txt"))
    source = sources[len(sources) // 2]
    text = source.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2)
    source.write_text(text[:at - 1] + ("好" if text[at - 1] != "好" else "佳") + text[at:], encoding="utf-8")
    return source.stem


def bench_issue(work: Path, pages: int, seed: int, runs: int, edit_runs: int = 1, only_edit: bool = False) -> dict:
    """The generated issue built cold with --jobs 2 and --jobs 1, then one page edited and rebuilt.

    Each of the ``edit_runs`` edits starts from a copy of the cold build (sources and output);
    ``only_edit`` builds only with --jobs 2, once.
    """
    sys.path.insert(0, str(ROOT / "tests"))  # the test-data generators in tests/support/
    from support.sampler import make_publication

    configs = {jobs: make_publication(work / f"issue-jobs{jobs}", pages=pages, seed=seed, editions=EDITIONS)
               for jobs in (1, 2)}
    cold: dict[int, list[Run]] = {1: [], 2: []}
    for number in range(1 if only_edit else runs):
        for jobs in ((2,) if only_edit else (2, 1) if number % 2 == 0 else (1, 2)):
            cold[jobs].append(measure(spawn("build", str(configs[jobs]), str(jobs)), ok=BUILD_OK))
    folder = configs[2].parent
    pristine = work / "issue-cold"
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(folder, pristine, symlinks=True)
    edits = []
    for number in range(edit_runs):
        if number:
            shutil.rmtree(folder)
            shutil.copytree(pristine, folder, symlinks=True)
        edited = edit_one_page(folder)
        edits.append(measure(spawn("rebuild", str(configs[2]), "2"), ok=BUILD_OK))
    return {"cold": cold, "edit": edits[-1], "edits": edits, "edited": edited, "output": folder / "output",
            "pages": pages}


def pdf_sizes(output: Path) -> dict:
    """KB per printed page per edition; issue.pdf against the sum of its pages and their repeated font programs."""
    import pikepdf

    sizes = {}
    for edition in EDITIONS:
        folder = output / edition
        page_pdfs = sorted(p for p in folder.glob("*.pdf") if p.name != "issue.pdf")
        if not page_pdfs:
            continue
        total = sum(p.stat().st_size for p in page_pdfs)
        printed = 0
        fonts: dict[str, list[int]] = {}
        for path in page_pdfs:
            with pikepdf.open(path) as pdf:
                printed += len(pdf.pages)
                for face, size in _font_programs(pdf).items():
                    fonts.setdefault(face, []).append(size)
        font_bytes = sum(sum(v) for v in fonts.values())
        repeated = sum(sum(v) - max(v) for v in fonts.values())
        issue = folder / "issue.pdf"
        issue_fonts = 0
        if issue.is_file():
            with pikepdf.open(issue) as pdf:
                issue_fonts = sum(_font_programs(pdf).values())
        sizes[edition] = {"pages": printed, "kb_per_page": total / 1024 / max(printed, 1), "sum": total,
                          "issue": issue.stat().st_size if issue.is_file() else 0, "fonts": font_bytes,
                          "repeated": repeated, "issue_fonts": issue_fonts}
    return sizes


def _font_programs(pdf: object) -> dict[str, int]:
    """Bytes of embedded font programs by face (subset tag removed), each stream counted once."""
    import pikepdf

    found: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:  # type: ignore[attr-defined]
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        face = str(obj.get("/FontName", "?")).lstrip("/").split("+")[-1]
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            stream = obj.get(key)
            if stream is not None and stream.objgen not in seen:
                seen.add(stream.objgen)
                found[face] = found.get(face, 0) + len(stream.read_raw_bytes())
    return found


def bench_typst(config: Path) -> Run | None:
    if _import_typst() is None:
        return None
    page_json = config.parent / "output" / "zh-Hans" / "hongdong.json"
    return measure(spawn("typst", str(page_json)))


# ----------------------------------------------------------------------------- the table


def print_table(sample: dict, issue: dict | None, typst_run: Run | None, sizes: dict | None) -> None:
    builds, bares, n = sample["builds"], sample["bares"], sample["page_editions"]
    ratios = [b.cpu / w.cpu for b, w in zip(builds, bares, strict=False)]
    print(f"sample: {n} page-editions, cold, --jobs 1; {len(builds)} runs paired and alternated with bare WeasyPrint")
    print()
    print("| | measured | goal |")
    print("|---|---|---|")
    print(f"| 1. build ÷ bare WeasyPrint on the build's own HTML (CPU) | {spread(ratios, '×')} "
          f"({statistics.median(b.cpu for b in builds) / n:.2f} s vs "
          f"{statistics.median(w.cpu for w in bares) / n:.2f} s per page-edition) | ≤ 1.0× |")
    typst_text = f"; Typst {typst_run.cpu:.2f} s" if typst_run else "; Typst not installed"
    print(f"| 2. CPU per page-edition, sample | {spread([b.cpu / n for b in builds])}{typst_text} | ≤ 1.0 s |")
    if issue:
        cold, pages = issue["cold"], issue["pages"]
        jobs2 = [r.wall for r in cold[2]]
        jobs1 = [r.wall for r in cold[1]]
        cpu2 = statistics.median(r.cpu for r in cold[2])
        print(f"| 3. {pages}-page issue × {len(EDITIONS)} editions, cold, --jobs 2 (wall) | {spread(jobs2)} "
              f"({cpu2:.0f} s CPU: ≥ {cpu2 / 2:.0f} s wall on two idle cores) | ≤ 60 s |")
        print_edit_row(issue)
        speedups = [one / two for one, two in zip(jobs1, jobs2, strict=False)]
        cpu1 = statistics.median(r.cpu for r in cold[1])
        print(f"| 5. speed-up: --jobs 1 ÷ --jobs 2, {pages} pages (wall) | {spread(speedups, '×')} "
              f"({statistics.median(jobs1):.1f} s vs {statistics.median(jobs2):.1f} s; CPU {cpu1:.0f} s vs "
              f"{cpu2:.0f} s) | ≥ 1.8× |")
    if sizes:
        # Two readings of "the sum of its pages minus the duplicated subsets": the strict one counts
        # every copy of a face after the largest as duplicated (a shared program would then have to
        # be no bigger than the largest page's subset); the glyph one counts what the pages' programs
        # hold beyond the issue's shared ones, so it holds when the issue adds nothing but fonts.
        issue_total = sum(s["issue"] for s in sizes.values())
        page_total = sum(s["sum"] for s in sizes.values())
        repeated = sum(s["repeated"] for s in sizes.values())
        duplicated = sum(s["fonts"] - s["issue_fonts"] for s in sizes.values())
        strict = "holds" if issue_total <= page_total - repeated else "does not hold"
        glyphs = "holds" if issue_total <= page_total - duplicated else "does not hold"
        print(f"| 6. issue.pdf size (all editions) | {issue_total / 1024:.0f} KB; pages {page_total / 1024:.0f} KB "
              f"− every copy of a face but the largest {repeated / 1024:.0f} KB = "
              f"{(page_total - repeated) / 1024:.0f} KB "
              f"({strict}); pages − glyphs held twice {duplicated / 1024:.0f} KB = "
              f"{(page_total - duplicated) / 1024:.0f} KB ({glyphs}) | ≤ pages − repeated subsets |")
    print()
    print("peak RSS per process: build " + spread([b.rss for b in builds], "MiB", 0)
          + ", bare WeasyPrint " + spread([w.rss for w in bares], "MiB", 0)
          + (", issue --jobs 2 " + spread([r.rss for r in issue["cold"][2]], "MiB", 0) if issue else ""))
    print("wall per run: build " + spread([b.wall for b in builds]) + ", bare WeasyPrint "
          + spread([w.wall for w in bares]))
    print("CPU per run: build " + spread([b.cpu for b in builds]) + ", bare WeasyPrint "
          + spread([w.cpu for w in bares]))
    print()
    print_stages("sample stages (CPU per page-edition, medians)", builds, n)
    if issue:
        print_stages("issue stages, --jobs 2 (CPU summed over workers, per page-edition)", issue["cold"][2],
                     issue["pages"] * len(EDITIONS))
    count = sample["count"]
    print(f"split_first_line: {count['calls']} calls for {count['lines']} printed body lines = "
          f"{count['calls'] / max(count['lines'], 1):.1f} per line")
    if sizes:
        print()
        for edition, s in sizes.items():
            print(f"{edition}: {s['pages']} printed pages, {s['kb_per_page']:.0f} KB per page; issue.pdf "
                  f"{s['issue'] / 1024:.0f} KB (fonts {s['issue_fonts'] / 1024:.0f} KB) "
                  f"vs pages {s['sum'] / 1024:.0f} KB "
                  f"(fonts {s['fonts'] / 1024:.0f} KB, of which repeated {s['repeated'] / 1024:.0f} KB)")


def print_edit_row(issue: dict) -> None:
    """Row 4: the edited page's rebuild, per edition, median (min–max) over the edit runs."""
    edits = issue["edits"]
    rendered = edits[-1].report.get("rendered", [])
    walls = [run.wall for run in edits]
    print(f"| 4. one page edited ({issue['edited']}) → its PDFs and issue.pdf (wall) | "
          f"{spread([wall / len(EDITIONS) for wall in walls])} per edition ({spread(walls)} wall, "
          f"{spread([run.cpu for run in edits])} CPU, {len(edits)} runs, "
          f"{len(rendered)} page-editions rendered) | ≤ 1.5 s per edition |")


def print_stages(title: str, runs: Sequence[Run], per: int) -> None:
    names = list(dict.fromkeys(name for run in runs for name in run.report.get("timings", {})))
    cpu_total = statistics.median(run.cpu for run in runs) / per
    print(f"{title}; process total {cpu_total * 1000:.0f} ms:")
    for name in names:
        cpu = [run.report["timings"][name][1] / per for run in runs if name in run.report["timings"]]
        print(f"  {name:16s} {spread([c * 1000 for c in cpu], 'ms', 0)}")
    staged = statistics.median(sum(t[1] for t in run.report["timings"].values()) for run in runs) / per
    print(f"  {'(outside stages)':16s} {(cpu_total - staged) * 1000:.0f} ms: imports, config, hashing, the parent")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        CHILDREN[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="sample runs, each paired with bare WeasyPrint (5)")
    parser.add_argument("--pages", type=int, default=20, help="pages of the generated issue (20)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated issue (0)")
    parser.add_argument("--runs-issue", type=int, default=1, help="cold issue builds per --jobs value (1)")
    parser.add_argument("--no-issue", action="store_true", help="only the sample")
    parser.add_argument("--edit-runs", type=int, default=1, help="one-page edits rebuilt, each from the cold build (1)")
    parser.add_argument("--only-edit", action="store_true",
                        help="only row 4: the issue cold once with --jobs 2, then --edit-runs edits")
    parser.add_argument("--work", type=Path, help="folder to work in (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    # The package's bytecode, as an installed package has it: the install is editable, and with
    # PYTHONDONTWRITEBYTECODE set every build child would compile every module (some 0.25 s of CPU).
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    work = args.work or Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        if args.only_edit:
            print("| | measured | goal |")
            print("|---|---|---|")
            print_edit_row(bench_issue(work, args.pages, args.seed, 1, max(1, args.edit_runs), only_edit=True))
            return 0
        sample = bench_sample(work, args.runs)
        typst_run = bench_typst(sample["config"])
        issue = None if args.no_issue else bench_issue(work, args.pages, args.seed, args.runs_issue,
                                                        max(1, args.edit_runs))
        sizes = pdf_sizes(issue["output"] if issue else sample["config"].parent / "output")
        print_table(sample, issue, typst_run, sizes)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
