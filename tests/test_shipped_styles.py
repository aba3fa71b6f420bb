"""The styles transcite ships, compiled into the wheel (hatch_build.py -> tools/precompile.py
-> transcite.render.csl.cache.ship): a first run finds them and skips the compilation, renders
exactly what compiling gives, and never uses an entry that is damaged or built from other code
or another style text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from transcite import compiled
from transcite.render.csl import Processor, clusters_from_json
from transcite.render.csl import cache as style_cache
from transcite.render.csl.cache import compiled_processor, ship
from transcite.render.styles import resolve_style

ROOT = Path(__file__).resolve().parent.parent
STYLES = sorted((ROOT / "styles" / "csl").glob("*.csl"))
sys.path.insert(0, str(ROOT / "tools"))

import precompile  # noqa: E402

ITEMS = [
    {"id": "a", "type": "article-journal", "title": "Возможно ли это?", "language": "ru",
     "author": [{"family": "Фёдоров", "given": "А. А."}], "container-title": "Атомная энергия",
     "issued": {"date-parts": [[2018, 3]]}, "volume": "3", "page": "10-20"},
    {"id": "b", "type": "book", "title": "Heat transfer", "publisher": "Wiley",
     "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2018]]}},
]


def _rendered(proc: Processor) -> tuple[list[str], list[tuple[str, str]]]:
    result = proc.process(ITEMS, clusters_from_json([[{"id": "a"}], [{"id": "b"}]]))
    return result.citations, result.bibliography


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache, and a folder standing for the package's compiled styles."""
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TRANSCITE_NO_CACHE", raising=False)
    folder = tmp_path / "shipped"
    monkeypatch.setattr(compiled, "shipped_folder", lambda: folder)
    return folder


def _never_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("compiled although the package holds the style compiled")

    monkeypatch.setattr(style_cache, "_build", refuse)


def test_a_first_run_loads_the_shipped_style_and_keeps_it(
        shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    style = resolve_style("gost").path
    expected = _rendered(Processor(style, "ru-RU", "text"))
    ship(style, "ru-RU", "text", shipped)
    _never_compile(monkeypatch)
    assert _rendered(compiled_processor(style, "ru-RU", "text")) == expected
    kept = list((tmp_path / "cache" / "compiled" / "styles").glob("*.pickle"))
    assert len(kept) == 1                   # copied into the user's cache
    for entry in (shipped / "styles").iterdir():
        entry.unlink()                      # later runs read the user's copy
    assert _rendered(compiled_processor(style, "ru-RU", "text")) == expected


def test_with_the_cache_off_the_shipped_style_is_still_used_and_nothing_is_written(
        shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    style = resolve_style("gost").path
    expected = _rendered(Processor(style, "ru-RU", "text"))
    ship(style, "ru-RU", "text", shipped)
    monkeypatch.setenv("TRANSCITE_NO_CACHE", "1")
    _never_compile(monkeypatch)
    assert _rendered(compiled_processor(style, "ru-RU", "text")) == expected
    assert not (tmp_path / "cache").exists()        # the cache off: nothing copied into it
    for entry in (shipped / "styles").iterdir():
        entry.write_bytes(b"junk")                  # damaged: compiled (and still not kept)
    monkeypatch.undo()
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSCITE_NO_CACHE", "1")
    monkeypatch.setattr(compiled, "shipped_folder", lambda: shipped)
    assert _rendered(compiled_processor(style, "ru-RU", "text")) == expected
    assert not (tmp_path / "cache").exists()


def test_a_damaged_shipped_entry_is_not_used(shipped: Path) -> None:
    style = resolve_style("apa").path
    expected = _rendered(Processor(style, None, "text"))
    [entry] = [ship(style, None, "text", shipped)]
    sound = entry.read_bytes()
    for data in (sound[: len(sound) // 2], sound[:-1] + bytes([sound[-1] ^ 1]), b"junk"):
        entry.write_bytes(data)
        for kept in (shipped.parent / "cache").rglob("*.pickle"):
            kept.unlink()
        assert _rendered(compiled_processor(style, None, "text")) == expected


def test_an_entry_from_other_code_or_another_style_text_is_not_used(
        shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    style = resolve_style("ieee").path
    ship(style, None, "text", shipped)
    built: list[object] = []
    real = style_cache._build
    monkeypatch.setattr(style_cache, "_build", lambda *a: built.append(a) or real(*a))
    monkeypatch.setattr(compiled, "content_stamp", lambda *parts: "other code")
    compiled_processor(style, None, "text")
    assert len(built) == 1
    monkeypatch.undo()
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache2"))
    monkeypatch.setattr(compiled, "shipped_folder", lambda: shipped)
    monkeypatch.setattr(style_cache, "_build", lambda *a: built.append(a) or real(*a))
    edited = tmp_path / "ieee.csl"
    edited.write_bytes(style.read_bytes().replace(b"</style>", b"<!-- edited --></style>"))
    compiled_processor(edited, None, "text")
    assert len(built) == 2


def test_the_tool_compiles_what_the_command_line_asks_for(
        shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every shipped style, in the settings `format --style NAME` (text, the style's locale)
    # and a profile's two lists (text, ru-RU and en-US) ask for, and the Pandoc filter (html).
    written = precompile.precompile(shipped, ROOT / "styles" / "csl", say=False)
    assert len(written) == len(set(written)) >= 3 * len(STYLES)
    _never_compile(monkeypatch)
    for path in STYLES:
        info = resolve_style(path.stem)
        assert info.path.read_bytes() == path.read_bytes()     # the shipped style itself
        for locale, output in ((info.default_locale, "text"), ("ru-RU", "text"),
                               ("en-US", "text"), (info.default_locale, "html")):
            assert isinstance(compiled_processor(info.path, locale, output), Processor)


@pytest.mark.skipif(not (compiled.shipped_folder().parent / "styles").is_dir(),
                    reason="only an installed wheel holds compiled styles (its build hook, "
                           "hatch_build.py, writes them); a checkout compiles on first run")
def test_the_installed_wheel_holds_every_shipped_style_compiled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A wheel built without them (the hook failed: it only warns) fails here.
    assert (compiled.shipped_folder() / "styles").is_dir()
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TRANSCITE_NO_CACHE", raising=False)
    expected = {}
    for style in STYLES:
        info = resolve_style(style.stem)
        expected[style.stem] = _rendered(Processor(info.path, info.default_locale, "text"))
    _never_compile(monkeypatch)
    for style in STYLES:
        info = resolve_style(style.stem)
        proc = compiled_processor(info.path, info.default_locale, "text")
        assert _rendered(proc) == expected[style.stem], style.stem
