"""The back-transliteration lexicon a wheel holds built (hatch_build.py ->
tools/prebuild_lexicon.py): a first run maps it instead of spending ~9 s building one into the
user's cache; a copy built from other word lists, or half written, is never used; and
processes that need a lexicon at the same moment (a run's workers) build it once."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from transcite.translit import lexicon as lex
from transcite.translit.keys import fold, key


@pytest.fixture(scope="module")
def built() -> Path:
    """A folder holding a whole lexicon (the package's own, else the one in the cache)."""
    lex.lexicon()
    for folder in (lex.shipped_folder(), lex.cache_dir() / "translit"):
        if lex._ready(folder):
            return folder
    raise AssertionError("no lexicon was built")


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache; the lexicon loaded anew in this test and again after it."""
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    lex.lexicon.cache_clear()
    yield tmp_path
    lex.lexicon.cache_clear()


def _reads_russian() -> bool:
    """The lexicon loaded now knows Russian words by their romanised keys."""
    found = lex.lexicon()
    words = [w for w, _ in found.candidates(key(fold("predlozhila")))]
    return "предложила" in words and found.zipf("россия") > 4 and \
        found.english_zipf("bridge") > 3


def _copy(built: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    for name in (*lex.TRIES, "STAMP"):
        shutil.copyfile(built / (name if name == "STAMP" else f"{name}.marisa"),
                        to / (name if name == "STAMP" else f"{name}.marisa"))
    return to


def _never_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(folder: Path) -> None:
        raise AssertionError(f"built into {folder} although a lexicon was at hand")

    monkeypatch.setattr(lex, "build_lexicon", refuse)


def _counted_build(built: Path, log: Path, monkeypatch: pytest.MonkeyPatch,
                   pause: float = 0.0) -> None:
    """build_lexicon replaced by a copy of ``built`` (STAMP last, as the real one writes it)
    that notes each call in ``log``."""
    def fake(folder: Path) -> None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        time.sleep(pause)
        folder.mkdir(parents=True, exist_ok=True)
        for name in lex.TRIES:
            shutil.copyfile(built / f"{name}.marisa", folder / f"{name}.marisa")
        shutil.copyfile(built / "STAMP", folder / "STAMP")

    monkeypatch.setattr(lex, "build_lexicon", fake)


def test_a_first_run_maps_the_shipped_lexicon_and_builds_nothing(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = _copy(built, fresh / "shipped")
    monkeypatch.setattr(lex, "shipped_folder", lambda: shipped)
    _never_build(monkeypatch)
    assert _reads_russian()
    assert not (fresh / "cache" / "translit").exists()     # nothing written for the user


def test_a_shipped_lexicon_from_other_word_lists_is_not_used(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = _copy(built, fresh / "shipped")
    (shipped / "STAMP").write_text("v0-wordfreq0.0", encoding="utf-8")
    monkeypatch.setattr(lex, "shipped_folder", lambda: shipped)
    log = fresh / "builds.log"
    _counted_build(built, log, monkeypatch)
    assert _reads_russian()
    assert len(log.read_text(encoding="utf-8").split()) == 1
    assert lex._ready(fresh / "cache" / "translit")        # built into the user's cache


@pytest.mark.parametrize("damage", ["no stamp", "a trie missing"])
def test_a_half_written_lexicon_is_built_again(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.setattr(lex, "shipped_folder", lambda: fresh / "none")
    cached = _copy(built, fresh / "cache" / "translit")
    if damage == "no stamp":
        (cached / "STAMP").unlink()
    else:
        (cached / "keys.marisa").unlink()
    log = fresh / "builds.log"
    _counted_build(built, log, monkeypatch)
    assert _reads_russian()
    assert len(log.read_text(encoding="utf-8").split()) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_processes_starting_together_build_the_lexicon_once(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lex, "shipped_folder", lambda: fresh / "none")
    log = fresh / "builds.log"
    _counted_build(built, log, monkeypatch, pause=0.5)
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:                                        # a worker of the same run
            code = 1
            try:
                code = 0 if _reads_russian() else 2
            finally:
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert codes == [0, 0, 0]
    assert len(log.read_text(encoding="utf-8").split()) == 1


def _installed_wheel() -> bool:
    from transcite import compiled

    return compiled.shipped_folder().is_dir()


@pytest.mark.skipif(not _installed_wheel(),
                    reason="only an installed wheel holds the lexicon built (its build hook, "
                           "hatch_build.py, writes it); a checkout builds it on first use")
def test_the_installed_wheel_holds_the_lexicon_built(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A wheel built without it (the hook failed: it only warns) fails here.
    assert lex._ready(lex.shipped_folder())
    _never_build(monkeypatch)
    assert _reads_russian()
    assert not (fresh / "cache" / "translit").exists()


def test_the_stamp_names_the_installed_wordfreq() -> None:
    from importlib.metadata import version

    assert lex._wordfreq_version() == version("wordfreq")
    assert lex._stamp() == f"v{lex.LEXICON_VERSION}-wordfreq{version('wordfreq')}"


def test_latin_trigram_costs_read_from_the_trie_as_asked_are_the_trie_values() -> None:
    found = lex.lexicon()
    whole = {k: v[0] / 10 for k, v in found.latin.items()}
    assert whole and all(found._latin_cost(k) == cost for k, cost in whole.items())
    assert found._latin_cost("rqqq") == found._latin_cost("e\u0416\u0416\u0416") == 16.0
    # a word's odds: romanised Russian scores above English, English below
    assert found.latin_odds("predlozhila") > 0 > found.latin_odds("proceedings")


@pytest.mark.parametrize("terminal", [True, False])
def test_a_build_says_why_the_run_waits_on_a_terminal_only(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], terminal: bool) -> None:
    from transcite import progress

    monkeypatch.setattr(lex, "shipped_folder", lambda: fresh / "none")
    monkeypatch.setattr(progress, "_on", terminal)
    _counted_build(built, fresh / "builds.log", monkeypatch)
    assert _reads_russian()
    said = capsys.readouterr().err
    if terminal:
        assert "building the back-transliteration lexicon" in said
        assert str(fresh / "cache" / "translit") in said
    else:
        assert said == ""


def test_a_lexicon_built_for_one_process_leaves_no_folder_behind(
        built: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the cache folder cannot be written: the lexicon is built into a temporary folder, used,
    # and that folder goes once its files are mapped (12 MB a run otherwise)
    import tempfile

    monkeypatch.setattr(lex, "shipped_folder", lambda: fresh / "none")
    monkeypatch.setattr(tempfile, "tempdir", str(fresh / "tmp"))
    (fresh / "tmp").mkdir()
    log = fresh / "builds.log"
    _counted_build(built, log, monkeypatch)
    copy = lex.build_lexicon

    def unwritable_cache(folder: Path) -> None:
        if folder == fresh / "cache" / "translit":
            raise PermissionError(13, "Permission denied", str(folder))
        copy(folder)

    monkeypatch.setattr(lex, "build_lexicon", unwritable_cache)
    assert _reads_russian()
    assert len(log.read_text(encoding="utf-8").split()) == 1
    assert list((fresh / "tmp").iterdir()) == []
