"""The project folder is the trust boundary: paths, edition names and the output folder (issue 12, items 2–4)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError, ConfigErrors, RenderError
from pipeline.project.atomic import TEMP_SUFFIX, remove_stale_temps, temp_path_for
from pipeline.project.config import load_config
from pipeline.project.paths import check_inside, check_output_folder, resolve_inside
from pipeline.project.sidecar import load_sidecar
from pipeline.typeset.html import make_environment

SECRET = "root:x:0:0:SECRET-CONTENT\n"


def _project(tmp_path: Path, extra: str = "", pages: str = "pages: [source/p1.txt]\n") -> Path:
    root = tmp_path / "paper"
    (root / "source").mkdir(parents=True, exist_ok=True)
    (root / "source" / "p1.txt").write_text("正文。\n", encoding="utf-8")
    config = root / "broadsheet.yaml"
    config.write_text(pages + extra, encoding="utf-8")
    return config


def _foreign(tmp_path: Path) -> Path:
    """A file outside the project that must never be read or quoted."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def _errors(config: Path, **kwargs: object) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(config, **kwargs)  # type: ignore[arg-type]
    text = str(info.value)
    assert "SECRET-CONTENT" not in text
    return text.splitlines()


def _build(config: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", "--config", str(config), "--jobs", "1", *extra], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- item 2: edition names


@pytest.mark.parametrize("name", ["../../../x", "/srv/x", ".cache", "web", "manifest", "a b", "-x", "zh/TW", ""])
def test_edition_name_that_is_not_a_plain_name_is_refused(tmp_path: Path, name: str) -> None:
    config = _project(tmp_path, f"editions:\n  - name: {json.dumps(name)}\n    base: zh-Hans\n")
    (line,) = _errors(config)
    assert line.startswith(f"{config}:3: editions.0")


def test_edition_names_are_unique_regardless_of_case(tmp_path: Path) -> None:
    config = _project(tmp_path, "editions:\n  - zh-TW\n  - {name: ZH-tw, base: zh-TW}\n")
    assert _errors(config) == [
        f"{config}:4: editions.1: edition 'ZH-tw' is listed twice (names differ only in case)"]


def test_plain_edition_names_are_accepted(tmp_path: Path) -> None:
    config = _project(tmp_path, "editions:\n  - {name: zh-TW_2, base: zh-TW}\n  - {name: Big5, base: zh-HK}\n")
    assert [e.name for e in load_config(config).editions] == ["zh-TW_2", "Big5"]


def test_edition_path_never_writes_outside_the_output_folder(tmp_path: Path) -> None:
    config = _project(tmp_path, "editions:\n  - {name: ../../../escaped, base: zh-Hans}\n")
    code, _, err = _build(config, "--output", str(tmp_path / "out"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()


# ----------------------------------------------------------------------------- item 3: files outside the project


def test_source_outside_the_project_is_refused_without_quoting_it(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    config = _project(tmp_path, pages=f"pages:\n  - source: {secret}\n  - source: ../../{tmp_path.name}/secret.txt\n")
    assert _errors(config) == [
        f"{config}:2: pages.0.source: {str(secret)!r} lies outside the project folder {config.parent}",
        f"{config}:3: pages.1.source: '../../{tmp_path.name}/secret.txt' lies outside the project folder "
        f"{config.parent}",
    ]


def test_symlink_in_source_pointing_outside_is_refused(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    config = _project(tmp_path, pages="pages: [source/p1.txt, source/link.txt]\n")
    (config.parent / "source" / "link.txt").symlink_to(secret)
    assert _errors(config) == [
        f"{config}:1: pages.1.source: 'source/link.txt' lies outside the project folder {config.parent} "
        "(it is a symbolic link)"]
    code, _, err = _build(config)
    assert code == 2 and "SECRET-CONTENT" not in err


def test_phrases_outside_the_project_are_refused_without_quoting_them(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    config = _project(tmp_path, f"phrases: {secret}\n")
    assert _errors(config) == [f"{config}:2: phrases: {str(secret)!r} lies outside the project folder {config.parent}"]


def test_sidecar_outside_the_project_is_refused(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    config = _project(tmp_path, pages=f"pages:\n  - {{source: source/p1.txt, sidecar: {secret}}}\n")
    assert _errors(config) == [
        f"{config}:2: pages.0.sidecar: {str(secret)!r} lies outside the project folder {config.parent}"]


@pytest.mark.parametrize(("key", "value"), [("layouts", "/etc"), ("styles", "../../.."), ("layouts", "..")])
def test_layouts_and_styles_must_lie_inside_the_project(tmp_path: Path, key: str, value: str) -> None:
    config = _project(tmp_path, f"{key}: {value}\n")
    assert _errors(config) == [f"{config}:2: {key}: {value!r} lies outside the project folder {config.parent}"]


@pytest.mark.parametrize("folder", ["layouts", "styles"])
def test_symlink_in_layouts_or_styles_pointing_outside_is_refused(tmp_path: Path, folder: str) -> None:
    secret = _foreign(tmp_path)
    config = _project(tmp_path)
    (config.parent / folder).mkdir()
    (config.parent / folder / "page.html").symlink_to(secret)
    assert _errors(config) == [
        f"{config}:1: {folder}: '{folder}/page.html' lies outside the project folder {config.parent} "
        "(it is a symbolic link)"]


def test_template_loader_refuses_files_resolving_outside_its_folders(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "page.html").write_text("{% include 'partial.html' %}", encoding="utf-8")
    (layouts / "partial.html").symlink_to(secret)
    env = make_environment([layouts])
    with pytest.raises(RenderError) as info:
        env.get_template("page.html").render()
    assert "SECRET-CONTENT" not in str(info.value)
    assert str(info.value) == f"{layouts / 'partial.html'}: template resolves outside its layouts folder"


def test_sidecar_image_must_be_a_relative_path_inside_the_project() -> None:
    with pytest.raises(ConfigErrors) as info:
        load_sidecar("captions:\n  3: /etc/passwd\n  5: ../../x.jpg\n  7: images/ok.jpg\n", "p.yaml")
    assert str(info.value).splitlines() == [
        "p.yaml:2: captions.3: '/etc/passwd' is not a path inside the project folder "
        "(name an image file relative to the config's folder)",
        "p.yaml:3: captions.5: '../../x.jpg' is not a path inside the project folder "
        "(name an image file relative to the config's folder)",
    ]


def test_resolve_inside_follows_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "f.txt").write_text("x", encoding="utf-8")
    (root / "up").symlink_to(tmp_path)
    assert resolve_inside("a/../a/f.txt", root) == (root / "a" / "f.txt").resolve()
    with pytest.raises(ValueError, match="lies outside the project folder"):
        resolve_inside("up/secret.txt", root)


def test_check_inside_for_command_line_paths(tmp_path: Path) -> None:
    secret = _foreign(tmp_path)
    root = tmp_path / "root"
    root.mkdir()
    (root / "page.txt").write_text("x", encoding="utf-8")
    assert check_inside(root / "page.txt", root, "page") == (root / "page.txt").resolve()
    with pytest.raises(ConfigError) as info:
        check_inside(secret, root, "page")
    assert str(info.value) == f"{secret}: page lies outside the project folder {root.resolve()}"


# ----------------------------------------------------------------------------- item 4: the output folder


def test_output_root_of_the_filesystem_is_refused(tmp_path: Path) -> None:
    config = _project(tmp_path)
    code, _, err = _build(config, "--output", "/")
    assert code == 2
    assert err.strip() == "broadsheet: error: /: output folder may not hold the project folder"


def test_output_naming_a_file_is_refused(tmp_path: Path) -> None:
    config = _project(tmp_path)
    target = tmp_path / "file.pdf"
    target.write_bytes(b"%PDF")
    code, _, err = _build(config, "--output", str(target))
    assert code == 2 and err.strip() == f"broadsheet: error: {target}: output folder is a file"
    assert target.read_bytes() == b"%PDF"


@pytest.mark.parametrize("inside", ["", "source", "layouts", "styles"])
def test_output_may_not_be_a_project_folder(tmp_path: Path, inside: str) -> None:
    config = _project(tmp_path)
    for name in ("layouts", "styles"):
        (config.parent / name).mkdir(exist_ok=True)
    target = (config.parent / inside) if inside else config.parent
    lines = _errors(config, output=target)
    what = f"{inside}/" if inside else "the project folder"
    assert lines == [f"{target.resolve()}: output folder may not be {what}"]


def test_output_accepts_missing_empty_and_earlier_output(tmp_path: Path) -> None:
    config = _project(tmp_path)
    assert load_config(config, output=tmp_path / "new").output == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    assert load_config(config, output=tmp_path / "empty").output == (tmp_path / "empty").resolve()
    earlier = tmp_path / "earlier"
    (earlier / "zh-Hans").mkdir(parents=True)
    (earlier / "manifest.json").write_text(json.dumps({"generator": "broadsheet 0.1.0"}), encoding="utf-8")
    assert load_config(config, output=earlier).output == earlier.resolve()


def test_output_with_a_foreign_manifest_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"generator": "webpack"}), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        check_output_folder(folder, tmp_path / "paper", ())
    assert str(info.value) == (f"{folder}: output folder holds files and no Broadsheet manifest "
                               "(give an empty or new folder, or an earlier build's output)")


def test_foreign_folder_as_output_fails_the_build_and_is_left_alone(tmp_path: Path) -> None:
    config = _project(tmp_path)
    folder = tmp_path / "home"
    (folder / "zh-Hans").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    stale_looking = temp_path_for(folder / "zh-Hans" / "x")
    stale_looking.write_bytes(b"not a build's")
    code, _, err = _build(config, "--output", str(folder))
    assert code == 2 and "holds files and no Broadsheet manifest" in err
    assert stale_looking.exists() and sorted(p.name for p in folder.iterdir()) == ["notes.txt", "zh-Hans"]


def test_first_build_that_stopped_early_can_be_rebuilt(tmp_path: Path) -> None:
    config = _project(tmp_path)
    out = tmp_path / "out"
    (out / "zh-Hans").mkdir(parents=True)
    (out / ".cache").mkdir()
    temp_path_for(out / "zh-Hans" / "p1.pdf").write_bytes(b"half")
    assert load_config(config, output=out).output == out.resolve()


def test_stale_temps_only_in_the_folders_the_build_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "zh-Hans").mkdir(parents=True)
    (out / ".cache" / "zh-Hans").mkdir(parents=True)
    (out / "notes" / "deep" / "deeper").mkdir(parents=True)
    ours = [temp_path_for(out / "manifest.json"), temp_path_for(out / "zh-Hans" / "p.pdf"),
            temp_path_for(out / ".cache" / "zh-Hans" / "p.json")]
    foreign = [out / "zh-Hans" / f".p.pdf{TEMP_SUFFIX}",  # not our name pattern
               out / "notes" / "deep" / "deeper" / temp_path_for(out / "x").name]  # not a folder we write
    for path in ours + foreign:
        path.write_bytes(b"half")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = temp_path_for(elsewhere / "y")
    linked.write_bytes(b"not ours")
    (out / "web").symlink_to(elsewhere)  # never followed
    assert remove_stale_temps(out) == sorted(ours)
    assert all(path.exists() for path in foreign) and linked.exists()


def test_stale_temp_sweep_does_not_walk_deep_trees(tmp_path: Path) -> None:
    deep = tmp_path / "out" / "zh-Hans" / "a" / "b" / "c"
    deep.mkdir(parents=True)
    buried = temp_path_for(deep / "p.pdf")
    buried.write_bytes(b"x")
    assert remove_stale_temps(tmp_path / "out") == []
    assert buried.exists()


def test_template_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "page.html").write_bytes("<p>宋体</p>\n".encode("gb18030"))
    with pytest.raises(RenderError) as info:
        make_environment([layouts]).get_template("page.html")
    assert str(info.value) == f"{layouts / 'page.html'}:byte 3: template is not UTF-8 text (save it as UTF-8)"


def test_path_with_a_nul_byte_is_one_line_not_a_crash(tmp_path: Path) -> None:
    config = _project(tmp_path, 'output: "out\\0put"\n', pages='pages: ["source/p1\\0.txt"]\n')
    assert _errors(config) == [
        f"{config}:1: pages.0.source: 'source/p1\\x00.txt' is not a usable path (embedded null byte)",
        f"{config}:2: output: 'out\\x00put' is not a usable path (embedded null byte)",
    ]


def test_symlink_loops_are_one_line_not_a_crash(tmp_path: Path) -> None:
    config = _project(tmp_path, pages="pages: [source/p1.txt, source/loop.txt]\n")
    root = config.parent
    (root / "source" / "loop.txt").symlink_to("loop.txt")
    (root / "layouts").mkdir()
    (root / "layouts" / "loop.html").symlink_to("loop.html")
    assert _errors(config) == [
        f"{config}:1: layouts: 'layouts/loop.html' is a symbolic link that never resolves (a link loop)",
        f"{config}:1: pages.1.source: 'source/loop.txt' is not a usable path (a symbolic link loop)",
    ]
    (tmp_path / "out").symlink_to("out")
    code, _, err = _build(config, "--output", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    with pytest.raises(ConfigError, match="page is not a usable path"):
        check_inside(root / "source" / "loop.txt", root, "page")
