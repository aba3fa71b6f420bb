"""Bad styles never crash the engine: whatever a style makes it raise while compiling or
rendering becomes a reported error naming the style (and the item, where one item is at fault),
and the items it can render are still rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from transcite.render.engine import Engine
from transcite.render.styles import resolve_style

NS = "{http://purl.org/net/xbiblio/csl}"
ITEMS = [
    {"id": "a", "type": "article-journal", "title": "Why?", "page": "321-28", "volume": "ix",
     "author": [{"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"}],
     "issued": {"date-parts": [[2000, 5]]}, "container-title": "J"},
    {"id": "b", "type": "book", "title": "<i>Wo>", "author": [{"literal": "WHO"}],
     "issued": {"raw": "1897_1912"}, "URL": "http://x.org/'a'"},
    {"id": "c", "type": "chapter", "title": "Т", "editor": [{"family": "Иванов", "given": "И."}]},
]
CLUSTERS = [[{"id": "a", "locator": "3-5"}], [{"id": "b", "suppress-author": True},
                                             {"id": "c", "prefix": "see"}], [{"id": "a"}]]
WEIRD = ["", "0", "-1", "999999", "x", "true", "false", "none", "all", "short", "long",
         "roman", "ordinal", "title", "citation-number", "year-suffix", "locator", "page",
         "author editor", "first", "chicago-16", "expanded", "always", "by-cite", "%s"]
ATTRS = ["et-al-min", "et-al-use-first", "form", "variable", "macro", "term", "delimiter",
         "page-range-format", "text-case", "names-min", "initialize-with", "plural",
         "name-as-sort-order", "collapse", "date-parts", "range-delimiter", "name",
         "givenname-disambiguation-rule", "subsequent-author-substitute", "match", "position",
         "is-numeric", "disambiguate", "second-field-align", "display", "quotes"]


def _base() -> bytes:
    return resolve_style("apa").path.read_bytes()


def _render(path: Path) -> Engine:
    engine = Engine.create(path, output="html")
    engine.bibliography(ITEMS)
    engine.citations(CLUSTERS, ITEMS)
    return engine


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(ATTRS),
                          st.sampled_from(WEIRD)), min_size=1, max_size=12))
def test_mutated_styles_never_raise(tmp_path: Path, edits: list[tuple[int, str, str]]) -> None:
    """Any attribute of any element set to an odd value: rendering finishes; every error
    it reports names the style."""
    root = etree.fromstring(_base())
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    for n, attr, value in edits:
        elements[n % len(elements)].set(attr, value)
    path = tmp_path / "mutant.csl"
    path.write_bytes(etree.tostring(root))
    engine = _render(path)
    assert all("mutant" in str(err) for err in engine.errors)


def _style(body: str, bib: str = '<text variable="title"/>') -> bytes:
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
            f'<info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>{body}'
            f'<citation><layout><text variable="title"/></layout></citation>'
            f'<bibliography><layout>{bib}</layout></bibliography></style>').encode()


@pytest.mark.parametrize("body,bib", [
    ('<macro name="a"><text macro="a"/></macro>', '<text macro="a"/>'),          # recursion
    ("", '<text macro="missing"/>'),                                             # no macro
    ("", '<names variable="author"><name et-al-min="x" et-al-use-first="-2"/></names>'),
    ("", '<date variable="issued" form="nonsense"/>'),
    ("", '<number variable="volume" form="roman"/><label variable="page" plural="x"/>'),
    ("", '<choose><if match="weird" variable=""><text value="x"/></if></choose>'),
])
def test_odd_styles_render(tmp_path: Path, body: str, bib: str) -> None:
    """Odd but well-formed styles: every item gets an entry, a reported error or a warning
    that it has no printed form."""
    path = tmp_path / "odd.csl"
    path.write_bytes(_style(body, bib))
    engine = Engine.create(path, output="text")
    shown = {e.id for e in engine.bibliography(ITEMS)}
    for item in ITEMS:
        assert item["id"] in shown or any(e.item_id == item["id"] for e in engine.errors) or \
            any(w.endswith(f": {item['id']}") for w in engine.warnings)


def test_an_engine_failure_becomes_an_error_naming_style_and_item(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception inside the engine for one item: that item is reported with the style's
    name, the others are rendered."""
    from transcite.render.csl import processor

    real = processor.Processor._entries

    def boom(self: Any, bib: Any, items: list[Any], *args: Any) -> Any:
        if any(it.id == "b" for it in items):
            raise ZeroDivisionError("boom")
        return real(self, bib, items, *args)

    monkeypatch.setattr(processor.Processor, "_entries", boom)
    engine = Engine.create("apa", output="text")
    entries = engine.bibliography(ITEMS)
    assert sorted(e.id for e in entries) == ["a", "c"]
    assert [err.item_id for err in engine.errors] == ["b"]
    assert "apa" in str(engine.errors[0]) and "ZeroDivisionError" in str(engine.errors[0])


def test_a_style_that_cannot_compile_is_one_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from transcite import compiled
    from transcite.render.csl import processor

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RecursionError("too deep")

    monkeypatch.setattr(processor.Processor, "__init__", broken)
    monkeypatch.setenv("TRANSCITE_NO_CACHE", "1")       # compiled now, not loaded: neither
    monkeypatch.setattr(compiled, "shipped_folder", lambda: tmp_path)  # from the package
    engine = Engine.create("ieee", output="text")
    assert engine.bibliography(ITEMS) == []
    assert len(engine.errors) == 1 and "ieee" in str(engine.errors[0])
