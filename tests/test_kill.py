"""A build killed with SIGKILL mid-render leaves only complete files, and the next build recovers.

The one real kill of the suite (marked ``slow``; it still runs by default); ``test_faults.py``
injects a failure at every write of a build instead, fast and deterministic.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from pipeline.project.atomic import TEMP_SUFFIX

ROOT = Path(__file__).resolve().parent.parent


def _complete(output: Path) -> None:
    """Every artifact is whole: PDFs parse to the end, JSON loads, the manifest names only files that exist."""
    for path in output.rglob("*"):
        if not path.is_file() or path.name.endswith(TEMP_SUFFIX):
            continue
        if path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(pypdf.PdfReader(path).pages) >= 1
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".html":
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    manifest = output / "manifest.json"
    if manifest.exists():
        for artifact in json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]:
            assert (output / artifact["path"]).is_file(), artifact["path"]


@pytest.mark.slow  # a real build in a subprocess, killed and rerun: seconds of real time
@pytest.mark.parametrize("after_lines", [0, 2])
def test_kill_mid_render_leaves_no_partial_file(tmp_path: Path, after_lines: int) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    shutil.copy(ROOT / "broadsheet.yaml", paper / "broadsheet.yaml")
    shutil.copytree(ROOT / "source", paper / "source")
    output = paper / "output"
    command = [sys.executable, "-m", "pipeline", "build", "--config", str(paper / "broadsheet.yaml"), "--jobs", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               start_new_session=True, cwd=ROOT)
    assert process.stderr is not None
    seen = 0
    while seen < after_lines:
        line = process.stderr.readline()
        if not line:
            break
        seen += line.startswith("wrote ")
    if after_lines == 0:
        time.sleep(3)  # inside the first render
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    _complete(output)

    rerun = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert rerun.returncode == 0, rerun.stderr
    _complete(output)
    assert not [p for p in output.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert {a["path"] for a in manifest["artifacts"]} >= {"zh-Hans/hongdong.pdf", "zh-TW/hongdong.pdf",
                                                         "zh-HK/hongdong.pdf"}
