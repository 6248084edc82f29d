"""The web edition and ``broadsheet serve`` in a real browser: Debian's chromium, headless, driven by Selenium.

At 390 px (a phone) and 1280 px (a desktop): no horizontal scrolling, every article's headline
and first paragraph visible, the 简/繁 switch changes the text, the index's links resolve; and
``serve`` rebuilds after a source edit and the open page reloads itself (server-sent events).
Skipped, with the reason, only where chromium or its driver is not installed (``make test``
installs Debian's ``chromium`` and ``chromium-driver``, so CI runs these).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.project.serve import Server
from pipeline.project.watch import BuildOptions, Desk, disk_changes, watch_changes, watched_folders
from tests.support.webpub import copy_built

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WIDTHS = (390, 1280)
"""A phone (iPhone 12–15 width) and a desktop."""

pytestmark = [
    pytest.mark.skipif(not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
                       reason="chromium and chromedriver are not installed "
                              "(apt-get install chromium chromium-driver; make test does)"),
    pytest.mark.slow,
]

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

RELOAD_WAIT = 300
"""Seconds the reload test waits at most for the rebuild (a render is seconds; a shared CI box is slow)."""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, Server, Path, list[str]]]:
    """A serve session on a copy of the shared build: the server thread and the watch loop on real saves."""
    root = copy_built(tmp_path_factory, "browser")
    desk = Desk(BuildOptions(config=root / "broadsheet.yaml", editions=("zh-Hans",), jobs=1, preview=True))
    server = Server(desk, port=0).start()
    stop = threading.Event()
    lines: list[str] = []
    loop = threading.Thread(target=watch_changes, args=(desk, disk_changes(watched_folders(desk), stop), lines.append),
                            daemon=True)
    loop.start()
    WebDriverWait(lines, 300).until(lambda found: found)  # the first build (up to date: the copy's cache)
    yield desk, server, root, lines
    stop.set()
    server.close()
    loop.join(timeout=30)


def _width(driver: Any, width: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 844 if width < 600 else 900, "deviceScaleFactor": 1,
                            "mobile": width < 600})


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_script("return document.fonts.ready")


def _no_horizontal_scroll(driver: Any) -> None:
    scroll, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the page is {scroll} px wide in a {inner} px window"


SEEN = """
const el = arguments[0];
el.scrollIntoView({block: 'center'});
const r = el.getBoundingClientRect();
const style = getComputedStyle(el);
const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + Math.min(r.height / 2, 10));
return {left: r.left, right: r.right, width: r.width, height: r.height, inner: window.innerWidth,
        visible: style.visibility !== 'hidden' && style.display !== 'none' && parseFloat(style.opacity) > 0,
        hit: hit !== null && (hit === el || el.contains(hit))};
"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("edition", ["zh-Hans", "zh-TW"])
def test_every_headline_and_first_paragraph_is_visible_without_horizontal_scrolling(
        driver: Any, session: tuple[Desk, Server, Path, list[str]], width: int, edition: str) -> None:
    _, server, root, _ = session
    page = json.loads((root / "output" / edition / "hongdong.json").read_text(encoding="utf-8"))
    _width(driver, width)
    _open(driver, f"{server.url}web/{edition}/hongdong.html")
    _no_horizontal_scroll(driver)
    articles = driver.find_elements(By.CSS_SELECTOR, "article")
    assert len(articles) == len(page["articles"])
    lefts = set()
    for article, data in zip(articles, page["articles"], strict=True):
        first = article.find_element(By.CSS_SELECTOR, ".body p")
        targets = [first] + ([article.find_element(By.CSS_SELECTOR, ".headline")] if data["headline"] else [])
        for element in targets:
            seen = driver.execute_script(SEEN, element)
            shown = seen["visible"] and seen["hit"] and seen["width"] > 0 and seen["height"] > 0
            assert shown, (data["headline"], seen)
            assert 0 <= seen["left"] and seen["right"] <= seen["inner"] + 0.5, (data["headline"], seen)
        if data["headline"]:
            text = article.find_element(By.CSS_SELECTOR, ".headline").text.replace("\u2060", "").replace("\u200b", "")
            assert text.replace("\n", "") == data["headline"]
        lefts.add(round(article.rect["x"]))
        lefts.update(round(p.rect["x"]) for p in article.find_elements(By.CSS_SELECTOR, ".body p"))
    _no_horizontal_scroll(driver)
    if width < 600:
        assert len(lefts) == 1, f"one column on a phone, found lefts {sorted(lefts)}"
    else:
        assert len(lefts) >= 2, "columns on a desktop"


def test_the_switch_changes_the_text(driver: Any, session: tuple[Desk, Server, Path, list[str]]) -> None:
    _, server, root, _ = session
    _width(driver, 390)
    _open(driver, f"{server.url}web/zh-Hans/hongdong.html")
    before = driver.find_element(By.CSS_SELECTOR, "main").text
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    driver.find_element(By.CSS_SELECTOR, 'a.edition-link[data-edition="zh-TW"]').click()
    WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("/web/zh-TW/hongdong.html"))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    after = driver.find_element(By.CSS_SELECTOR, "main").text
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-TW"
    assert after != before and "「" in after and "“" in before
    tw = json.loads((root / "output" / "zh-TW" / "hongdong.json").read_text(encoding="utf-8"))
    assert driver.find_element(By.TAG_NAME, "h1").text.replace("\u2060", "") == tw["articles"][0]["headline"]
    driver.find_element(By.CSS_SELECTOR, 'a.edition-link[data-edition="zh-Hans"]').click()
    WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("/web/zh-Hans/hongdong.html"))


FETCH_ALL = """
const done = arguments[arguments.length - 1];
const urls = [...document.querySelectorAll('a[href], img[src]')].map(e => e.href || e.src);
Promise.all(urls.map(u => fetch(u).then(r => [u, r.status]))).then(done);
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_index_shows_every_edition_and_its_links_resolve(
        driver: Any, session: tuple[Desk, Server, Path, list[str]], width: int) -> None:
    _, server, _, _ = session
    _width(driver, width)
    _open(driver, server.url)
    _no_horizontal_scroll(driver)
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "thead th")][1:]
    assert [h.split()[-1] for h in headers] == ["zh-Hans", "zh-TW"]
    images = driver.find_elements(By.CSS_SELECTOR, "td img")
    assert len(images) == 2
    assert all(driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", i) > 0
               for i in images)
    driver.set_script_timeout(60)
    statuses = driver.execute_async_script(FETCH_ALL)
    assert len(statuses) >= 10
    assert all(status == 200 for _, status in statuses), [s for s in statuses if s[1] != 200]


def test_serve_rebuilds_after_a_source_edit_and_the_page_reloads(
        driver: Any, session: tuple[Desk, Server, Path, list[str]]) -> None:
    desk, server, root, lines = session
    pdf = root / "output" / "zh-Hans" / "hongdong.pdf"
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    _width(driver, 1280)
    _open(driver, f"{server.url}web/zh-Hans/hongdong.html")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.documentElement.dataset.live"))
    driver.execute_script("window.__broadsheetMarker = 'before the edit';")
    generation = desk.generation
    source = root / "source" / "hongdong.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("争先崛起", "勇争先"), encoding="utf-8")
    WebDriverWait(driver, RELOAD_WAIT, poll_frequency=0.5).until(
        lambda d: d.execute_script(
            "return window.__broadsheetMarker === undefined && document.readyState === 'complete'"))
    assert "勇争先" in driver.find_element(By.TAG_NAME, "h1").text.replace("\u2060", "")
    assert desk.generation > generation
    assert any("rebuilt zh-Hans/hongdong" in line and "source/hongdong.txt" in line for line in lines), lines
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() != before
    status = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch('/zh-Hans/hongdong.pdf').then(r => r.arrayBuffer())"
        ".then(b => crypto.subtle.digest('SHA-256', b)).then(h => done([...new Uint8Array(h)]"
        ".map(x => x.toString(16).padStart(2, '0')).join('')));")
    assert status == hashlib.sha256(pdf.read_bytes()).hexdigest()
