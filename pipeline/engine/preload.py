"""Load into this process what every render loads first: the libraries and jieba's dictionary.

A build's worker processes are forked from the build's own process, and a forked worker starts
with everything its parent had loaded.  Loading it once in the parent, just before the workers
are forked, costs one worker's start-up instead of one per worker (WeasyPrint's import alone is
some 0.35 s of CPU).  Nothing is rendered and nothing is read from the publication here.
"""

from __future__ import annotations

__all__ = ["load_render_libraries"]


def load_render_libraries() -> None:
    """Import WeasyPrint, the PDF readers, OpenCC and Jinja2, and build jieba's tokenizer."""
    import pikepdf  # noqa: F401
    import pypdfium2  # noqa: F401

    from .libraries import import_weasyprint

    import_weasyprint()

    from ..editions import convert  # noqa: F401  (OpenCC)
    from ..text.words import dictionary_words
    from ..typeset import html  # noqa: F401  (Jinja2)

    dictionary_words("预先载入")
