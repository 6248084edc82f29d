"""A publication's own templates run sandboxed: no Python internals, no code execution (issue 12, item 1)."""

from __future__ import annotations

import dataclasses
import io
import types
from pathlib import Path

import jinja2.sandbox
import pytest

from pipeline.cli import main
from pipeline.model import Paragraph
from pipeline.project.config import packaged_dir
from pipeline.typeset.html import make_environment

GADGETS = {
    "cycler": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "joiner": "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "mro": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c.__name__ }} {% endfor %}",
}


def test_environment_is_sandboxed_and_keeps_escaping() -> None:
    env = make_environment([packaged_dir("layouts")])
    assert isinstance(env, jinja2.sandbox.SandboxedEnvironment)
    assert env.undefined is jinja2.StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


@dataclasses.dataclass
class _Data:
    value: int = 1

    def method(self) -> int:
        return self.value


def test_attribute_checks_agree_with_jinjas_sandbox() -> None:
    ours, stock = make_environment([packaged_dir("layouts")]), jinja2.sandbox.SandboxedEnvironment()
    data = _Data()
    objects = [data, _Data, data.method, _Data.method, (lambda: 1), (x for x in ()), "text", 3, {}, [],
               Paragraph(text="段落"), types.SimpleNamespace(value=1)]
    names = ["value", "text", "_value", "__class__", "__globals__", "__init__", "mro", "method", "gi_frame",
             "gi_code", "__func__", "__self__", "upper", "f_back", "tb_frame"]
    for obj in objects:
        for name in names:
            assert ours.is_safe_attribute(obj, name, None) == stock.is_safe_attribute(obj, name, None), (obj, name)
    assert ours.from_string("{{ p.text }}").render(p=Paragraph(text="段落")) == "段落"
    with pytest.raises(jinja2.sandbox.SecurityError):
        ours.from_string("{{ p.__class__.__init__.__globals__ }}").render(p=Paragraph(text="段落"))


@pytest.mark.parametrize("gadget", GADGETS)
def test_gadget_is_stopped_by_the_sandbox(tmp_path: Path, gadget: str) -> None:
    env = make_environment([tmp_path])
    with pytest.raises(jinja2.sandbox.SecurityError):
        env.from_string(GADGETS[gadget]).render()


@pytest.mark.parametrize("gadget", GADGETS)
def test_gadget_in_a_publication_template_fails_the_build_in_one_line(tmp_path: Path, gadget: str) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "p.txt").write_text("县里召开会议\n\n会议指出，要抓好秋粮收购工作。\n", encoding="utf-8")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "page.html").write_text(f"<html><body>\n{GADGETS[gadget]}\n</body></html>\n",
                                                     encoding="utf-8")
    config = tmp_path / "broadsheet.yaml"
    config.write_text("paper: {size: A4, columns: 3}\neditions: [zh-Hans]\npages: [source/p.txt]\n",
                      encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), "--jobs", "1", "--output", str(tmp_path / "out")],
                stdout=out, stderr=err)
    assert code == 2, err.getvalue()
    (line,) = err.getvalue().splitlines()
    assert line.startswith(f"broadsheet: error: {tmp_path / 'layouts' / 'page.html'}:2: template refused: ")
    assert "uid=" not in line
    assert not list((tmp_path / "out").rglob("*.pdf"))



@pytest.mark.parametrize("bomb", ["{{ 'x' * 10 ** 12 }}", "{{ [1] * 10 ** 9 }}", "{{ 2 ** (10 ** 8) }}"])
def test_templates_cannot_exhaust_memory_or_time_with_arithmetic(tmp_path: Path, bomb: str) -> None:
    env = make_environment([tmp_path])
    with pytest.raises(jinja2.sandbox.SecurityError):
        env.from_string(bomb).render()
    assert env.from_string("{{ '-' * 3 }}{{ 2 ** 10 }}").render() == "---1024"
