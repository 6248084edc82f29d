"""Measure what CJK inter-character justification (pipeline.engine.justify) costs in a WeasyPrint render.

Usage: .venv/bin/python benchmarks/justify.py [--html PAGE.html] [--runs N]

Two measures, both printed, in CPU time of the rendering process (wall-clock time is too noisy
on a shared machine):
- in-process: time spent inside the patched functions (justify_line, and the extra Pango
  attributes set when a text box is drawn), as a share of the whole render;
- A/B: median CPU time of a render with the patch against one without, each in a fresh
  process (the unpatched render leaves CJK lines ragged but lays out the same lines); this
  includes what the patch costs outside its own functions, e.g. Pango shaping the spaced
  text in more, smaller items when it draws.

Without --html it renders output/zh-Hans/hongdong.html if a build left one, else a five-column
page of the sample text marked up by pipeline.typeset.marks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample_html() -> str:
    """A five-column zh-Hans page of the sample text, one paragraph per source paragraph."""
    from pipeline.editions import EDITIONS
    from pipeline.typeset.marks import mark_text

    paragraphs: list[str] = []
    current: list[str] = []
    for line in (ROOT / "source" / "hongdong.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith((" ", "\N{IDEOGRAPHIC SPACE}")):
            if current:
                paragraphs.append("".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append("".join(current))
    typography = EDITIONS["zh-Hans"].typography
    css = (ROOT / "styles" / "typography.css").read_text(encoding="utf-8")
    body = "".join(f"<p>{mark_text(text, typography)}</p>" for text in paragraphs)
    return (
        f"<html lang='zh-Hans'><style>{css} @page {{ size: A3; margin: 15mm }} "
        "body { font-family: 'Noto Serif CJK SC'; font-size: 9.5pt; line-height: 1.5; "
        "column-count: 5; column-gap: 1.2em } "
        "p { text-align: justify; text-indent: 2em; margin: 0 }</style>"
        f"<body>{body}</body></html>"
    )


def render_once(html: str, patched: bool) -> dict[str, float]:
    """Render once in this process; return the total and the time inside the patch."""
    from contextlib import nullcontext

    import weasyprint

    spent = {"patch": 0.0}
    scope: Any = nullcontext()
    if patched:
        from pipeline.engine import justify

        def timed(function: Any) -> Any:
            def wrapper(*args: object) -> Any:
                start = time.process_time()
                try:
                    return function(*args)
                finally:
                    spent["patch"] += time.process_time() - start
            return wrapper

        justify._justify_line = timed(justify._justify_line)
        justify._apply_spacings = timed(justify._apply_spacings)
        justify._letter_spacings = timed(justify._letter_spacings)
        scope = justify.justification()  # patched for layout and drawing, as the build does
    start = time.process_time()
    with scope:
        weasyprint.HTML(string=html, base_url=str(ROOT) + "/").write_pdf()
    return {"total": time.process_time() - start, "patch": spent["patch"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="an HTML page to render")
    parser.add_argument("--runs", type=int, default=3, help="renders per variant (default 3)")
    parser.add_argument("--child", choices=["patched", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    built = ROOT / "output" / "zh-Hans" / "hongdong.html"
    if args.html:
        html = args.html.read_text(encoding="utf-8")
    elif built.exists():
        html = built.read_text(encoding="utf-8")
    else:
        html = sample_html()
    if args.child:
        # Warm up fonts and caches once, then time.
        render_once(html, args.child == "patched")
        results = [render_once(html, args.child == "patched") for _ in range(args.runs)]
        print(json.dumps(results))
        return 0
    source = args.html or (built if built.exists() else "sample text (5 columns, A3)")
    print(f"page: {source}")
    # Alternate the variants, one fresh process per render, so that a change in the machine's
    # load during the run weighs on both alike.
    results: dict[str, list[dict[str, float]]] = {"plain": [], "patched": []}
    for _ in range(args.runs):
        for variant in ("plain", "patched"):
            command = [sys.executable, __file__, "--child", variant, "--runs", "1"]
            if args.html:
                command += ["--html", str(args.html)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[variant] += json.loads(output.splitlines()[-1])
    inside = statistics.median(result["patch"] / result["total"] for result in results["patched"])
    print(f"in-process: {inside:.1%} of render time inside the justification patch")
    for name, pick in (("median", statistics.median), ("fastest", min)):
        plain = pick(result["total"] for result in results["plain"])
        patched = pick(result["total"] for result in results["patched"])
        print(f"A/B ({name} of {args.runs}): plain {plain:.2f} s, patched {patched:.2f} s, "
              f"{patched / plain - 1:+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
