"""`transcite serve`: the page's routes, the JSON API and the server's limits, over HTTP against
a real server on 127.0.0.1 (started as a user starts it)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import requests
from _web import ROOT, SEED_LIST, Server, running_server

pytest.importorskip("starlette")

# Written for these tests: a heading, a journal article, a line nobody can read, Latin letters
# inside a Cyrillic word with an ISSN whose check digit is wrong, and hostile markup with a wrong
# ISBN check digit.
MIXED = "\n".join([
    "Список литературы",
    "1. Иванов И. И. Теплофизика реакторов на быстрых нейтронах // Атомная энергия. 2015. "
    "Т. 118, № 3. С. 150-155.",
    "2. %%%% ???? #### 12",
    "3. Петров П. П. Стаtья о реакторах // Вестник МГУ. 2001. № 2. С. 3-9. ISSN 1234-5678.",
    '4. <script>alert("x")</script> Сидоров С. С. Книга <img src=x onerror=alert(1)>. '
    "М.: Наука, 2001. 200 с. ISBN 978-5-02-000000-2.",
]) + "\n"
MARKER = "Теплофизика реакторов на быстрых нейтронах"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server("--max-kb", "256", "--timeout", "30") as srv:
        yield srv
    # nothing of what was pasted reaches the server's output (no log of references)
    printed = "".join(srv.output)
    assert MARKER not in printed and "Batin" not in printed, printed


def _post_format(server: Server, text: str, **fields: str) -> requests.Response:
    data = {"text": text, "profile": "scopus", "style": "", "view": "dual", **fields}
    return requests.post(f"{server.url}/format", data=data, timeout=60)


def _rows(page: str) -> list[tuple[str, list[str]]]:
    """(row id, cell texts) of the result table, tags removed."""
    rows = []
    for m in re.finditer(r'<tr id="(e\d+)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)
        rows.append((m.group(1), [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]))
    return rows


def _issues(page: str, row_id: str) -> str:
    m = re.search(rf'<tr class="issues" data-for="{row_id}">(.*?)</tr>', page, re.S)
    return unescape(m.group(1)) if m else ""


# -- the form ---------------------------------------------------------------------------------


def test_form_offers_every_profile_style_and_view(server: Server) -> None:
    from transcite.profiles import load_profile
    from transcite.resources import shipped_dir

    page = requests.get(server.url + "/", timeout=30)
    assert page.status_code == 200
    html = page.text
    for field in ('name="text"', 'name="file"', 'name="profile"', 'name="style"',
                  'name="view"', 'action="/format"', 'method="post"'):
        assert field in html
    shipped = shipped_dir("styles")
    for path in sorted((shipped / "profiles").glob("*.toml")):
        assert f'<option value="{load_profile(path).name}"' in html, path.name
    for path in sorted((shipped / "csl").glob("*.csl")):
        assert f'<option value="{path.stem}">' in html, path.name
    for view in ("dual", "original", "references"):
        assert f'<option value="{view}"' in html
    assert 'value="gost">' in html       # short names are offered too


def test_interface_language_follows_browser_and_switch(server: Server) -> None:
    ru = requests.get(server.url + "/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"},
                      timeout=30).text
    en = requests.get(server.url + "/", headers={"Accept-Language": "en-GB,en;q=0.9"},
                      timeout=30).text
    switched = requests.get(server.url + "/?lang=en", headers={"Accept-Language": "ru"},
                            timeout=30).text
    assert '<html lang="ru">' in ru and "Оформить списки" in ru
    assert '<html lang="en">' in en and "Make the lists" in en
    assert '<html lang="en">' in switched and "Make the lists" in switched
    assert 'href="/?lang=en"' in ru and 'href="/?lang=ru"' in en


def test_headers_keep_the_page_private_and_scriptless_inline(server: Server) -> None:
    reply = requests.get(server.url + "/", timeout=30)
    csp = reply.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert reply.headers["cache-control"] == "no-store"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in reply.text         # no inline script: the CSP would block it
    assert requests.get(server.url + "/static/page.js", timeout=30).status_code == 200
    assert requests.get(server.url + "/static/page.css", timeout=30).status_code == 200
    for bad in ("/static/app.py", "/static/..%2fapp.py", "/static/%2e%2e/service.py"):
        assert requests.get(server.url + bad, timeout=30).status_code == 404, bad


# -- formatting without JavaScript ---------------------------------------------------------


def test_seed_list_gives_both_lists_entry_beside_entry(server: Server) -> None:
    text = SEED_LIST.read_text(encoding="utf-8")
    reply = _post_format(server, text, profile="russian-japanology-review", lang="ru")
    assert reply.status_code == 200
    page = reply.text
    assert "Список литературы" in page and "References" in page
    rows = _rows(page)
    assert len(rows) == 6
    pairs = {"Батин": "Batin", "Иноземцев": "Inozemtsev", "Меликов": "Melikov",
             "Путин": "Putin", "Синдзо Абэ": "Shinzo Abe"}
    for cyr, lat in pairs.items():
        row = [cells for _, cells in rows if cyr in cells[0]]
        assert row, f"no original entry with {cyr}"
        assert lat in row[0][1], (cyr, row[0])      # entry n of References beside entry n
    melikov = next(rid for rid, cells in rows if "Меликов" in cells[0])
    issues = _issues(page, melikov)
    assert "кириллица восстановлена неуверенно" in issues        # the doubtful rebuilt title
    assert "tsely sovmestnykh usheniy" in issues                  # the raw line, as pasted
    assert "строка 4" in issues                                  # its line in the paste


def test_every_problem_is_shown_at_its_line_with_the_raw_text(server: Server) -> None:
    page = _post_format(server, MIXED, lang="en").text
    rows = _rows(page)
    assert len(rows) == 4                           # the heading is not an entry; none dropped
    by_start = {cells[0][:12]: rid for rid, cells in rows}
    unread = next(rid for rid, cells in rows if "%%%%" in cells[0])
    assert "%%%% ???? #### 12" in [c for rid, cs in rows if rid == unread for c in cs][0]
    assert "line not recognised" in _issues(page, unread)
    petrov = next(rid for rid, cells in rows if "Петров" in cells[0])
    issues = _issues(page, petrov)
    assert "look-alike letters" in issues and "Стаtья" in issues
    assert "invalid ISSN" in issues and "1234-5678" in issues
    assert "line 4" in issues
    sidorov = next(rid for rid, cells in rows if "Сидоров" in cells[0])
    assert "invalid ISBN" in _issues(page, sidorov)
    ivanov = next(rid for rid, cells in rows if "Иванов" in cells[0])
    assert "no English title" in _issues(page, ivanov)
    assert by_start


def test_pasted_markup_is_shown_as_text_never_run(server: Server) -> None:
    page = _post_format(server, MIXED).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page           # the user's text is kept, escaped


def test_style_alone_gives_one_list_with_italics(server: Server) -> None:
    text = "Иванов И. И. Теплофизика реакторов // Атомная энергия. 2015. Т. 118, № 3. С. 150-155."
    page = _post_format(server, text, profile="", style="apa").text
    rows = _rows(page)
    assert len(rows) == 1 and len(rows[0][1]) == 1
    assert re.search(r"<i>Атомная энергия", page)


def test_uploaded_file_in_windows_1251(server: Server) -> None:
    bib = (ROOT / "references" / "examples" / "russia-japan.bib").read_text(encoding="utf-8")
    files = {"file": ("refs.bib", bib.encode("cp1251", "replace"), "application/x-bibtex")}
    reply = requests.post(server.url + "/format", files=files,
                          data={"text": "", "profile": "scopus", "view": "dual"}, timeout=60)
    assert reply.status_code == 200
    assert "Батин" in reply.text and "Batin" in reply.text
    assert "windows-1251" in reply.text.lower() or "cp1251" in reply.text.lower()


def test_bad_choices_are_refused_with_a_message(server: Server) -> None:
    cases = {"profile": ["no-such-journal", "../styles/profiles/scopus.toml",
                         "/etc/passwd"],
             "style": ["pyproject.toml", "../../etc/passwd", "/etc/hostname",
                       "README.md", "apa.csl"],
             "view": ["everything"]}
    for name, values in cases.items():
        for value in values:
            fields = {name: value}
            if name == "style":
                fields["profile"] = ""
            reply = _post_format(server, "Иванов И. И. Книга. М., 2001.", **fields)
            assert reply.status_code == 400, (name, value)
            assert 'role="alert"' in reply.text
    empty = _post_format(server, "   ")
    assert empty.status_code == 400 and "Nothing to format" in empty.text


def test_get_format_goes_back_to_the_form(server: Server) -> None:
    reply = requests.get(server.url + "/format", allow_redirects=False, timeout=30)
    assert reply.status_code == 303 and reply.headers["location"] == "/"


def test_downloads_come_from_the_writers_registry(server: Server) -> None:
    from transcite.readers import read_string
    from transcite.registry import registry

    text = SEED_LIST.read_text(encoding="utf-8")
    writers = registry.entries("writer")
    assert writers
    page = _post_format(server, text).text
    for entry in writers:
        assert f'name="to" value="{entry.name}"' in page
        reply = requests.post(server.url + "/download", timeout=60,
                              data={"text": text, "profile": "scopus", "to": entry.name})
        assert reply.status_code == 200, entry.name
        disposition = reply.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=\"references.")
        if entry.meta.get("binary"):
            assert reply.content
            continue
        readers = {r.name for r in registry.entries("reader")}
        if entry.name in readers or entry.name in ("biblatex",):
            back = read_string(reply.content.decode("utf-8"),
                               "bibtex" if entry.name == "biblatex" else entry.name)
            assert len(back) == 6, entry.name      # every pasted reference, read back
    bad = requests.post(server.url + "/download", data={"text": text, "to": "../x"},
                        timeout=30)
    assert bad.status_code == 400


# -- the JSON API -----------------------------------------------------------------------------


def test_api_format_lists_rows_and_problems(server: Server) -> None:
    text = SEED_LIST.read_text(encoding="utf-8")
    reply = requests.post(server.url + "/api/format", timeout=60,
                          json={"text": text, "profile": "russian-japanology-review"})
    assert reply.status_code == 200
    data = reply.json()
    assert [lst["view"] for lst in data["lists"]] == ["original", "references"]
    original, references = data["lists"]
    assert [e["id"] for e in original["entries"]] == [e["id"] for e in references["entries"]]
    assert len(data["rows"]) == data["count"]["references"] == 6
    assert all(r["line"] for r in data["rows"])
    codes = [p["code"] for r in data["rows"] for p in r["problems"]]
    assert "view.doubtful-cyrillic" in codes
    one = requests.post(server.url + "/api/format", timeout=60,
                        json={"text": text, "profile": "", "style": "ieee"}).json()
    assert len(one["lists"]) == 1 and one["lists"][0]["style"] == "ieee"


def test_api_parse_gives_csl_json_or_a_writer(server: Server) -> None:
    reply = requests.post(server.url + "/api/parse", timeout=60, json={"text": MIXED})
    assert reply.status_code == 200
    data = reply.json()
    assert len(data["items"]) == 4
    assert data["items"][0]["type"] == "article-journal"
    assert any(p["code"] == "parse.unrecognised" and p["line"] == 3 for p in data["problems"])
    ris = requests.post(server.url + "/api/parse", timeout=60,
                        json={"text": MIXED, "to": "ris"}).json()
    assert ris["output"].count("ER  -") == 4


def test_api_refuses_what_it_cannot_use(server: Server) -> None:
    url = server.url + "/api/format"
    assert requests.post(url, data=b"not json", timeout=30).status_code == 400
    assert requests.post(url, json=["text"], timeout=30).status_code == 400
    assert requests.post(url, json={"text": 5}, timeout=30).status_code == 400
    reply = requests.post(url, json={"text": "x", "style": "/etc/passwd", "profile": ""},
                          timeout=30)
    assert reply.status_code == 400 and "error" in reply.json()
    listing = requests.get(server.url + "/api", timeout=30).json()
    assert "scopus" in listing["profiles"] and "gost-r-7-0-5-2008" in listing["styles"]


# -- safe by default ----------------------------------------------------------------------


def test_request_size_limit(server: Server) -> None:
    big = "Иванов И. И. Книга. М., 2001.\n" * 6000           # ~330 KB > --max-kb 256
    reply = requests.post(server.url + "/format", data={"text": big}, timeout=60)
    assert reply.status_code == 413
    api = requests.post(server.url + "/api/format", json={"text": big}, timeout=60)
    assert api.status_code == 413 and "256 KB" in api.json()["error"]
    # and the server still answers
    assert requests.get(server.url + "/", timeout=30).status_code == 200


def test_foreign_host_names_are_refused(server: Server) -> None:
    reply = requests.get(server.url + "/", headers={"Host": "evil.example"}, timeout=30)
    assert reply.status_code == 400


def test_forms_posted_from_other_sites_are_refused(server: Server) -> None:
    data = {"text": "Иванов И. И. Книга. М.: Наука, 2001. 200 с.", "profile": "scopus"}
    host = server.url.split("://")[1]
    own = requests.post(server.url + "/format", data=data, timeout=60,
                        headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": f"http://{host}.evil.example"}):
        reply = requests.post(server.url + "/format", data=data, headers=headers, timeout=60)
        assert reply.status_code == 403, headers
        assert "another site" in reply.text


def test_time_limit_stops_the_work_and_the_server_goes_on() -> None:
    lines = [f"{i}. Иванов И. И. Теплофизика реакторов {i} // Атомная энергия. 2015. "
             f"Т. 118, № 3. С. 150-155." for i in range(1, 400)]
    with running_server("--timeout", "0.05") as srv:
        started = time.monotonic()
        reply = requests.post(srv.url + "/api/format", json={"text": "\n".join(lines)},
                              timeout=60)
        assert reply.status_code == 504
        assert time.monotonic() - started < 10
        assert requests.get(srv.url + "/", timeout=30).status_code == 200


def test_run_limited_kills_the_child() -> None:
    import os

    from transcite.web.limits import Bug, TimeLimit, run_limited

    async def main() -> None:
        with pytest.raises(TimeLimit):
            await run_limited(time.sleep, 30, timeout=0.2)
        assert await run_limited(sum, [1, 2, 3], timeout=10) == 6
        with pytest.raises(Bug) as info:
            await run_limited(int, "секрет", timeout=10)
        assert "секрет" not in str(info.value) and "ValueError" in str(info.value)

    def children() -> set[str]:
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(stat.parent.name)
        return found

    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to see child processes")
    before = children()
    started = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - started < 10
    assert children() == before        # every child was killed or ended, and reaped


def test_serve_without_the_web_extra_says_what_to_install(tmp_path: Path) -> None:
    import subprocess
    import sys

    blocker = tmp_path / "uvicorn.py"
    blocker.write_text("raise ImportError('blocked for the test', name='uvicorn')\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "transcite", "serve"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "pip install 'transcite[web]'" in out.stderr
    assert "Traceback" not in out.stderr


def test_other_commands_do_not_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = ("import sys; from transcite.cli import app; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('starlette', 'uvicorn', 'jinja2', 'multipart', 'python_multipart')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert json.loads(out.stdout.replace("'", '"')) == []
