"""Every way an HTTP answer can go wrong is a lookup that failed (a CrossrefError), within a
deadline; enrich writes what succeeded and lists what failed; only checked records are cached.

Everything runs against a real server on 127.0.0.1 (tests/faults.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from faults import FAULTS, FaultServer
from typer.testing import CliRunner

from transcite.cli import app
from transcite.lookup.crossref import (
    BadResponse,
    CrossrefClient,
    CrossrefError,
    CrossrefSettings,
    GaveUp,
    Unavailable,
)
from transcite.lookup.works import work_to_reference


def _client(url: str, tmp_path: Path, sleeps: list[float] | None = None,
            **over: object) -> CrossrefClient:
    values: dict[str, object] = {"base_url": url, "cache_dir": tmp_path / "cache",
                                 "backoff": 0.0, "retries": 1, "timeout": 1.0,
                                 "connect_timeout": 1.0, "deadline": 0.8, "max_wait": 0.5,
                                 "max_body": 1 << 20}
    values.update(over)
    return CrossrefClient(CrossrefSettings(**values),  # type: ignore[arg-type]
                          sleep=sleeps.append if sleeps is not None else (lambda s: None))


#: The faults the issue found enrich losing its work on: each is "unavailable" (retried).
_UNAVAILABLE = {"redirect-loop", "reset-mid-body", "short-body", "bad-gzip", "retry-after-nan",
                "drip-body", "drip-headers", "endless"}


@pytest.mark.parametrize("mode", sorted(set(FAULTS) - {"drip-slowly"}))  # (drip-body: faster)
def test_every_fault_is_a_failed_lookup_within_the_deadline(tmp_path: Path, mode: str) -> None:
    sleeps: list[float] = []
    failure: CrossrefError | None = None
    with FaultServer(mode) as server:
        client = _client(server.url, tmp_path, sleeps)
        started = time.monotonic()
        try:
            record = client.work("10.1000/x")
        except CrossrefError as exc:
            failure = exc
        else:
            work_to_reference(record)            # a record it accepted converts
        elapsed = time.monotonic() - started
    # two attempts, each within its deadline
    assert elapsed < 8, f"{mode} held the lookup for {elapsed:.1f} s"
    assert all(0 <= s <= 0.5 for s in sleeps), sleeps
    if mode in _UNAVAILABLE:
        assert isinstance(failure, Unavailable), failure


def test_a_record_of_the_wrong_shape_is_not_cached(tmp_path: Path) -> None:
    with FaultServer("message-list") as server:
        client = _client(server.url, tmp_path)
        with pytest.raises(BadResponse, match="no work record"):
            client.work("10.1000/x")
        server.mode = "ok"
        assert client.work("10.1000/x")["DOI"] == "10.1000/ok"
        assert len(server.requests) == 2         # asked again: nothing bad was remembered
    assert not any((tmp_path / "cache").rglob("*.tmp"))


def test_a_bad_record_cached_by_an_older_version_is_asked_again(tmp_path: Path) -> None:
    from transcite.lookup.cache import DiskCache

    with FaultServer("ok") as server:
        client = _client(server.url, tmp_path)
        DiskCache(tmp_path / "cache").put(f"{server.url}/works/10.1000/x", 200,
                                          {"message": []})
        assert client.work("10.1000/x")["DOI"] == "10.1000/ok"
        assert len(server.requests) == 1


def test_the_run_stops_asking_once_its_time_is_used_up(tmp_path: Path) -> None:
    with FaultServer("drip-body") as server:
        client = _client(server.url, tmp_path, deadline=0.5, run_deadline=0.8, retries=0,
                         give_up_after=100)
        started = time.monotonic()
        outcomes = []
        for n in range(6):
            try:
                client.work(f"10.1000/{n}")
                outcomes.append("ok")
            except GaveUp:
                outcomes.append("skipped")
            except Unavailable:
                outcomes.append("failed")
        assert time.monotonic() - started < 10
    assert outcomes[0] == "failed" and outcomes[-1] == "skipped"


def test_enrich_writes_what_succeeded_and_lists_what_failed(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([
        {"id": "good", "type": "article-journal", "title": "T1", "DOI": "10.1000/good"},
        {"id": "reset", "type": "article-journal", "title": "T2", "DOI": "10.1000/reset"},
        {"id": "gzip", "type": "article-journal", "title": "T3", "DOI": "10.1000/gzip"},
        {"id": "nan", "type": "article-journal", "title": "T4", "DOI": "10.1000/nan"},
    ]), encoding="utf-8")
    out = tmp_path / "out.json"
    with FaultServer("ok") as server:
        server.route("reset", "reset-mid-body")
        server.route("gzip", "bad-gzip")
        server.route("nan", "retry-after-nan")
        monkeypatch.setenv("TRANSCITE_CROSSREF_URL", server.url)
        monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
        monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("TRANSCITE_MAILTO", "tests@example.org")
        (tmp_path / "home").mkdir()
        (tmp_path / "home" / "config.toml").write_text(
            "[crossref]\nretries = 1\nbackoff = 0\nmax_wait = 0.2\ntimeout = 1\n"
            "deadline = 2\ngive_up_after = 10\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["enrich", str(source), "-o", str(out),
                                          "--no-search"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    items = {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    assert set(items) == {"good", "reset", "gzip", "nan"}
    assert items["good"]["author"] == [{"family": "Smith", "given": "J."}]
    unavailable = [line for line in result.stderr.splitlines() if "crossref.unavailable" in line]
    assert {line.split("[")[-1].split("]")[0] for line in unavailable} == {"reset", "gzip", "nan"}
