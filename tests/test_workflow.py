"""The release workflow: triggered by version tags, runs the README's own commands, uploads PDFs and manifest."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def readme_commands() -> list[str]:
    """The commands of the README's first fenced ``sh`` block (comments and blank lines left out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^```sh\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no ```sh block"
    lines = [line.strip() for line in match.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def load_workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    jobs = load_workflow()["jobs"]
    assert len(jobs) == 1, "expected one release job"
    (job,) = jobs.values()
    return list(job["steps"])


def run_lines(step: dict[str, Any]) -> list[str]:
    return [line.strip() for line in str(step.get("run", "")).splitlines()]


def step_index(predicate: Any) -> int:
    found = [i for i, step in enumerate(steps()) if predicate(step)]
    assert found, "no such step"
    return found[0]


def test_triggered_by_version_tags_only() -> None:
    workflow = load_workflow()
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"]["contents"] == "write"


def test_readme_commands_are_run_verbatim() -> None:
    commands = readme_commands()
    assert len(commands) >= 1
    build = commands[0]  # the README's first command builds the sample ("set up, then build")
    assert "build" in build
    for command in commands:
        assert any(command in run_lines(step) for step in steps()), f"no step runs {command!r}"
    build_step = step_index(lambda step: build in run_lines(step))
    upload = step_index(lambda step: str(step.get("uses", "")).startswith("actions/upload-artifact@"))
    release = step_index(lambda step: str(step.get("uses", "")).startswith("softprops/action-gh-release@"))
    assert build_step < upload < release


def test_runs_as_root_on_debian_with_python_3_11() -> None:
    (job,) = load_workflow()["jobs"].values()
    assert job["container"] == "debian:bookworm"  # bookworm's python3 is 3.11; container jobs run as root
    assert str(steps()[0]["uses"]).startswith("actions/checkout@")


def test_artifact_holds_the_pdfs_and_the_manifest() -> None:
    step = steps()[step_index(lambda s: str(s.get("uses", "")).startswith("actions/upload-artifact@"))]
    paths = [line.strip() for line in step["with"]["path"].splitlines() if line.strip()]
    assert paths == ["output/**/*.pdf", "output/manifest.json"]
    assert step["with"]["if-no-files-found"] == "error"


def test_release_uploads_the_staged_pdfs_and_manifest() -> None:
    step = steps()[step_index(lambda s: str(s.get("uses", "")).startswith("softprops/action-gh-release@"))]
    files = [line.strip() for line in step["with"]["files"].splitlines() if line.strip()]
    assert files == ["release/*.pdf", "release/manifest.json"]
    assert step["with"]["fail_on_unmatched_files"] is True


@pytest.mark.skipif(shutil.which("bash") is None, reason="the staging step is a bash script")
def test_staging_step_names_assets_by_page_and_edition(tmp_path: Path) -> None:
    step = steps()[step_index(lambda s: "release/" in str(s.get("run", "")))]
    assert step["shell"] == "bash"
    for name in ("zh-Hans", "zh-TW", "zh-HK"):
        (tmp_path / "output" / name).mkdir(parents=True)
        for page in ("hongdong", "issue"):
            (tmp_path / "output" / name / f"{page}.pdf").write_text(f"{name}/{page}", encoding="utf-8")
        (tmp_path / "output" / name / "hongdong.html").write_text("", encoding="utf-8")
    (tmp_path / "output" / ".cache").mkdir()
    (tmp_path / "output" / ".cache" / "stale.pdf").write_text("", encoding="utf-8")
    (tmp_path / "output" / "manifest.json").write_text("{}", encoding="utf-8")
    subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, check=True)
    staged = sorted(p.name for p in (tmp_path / "release").iterdir())
    assert staged == sorted([f"{page}-{name}.pdf" for name in ("zh-Hans", "zh-TW", "zh-HK")
                             for page in ("hongdong", "issue")] + ["manifest.json"])
    assert (tmp_path / "release" / "issue-zh-TW.pdf").read_text(encoding="utf-8") == "zh-TW/issue"
