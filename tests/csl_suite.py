"""Reading the CSL processor test suite (``humans/*.txt``) and comparing results.

Not a test module itself: ``tests/test_csl_suite.py`` and ``benchmarks/conformance.py`` use it.
A fixture has ``MODE`` (citation or bibliography), ``RESULT``, ``CSL``, ``INPUT`` and optionally
``CITATION-ITEMS`` (clusters of cites) or ``CITATIONS`` (clusters with note numbers, rendered in
sequence, each line ``..[i] text``).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SECTION = re.compile(r">>=+ *([A-Z-]+) *=+>>\n(.*?)\n?<<=+ *\1 *=+<<", re.S)


@dataclass(frozen=True)
class Fixture:
    """One test of the suite."""

    name: str
    mode: str
    result: str
    csl: str
    items: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None
    citations: list[Any] | None


def read_fixture(path: Path) -> Fixture:
    """Parse one ``.txt`` fixture."""
    text = path.read_text(encoding="utf-8")
    sections = {name: body for name, body in _SECTION.findall(text)}
    ci = sections.get("CITATION-ITEMS")
    cs = sections.get("CITATIONS")
    return Fixture(path.stem, sections["MODE"].strip(), sections["RESULT"], sections["CSL"],
                   json.loads(sections["INPUT"]), json.loads(ci) if ci else None,
                   json.loads(cs) if cs else None)


def fixtures(folder: Path) -> list[Path]:
    """The fixture files directly in ``folder`` (sub-folders hold experiments), sorted."""
    return sorted(folder.glob("*.txt"))


_ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-z]+);")
_KEEP = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _entity(m: re.Match[str]) -> str:
    ch = html.unescape(m.group(0))
    return _KEEP.get(ch, ch)


def normalise(text: str) -> str:
    """Canonical form for comparing results: one spelling per entity, no layout whitespace,
    no marks of which citations the last update touched (``>>[n]`` vs ``..[n]``)."""
    text = _ENTITY.sub(_entity, text.strip())
    text = re.sub(r"\n\s*(?=<)", "", text)
    text = re.sub(r"^>>\[", "..[", text, flags=re.M)
    return text


def document_order(citations: list[Any]) -> list[dict[str, Any]]:
    """The citations as the document holds them after the last update: each update gives a
    citation and the ids (with note numbers) of the citations before and after it."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in citations:
        latest[entry[0].get("citationID", "")] = entry[0]
    last = citations[-1]
    placed = [*last[1], [last[0].get("citationID", ""),
                         last[0].get("properties", {}).get("noteIndex", 0)], *last[2]]
    out = []
    for cid, note in placed:
        cit = latest.get(cid)
        if cit is not None:
            out.append({**cit, "properties": {**cit.get("properties", {}), "noteIndex": note}})
    return out


def run_fixture(fx: Fixture) -> str:
    """Render a fixture with transcite's engine (HTML, as the suite expects), the way the
    suite's runner does: with ``CITATIONS`` the citations are processed in sequence (positions,
    and only cited items in the bibliography); otherwise every INPUT item is registered first
    (all of them are disambiguated, numbered in input order and listed in the bibliography)
    and each ``CITATION-ITEMS`` cluster is made on its own, every cite a first cite; without
    either, one citation cites every item in the bibliography's order."""
    from transcite.render.csl import Processor, clusters_from_json

    proc = Processor(fx.csl, output="html", margin_space=False)
    items = [{**it, "id": str(it.get("id", f"ITEM-{n + 1}"))} for n, it in enumerate(fx.items)]
    ids = [it["id"] for it in items]
    if fx.citations is not None:
        res = proc.process(items, clusters_from_json(document_order(fx.citations)),
                           bibliography=fx.mode == "bibliography")
    else:
        if fx.citation_items is not None:
            cited = fx.citation_items
        elif fx.mode == "citation":
            cited = [[{"id": i} for i in proc.bibliography_order(items)]]
        else:
            cited = []
        res = proc.process(items, clusters_from_json(cited), register=ids, positions=False,
                           bibliography=fx.mode == "bibliography")
    if fx.mode == "bibliography":
        rows = []
        for _, text in res.bibliography:
            rows.append(f'  <div class="csl-entry">{text}</div>')
        return '<div class="csl-bib-body">\n' + "\n".join(rows) + "\n</div>"
    if fx.citations is not None:
        return "\n".join(f"..[{n}] {t}" for n, t in enumerate(res.citations))
    return "\n".join(res.citations)
