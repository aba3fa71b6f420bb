"""Compiled styles kept between runs (transcite.compiled, render/csl/cache.py): the same output
with and without the cache, for every shipped style; a damaged or stale entry is never used;
another version of transcite, another style or locale text is another entry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import transcite
from transcite import compiled
from transcite.render.csl import Processor, clusters_from_json
from transcite.render.csl.cache import compiled_processor
from transcite.render.project import genitive_roles
from transcite.render.styles import resolve_style

ROOT = Path(__file__).resolve().parent.parent
STYLES = sorted((ROOT / "styles" / "csl").glob("*.csl"))

ITEMS = [
    {"id": "a", "type": "article-journal", "title": "Возможно ли это?", "language": "ru",
     "author": [{"family": "Фёдоров", "given": "А. А."}, {"family": "Петров", "given": "П."}],
     "container-title": "Атомная энергия", "issued": {"date-parts": [[2018, 3]]},
     "volume": "3", "issue": "2", "page": "10-20", "DOI": "10.1000/x"},
    {"id": "b", "type": "book", "title": "Heat transfer", "publisher": "Wiley",
     "publisher-place": "Hoboken", "author": [{"family": "Smith", "given": "John"}],
     "issued": {"date-parts": [[2018]]}, "edition": "2", "number-of-pages": "320"},
    {"id": "c", "type": "chapter", "title": "A chapter", "container-title": "A book",
     "author": [{"family": "Smith", "given": "Jane"}], "editor": [{"literal": "Org"}],
     "issued": {"date-parts": [[2018]]}, "page": "5-9", "URL": "https://example.org",
     "accessed": {"date-parts": [[2020, 1, 2]]}},
    {"id": "d", "type": "thesis", "title": "Диссертация", "genre": "дис. ... канд. техн. наук",
     "publisher": "МГУ", "publisher-place": "М.", "author": [{"family": "Иванов"}],
     "issued": {"date-parts": [[2001]]}},
]
CLUSTERS = [[{"id": "a", "locator": "12"}], [{"id": "b"}, {"id": "c"}], [{"id": "a"}],
            [{"id": "d", "prefix": "see "}]]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRANSCITE_CACHE", str(folder))
    monkeypatch.delenv("TRANSCITE_NO_CACHE", raising=False)
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "compiled" / "styles").glob("*.pickle"))


def _rendered(proc: Processor) -> tuple[list[str], list[tuple[str, str]]]:
    result = proc.process(ITEMS, clusters_from_json(CLUSTERS))
    return result.citations, result.bibliography


@pytest.mark.parametrize("style", STYLES, ids=[p.stem for p in STYLES])
def test_a_cached_style_renders_as_the_style_compiled_afresh(cache: Path, style: Path) -> None:
    for locale in (None, "en-US", "ru-RU"):
        fresh = _rendered(Processor(style, locale, "html"))
        first = compiled_processor(style, locale, "html")      # compiled and stored
        again = compiled_processor(style, locale, "html")      # loaded
        assert _rendered(first) == fresh
        assert _rendered(again) == fresh
        assert again is not first
        roles = genitive_roles(Processor(style, locale, "html"))
        assert genitive_roles(again) == roles       # kept with the compiled style
        assert again.root.get("version") == "1.0"   # the parsed style, read again on demand
    assert len(_entries(cache)) == 3


def test_a_damaged_entry_is_ignored_and_rebuilt(cache: Path) -> None:
    style = resolve_style("apa").path
    expected = _rendered(Processor(style, None, "text"))
    compiled_processor(style, None, "text")
    [entry] = _entries(cache)
    sound = entry.read_bytes()
    damaged = [sound[: len(sound) // 2], sound[:-1] + bytes([sound[-1] ^ 1]), b"",
               b"not a cache entry at all", compiled.MAGIC + b"\0" * 32 + b"junk"]
    for data in damaged:
        entry.write_bytes(data)
        assert _rendered(compiled_processor(style, None, "text")) == expected
        assert entry.read_bytes() == sound         # written again, whole
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]     # no temporary left


def test_an_entry_that_does_not_unpickle_is_rebuilt(cache: Path) -> None:
    import hashlib
    import pickle

    style = resolve_style("ieee").path
    compiled_processor(style, None, "text")
    [entry] = _entries(cache)
    payload = pickle.dumps(_Gone())
    entry.write_bytes(compiled.MAGIC + hashlib.sha256(payload).digest() + payload)
    proc = compiled_processor(style, None, "text")
    assert isinstance(proc, Processor)


class _Gone:
    """Unpickles by calling a function that fails (as an entry from other code would)."""

    def __reduce__(self) -> tuple[object, ...]:
        return (_missing_function, ())


def _missing_function() -> None:
    raise RuntimeError("an entry from another program")


def test_another_version_style_or_locale_is_another_entry(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = resolve_style("ieee").path.read_text("utf-8")
    style = tmp_path / "mine.csl"
    style.write_text(source, "utf-8")
    compiled_processor(style, "en-US", "text")
    compiled_processor(style, "en-US", "text")
    assert len(_entries(cache)) == 1
    compiled_processor(style, "en-US", "html")
    compiled_processor(style, "ru-RU", "text")
    assert len(_entries(cache)) == 3
    monkeypatch.setattr(transcite, "__version__", "9.9.9")
    compiled_processor(style, "en-US", "text")
    assert len(_entries(cache)) == 4
    monkeypatch.undo()
    monkeypatch.setenv("TRANSCITE_CACHE", str(cache))
    style.write_text(source.replace("<title>", "<title>Changed "), "utf-8")
    compiled_processor(style, "en-US", "text")
    assert len(_entries(cache)) == 5
    # a locale file the style merges, changed: another entry (and its new terms)
    from transcite.render.csl import locale as csl_locale

    locales = tmp_path / "locales"
    locales.mkdir()
    ru = csl_locale.locale_file("ru-RU")
    assert ru is not None
    (locales / "locales-ru-RU.xml").write_text(
        ru.read_text("utf-8").replace(">и др.<", ">и другие<"), "utf-8")
    monkeypatch.setattr(csl_locale, "_shipped_locales", lambda: locales)
    before = len(_entries(cache))
    proc = compiled_processor(style, "ru-RU", "text")
    assert len(_entries(cache)) == before + 1
    assert proc.locale.term("et-al") == Processor(style, "ru-RU", "text").locale.term("et-al")


def test_no_cache_when_turned_off_or_unwritable(cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    style = resolve_style("vancouver").path
    monkeypatch.setenv("TRANSCITE_NO_CACHE", "1")
    compiled_processor(style, None, "text")
    assert not cache.exists()
    monkeypatch.delenv("TRANSCITE_NO_CACHE")
    cache.write_text("a file where the folder should be", "utf-8")
    expected = _rendered(Processor(style, None, "text"))
    assert _rendered(compiled_processor(style, None, "text")) == expected


def test_the_command_line_prints_the_same_from_the_cache(tmp_path: Path) -> None:
    bib = ROOT / "references" / "examples" / "russia-japan.bib"
    env = {**os.environ, "TRANSCITE_CACHE": str(tmp_path / "cache")}
    env.pop("TRANSCITE_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-m", "transcite", "format", str(bib), "--style",
                            "apa"], capture_output=True, text=True, env=e, timeout=120)
            for e in (env, env, {**env, "TRANSCITE_NO_CACHE": "1"})]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout and runs[0].stdout.strip()
    assert len(list((tmp_path / "cache" / "compiled" / "styles").glob("*.pickle"))) == 1


def test_a_cached_style_loads_without_the_xml_parsers(tmp_path: Path) -> None:
    """The second run of a style reads no XML: neither lxml nor citeproc-py is imported."""
    # A style of the user's own (a wheel holds the shipped ones compiled already).
    style = tmp_path / "own.csl"
    style.write_bytes(resolve_style("gost").path.read_bytes())
    code = ("import sys\n"
            "from transcite.render.csl.cache import compiled_processor\n"
            f"proc = compiled_processor({str(style)!r}, None, 'text')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'lxml', 'citeproc'}))\n")
    env = {**os.environ, "TRANSCITE_CACHE": str(tmp_path / "cache")}
    env.pop("TRANSCITE_NO_CACHE", None)
    first, second = (subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, env=env, timeout=120) for _ in range(2))
    assert first.stdout.strip() == "['citeproc', 'lxml']", first.stderr
    assert second.stdout.strip() == "[]", second.stderr
