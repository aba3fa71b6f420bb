"""The Crossref client against a real local HTTP server replaying recorded answers.

Nothing here touches the internet: every request goes to 127.0.0.1.
"""

from __future__ import annotations

import email.utils
import time

import pytest
from replay import ReplayServer, Reply, cassette

from transcite.lookup.cache import DiskCache
from transcite.lookup.crossref import (
    BadResponse,
    CrossrefClient,
    CrossrefSettings,
    GaveUp,
    NotFound,
    OfflineMiss,
    Unavailable,
    Unreachable,
)
from transcite.lookup.works import journal_record, work_to_reference

PONE = "10.1371/journal.pone.0033693"


@pytest.fixture
def server():
    with ReplayServer() as srv:
        srv.load("test_works_with_one_id.yaml")
        srv.load("test_works_bad_id_warn.yaml")
        srv.load("test_journals_ids.yaml")
        srv.load("test_journals_bad_id_warn.yaml")
        yield srv


def _client(server, tmp_path, sleeps=None, **settings):
    values = {"base_url": server.url, "mailto": "editor@example.org",
              "cache_dir": tmp_path / "cache", "backoff": 0.5, "retries": 3, "timeout": 2.0}
    values.update(settings)
    recorder = sleeps.append if sleeps is not None else (lambda s: None)
    return CrossrefClient(CrossrefSettings(**values), sleep=recorder)


def test_work_by_doi(server, tmp_path):
    ref = work_to_reference(_client(server, tmp_path).work(PONE))
    assert ref.type == "article-journal"
    assert ref.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert ref.fields["container-title"] == "PLoS ONE"
    assert ref.fields["DOI"] == PONE
    assert ref.fields["ISSN"] == "1932-6203 (online)"
    assert ref.fields["license"] == "http://creativecommons.org/licenses/by/4.0/"
    assert (ref.fields["volume"], ref.fields["issue"], ref.fields["page"]) == ("7", "3",
                                                                               "e33693")
    assert ref.names["author"][0].family == "Sadasivan"
    assert ref.dates["issued"].parts == ((2012, 3, 21),)


def test_polite_user_agent(server, tmp_path):
    _client(server, tmp_path).work(PONE)
    path, headers = server.requests[-1]
    assert path == f"/works/{PONE}"
    assert headers["User-Agent"].startswith("transcite/")
    assert "mailto:editor@example.org" in headers["User-Agent"]


def test_journal_by_issn(server, tmp_path):
    record = journal_record(_client(server, tmp_path).journal("1803-2427"))
    assert record["title"] == "Journal of Landscape Ecology"
    assert [(i.value, i.medium) for i in record["issns"]] == [("1803-2427", "print"),
                                                              ("1805-4196", "online")]


def test_not_found_is_remembered(server, tmp_path):
    client = _client(server, tmp_path)
    for _ in range(2):
        with pytest.raises(NotFound):
            client.work("10.1371/notarealdoi")
    with pytest.raises(NotFound):
        client.journal("4444-4444")
    assert server.count("/works/10.1371/notarealdoi") == 1
    assert client.stats.cache_hits == 1


def test_cache_answers_without_the_network(server, tmp_path):
    client = _client(server, tmp_path)
    first = client.work(PONE)
    offline = _client(server, tmp_path, offline=True)
    assert offline.work(PONE) == first
    assert server.count("/works/") == 1
    with pytest.raises(OfflineMiss):
        offline.work("10.1371/journal.pone.0020476")
    assert server.count("/works/") == 1


def test_offline_uses_stale_entries_but_online_refreshes_them(server, tmp_path):
    _client(server, tmp_path).work(PONE)
    stale = _client(server, tmp_path, cache_days=0.0)
    stale.work(PONE)
    assert server.count("/works/") == 2
    _client(server, tmp_path, cache_days=0.0, offline=True).work(PONE)
    assert server.count("/works/") == 2


def test_corrupt_cache_entry_is_refetched(server, tmp_path):
    client = _client(server, tmp_path)
    client.work(PONE)
    entry = next((tmp_path / "cache").glob("*/*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert client.work(PONE)["DOI"] == PONE
    assert server.count("/works/") == 2
    assert DiskCache(tmp_path / "cache").clear() == 1


def test_429_with_retry_after_is_honoured(server, tmp_path):
    recorded = cassette("test_works_with_one_id.yaml")[f"/works/{PONE}"]
    server.add(f"/works/{PONE}", Reply(429, b"slow down", {"Retry-After": "3"}),
               Reply(503, b"busy"), recorded)
    sleeps: list[float] = []
    client = _client(server, tmp_path, sleeps)
    assert client.work(PONE)["DOI"] == PONE
    assert sleeps == [3.0, 1.0]  # Retry-After, then the backoff for the second attempt
    assert client.stats.retries == 2 and server.count("/works/") == 3


def test_retry_after_as_http_date(server, tmp_path):
    recorded = cassette("test_works_with_one_id.yaml")[f"/works/{PONE}"]
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    server.add(f"/works/{PONE}", Reply(503, b"", {"Retry-After": when}), recorded)
    sleeps: list[float] = []
    _client(server, tmp_path, sleeps).work(PONE)
    assert len(sleeps) == 1 and 15 <= sleeps[0] <= 21


def test_retry_after_longer_than_max_wait_gives_up_at_once(server, tmp_path):
    server.add(f"/works/{PONE}", Reply(429, b"", {"Retry-After": "3600"}))
    sleeps: list[float] = []
    with pytest.raises(Unavailable, match="asks to wait 3600 s"):
        _client(server, tmp_path, sleeps).work(PONE)
    assert sleeps == [] and server.count("/works/") == 1


def test_5xx_backoff_then_unavailable(server, tmp_path):
    server.add(f"/works/{PONE}", Reply(502, b"Bad Gateway"))
    sleeps: list[float] = []
    with pytest.raises(Unavailable, match=r"HTTP 502 .*after 4 attempts"):
        _client(server, tmp_path, sleeps).work(PONE)
    assert sleeps == [0.5, 1.0, 2.0]
    assert server.count("/works/") == 4


def test_slow_answer_times_out_and_is_retried(server, tmp_path):
    recorded = cassette("test_works_with_one_id.yaml")[f"/works/{PONE}"]
    slow = Reply(recorded.status, recorded.body, recorded.headers, delay=1.5)
    server.add(f"/works/{PONE}", slow, recorded)
    client = _client(server, tmp_path, timeout=0.3, backoff=0.0)
    assert client.work(PONE)["DOI"] == PONE
    assert client.stats.retries == 1


def test_always_slow_is_unavailable(server, tmp_path):
    server.add(f"/works/{PONE}", Reply(200, b"{}", delay=1.0))
    with pytest.raises(Unavailable, match=r"no answer within 0.2 s \(after 2 attempts\)"):
        _client(server, tmp_path, timeout=0.2, retries=1, backoff=0.0).work(PONE)


def test_broken_json_is_a_bad_response_and_not_cached(server, tmp_path):
    recorded = cassette("test_works_with_one_id.yaml")[f"/works/{PONE}"]
    whole = recorded.decoded()
    import json

    truncated = json.dumps(whole).encode()[:500]
    server.add(f"/works/{PONE}", Reply(200, truncated, {"Content-Type": "application/json"}),
               recorded)
    client = _client(server, tmp_path)
    with pytest.raises(BadResponse, match="not valid JSON"):
        client.work(PONE)
    assert client.work(PONE)["DOI"] == PONE  # the broken answer was not cached


def test_json_without_message_is_a_bad_response(server, tmp_path):
    server.add(f"/works/{PONE}", Reply(200, b'{"status": "ok"}'))
    with pytest.raises(BadResponse, match="no 'message'"):
        _client(server, tmp_path).work(PONE)


def test_400_is_not_retried(server, tmp_path):
    server.add("/works/10.1/x", Reply(400, b"Bad request: malformed DOI"))
    sleeps: list[float] = []
    with pytest.raises(BadResponse, match="HTTP 400: Bad request"):
        _client(server, tmp_path, sleeps).work("10.1/x")
    assert sleeps == []


def test_connection_refused_is_known_at_once_and_the_run_gives_up(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = CrossrefSettings(base_url=f"http://127.0.0.1:{port}", cache_dir=None,
                                retries=3, backoff=1.0, give_up_after=2)
    sleeps: list[float] = []
    client = CrossrefClient(settings, sleep=sleeps.append)
    with pytest.raises(Unreachable, match="connection refused"):
        client.work(PONE)
    with pytest.raises(GaveUp):     # the rest of the run does not ask again
        client.work(PONE)
    assert client.stats.requests == 1 and sleeps == [] and client.stats.skipped == 1
    assert client.stats.unavailable == 1


def test_unreachable_is_told_from_errors_worth_a_retry():
    import socket

    import requests
    from urllib3.exceptions import MaxRetryError, NameResolutionError, ProtocolError

    from transcite.lookup.crossref import _unreachable

    dns = NameResolutionError("api.crossref.org", None, socket.gaierror(-2, "Name or service "
                                                                        "not known"))
    assert _unreachable(requests.ConnectionError(MaxRetryError(None, "/works", dns)))
    unreachable = OSError(101, "Network is unreachable")
    assert _unreachable(requests.ConnectionError(MaxRetryError(None, "/", unreachable)))
    reset = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset by peer"))
    assert not _unreachable(requests.ConnectionError(reset))


def test_search_sends_the_bibliographic_query(server, tmp_path):
    recorded = cassette("test_works_query.yaml")["/works?query=ecology&rows=2"]
    server.add("/works", recorded)
    items = _client(server, tmp_path).search("Kessler A. Chemical ecology 2012", rows=2)
    assert [i["DOI"] for i in items] == ["10.1093/obo/9780199830060-0238",
                                         "10.1093/obo/9780199830060-0023"]
    path, _ = server.requests[-1]
    assert "query.bibliographic=Kessler+A.+Chemical+ecology+2012" in path
    assert "rows=2" in path


def test_settings_from_environment_and_config(monkeypatch, tmp_path):
    monkeypatch.setenv("TRANSCITE_CROSSREF_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "c"))
    monkeypatch.delenv("TRANSCITE_MAILTO", raising=False)
    settings = CrossrefSettings.from_config({"mailto": "a@b.org", "timeout": "5",
                                             "base_url": "https://other.example"})
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.mailto == "a@b.org" and settings.timeout == 5.0
    assert settings.cache_dir == tmp_path / "c" / "crossref"
    assert "mailto:a@b.org" in settings.user_agent
    with pytest.raises(ValueError, match="unknown setting 'mail'"):
        CrossrefSettings.from_config({"mail": "x"})


def test_settings_from_the_config_file(monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[crossref]\nmailto = "desk@example.org"\nretries = 1\n',
                                      encoding="utf-8")
    monkeypatch.setenv("TRANSCITE_HOME", str(home))
    for var in ("TRANSCITE_CROSSREF_URL", "TRANSCITE_MAILTO", "TRANSCITE_CACHE",
                "TRANSCITE_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    settings = CrossrefSettings.from_config()
    assert (settings.mailto, settings.retries) == ("desk@example.org", 1)
    assert settings.base_url == "https://api.crossref.org"
    assert settings.cache_dir == home / "cache" / "crossref"
