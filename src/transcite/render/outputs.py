"""Rendered lists as documents people paste into manuscripts: text, HTML, Markdown, a LaTeX
``thebibliography``, CSL-JSON entries (strings with ids) and Word / OpenDocument files.

Each output is registered in :data:`transcite.registry.registry` as kind ``"output"`` (name,
aliases, file suffixes); its ``engine`` meta names the engine output it is built from and
``binary`` marks outputs that are bytes. The LaTeX, CSL-JSON and Word outputs are built from the
engine's HTML, read back into a small tree, so the style's italics, bold, small capitals and
super/subscripts carry over::

    >>> from transcite.render.lists import Formatted, RenderedList
    >>> from transcite.render.engine import RenderedEntry
    >>> entry = RenderedEntry("k", "Иванов И. <i>Книга &amp; 100%</i>. М., 2015.")
    >>> print(to_latex(Formatted([RenderedList("original", None, None, [entry])])))
    \\begin{thebibliography}{9}
    \\bibitem{k} Иванов И. \\textit{Книга \\& 100\\%}. М., 2015.
    \\end{thebibliography}
    <BLANKLINE>

Word and OpenDocument files are written by pandoc (the ``pandoc`` extra installs it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lists import Formatted

__all__ = ["PandocMissing", "engine_output", "html_plain", "pandoc_path", "to_csl_json",
           "to_docx", "to_html", "to_latex", "to_markdown", "to_odt", "to_text"]


class PandocMissing(RuntimeError):
    """Word and OpenDocument output need pandoc, which is not installed."""


# -- the engine's HTML as a tree ------------------------------------------------------------------
@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    kids: list[_Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].kids.append(node)
        if tag not in ("br", "wbr", "img"):
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].kids.append(data)


def _parse(html: str) -> _Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def _kind(node: _Node) -> str:
    """What a tag does: italic, bold, small-caps, upright, ..., margin, block or plain."""
    tag = node.tag
    if tag in ("i", "em"):
        return "italic"
    if tag in ("b", "strong"):
        return "bold"
    if tag in ("sup", "sub", "br"):
        return tag
    if tag == "div":
        cls = node.attrs.get("class", "")
        if "csl-left-margin" in cls:
            return "margin"
        return "block" if "csl-block" in cls else "plain"
    style = node.attrs.get("style", "").replace(" ", "").rstrip(";")
    return {"font-style:italic": "italic", "font-style:oblique": "oblique",
            "font-style:normal": "upright", "font-weight:bold": "bold",
            "font-weight:normal": "medium", "font-weight:light": "medium",
            "font-variant:small-caps": "small-caps", "font-variant:normal": "no-small-caps",
            "text-decoration:underline": "underline"}.get(style, "plain")


def html_plain(html: str) -> str:
    """The text of an entry rendered as HTML: tags dropped, entities decoded, the number in
    the left margin followed by a space (as the engine's text output has it)."""
    return " ".join(_plain(_parse(html)).split()) if html else ""


def _plain(node: _Node) -> str:
    out = []
    for kid in node.kids:
        if isinstance(kid, str):
            out.append(kid)
        elif _kind(kid) == "margin":
            out.append(_plain(kid).rstrip() + " ")
        elif _kind(kid) in ("block", "br"):
            out.append(" " + _plain(kid) + " ")
        else:
            out.append(_plain(kid))
    return "".join(out)


# -- LaTeX ----------------------------------------------------------------------------------------
_LATEX_COMMANDS = {"italic": r"\textit", "oblique": r"\textsl", "bold": r"\textbf",
                   "small-caps": r"\textsc", "upright": r"\textup", "medium": r"\textmd",
                   "no-small-caps": r"\textup", "sup": r"\textsuperscript",
                   "sub": r"\textsubscript", "underline": r"\underline"}


_KEPT = {"<": r"\textless{}", "№": "№"}


def _escape(text: str) -> str:
    """Plain text as LaTeX, by the project's escaping (:func:`transcite.latex.encode`). A
    literal ``<`` is not taken for markup, and ``№`` stays a character: pdfLaTeX's T2A
    encoding, XeLaTeX and LuaLaTeX all print it, while ``\\No`` is not defined everywhere."""
    from ..latex import encode

    kept = [ch for ch in _KEPT if ch in text]
    if not kept:
        return encode(text)
    for n, ch in enumerate(kept):
        text = text.replace(ch, chr(0xE000 + n))
    text = encode(text)
    for n, ch in enumerate(kept):
        text = text.replace(chr(0xE000 + n), _KEPT[ch])
    return text


def _latex(node: _Node, *, margin: bool) -> str:
    out = []
    for kid in node.kids:
        if isinstance(kid, str):
            out.append(_escape(kid))
            continue
        kind = _kind(kid)
        inner = _latex(kid, margin=margin)
        if kind == "margin":
            if margin:
                out.append(inner.rstrip() + " ")
        elif kind == "block":
            out.append(r"\newblock " + inner + " ")
        elif kind == "br":
            out.append(r"\newline ")
        elif kind in _LATEX_COMMANDS:
            out.append(f"{_LATEX_COMMANDS[kind]}{{{inner}}}")
        else:
            out.append(inner)
    return "".join(out)


def _numbered(entries: list[str]) -> bool:
    """Whether every entry starts with its own position ("1. ", "[1] ", "1) ")."""
    return bool(entries) and all(re.match(rf"\[?{n}[.)\]]?\s", text)
                                 for n, text in enumerate(entries, 1))


def to_latex(formatted: Formatted) -> str:
    """A ``thebibliography`` environment per list, entries as ``\\bibitem{id}``.

    LaTeX numbers the items itself, so a numbered style's own numbers are left out (then
    ``\\cite{id}`` prints the same number). In the dual view each list is set under its heading
    and the second list's keys get ``:<view>`` appended, so every key stays unique.
    """
    parts = []
    headed = len(formatted.lists) > 1
    for n, lst in enumerate(formatted.lists):
        trees = [_parse(e.text) for e in lst.entries]
        texts = [" ".join(_latex(t, margin=True).split()) for t in trees]
        if _numbered([html_plain(e.text) for e in lst.entries]):
            texts = [re.sub(r"^\[?\d+[.)\]]?\s+", "", " ".join(_latex(t, margin=False).split()))
                     for t in trees]
        suffix = f":{lst.view}" if n else ""
        width = "9" * len(str(max(len(texts), 1)))
        lines = []
        if headed and lst.heading:
            heading = _escape(lst.heading)
            lines.append(rf"{{\def\refname{{{heading}}}\def\bibname{{{heading}}}%")
        lines.append(rf"\begin{{thebibliography}}{{{width}}}")
        for entry, text in zip(lst.entries, texts):
            lines.append(rf"\bibitem{{{_key(entry.id)}{suffix}}} {text}")
        lines.append(r"\end{thebibliography}" + ("}" if headed and lst.heading else ""))
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _key(key: str) -> str:
    """A citation key as ``\\bibitem`` takes it: braces, commas, ``#``, ``%`` and ``\\`` cannot
    be in one, so they become ``-``."""
    return re.sub(r"[{}\\,#%\s]", "-", key)


# -- CSL-JSON entries -----------------------------------------------------------------------------
def to_csl_json(formatted: Formatted) -> str:
    """The rendered entries as a JSON array: ``id``, ``list`` (the view), ``heading``,
    ``position`` (1-based within its list), ``text`` and ``html``."""
    items = []
    for lst in formatted.lists:
        for n, entry in enumerate(lst.entries, 1):
            item: dict[str, object] = {"id": entry.id, "list": lst.view}
            if lst.heading:
                item["heading"] = lst.heading
            item.update(position=n, text=html_plain(entry.text), html=entry.text)
            items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# -- Word and OpenDocument through pandoc ---------------------------------------------------------
def _inline_html(node: _Node) -> str:
    from html import escape

    out = []
    for kid in node.kids:
        if isinstance(kid, str):
            out.append(escape(kid, quote=False))
            continue
        kind = _kind(kid)
        inner = _inline_html(kid)
        tags = {"italic": "em", "oblique": "em", "bold": "strong", "sup": "sup", "sub": "sub",
                "underline": "u"}
        if kind in tags:
            out.append(f"<{tags[kind]}>{inner}</{tags[kind]}>")
        elif kind == "small-caps":
            out.append(f'<span class="smallcaps">{inner}</span>')
        elif kind == "margin":
            out.append(inner.rstrip() + " ")
        elif kind in ("block", "br"):
            out.append(f"<br>{inner}")
        else:
            out.append(inner)
    return "".join(out)


def _html_document(formatted: Formatted) -> str:
    from html import escape

    body = []
    for lst in formatted.lists:
        if lst.heading:
            body.append(f"<h1>{escape(lst.heading)}</h1>")
        for entry in lst.entries:
            body.append(f"<p>{' '.join(_inline_html(_parse(entry.text)).split())}</p>")
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
            + "\n".join(body) + "\n</body></html>\n")


def pandoc_path() -> str:
    """The pandoc binary: pypandoc-binary's (the ``pandoc`` extra), else one on PATH."""
    import shutil

    try:
        import pypandoc

        path = str(pypandoc.get_pandoc_path())
        if path:
            return path
    except (ImportError, OSError):
        pass
    found = shutil.which("pandoc")
    if found:
        return found
    raise PandocMissing("Word and OpenDocument output need pandoc: install transcite's "
                        "pandoc extra (pip install 'transcite[pandoc]') or put pandoc on PATH")


def _pandoc(formatted: Formatted, to: str) -> bytes:
    import subprocess

    proc = subprocess.run([pandoc_path(), "--from", "html", "--to", to, "--output", "-"],
                          input=_html_document(formatted).encode("utf-8"),
                          capture_output=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"pandoc failed ({proc.returncode}): "
                           f"{proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def to_docx(formatted: Formatted) -> bytes:
    """A Word document holding the list (or both lists under their headings)."""
    return _pandoc(formatted, "docx")


def to_odt(formatted: Formatted) -> bytes:
    """An OpenDocument text holding the list (or both lists under their headings)."""
    return _pandoc(formatted, "odt")


# -- the outputs the engine makes itself ----------------------------------------------------------
def to_text(formatted: Formatted) -> str:
    """One entry per line; the lists under their headings."""
    return formatted.render("text")


def to_html(formatted: Formatted) -> str:
    """``csl-bib-body`` divs, as citeproc-js makes them; the lists under ``<h2>`` headings."""
    return formatted.render("html")


def to_markdown(formatted: Formatted) -> str:
    """Pandoc Markdown; the lists under ``##`` headings."""
    return formatted.render("markdown")


def engine_output(name: str) -> str:
    """The engine output (``text``, ``html``, ``markdown``) the output ``name`` is made from."""
    from ..registry import registry

    return str(registry.entry("output", name).meta.get("engine", "html"))
