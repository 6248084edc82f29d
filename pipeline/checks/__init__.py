"""Preflight finished PDFs: text conservation, fonts and glyphs, structure, clreq typography, page budget.

One reading per PDF: ``reader`` reads the bytes once and opens them once with
pdfium (text and glyph positions) and once with pikepdf (structure and fonts);
``report`` holds the text and font checks, ``structure`` qpdf's check,
``typography`` the clreq figures, and ``preflight`` composes them all in
:func:`run_checks`, which the build and ``broadsheet check`` both call.
"""

from __future__ import annotations

from .preflight import PreflightReport, check_budget, check_pdf, find_edition, load_page_json, run_checks

__all__ = ["PreflightReport", "check_budget", "check_pdf", "find_edition", "load_page_json", "run_checks"]
