"""WeasyPrint's native libraries found from the ldconfig cache (engine/libraries.py)."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
import textwrap

import pytest

from pipeline.engine import libraries

pytestmark = pytest.mark.skipif(libraries._ldconfig_cache() is None, reason="no ldconfig cache here")


@pytest.mark.parametrize("name", ["c", "m", "fontconfig", "pango-1.0", "gobject-2.0", "harfbuzz",
                                  "libgobject-2.0-0", "pangoft2-1.0-0", "no-such-library-xyz"])
def test_the_cached_lookup_answers_as_the_standard_library_does(name: str) -> None:
    cached = libraries._lookup_in(libraries._ldconfig_cache() or b"")(name)
    assert cached == ctypes.util.find_library(name)


def test_weasyprint_imports_with_one_lookup_process_and_renders() -> None:
    """Run in a fresh interpreter: the import starts one process (``ldconfig -p``), not ~50, and
    the stock ``find_library`` is back afterwards."""
    script = textwrap.dedent("""
        import ctypes.util, json, subprocess
        started = []
        original_init = subprocess.Popen.__init__
        def counting(self, args, *rest, **options):
            started.append(args[0] if isinstance(args, (list, tuple)) else args)
            original_init(self, args, *rest, **options)
        subprocess.Popen.__init__ = counting
        stock = ctypes.util.find_library
        from pipeline.engine.libraries import import_weasyprint
        weasyprint = import_weasyprint()
        pdf = weasyprint.HTML(string="<p>县里新建农田三万亩</p>").write_pdf()
        print(json.dumps({"started": started, "restored": ctypes.util.find_library is stock,
                          "pdf": pdf[:5].decode()}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    import json

    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["started"] == [libraries.LDCONFIG]
    assert report["restored"] and report["pdf"] == "%PDF-"
