"""Give a Traditional text's Simplified shadow, character for character, for word segmentation.

jieba's dictionary is Simplified: a Traditional title (華夏根祖聖地) segments badly as it is.
``simplified_shadow`` converts it with OpenCC's ``t2s`` and keeps the result only when it has
exactly as many characters, so every offset in the shadow is an offset in the text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["simplified_shadow"]


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified_shadow(text: str) -> str:
    """``text`` in Simplified characters, of the same length (or ``text`` itself if t2s changes it).

    >>> simplified_shadow("華夏根祖聖地"), simplified_shadow("华夏")
    ('华夏根祖圣地', '华夏')
    """
    converted = str(_converter().convert(text))
    return converted if len(converted) == len(text) else text
