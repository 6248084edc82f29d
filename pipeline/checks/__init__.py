"""Preflight finished PDFs: text conservation, fonts and glyphs, clreq typography."""
