"""One build of the sample publication, shared by the web, serve and browser tests.

The sample's ``broadsheet.yaml`` and ``source/`` are copied into a temporary folder and built
once per test session for ``zh-Hans`` and ``zh-TW`` with previews; a test that edits sources
takes its own copy (``copy_built``), whose build cache keeps it up to date without rendering.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
EDITIONS = ("zh-Hans", "zh-TW")
"""The editions the shared build makes (the sample's zh-HK is left out to keep tests short)."""

_BUILT: dict[str, Path] = {}


def built_sample(factory: pytest.TempPathFactory) -> Path:
    """The folder of the shared build (its config is ``broadsheet.yaml`` in it); built on first use."""
    if "root" not in _BUILT:
        root = factory.mktemp("sample")
        shutil.copy(ROOT / "broadsheet.yaml", root / "broadsheet.yaml")
        shutil.copytree(ROOT / "source", root / "source")
        config = root / "broadsheet.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "editions: [zh-Hans, zh-TW, zh-HK]", "editions: [zh-Hans, zh-TW]"), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        argv = ["build", "--config", str(config), "--preview", "--jobs", "2"]
        for edition in EDITIONS:
            argv += ["--edition", edition]
        code = main(argv, stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        _BUILT["root"] = root
    return _BUILT["root"]


def copy_built(factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy of the shared build (sources, config and output with its cache)."""
    source = built_sample(factory)
    target = factory.mktemp(name)
    shutil.copytree(source, target, dirs_exist_ok=True, symlinks=True)
    return target
