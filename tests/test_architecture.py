"""The package's architecture as a test: DESIGN.md's may-import table, walked with ``ast``.

Each subpackage is a stage; a module may import the foundation (``errors``, ``model``,
``yamlload``), its own subpackage, the stages listed for it, and the libraries listed
for it.  Nothing imports ``cli``.  A fixture with a planted upward import proves the
walker fails when it should.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

FOUNDATION = {"errors", "model", "yamlload", "timing"}
"""Top-level modules every stage may use: the error types, the data model, the YAML-with-lines reader,
the stage stopwatch."""

STAGES: dict[str, set[str]] = {
    # subpackage: the subpackages it may import (besides itself and FOUNDATION)
    "text": set(),
    "editions": {"text"},
    "typeset": {"text", "editions"},
    "engine": {"text", "editions", "typeset"},
    "checks": {"text", "editions", "engine"},
    "project": {"text", "editions", "typeset", "engine", "checks"},
}
"""DESIGN.md's table: a stage imports only the stages before it."""

LIBRARIES: dict[str, set[str]] = {
    "foundation": {"yaml"},
    "text": {"jieba"},
    "editions": {"opencc", "jieba"},
    "typeset": {"jinja2", "markupsafe", "jieba", "fontTools", "uharfbuzz"},
    "engine": {"weasyprint", "pydyf", "tinycss2", "tinyhtml5", "fontTools", "uharfbuzz", "pypdfium2", "pikepdf", "PIL",
               "cffi"},
    "checks": {"pypdfium2", "pikepdf", "fontTools"},
    "project": {"yaml", "pypdfium2", "pikepdf", "PIL", "dask", "distributed", "watchfiles", "rich"},
    "top": {"rich"},
}
"""Third-party libraries each stage may import (the standard library is always allowed)."""

HEAVY_FOR_TEXT = {"weasyprint", "jinja2", "opencc", "yaml", "pypdf", "pypdfium2", "pikepdf"}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (absolute dotted names), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            if node.module is None:
                # ``from . import x`` may name a submodule
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names
                             if not alias.name.startswith("__"))
    return found


def _stage_of(module: str, root_name: str) -> str:
    parts = module.split(".")
    if parts[0] != root_name:
        return "external"
    if len(parts) == 1:
        return "top"
    if parts[1] in STAGES:
        return parts[1]
    if parts[1] in FOUNDATION:
        return "foundation"
    return "top"


def check_imports(root: Path) -> list[str]:
    """Every import in the package ``root`` that breaks the table, as ``file:line: message``."""
    root_name = root.name
    problems = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        stage = _stage_of(module, root_name)
        for line, target in _imports(path, root):
            where = f"{path.relative_to(root.parent)}:{line}"
            top = target.split(".")[0]
            if top != root_name:
                if top in sys.stdlib_module_names or top == "__future__":
                    continue
                allowed = LIBRARIES.get(stage, set()) | (LIBRARIES["foundation"] if stage == "foundation" else set())
                if stage == "top":
                    allowed = set().union(*LIBRARIES.values())
                if top not in allowed:
                    problems.append(f"{where}: {module} imports the library {top}")
                continue
            parts = target.split(".")
            if len(parts) > 1 and parts[1] == "cli" and module != f"{root_name}.__main__":
                problems.append(f"{where}: {module} imports the CLI")
                continue
            target_stage = _stage_of(target, root_name)
            if target_stage in ("foundation", "external") or target_stage == stage:
                continue
            if target_stage == "top":
                if len(parts) == 1 or stage == "top":
                    continue  # the package itself (``__version__``)
                problems.append(f"{where}: {module} imports {target}, above it")
                continue
            if stage == "top":
                continue
            if stage == "foundation":
                problems.append(f"{where}: foundation module {module} imports the stage {target_stage}")
            elif target_stage not in STAGES[stage]:
                problems.append(f"{where}: {module} ({stage}) imports {target} ({target_stage}), an upward arrow")
    return problems


def test_the_package_keeps_the_import_table() -> None:
    assert check_imports(PACKAGE) == []


def test_a_planted_upward_import_fails(tmp_path: Path) -> None:
    root = tmp_path / "pipeline"
    for sub in ("text", "project"):
        (root / sub).mkdir(parents=True)
        (root / sub / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "model.py").write_text("import dataclasses\n")
    (root / "text" / "reflow.py").write_text("from ..model import x\nfrom ..project.build import y\nimport jinja2\n")
    (root / "project" / "build.py").write_text("from ..text.reflow import z\nfrom ..cli import main\n")
    problems = check_imports(root)
    assert problems == [
        "pipeline/project/build.py:2: pipeline.project.build imports the CLI",
        "pipeline/text/reflow.py:2: pipeline.text.reflow (text) imports pipeline.project.build (project), "
        "an upward arrow",
        "pipeline/text/reflow.py:3: pipeline.text.reflow imports the library jinja2",
    ]


def test_the_text_stage_imports_nothing_heavy() -> None:
    for path in (PACKAGE / "text").rglob("*.py"):
        for line, target in _imports(path, PACKAGE):
            assert target.split(".")[0] not in HEAVY_FOR_TEXT, f"{path}:{line} imports {target}"


def test_few_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_is_a_documented_package(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    assert init.is_file()
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{stage}/__init__.py has no docstring"
