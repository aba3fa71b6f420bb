"""`transcite serve` in a real browser: headless Chromium from Debian's packages (chromium,
chromium-driver) driven by Selenium. Marked ``browser``; skipped where Chromium, its driver or
Selenium is missing (.ci/run installs them: apt-get install chromium chromium-driver, and the
``browser`` extra). Nothing is downloaded at test time: the driver is the system's.

The result page's screenshot is kept in ``.test-output/browser/`` (or ``$TRANSCITE_TEST_OUTPUT``).
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _web import ROOT, SEED_LIST, Server, running_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TRANSCITE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TRANSCITE_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")
OUTPUT = Path(os.environ.get("TRANSCITE_TEST_OUTPUT", ROOT / ".test-output")) / "browser"

if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
    pytest.skip(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER})",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

Browser = Callable[..., Any]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A factory of headless Chromium sessions (language, JavaScript on or off), each with a
    fresh profile folder; all are closed at the end of the test."""
    opened: list[Any] = []
    folders: list[str] = []

    def start(language: str = "ru-RU,ru", javascript: bool = True) -> Any:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        folder = tempfile.mkdtemp(prefix="transcite-chromium-")
        folders.append(folder)
        options.add_argument(f"--user-data-dir={folder}")
        prefs: dict[str, Any] = {"intl.accept_languages": language}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options.add_experimental_option("prefs", prefs)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(60)
        opened.append(driver)
        return driver

    yield start
    for driver in opened:
        driver.quit()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _grant_clipboard(driver: Any, origin: str) -> None:
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})


def _paste(driver: Any, origin: str, text: str) -> None:
    """Put ``text`` on the clipboard and paste it into the box with Ctrl+V, as a person does."""
    _grant_clipboard(driver, origin)
    status = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.writeText(arguments[0]).then(() => done('ok'), e => done('' + e));",
        text)
    assert status == "ok", status
    box = driver.find_element(By.ID, "text")
    box.click()
    box.send_keys(Keys.CONTROL, "v")


def _click_and_load(driver: Any, button: Any) -> None:
    """Click a button that sends the form, and wait until the answer's page has loaded."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait = WebDriverWait(driver, 60, ignored_exceptions=(NoSuchElementException,
                                                         StaleElementReferenceException))
    wait.until(lambda d: _gone(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _gone(element: Any) -> bool:
    """True once ``element`` left the document (the page was replaced): Chromium answers a
    replaced node with a stale-reference error or, sometimes, with an inspector error."""
    try:
        element.is_enabled()
    except WebDriverException:      # (StaleElementReferenceException is one)
        return True
    return False


def _submit_and_wait(driver: Any) -> None:
    _click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "button.go"))
    assert driver.find_elements(By.CSS_SELECTOR, "table.lists"), driver.page_source[:3000]


def _rows(driver: Any) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "table.lists tr.entry")]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_paste_the_seed_list_pick_a_profile_see_both_lists(server: Server,
                                                           browser: Browser) -> None:
    driver = browser()
    driver.get(server.url + "/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    text = SEED_LIST.read_text(encoding="utf-8")
    _paste(driver, server.url, text)
    assert driver.find_element(By.ID, "text").get_attribute("value").strip() == text.strip()
    Select(driver.find_element(By.ID, "profile")).select_by_value("russian-japanology-review")
    _submit_and_wait(driver)

    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "thead .heading")]
    assert headings == ["Список литературы", "References"]
    rows = _rows(driver)
    assert len(rows) == 6
    for cyrillic, latin in (("Батин", "Batin"), ("Меликов", "Melikov"), ("Путин:", "Putin:")):
        [row] = [r for r in rows if r[0].split(". ", 1)[1].startswith(cyrillic)]
        assert latin in row[1]                      # entry n beside entry n
    flagged = driver.find_elements(By.CSS_SELECTOR, "tr.issues")
    text_of_flags = " ".join(f.text for f in flagged)
    assert "кириллица восстановлена неуверенно" in text_of_flags
    assert all(f.is_displayed() for f in flagged)
    melikov_row = next(tr for tr in driver.find_elements(By.CSS_SELECTOR, "tr.entry")
                       if "Меликов" in tr.text)
    issues = driver.find_element(By.CSS_SELECTOR,
                                 f'tr.issues[data-for="{melikov_row.get_attribute("id")}"]')
    assert "строка 4" in issues.text and "tsely sovmestnykh usheniy" in issues.text

    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "seed-result.png"
    driver.set_window_size(1400, 1700)
    driver.execute_script("document.getElementById('result').scrollIntoView()")
    assert driver.save_screenshot(str(shot))
    width, height = _png_size(shot)
    assert width >= 1000 and height >= 1000


def test_copy_for_word_keeps_italics(server: Server, browser: Browser) -> None:
    driver = browser(language="en-GB,en")
    driver.get(server.url + "/")
    _grant_clipboard(driver, server.url)
    driver.execute_script(
        "document.getElementById('text').value = arguments[0]",
        "Иванов И. И. Теплофизика реакторов // Атомная энергия. 2015. Т. 118, № 3. С. 150-155.")
    Select(driver.find_element(By.ID, "profile")).select_by_value("")
    driver.find_element(By.ID, "style").send_keys("apa", Keys.ESCAPE)
    _submit_and_wait(driver)
    button = driver.find_element(By.CSS_SELECTOR, 'button[data-copy="rich"]')
    assert button.is_displayed() and button.text == "Copy for Word"
    button.click()
    WebDriverWait(driver, 10).until(lambda d: button.get_attribute("data-copied") == "yes")
    copied = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.read().then(async items => { var out = {};"
        "  for (const item of items) { for (const type of item.types) {"
        "    out[type] = await (await item.getType(type)).text(); } }"
        "  done(out); }, e => done({error: '' + e}));")
    assert "error" not in copied, copied
    assert "<i>Атомная энергия</i>" in copied["text/html"]
    assert "Атомная энергия" in copied["text/plain"] and "<i>" not in copied["text/plain"]


def test_the_page_works_without_javascript(server: Server, browser: Browser) -> None:
    driver = browser(language="en-US,en", javascript=False)
    driver.get(server.url + "/")
    box = driver.find_element(By.ID, "text")
    box.send_keys("Петров П. П. Книга о реакторах. М.: Наука, 2001. 200 с.")
    _submit_and_wait(driver)
    assert driver.current_url.endswith("/format")
    rows = _rows(driver)
    assert len(rows) == 1 and "Петров" in rows[0][0] and "Petrov" in rows[0][1]
    copy_buttons = driver.find_elements(By.CSS_SELECTOR, "button[data-copy]")
    assert copy_buttons and not any(b.is_displayed() for b in copy_buttons)
    # the language switch re-sends the form: the result stays, the interface changes
    _click_and_load(driver, driver.find_element(By.CSS_SELECTOR, 'button[name="ui"][value="ru"]'))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert "Результат" in driver.page_source and "Petrov" in _rows(driver)[0][1]


def test_a_chosen_file_is_formatted(server: Server, browser: Browser) -> None:
    driver = browser()
    driver.get(server.url + "/")
    bib = ROOT / "references" / "examples" / "russia-japan.bib"
    driver.find_element(By.ID, "file").send_keys(str(bib))
    _submit_and_wait(driver)
    rows = _rows(driver)
    assert any("Батин" in r[0] and "Batin" in r[1] for r in rows)
    assert "@" in driver.find_element(By.ID, "text").get_attribute("value")


def test_a_file_dropped_on_the_box_is_sent(server: Server, browser: Browser) -> None:
    driver = browser()
    driver.get(server.url + "/")
    bib = (ROOT / "references" / "examples" / "russia-japan.bib").read_text(encoding="utf-8")
    chosen = driver.execute_script(
        "const data = new DataTransfer();"
        "data.items.add(new File([arguments[0]], 'dropped.bib', {type: 'text/plain'}));"
        "const box = document.getElementById('text');"
        "box.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true,"
        "                                         cancelable: true}));"
        "return document.getElementById('file').files.length;", bib)
    assert chosen == 1
    _submit_and_wait(driver)
    assert any("Батин" in r[0] and "Batin" in r[1] for r in _rows(driver))
