"""Test-data generators: seeded OCR-like pages and publications (not shipped in the wheel)."""
