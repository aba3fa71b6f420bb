"""CSL-YAML strings are Markdown that pandoc reads: our reader must pair emphasis as pandoc does,
and what our writer writes must read back, in pandoc, as the markup it was written from."""

from __future__ import annotations

import json
import random
import re
import subprocess
from typing import Any

import pytest
from _consumers import pandoc

from transcite.writers.markdown import from_markdown, to_markdown

pytestmark = pytest.mark.skipif(pandoc() is None, reason="pandoc is not installed")

_TAGS = {"Emph": "i", "Strong": "b", "Superscript": "sup", "Subscript": "sub"}


class _Unlike(Exception):
    """pandoc made something our CSL text has no markup for (strikeout, quotes, ...)."""


def _inline_text(inlines: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind == "Space":
            out.append(" ")
        elif kind in _TAGS:
            tag = _TAGS[kind]
            out.append(f"<{tag}>{_inline_text(content)}</{tag}>")
        elif kind == "Span" and content[0][1] == ["nocase"]:
            out.append(f'<span class="nocase">{_inline_text(content[1])}</span>')
        else:
            raise _Unlike(kind)
    return "".join(out)


def _pandoc_reads(texts: list[str]) -> list[str | None]:
    """What pandoc makes of each text, one paragraph each (None: markup we do not model)."""
    doc = "\n\n".join(f"Z {text}" for text in texts)
    proc = subprocess.run([pandoc(), "-f", "markdown", "-t", "json"], input=doc.encode(),
                          capture_output=True, check=True, timeout=120)
    blocks = json.loads(proc.stdout)["blocks"]
    assert len(blocks) == len(texts)
    read: list[str | None] = []
    for block in blocks:
        assert block["t"] == "Para"
        try:
            read.append(_inline_text(block["c"])[2:])
        except _Unlike:
            read.append(None)
    return read


def _same(text: str) -> str:
    """pandoc collapses spaces and merges neighbours (``<b>a</b><b>b</b>`` is ``<b>ab</b>``)."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"</(i|b|sup|sub)><\1>", "", text)


def _strings(count: int, tokens: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(1, 10))) for _ in range(count)]


def test_emphasis_pairs_as_pandoc_pairs_it() -> None:
    tokens = ["*", "**", "***", "_", "__", "a", "b", " ", "1", "\\*"]
    texts = _strings(1500, tokens, seed=7)
    texts += ["*it***b**", "**b***i*", "*a***b", "*a**b*", "***a** b*", "***a* b**", "__a_b_c__",
              "*a*_b_", "_a___b__", "^a*b*^", "[*x*]{.nocase}", "*a *", "x*it*"]
    theirs = _pandoc_reads(texts)
    compared = [(text, read) for text, read in zip(texts, theirs, strict=True) if read is not None]
    assert len(compared) > 1000
    unlike = [(text, read, from_markdown(text)) for text, read in compared
              if _same(from_markdown(text)) != _same(read)]
    assert unlike == []


def _markup(rng: random.Random, depth: int = 0) -> str:
    """Well-formed CSL markup around short texts with Markdown's own characters in them."""
    parts = []
    for _ in range(rng.randint(1, 3)):
        if depth < 3 and rng.random() < 0.5:
            tag = rng.choice(["i", "b", "sup", "sub", "nocase"])
            inner = _markup(rng, depth + 1)
            if tag == "nocase":
                parts.append(f'<span class="nocase">{inner}</span>')
            else:
                parts.append(f"<{tag}>{inner}</{tag}>")
        else:
            parts.append(rng.choice(["a", "b", "x1", " ", "*", "_", "a_b", "2*3", "^", "~"]))
    return "".join(parts)


def test_written_markup_reads_back_in_pandoc() -> None:
    rng = random.Random(11)
    texts = [t for t in (_markup(rng) for _ in range(1500)) if t.strip() == t]
    written = [to_markdown(text) for text in texts]
    theirs = _pandoc_reads(written)
    checked = 0
    for text, markdown, read in zip(texts, written, theirs, strict=True):
        assert from_markdown(markdown) == text
        if read is None or "<" in markdown.replace("\\<", ""):
            continue  # raw HTML is kept by pandoc as raw HTML, not as our tags
        checked += 1
        assert _same(read) == _same(text), (text, markdown)
    assert checked > 400


def test_a_tag_no_html_reader_takes_is_written_as_text_pandoc_reads_back() -> None:
    """A "tag" whose backslash would read as an escape (``<span c{\\'e}lass=...>``, from a
    hostile pasted list) is escaped as text: ours and pandoc's reading give it back whole."""
    texts = ['+<span c{\\\'e}lass="nocase">NASA</span> <layout>', "<i>a\\'b</i> <x>",
             '<span c\\lass="nocase">N</span>']
    written = [to_markdown(text) for text in texts]
    assert [from_markdown(w) for w in written] == texts
    theirs = _pandoc_reads(written)
    compared = [(text, read) for text, read in zip(texts, theirs, strict=True) if read is not None]
    assert len(compared) >= 2
    assert [_same(read) for _, read in compared] == [_same(text) for text, _ in compared]
