"""Save every preflight report of a set of PDFs, or compare them with saved ones, to show a change keeps them.

Usage: ``.venv/bin/python benchmarks/preflight_reports.py save|compare DIR PDF_OR_FOLDER ...``

Each PDF (a folder gives every ``*.pdf`` under it) is checked twice: as ``broadsheet check PDF``
does (the edition its folder names, the build's ``.json`` beside it) and with no edition and no
page (the default typography, the writing mode guessed from the glyphs).  For each, the report's
``to_dict()`` as JSON, its ``format()`` and its ``repr`` (every figure, as Python prints it) are
written to ``DIR`` by ``save``; ``compare`` checks them byte for byte against a run's and names
each that differs.  A performance change to the checks must leave them all identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks import check_pdf, run_checks  # noqa: E402


def reports(pdf: Path) -> dict[str, str]:
    """The two reports of one PDF, each as JSON, formatted text and repr."""
    found = {}
    for mode, report in (("check", check_pdf(pdf)), ("bare", run_checks(pdf, None, None))):
        found[f"{mode}.json"] = json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
        found[f"{mode}.txt"] = report.format()
        found[f"{mode}.repr"] = repr(report)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("save", "compare"))
    parser.add_argument("folder", type=Path, help="where the reports are saved")
    parser.add_argument("pdfs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    pdfs = sorted({pdf for given in args.pdfs for pdf in (sorted(given.rglob("*.pdf")) if given.is_dir()
                                                          else [given])})
    args.folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    for pdf in pdfs:
        key = hashlib.sha256(str(pdf.resolve()).encode()).hexdigest()[:16]
        for part, text in reports(pdf).items():
            saved = args.folder / f"{key}.{part}"
            if args.mode == "save":
                saved.write_text(text, encoding="utf-8")
            elif not saved.is_file() or saved.read_text(encoding="utf-8") != text:
                differ += 1
                print(f"differs: {pdf} {part}")
    print(f"{len(pdfs)} PDFs, {2 * len(pdfs)} reports: " + ("saved" if args.mode == "save" else
                                                           f"{differ} part(s) differ"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
