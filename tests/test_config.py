"""broadsheet.yaml: validation, all problems at once, paths relative to the config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import ConfigError, ConfigErrors
from pipeline.model import Paper, Publication
from pipeline.project.config import SCHEMA, default_of, load_config, parse_config, reference_table
from pipeline.text.decode import DEFAULT_MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "source").mkdir(exist_ok=True)
    (tmp_path / "source" / "p1.txt").write_text("正文。\n", encoding="utf-8")
    path = tmp_path / "broadsheet.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_config_loads() -> None:
    config = load_config(ROOT / "broadsheet.yaml")
    assert [e.name for e in config.editions] == ["zh-Hans", "zh-TW", "zh-HK"]
    assert config.pages[0].name == "hongdong"
    assert config.pages[0].given == "source/hongdong.txt"
    assert config.output == ROOT / "output"
    assert config.paper.body_size >= 9
    assert 5 <= config.paper.columns <= 8
    assert config.publication.date is not None and config.publication.date.isoformat() == "2021-09-28"


def test_paths_resolve_against_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\n")
    monkeypatch.chdir(ROOT)
    config = load_config(path)
    assert config.pages[0].source == tmp_path / "source" / "p1.txt"
    assert config.output == tmp_path / "output"


def test_all_problems_reported_at_once_with_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "paper:\n"
        "  columns: three\n"
        "  size: Q9\n"
        "editions: [zh-Hans, zh-XX]\n"
        "pages:\n"
        "  - source: source/missing.txt\n"
    ))
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    lines = str(info.value).splitlines()
    assert lines == [
        f"{path}:2: paper.columns: expected an integer 1–8, got 'three'",
        f"{path}:3: paper.size: expected one of broadsheet, tabloid, A3, A4 or 'W×H mm', got 'Q9'",
        f"{path}:4: editions.1: unknown edition 'zh-XX' (did you mean 'zh-TW'?)",
        f"{path}:6: pages.0.source: page file not found: source/missing.txt",
    ]


def test_unknown_key_warns_with_suggestion_and_strict_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\npaper:\n  colums: 5\n")
    config = load_config(path)
    assert config.warnings == (f"{path}:3: paper.colums: unknown key (did you mean 'columns'?)",)
    with pytest.raises(ConfigErrors):
        load_config(path, strict=True)


def test_output_outside_config_folder_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\noutput: ../elsewhere\n")
    with pytest.raises(ConfigErrors, match="outside the config's folder"):
        load_config(path)
    config = load_config(path, output=tmp_path.parent / "elsewhere")
    assert config.output == (tmp_path.parent / "elsewhere").resolve()


def test_output_inside_source_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\noutput: source/out\n")
    with pytest.raises(ConfigErrors, match="inside source/"):
        load_config(path)


def test_edition_mapping_overrides_base(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "pages: [source/p1.txt]\n"
        "editions:\n"
        "  - name: zh-TW\n"
        "    opencc: s2twp\n"
        "    line_break: strict\n"
    ))
    (edition,) = load_config(path).editions
    assert edition.opencc == "s2twp"
    assert edition.typography.line_break == "strict"
    assert edition.quotes == "corner"


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt\npaper: {\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:")
    assert "invalid YAML" in str(info.value)


def test_missing_config_names_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    assert str(info.value) == (f"{tmp_path / 'nope.yaml'}: config file not found "
                               "(run 'broadsheet init DIR' or pass --config FILE)")


def test_paper_size_in_millimetres(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\npaper: {size: 350×500 mm, body_size: 10}\n")
    config = parse_config(path.read_text(encoding="utf-8"), path)
    assert (config.paper.width_mm, config.paper.height_mm, config.paper.body_size) == (350.0, 500.0, 10.0)


def test_pdf_variant_archival_accepted_pdfx_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\npdf: {variant: pdf/a-3b}\n")
    assert load_config(path).pdf_variant == "pdf/a-3b"
    path.write_text("pages: [source/p1.txt]\npdf:\n  variant: pdf/x-3\n", encoding="utf-8")
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:3: pdf.variant: pdf/x-3 is not supported")


def test_unknown_opencc_config_and_font_are_reported_with_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "pages: [source/p1.txt]\n"
        "editions:\n"
        "  - name: zh-TW\n"
        "    opencc: s2tww\n"
        "    serif: No Such Serif CJK\n"
    ))
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    lines = str(info.value).splitlines()
    assert lines[0] == (f"{path}:4: editions.0.opencc: expected an OpenCC config from Simplified, got 's2tww' "
                        "(did you mean 's2tw'?)")
    assert lines[1].startswith(f"{path}:5: editions.0.serif: font family 'No Such Serif CJK' is not installed")


def test_opencc_json_name_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\neditions: [{name: zh-TW, opencc: s2twp.json}]\n")
    assert load_config(path).editions[0].opencc == "s2twp"


def test_impossible_date_is_one_line_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\npublication:\n  name: 县报\n  date: 2023-04-31\n")
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    assert str(info.value) == (f"{path}:4: publication.date: 2023-04-31 is not a calendar date "
                               "(day is out of range for month)")


@pytest.mark.parametrize("size", ["0×0 mm", "99999×99999 mm", "49×300 mm", "300×2001 mm"])
def test_paper_size_out_of_range_is_an_error_at_its_line(tmp_path: Path, size: str) -> None:
    path = _write(tmp_path, f"pages: [source/p1.txt]\npaper:\n  columns: 5\n  size: {size}\n")
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    assert str(info.value) == f"{path}:4: paper.size: {size!r} is out of range: each side must be 50–2000 mm"


def test_paper_size_at_the_bounds_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\npaper: {size: 50×2000 mm}\n")
    paper = load_config(path).paper
    assert (paper.width_mm, paper.height_mm) == (50.0, 2000.0)


def test_readme_option_reference_is_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- config-reference: start -->\n", "<!-- config-reference: end -->"
    assert readme[readme.index(start) + len(start):readme.index(end)] == reference_table()
    documented = set(re.findall(r"^\| `([a-z_\[\].]+)` \|", reference_table(), re.M))
    assert documented == {option.key for option in SCHEMA}


def test_schema_defaults_are_the_model_defaults(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "pages: [source/p1.txt]\n"))
    assert config.paper == Paper() and config.publication == Publication()
    assert config.max_source_bytes == DEFAULT_MAX_BYTES
    assert [e.name for e in config.editions] == list(default_of("editions"))


def test_known_keys_come_from_the_schema(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\neditions: [{name: zh-TW, quote: corner}]\nlimit: {}\n")
    assert set(load_config(path).warnings) == {
        f"{path}:2: editions.0.quote: unknown key (did you mean 'quotes'?)",
        f"{path}:3: limit: unknown key (did you mean 'limits'?)",
    }


def test_stylesheet_that_is_not_utf8_is_one_line_at_its_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, "pages: [source/p1.txt]\n")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "page.css").write_bytes("body { font-family: '宋体'; }\n".encode("gb18030"))
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    assert str(info.value) == (f"{tmp_path / 'styles' / 'page.css'}:byte 21: stylesheet is not UTF-8 text "
                               "(save it as UTF-8)")


def test_edition_mapping_base_is_checked_whatever_its_type(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "pages: [source/p1.txt]\n"
        "editions:\n"
        "  - {name: x, base: [1]}\n"
        "  - {name: y, base: zh-tw}\n"
        "  - {name: ZH-HANS}\n"
    ))
    with pytest.raises(ConfigErrors) as info:
        load_config(path)
    assert str(info.value).splitlines() == [
        f"{path}:3: editions.0.base: unknown base edition '[1]' (choose from zh-Hans, zh-Hant, zh-TW, zh-HK)",
        f"{path}:4: editions.1.base: unknown base edition 'zh-tw' (did you mean 'zh-TW'?)",
        f"{path}:5: editions.2.name: 'ZH-HANS' is not a built-in edition, so the mapping needs a 'base' "
        "(did you mean 'zh-Hans'?)",
    ]


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), st.floats(allow_nan=True), st.dates(),
    st.sampled_from(["", "zh-TW", "zh-Hans", "web", ".cache", "../x", "/etc", "source/p1.txt", "A4", "300×400 mm",
                     "0×0 mm", "s2twp.json", "pdf/x-4", "curly", "2023-04-31", "out\x00put", "9.5pt", "output"]),
    st.text(max_size=8),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["name", "base", "source", "sidecar", "size", "opencc", "quotes", "x"]), inner, max_size=3),
    max_leaves=6)
_KEYS = sorted({option.key.split(".")[0] for option in SCHEMA} | {
    option.key for option in SCHEMA if "." in option.key and "[]" not in option.key and "serif" not in option.key})


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=5))
@example({"layouts": "\x1e", "editions": None})  # a control character in a quoted path once split the line
@example({"editions": [{"name": "x", "base": [1]}]})  # an unhashable base once crashed
@example({"pages": [{"source": "source/p1.txt", "sidecar": [1]}]})  # a list as a sidecar once crashed
def test_any_config_is_read_or_refused_in_lines_never_crashes(tmp_path: Path, data: dict[str, object]) -> None:
    document: dict[str, object] = {"pages": ["source/p1.txt"]}
    for key, value in data.items():
        section, _, name = key.partition(".")
        if name:
            target = document.setdefault(section, {})
            if isinstance(target, dict):
                target[name] = value
        else:
            document[section] = value
    path = _write(tmp_path, yaml.safe_dump(document, allow_unicode=True))
    try:
        parse_config(path.read_text(encoding="utf-8"), path, output=tmp_path / "out")
    except ConfigError as exc:  # every problem one line naming the file (or the output folder) and place
        assert all(line.startswith((f"{path}:", str(tmp_path))) for line in str(exc).splitlines())
