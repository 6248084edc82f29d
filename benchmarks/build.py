"""Time whole-issue builds of a generated 20-page publication: cold, parallel, no-change and one-page change.

Usage: ``.venv/bin/python benchmarks/build.py [--pages 20] [--seed 0] [--edition E ...] [--work DIR]``

Each build runs ``broadsheet build`` as a separate process, as CI would, and
reports its wall time, the peak resident memory of its biggest process, and
the artifacts it wrote.  The numbers go into the issue notes; nothing here is
a test.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the test-data generators in tests/support/

from support.sampler import make_publication  # noqa: E402


def run_build(config: Path, jobs: int) -> tuple[float, float, list[str]]:
    """Wall seconds, peak RSS of the largest child in MiB, and the artifacts written."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--config", str(config), "--jobs", str(jobs)],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    wrote = [line.removeprefix("wrote ") for line in done.stderr.splitlines() if line.startswith("wrote ")]
    return wall, peak, wrote


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edition", action="append", help="editions to build (default: all three)")
    parser.add_argument("--work", type=Path, help="folder to work in (default: a temporary one)")
    args = parser.parse_args(argv)
    editions = tuple(args.edition or ("zh-Hans", "zh-TW", "zh-HK"))
    work = args.work or Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    shutil.rmtree(work, ignore_errors=True)

    results = []
    for jobs in (1, 2):
        folder = work / f"jobs{jobs}"
        config = make_publication(folder, pages=args.pages, seed=args.seed, editions=editions)
        wall, peak, wrote = run_build(config, jobs)
        pdfs = [w for w in wrote if w.endswith(".pdf") and not w.endswith("issue.pdf")]
        results.append((f"cold build, --jobs {jobs}", wall, peak, f"{len(pdfs)} page PDFs"))
    config = work / "jobs2" / "broadsheet.yaml"
    wall, peak, wrote = run_build(config, 2)
    results.append(("no-change rebuild", wall, peak, f"{len(wrote)} files written"))

    sources = sorted((work / "jobs2" / "source").glob("*.txt"))
    source = sources[len(sources) // 2]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("。", "。新增一句。", 1), encoding="utf-8")
    wall, peak, wrote = run_build(config, 2)
    rendered = sorted({w.rsplit("/", 1)[1].removesuffix(".pdf") for w in wrote
                       if w.endswith(".pdf") and not w.endswith("issue.pdf")})
    results.append((f"one-page change ({source.stem})", wall, peak, "re-rendered: " + ", ".join(rendered)))

    print(f"{args.pages} pages × {len(editions)} editions ({', '.join(editions)}), seed {args.seed}")
    for name, wall, peak, note in results:
        print(f"{name:36s} {wall:7.1f} s  peak {peak:6.0f} MiB  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
