"""Time `transcite serve` from paste to both lists, and weigh its page.

    python benchmarks/web.py                     # seed list and a 300-line list, server + browser
    python benchmarks/web.py --no-browser        # server-side only
    python benchmarks/web.py --lines 1000 --repeat 3

Lists: the seed article's reference list (tests/data/normalise/seed-references/input.txt, from
../shared/data/seeds/003_*.txt) and the first N Cyrillic lines of
../shared/data/russian-references/references.jsonl, numbered as a journal prints them (skipped
where the shared data is absent). For each list:

- in process: ``transcite.web.service.format_job`` (read, both lists, every check), no HTTP;
- server: ``POST /format`` (the result page) and ``POST /api/format`` (JSON) against a real
  ``transcite serve`` on 127.0.0.1, median of ``--repeat`` requests, with the answer's size;
- browser (headless Chromium from Debian with Selenium; skipped without them): the list is
  pasted with Ctrl+V, a profile picked, and the time from the click to the loaded result page
  is taken, with the page's requests and their sizes (Resource Timing), and a screenshot kept
  in benchmarks/out/web/.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = ROOT / "tests" / "data" / "normalise" / "seed-references" / "input.txt"
OUT = ROOT / "benchmarks" / "out" / "web"
sys.path.insert(0, str(ROOT / "tests"))


def lists(lines: int) -> list[tuple[str, str, str]]:
    """(name, text, profile) of the lists to time."""
    found = [("seed list (6 refs)", SEED.read_text(encoding="utf-8"),
              "russian-japanology-review")]
    corpus = SHARED / "russian-references" / "references.jsonl"
    if corpus.is_file():
        picked: list[str] = []
        with corpus.open(encoding="utf-8") as fh:
            for row in fh:
                cyrillic = json.loads(row).get("cyrillic")
                if cyrillic:
                    picked.append(cyrillic)
                if len(picked) >= lines:
                    break
        text = "\n".join(f"{i}. {line}" for i, line in enumerate(picked, 1)) + "\n"
        found.append((f"{len(picked)}-line list", text, "nuclear-energy-and-technology"))
    else:
        print(f"({corpus} is absent: the long list is skipped)")
    return found


def median_time(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def in_process(name: str, text: str, profile: str, repeat: int) -> None:
    from transcite.web.app import warm
    from transcite.web.service import Job, format_job

    warm()
    secs, outcome = median_time(lambda: format_job(Job(text=text, profile=profile)), repeat)
    print(f"  in process  format_job            {secs * 1000:8.0f} ms   "
          f"{len(outcome.rows)} entries, {outcome.problems} problems")


def server_side(url: str, name: str, text: str, profile: str, repeat: int) -> None:
    import requests

    form = {"text": text, "profile": profile, "view": "dual", "lang": "ru"}
    secs, reply = median_time(lambda: requests.post(url + "/format", data=form, timeout=300),
                              repeat)
    assert reply.status_code == 200, reply.status_code
    raw = len(reply.content)
    packed = len(gzip.compress(reply.content))
    print(f"  server      POST /format           {secs * 1000:8.0f} ms   page {raw / 1024:.0f} KB"
          f" ({packed / 1024:.0f} KB gzip)")
    body = {"text": text, "profile": profile}
    secs, reply = median_time(lambda: requests.post(url + "/api/format", json=body, timeout=300),
                              repeat)
    assert reply.status_code == 200, reply.status_code
    print(f"  server      POST /api/format       {secs * 1000:8.0f} ms   JSON "
          f"{len(reply.content) / 1024:.0f} KB")


def browser_driver() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1400,1700", f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "ru-RU,ru"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def _gone(element: Any) -> bool:
    """True once ``element`` left the document (the page was replaced). Chromium may answer a
    replaced node with an inspector error rather than a stale-reference error."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


def in_browser(driver: Any, url: str, name: str, text: str, profile: str, repeat: int,
               shot: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    times, paint = [], []
    for _ in range(repeat):
        driver.get(url + "/")
        driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "navigator.clipboard.writeText(arguments[0]).then(() => done(1));", text)
        box = driver.find_element(By.ID, "text")
        box.click()
        start = time.perf_counter()
        box.send_keys(Keys.CONTROL, "v")
        Select(driver.find_element(By.ID, "profile")).select_by_value(profile)
        old = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.CSS_SELECTOR, "button.go").click()
        WebDriverWait(driver, 300).until(lambda d, old=old: _gone(old))
        WebDriverWait(driver, 300).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        times.append(time.perf_counter() - start)
        nav = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.responseEnd - n.requestStart, n.loadEventEnd - n.startTime];")
        paint.append(nav)
    rows = len(driver.find_elements(By.CSS_SELECTOR, "table.lists tr.entry"))
    resources = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "const r = performance.getEntriesByType('resource');"
        "return [n, ...r].map(e => [e.name, e.transferSize, e.encodedBodySize, "
        "e.decodedBodySize]);")
    print(f"  browser     paste -> both lists    {statistics.median(times) * 1000:8.0f} ms   "
          f"{rows} rows (request to response {statistics.median(p[0] for p in paint):.0f} ms, "
          f"navigation to load {statistics.median(p[1] for p in paint):.0f} ms)")
    total = sum(r[1] for r in resources)
    print(f"  page weight {len(resources)} requests, {total / 1024:.1f} KB transferred, "
          f"{sum(r[3] for r in resources) / 1024:.1f} KB decoded:")
    for res_name, transfer, _encoded, decoded in resources:
        print(f"      {res_name.replace(url, '') or '/'}: {transfer / 1024:.1f} KB on the wire, "
              f"{decoded / 1024:.1f} KB")
    driver.execute_script("document.getElementById('result').scrollIntoView()")
    shot.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(shot))
    print(f"  screenshot  {shot.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    from _web import running_server

    browser = not args.no_browser and bool(shutil.which("chromium")
                                           and shutil.which("chromedriver"))
    if not args.no_browser and not browser:
        print("(no chromium/chromedriver: browser figures skipped)")
    with running_server() as server:
        driver = browser_driver() if browser else None
        try:
            if driver is not None:      # the empty form's weight
                driver.get(server.url + "/")
                first = driver.execute_script(
                    "return [performance.getEntriesByType('navigation')[0], "
                    "...performance.getEntriesByType('resource')]"
                    ".map(e => [e.name, e.transferSize, e.decodedBodySize]);")
                print(f"empty form: {len(first)} requests, "
                      f"{sum(e[1] for e in first) / 1024:.1f} KB transferred, "
                      f"{sum(e[2] for e in first) / 1024:.1f} KB decoded")
            for i, (name, text, profile) in enumerate(lists(args.lines)):
                print(f"{name}, profile {profile}:")
                in_process(name, text, profile, args.repeat)
                server_side(server.url, name, text, profile, args.repeat)
                if driver is not None:
                    in_browser(driver, server.url, name, text, profile, args.repeat,
                               OUT / f"result-{i}.png")
        finally:
            if driver is not None:
                driver.quit()


if __name__ == "__main__":
    main()
