"""Broadsheet: typeset OCR'd Chinese newspaper pages into print-ready PDFs in every edition."""

__version__ = "0.1.0"
