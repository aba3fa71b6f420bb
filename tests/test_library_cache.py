"""Libraries read and normalised before, kept between runs (readers/cache.py): a later
`format` of the same files prints what reading them afresh prints - output, problems, exit
status - without reading them; anything the result depends on is another entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from transcite.cli import app

ROOT = Path(__file__).resolve().parent.parent
MESSY = ROOT / "tests" / "data" / "normalise" / "messy-bibtex" / "input.bib"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRANSCITE_CACHE", str(folder))
    monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRANSCITE_NO_CACHE", raising=False)
    monkeypatch.delenv("TRANSCITE_JOURNALS", raising=False)
    return folder


def _libraries(folder: Path) -> list[Path]:
    return sorted((folder / "compiled" / "libraries").glob("*.pickle"))


def _format(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["format", *args])
    return result.exit_code, result.stdout, result.stderr


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a file now fails loudly: a run that prints anything read from the cache."""
    from transcite import readers

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the library was read again")
    monkeypatch.setattr(readers, "iter_read", refuse)
    monkeypatch.setattr(readers, "read", refuse)


def test_a_later_run_prints_the_same_without_reading(cache: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(MESSY.read_bytes())
    args = [str(bib), "--style", "gost-r-7-0-5-2008", "--normalise"]
    first = _format(*args)
    assert first[0] == 1 and "identifier.invalid-isbn" in first[2]     # an invalid ISBN
    assert first[1].count("\n") == 2      # its two works (a duplicate merged)
    assert len(_libraries(cache)) == 1
    _no_reading(monkeypatch)
    assert _format(*args) == first          # the same entries, the same problems and status
    assert _format(str(bib), "--style", "apa", "--normalise")[1] != first[1]   # (any style)


def test_anything_the_library_depends_on_is_another_entry(cache: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(MESSY.read_bytes())
    base = _format(str(bib), "--style", "apa", "--normalise")
    _format(str(bib), "--style", "apa")                     # not normalised
    _format(str(bib), "--style", "apa", "--normalise", "--profile", "scopus")
    assert len(_libraries(cache)) == 3
    # a user's journal registry the normalisation reads
    journals = tmp_path / "home" / "journals.json"
    journals.parent.mkdir(parents=True)
    journals.write_text(json.dumps({"journals": []}), encoding="utf-8")
    _format(str(bib), "--style", "apa", "--normalise")
    assert len(_libraries(cache)) == 4
    # the file itself: an edited entry is read afresh
    text = bib.read_text(encoding="utf-8")
    title = text.split("title", 1)[1].split("{", 1)[1].split("}", 1)[0]
    bib.write_text(text.replace(title, "An edited title", 1), encoding="utf-8")
    edited = _format(str(bib), "--style", "apa", "--normalise")
    assert "An edited title" in edited[1] and "An edited title" not in base[1]
    assert len(_libraries(cache)) == 5


def test_a_damaged_entry_is_read_afresh(cache: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(MESSY.read_bytes())
    first = _format(str(bib), "--style", "apa", "--normalise")
    [entry] = _libraries(cache)
    entry.write_bytes(entry.read_bytes()[:-40])
    assert _format(str(bib), "--style", "apa", "--normalise") == first


def test_no_library_is_kept_when_the_cache_is_off_or_the_input_is_stdin(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_bytes(MESSY.read_bytes())
    result = CliRunner().invoke(app, ["format", "-", "--from", "bibtex", "--style", "apa"],
                                input=bib.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and result.stdout
    assert _libraries(cache) == []
    monkeypatch.setenv("TRANSCITE_NO_CACHE", "1")
    assert _format(str(bib), "--style", "apa")[1]
    assert _libraries(cache) == []


def test_the_pandoc_filter_reads_a_bibliography_once(cache: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from _pandoc import citation, cite, document, meta_str, plain_lines

    from transcite.pandoc import process

    bib = tmp_path / "refs.bib"
    bib.write_bytes((ROOT / "references" / "examples" / "russia-japan.bib").read_bytes())
    doc = document([{"t": "Para", "c": [cite(citation("Batin2017"))]}],
                   bibliography={"t": "MetaString", "c": str(bib)},
                   csl=meta_str("gost-r-7-0-5-2008"), lang=meta_str("ru"))
    first = process(doc)
    assert plain_lines(first["blocks"])[0] == "[Батин, 2017]"
    assert len(_libraries(cache)) == 1
    _no_reading(monkeypatch)
    assert process(doc) == first


_SUFFIX = {"bibtex": ".bib", "csl-json": ".json", "csl-yaml": ".yaml", "ris": ".ris",
           "text": ".txt"}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.booleans(), st.sampled_from(["apa", "gost-r-7-0-5-2008"]))
def test_a_cached_library_is_invisible_on_hostile_files(tmp_path: Path, seed: int,
                                                         normalise: bool, style: str) -> None:
    # a mutated bibliography from tests/data: the run that stores it, the run that loads it
    # and a run without any cache print the same (or fail alike)
    import os
    import random
    import tempfile

    from fuzzing import mutate, seeds

    rng = random.Random(seed)
    fmt, text = rng.choice(seeds())
    folder = Path(tempfile.mkdtemp(dir=tmp_path))      # (hypothesis replays an example)
    path = folder / f"in{_SUFFIX[fmt]}"
    path.write_text(mutate(text, rng), encoding="utf-8", errors="surrogatepass")
    args = [str(path), "--style", style] + (["--normalise"] if normalise else [])
    env = {"TRANSCITE_CACHE": str(folder / "cache"), "TRANSCITE_NO_CACHE": "0",
           "TRANSCITE_HOME": str(folder / "home")}
    saved = {k: os.environ.get(k) for k in [*env, "TRANSCITE_JOURNALS"]}
    try:
        os.environ.update(env)
        os.environ.pop("TRANSCITE_JOURNALS", None)
        stored, loaded = _format(*args), _format(*args)
        os.environ["TRANSCITE_NO_CACHE"] = "1"
        fresh = _format(*args)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert stored == loaded == fresh
    assert stored[0] in (0, 1, 2)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_once_by_the_reader(cache: Path, tmp_path: Path) -> None:
    # `transcite format <(zcat refs.bib.gz)`: the library comes through a pipe, which can be
    # read only once - by the reader, not by the cache's key
    import os
    import threading

    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    text = (ROOT / "references" / "examples" / "russia-japan.bib").read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as fh:
            fh.write(text)
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    code, out, _ = _format(str(fifo), "--from", "bibtex", "--style", "apa")
    writer.join(10)
    assert code == 0 and out.count("\n") >= 5
    assert _libraries(cache) == []


def _generated(tmp_path: Path, entries: int) -> Path:
    import subprocess
    import sys

    bib = tmp_path / f"lib-{entries}.bib"
    with open(bib, "wb") as fh:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--entries",
                        str(entries), "--seed", "3", "--format", "bibtex"], stdout=fh,
                       check=True, timeout=120)
    return bib


def test_a_long_library_is_kept_by_a_forked_process_the_run_waits_for(
        cache: Path, tmp_path: Path) -> None:
    # From readers.cache.BACKGROUND references on, a forked process pickles and writes the
    # library while the run renders it; the command waits for it before it ends.
    import os
    import subprocess
    import sys

    from transcite.readers import cache as library_cache

    bib = _generated(tmp_path, library_cache.BACKGROUND)
    cmd = [sys.executable, "-m", "transcite", "format", str(bib), "--style", "apa",
           "--normalise"]
    env = {**os.environ, "TRANSCITE_CACHE": str(cache)}
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert len(_libraries(cache)) == 1        # written before the command ended
    again = subprocess.run(cmd, capture_output=True, text=True,
                           env={**env, "TRANSCITE_WORKERS": "1"}, timeout=300)
    fresh = subprocess.run(cmd, capture_output=True, text=True,
                           env={**env, "TRANSCITE_NO_CACHE": "1"}, timeout=300)
    assert first.stdout == again.stdout == fresh.stdout
    assert first.stdout.count("\n") == library_cache.BACKGROUND


def test_the_forked_writer_in_process_and_its_limit(cache: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from transcite import compiled
    from transcite.model import Report
    from transcite.readers import cache as library_cache
    from transcite.readers import read

    bib = tmp_path / "refs.bib"
    bib.write_bytes(MESSY.read_bytes())
    built: list[int] = []

    def build(report: Report):  # type: ignore[no-untyped-def]
        built.append(1)
        return read(str(bib))

    monkeypatch.setattr(library_cache, "BACKGROUND", 1)
    first = library_cache.cached_library([str(bib)], None, None, Report(), build,
                                         normalise=False)
    compiled.finish_writing()
    assert len(_libraries(cache)) == 1
    again = library_cache.cached_library([str(bib)], None, None, Report(), build,
                                         normalise=False)
    assert built == [1] and [r.to_csl() for r in again] == [r.to_csl() for r in first]
    # a library whose pickle would pass the limit is not kept (and not pickled whole)
    value = (list(first), [])
    whole = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    assert library_cache._capped_dumps(value, len(whole)) == whole
    assert library_cache._capped_dumps(value, len(whole) - 1) is None
    monkeypatch.setattr(library_cache, "MAX_BYTES", 200)
    bib.write_bytes(MESSY.read_bytes() + b"\n% edited\n")
    library_cache.cached_library([str(bib)], None, None, Report(), build, normalise=False)
    compiled.finish_writing()
    assert len(_libraries(cache)) == 1 and built == [1, 1]


def test_writers_still_running_are_counted_and_finished_ones_reaped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from transcite import compiled, workers

    def child(seconds: float) -> int:
        pid = os.fork()
        if pid == 0:
            time.sleep(seconds)
            os._exit(0)
        return pid

    import io

    quick, slow = child(0), child(5)
    monkeypatch.setattr(compiled, "_writing", [quick, slow])
    time.sleep(0.3)
    assert compiled.writing() == 1 and compiled._writing == [slow]
    # three processes ready to run: this one, our writer and another program's
    monkeypatch.setattr(workers, "open", lambda *a, **k: io.StringIO("1.0 1.0 1.0 3/90 1\n"),
                        raising=False)
    assert workers.busy() == 1          # the writer is not another program's work
    os.kill(slow, 9)
    compiled.finish_writing()
    assert compiled._writing == [] and compiled.writing() == 0
