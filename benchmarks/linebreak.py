"""Time the line breaker (``pipeline.typeset.linebreak``): CPU seconds per page, and check its settings.

Usage: ``.venv/bin/python benchmarks/linebreak.py [--repeat N] [--save FILE | --compare FILE]``

Sets every paragraph of the sample page (its three editions, converted) and of the corpus pages
(``tests/data/corpus/pages``, zh-Hans) as the layout does (``typeset.html.set_piece``: whole
paragraphs, lead-ins and datelines included) on the sample's broadsheet grid (16 em) and on a
tabloid (13 em), with the breaker's cache cleared before each pass. Prints the CPU time per
page (the fastest of ``--repeat`` passes: the machine is shared, and CPU time, not wall time,
is what a build pays), the paragraphs and lines set, and the 95th percentile of the breaker's
own looseness. ``--save`` writes every setting (line ends, squeezed marks) to a JSON file and
``--compare`` checks a later run against one, so a faster breaker can be shown to choose the
same breaks. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks.grid import percentile  # noqa: E402
from pipeline.editions import EDITIONS, Edition  # noqa: E402
from pipeline.editions.convert import convert_page, make_converter  # noqa: E402
from pipeline.engine.metrics import load_metrics  # noqa: E402
from pipeline.model import Page  # noqa: E402
from pipeline.project.config import Paper  # noqa: E402
from pipeline.text import parse_text  # noqa: E402
from pipeline.typeset import linebreak  # noqa: E402
from pipeline.typeset.html import DATELINE_GAP_EM, Piece, make_grid  # noqa: E402
from pipeline.typeset.linebreak import break_paragraph, line_width  # noqa: E402
from pipeline.typeset.metrics import Metrics, page_chars  # noqa: E402

PAPERS = {"broadsheet": Paper(), "tabloid": Paper(width_mm=272, height_mm=390, columns=5)}


def pages() -> list[tuple[str, Page, Edition]]:
    """The sample in each of its editions, and the corpus pages in zh-Hans."""
    sample = parse_text((ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8"), "source/hongdong.txt")
    found = [(f"sample {name}", convert_page(sample, make_converter(EDITIONS[name])), EDITIONS[name])
             for name in ("zh-Hans", "zh-TW", "zh-HK")]
    for path in sorted((ROOT / "tests" / "data" / "corpus" / "pages").glob("*.txt")):
        found.append((path.stem, parse_text(path.read_text(encoding="utf-8"), path.name), EDITIONS["zh-Hans"]))
    return found


def set_page(page: Page, edition: Edition, metrics: Metrics, measure: int) -> tuple[list[list[int]], list[float]]:
    """Break every paragraph of ``page`` as ``typeset.html.set_piece`` does.

    Returns each setting (its line ends, -1, its squeezed marks) and the looseness of every
    non-final line.
    """
    settings = []
    looseness: list[float] = []
    typography = edition.typography
    for article in page.articles:
        for index, paragraph in enumerate(article.paragraphs):
            piece = Piece(paragraph, index, 0, len(paragraph.text))
            lead = piece.lead or ""
            faces = ["bold" if offset < len(lead) else "body" for offset in range(len(piece.text))]
            indent = 2.0
            if index == 0 and article.dateline:
                indent += line_width(article.dateline, metrics, typography, ["bold"] * len(article.dateline))
                indent += DATELINE_GAP_EM
            setting = break_paragraph(piece.text, measure, metrics, typography, indent, faces, split=len(lead))
            settings.append([] if setting is None else [*setting.ends, -1, *sorted(setting.squeezed)])
            if setting is not None:
                looseness.extend(setting.looseness[:-1])
    return settings, looseness


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes per page; the fastest counts")
    parser.add_argument("--save", type=Path, help="write every setting to this JSON file")
    parser.add_argument("--compare", type=Path, help="check every setting against this JSON file")
    args = parser.parse_args(argv)
    found = pages()
    metrics = {label: load_metrics(edition, page_chars(page)) for label, page, edition in found}
    results: dict[str, list[list[int]]] = {}
    for paper_name, paper in PAPERS.items():
        measure = make_grid(paper).measure_em
        total = 0.0
        sample_cpu = 0.0
        lines = paragraphs = 0
        looseness: list[float] = []
        for label, page, edition in found:
            fastest = float("inf")
            for _ in range(args.repeat):
                linebreak._break_cached.cache_clear()
                started = time.process_time()
                settings, loose = set_page(page, edition, metrics[label], measure)
                fastest = min(fastest, time.process_time() - started)
            looseness += loose
            total += fastest
            if label.startswith("sample"):
                sample_cpu += fastest
            results[f"{paper_name} {label}"] = settings
            paragraphs += len(settings)
            lines += sum(setting.index(-1) for setting in settings if setting)
        print(f"{paper_name} ({measure} em): {len(found)} pages, {paragraphs} paragraphs, {lines} lines; "
              f"CPU {total:.2f} s in all, {total / len(found) * 1000:.0f} ms per page, "
              f"sample {sample_cpu / 3 * 1000:.0f} ms per edition; breaker's p95 looseness "
              f"{percentile(looseness, 0.95):.3f} em, {sum(value > 0.15 for value in looseness)} lines > 0.15")
    if args.save:
        args.save.write_text(json.dumps(results), encoding="utf-8")
    if args.compare:
        reference = json.loads(args.compare.read_text(encoding="utf-8"))
        differ = [key for key in reference if reference[key] != results.get(key)]
        print(f"settings compared with {args.compare}: {len(differ)} of {len(reference)} pages differ"
              + (f" ({', '.join(differ[:5])})" if differ else ""))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
