"""Citation keys for ``format --keys-from FILE``: a list of keys (one a line), or the keys a
Markdown or LaTeX manuscript cites.

>>> [k.key for k in keys_in_text("As shown [@Batin2017, p. 3; -@Streltsov2018] and @abe.", "md")]
['Batin2017', 'Streltsov2018', 'abe']
>>> [k.key for k in keys_in_text(r"\\parencite[71]{Batin2017} \\cites{a}{b,c}", "tex")]
['Batin2017', 'a', 'b', 'c']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CitedKey", "keys_in_text"]


@dataclass(frozen=True, slots=True)
class CitedKey:
    """A key and the line it was found on."""

    key: str
    line: int


# Pandoc's citation syntax: @ not after a word character; a key starts with a letter, digit or
# _, and punctuation inside it must be followed by a letter, digit or _; or @{any key}.
_MD_KEY = re.compile(r"(?<![\w@.\\])@(?:\{([^{}\n]+)\}|([\w](?:[\w]|[:.#$%&\-+?<>~/](?=\w))*))")
# pandoc-crossref's labels look like citations but are not references
_CROSSREF = re.compile(r"^(?:fig|sec|tbl|eq|lst|apx):")
# \cite, \citep, \citet*, \parencite, \textcite, \autocite, \footcite, \fullcite, \nocite,
# \citeauthor, \citeyear, \supercite, \smartcite, \Cite..., and the multi-cite \cites{a}{b}
_TEX_CITE = re.compile(r"\\([a-zA-Z]*cite[a-zA-Z]*)\*?((?:\s*(?:\[[^\]]*\]|\([^)]*\)|"
                       r"\{[^{}]*\}))+)")
_TEX_GROUP = re.compile(r"\{([^{}]*)\}")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def keys_in_text(text: str, kind: str) -> list[CitedKey]:
    """The keys ``text`` cites, in order of first appearance (each once).

    ``kind`` is ``"tex"`` (``\\cite{a,b}`` and its kin, comments skipped), ``"md"`` (pandoc's
    ``@key`` and ``[@key]``; code blocks and spans skipped; ``@fig:``-style cross-reference
    labels ignored) or ``"list"`` (one key a line; ``@`` before a key and ``#`` comments
    allowed).
    """
    found: dict[str, CitedKey] = {}

    def add(key: str, line: int) -> None:
        key = key.strip()
        if key and key not in found:
            found[key] = CitedKey(key, line)

    fenced = False
    for n, line in enumerate(text.splitlines(), 1):
        if kind == "list":
            key = line.split("#", 1)[0].strip().removeprefix("@")
            if key:
                add(key, n)
        elif kind == "tex":
            line = re.sub(r"(?<!\\)%.*", "", line)
            for m in _TEX_CITE.finditer(line):
                groups = _TEX_GROUP.findall(m.group(2))
                if not m.group(1).endswith("cites"):     # \cites{a}{b} takes several
                    groups = groups[:1]
                for group in groups:
                    for key in group.split(","):
                        if key.strip() != "*":
                            add(key, n)
        else:
            if _FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
            for m in _MD_KEY.finditer(_CODE_SPAN.sub("", line)):
                key = m.group(1) or m.group(2)
                if not _CROSSREF.match(key):
                    add(key, n)
    return list(found.values())


def kind_of(path: str, text: str) -> str:
    """``tex``, ``md`` or ``list`` for a keys file: by suffix, else a list when every line is
    one word, else LaTeX when it cites the LaTeX way, else Markdown."""
    lower = path.lower()
    if lower.endswith((".tex", ".ltx", ".latex", ".sty", ".cls", ".aux")):
        return "tex"
    if lower.endswith((".md", ".markdown", ".qmd", ".rmd", ".mdx")):
        return "md"
    words = [line.split("#", 1)[0].split() for line in text.splitlines()]
    if all(len(w) <= 1 for w in words):
        return "list"
    return "tex" if _TEX_CITE.search(text) else "md"
