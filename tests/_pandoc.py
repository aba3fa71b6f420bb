"""Helpers for the Pandoc filter's tests: a plain-text picture of a processed document, the
golden-case comparison, tiny AST builders and the pandoc binary."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from transcite.pandoc.ast import stringify

CASES = Path(__file__).resolve().parent / "data" / "pandoc"

# -- reading a processed document ---------------------------------------------------------------


def text(inlines: list[Any]) -> str:
    """Inline text with footnotes shown as ``^[...]``."""
    out = []
    for node in inlines:
        if node.get("t") == "Note":
            out.append("^[" + " ".join(text(b["c"]) for b in node["c"]) + "]")
        elif node.get("t") in ("Emph", "Strong", "Superscript", "Subscript", "SmallCaps",
                               "Underline", "Strikeout"):
            out.append(text(node["c"]))
        elif node.get("t") in ("Span", "Link", "Cite"):
            out.append(text(node["c"][1]))
        else:
            out.append(stringify(node))
    return "".join(out)


def plain_lines(blocks: list[Any]) -> list[str]:
    """One line per paragraph, ``# heading``, ``[#refs classes]`` and ``ref-ID: entry``."""
    lines: list[str] = []
    for block in blocks:
        tag = block["t"]
        if tag in ("Para", "Plain"):
            lines.append(text(block["c"]).replace("\n", " "))
        elif tag == "Header":
            lines.append("#" * block["c"][0] + " " + text(block["c"][2]))
        elif tag == "Div":
            ident, classes, _ = block["c"][0]
            if "csl-entry" in classes:
                body = " ".join(text(b["c"]) for b in block["c"][1])
                lines.append(f"{ident}: {body}")
            else:
                if ident:
                    lines.append(" ".join([f"[#{ident}", *classes]) + "]")
                lines.extend(plain_lines(block["c"][1]))
    return lines


def assert_matches(expected: list[str], actual: list[str]) -> None:
    """Line by line; an expected line ending in ``…`` only has to start the actual line."""
    for n, (want, got) in enumerate(zip(expected, actual), 1):
        if want.endswith("…"):
            assert got.startswith(want[:-1]), f"line {n}:\n  want {want}\n  got  {got}"
        else:
            assert got == want, f"line {n}:\n  want {want}\n  got  {got}"
    assert len(actual) == len(expected), "\n".join(actual)


def load_case(name: str) -> dict[str, Any]:
    """The Pandoc JSON of a golden case (made from its paper.md by pandoc 3)."""
    data: dict[str, Any] = json.loads((CASES / name / "paper.json").read_text(encoding="utf-8"))
    return data


def expected(name: str) -> list[str]:
    """The hand-written expected lines of a golden case."""
    return (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()


# -- building documents ---------------------------------------------------------------------------

API = [1, 23, 1, 1]


def s(text_: str) -> list[dict[str, Any]]:
    """Inlines of ``text_`` (words and spaces)."""
    out: list[dict[str, Any]] = []
    for n, word in enumerate(text_.split(" ")):
        if n:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def cite(*cites: dict[str, Any]) -> dict[str, Any]:
    """A ``Cite`` of several citations."""
    return {"t": "Cite", "c": [list(cites), s("@cite")]}


def citation(key: str, mode: str = "NormalCitation", prefix: str = "", suffix: str = ""
             ) -> dict[str, Any]:
    """One citation of a ``Cite``."""
    return {"citationId": key, "citationPrefix": s(prefix) if prefix else [],
            "citationSuffix": s(suffix) if suffix else [], "citationMode": {"t": mode},
            "citationNoteNum": 1, "citationHash": 0}


def meta_str(value: str) -> dict[str, Any]:
    """A ``MetaInlines`` value."""
    return {"t": "MetaInlines", "c": s(value)}


def meta_map(**values: Any) -> dict[str, Any]:
    """A ``MetaMap`` (underscores in keys become hyphens)."""
    return {"t": "MetaMap", "c": {k.replace("_", "-"): v for k, v in values.items()}}


def document(blocks: list[Any], **meta: Any) -> dict[str, Any]:
    """A Pandoc document (underscores in metadata keys become hyphens)."""
    return {"pandoc-api-version": list(API),
            "meta": {k.replace("_", "-"): v for k, v in meta.items()}, "blocks": blocks}


# -- the binary ------------------------------------------------------------------------------


def pandoc_binary() -> str | None:
    """The pandoc that pypandoc-binary ships, or one on PATH."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        if path and Path(path).is_file():
            return str(path)
    except (ImportError, OSError):
        pass
    return shutil.which("pandoc")


def filter_command() -> str | None:
    """The installed ``pandoc-transcite`` script (next to this Python, or on PATH)."""
    here = Path(sys.executable).parent / ("pandoc-transcite" + (".exe" if os.name == "nt"
                                                                    else ""))
    if here.is_file():
        return str(here)
    return shutil.which("pandoc-transcite")
