"""One registry for everything found by name: readers, writers, styles, schemes and profiles.

An entry has a kind, a canonical name, aliases, file suffixes and a *target*: either the object
itself or a ``"module:attribute"`` string imported on first use, so that registering a heavy
component costs nothing until it is asked for. Names and aliases are matched case-insensitively
with ``_`` and ``-`` treated alike; an unknown name raises :class:`UnknownName`, which carries
close matches for the error message.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

__all__ = ["Entry", "Registry", "UnknownName", "registry"]


def _fold(name: str) -> str:
    return name.strip().lower().replace("_", "-")


class UnknownName(LookupError):
    """Raised when no entry of a kind has the requested name; lists close matches."""

    def __init__(self, kind: str, name: str, suggestions: list[str], looked: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        self.looked = looked
        message = f"unknown {kind} {name!r}"
        if suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message)


@dataclass(slots=True)
class Entry:
    """A registered component."""

    kind: str
    name: str
    target: Any
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    _loaded: Any = None

    def load(self) -> Any:
        """The registered object, importing a ``"module:attr"`` target on first use."""
        if self._loaded is None:
            target = self.target
            if isinstance(target, str) and ":" in target:
                module, _, attr = target.partition(":")
                obj: Any = importlib.import_module(module)
                for part in attr.split("."):
                    obj = getattr(obj, part)
                self._loaded = obj
            else:
                self._loaded = target
        return self._loaded


class Registry:
    """Components by kind and name. ``loaders`` fill a kind lazily on its first lookup."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, Entry]] = {}
        self._index: dict[str, dict[str, Entry]] = {}
        self._loaders: dict[str, list[Callable[[Registry], None]]] = {}
        self._loaded_kinds: set[str] = set()

    def add_loader(self, kind: str, loader: Callable[[Registry], None]) -> None:
        """Call ``loader(registry)`` the first time entries of ``kind`` are needed."""
        self._loaders.setdefault(kind, []).append(loader)
        self._loaded_kinds.discard(kind)

    def rescan(self, kind: str) -> None:
        """Run the loaders of ``kind`` again on next use (after the user's folders changed)."""
        self._loaded_kinds.discard(kind)

    def _ensure(self, kind: str) -> None:
        if kind in self._loaded_kinds:
            return
        self._loaded_kinds.add(kind)
        for loader in self._loaders.get(kind, ()):
            loader(self)

    def register(self, kind: str, name: str, target: Any, *, aliases: Iterable[str] = (),
                 suffixes: Iterable[str] = (), description: str = "", replace: bool = False,
                 **meta: Any) -> Entry:
        """Register ``target`` as ``name`` of ``kind``; an existing name needs ``replace=True``."""
        entries = self._entries.setdefault(kind, {})
        index = self._index.setdefault(kind, {})
        if name in entries and not replace:
            raise ValueError(f"{kind} {name!r} is already registered")
        entry = Entry(kind, name, target, tuple(aliases),
                      tuple(s.lower().lstrip(".") for s in suffixes), description, dict(meta))
        entries[name] = entry
        for key in (name, *entry.aliases):
            index[_fold(key)] = entry
        return entry

    def entries(self, kind: str) -> list[Entry]:
        """All entries of a kind, in registration order."""
        self._ensure(kind)
        return list(self._entries.get(kind, {}).values())

    def find(self, kind: str, name: str) -> Entry | None:
        """The entry with this name or alias, or None."""
        self._ensure(kind)
        return self._index.get(kind, {}).get(_fold(name))

    def entry(self, kind: str, name: str) -> Entry:
        """The entry with this name or alias; raises :class:`UnknownName` with suggestions."""
        found = self.find(kind, name)
        if found is None:
            raise UnknownName(kind, name, self.suggest(kind, name), [f"registered {kind}s"])
        return found

    def get(self, kind: str, name: str) -> Any:
        """The loaded object registered under this name or alias."""
        return self.entry(kind, name).load()

    def for_path(self, kind: str, path: str | PurePath) -> Entry | None:
        """The entry whose suffix matches the file name (longest suffix wins), or None."""
        self._ensure(kind)
        lower = PurePath(path).name.lower()
        best: tuple[int, Entry] | None = None
        for entry in self._entries.get(kind, {}).values():
            for suffix in entry.suffixes:
                if lower.endswith("." + suffix) and (best is None or len(suffix) > best[0]):
                    best = (len(suffix), entry)
        return best[1] if best else None

    def suggest(self, kind: str, name: str, n: int = 5) -> list[str]:
        """Registered names close to ``name`` (by spelling, or containing it)."""
        self._ensure(kind)
        names = {_fold(k): e.name for k, e in self._index.get(kind, {}).items()}
        folded = _fold(name)
        import difflib  # (only for a name not found)
        close = difflib.get_close_matches(folded, list(names), n=n, cutoff=0.6)
        contained = [k for k in names if folded and folded in k]
        out: list[str] = []
        for key in [*close, *sorted(contained, key=len)]:
            if names[key] not in out:
                out.append(names[key])
        return out[:n]


#: The process-wide registry. Built-in readers and writers are registered here; styles, schemes
#: and profiles are added by loaders that scan their data folders on first use.
registry = Registry()

_R = "reader"
_W = "writer"
registry.register(_R, "bibtex", "transcite.readers.bibtex:read_bibtex",
                  aliases=("bib", "biblatex"), suffixes=("bib", "bibtex", "biblatex"),
                  description="BibTeX and BibLaTeX (bibtexparser v2)")
registry.register(_R, "csl-json", "transcite.readers.csljson:read_csl_json",
                  aliases=("json", "csljson", "citeproc-json"), suffixes=("json",),
                  description="CSL-JSON (an array of items, or one item)")
registry.register(_R, "csl-yaml", "transcite.readers.csljson:read_csl_yaml",
                  aliases=("yaml", "yml", "cslyaml"), suffixes=("yaml", "yml"),
                  description="CSL-YAML (a list, or a mapping with a 'references' list)")
registry.register(_R, "ris", "transcite.readers.ris:read_ris", aliases=("refman",),
                  suffixes=("ris",), description="RIS (Research Information Systems)")
registry.register(_R, "word", "transcite.readers.word:read_word",
                  aliases=("word-xml", "sources-xml", "msword"), suffixes=("xml",),
                  description="Microsoft Word bibliography sources (Sources.xml, Office Open XML)")
registry.register(_R, "text", "transcite.readers.text:read_text", aliases=("txt", "lines"),
                  suffixes=("txt",), description="free text, one reference per line (parsed)")
registry.register(_R, "text-list", "transcite.readers.text:read_text_list",
                  aliases=("list", "reflist"),
                  description="a pasted reference list: numbered or not, wrapped, with headings")
registry.register(_R, "page", "transcite.readers.text:read_page", aliases=("article-page",),
                  description="an article page: its own record and its reference list")

registry.register(_W, "csl-json", "transcite.writers.csljson:write_csl_json",
                  aliases=("json", "csljson"), suffixes=("json",),
                  description="CSL-JSON; variants in Juris-M 'multi' objects")
registry.register(_W, "csl-yaml", "transcite.writers.csljson:write_csl_yaml",
                  aliases=("yaml", "yml"), suffixes=("yaml", "yml"),
                  description="CSL-YAML (as pandoc's 'references:' metadata)")
registry.register(_W, "biblatex", "transcite.writers.biblatex:write_biblatex",
                  aliases=("bib",), suffixes=("bib", "biblatex"),
                  description="BibLaTeX, UTF-8, with langid; variants in biblatex-ms fields")
registry.register(_W, "bibtex", "transcite.writers.biblatex:write_bibtex",
                  suffixes=("bibtex",), download_suffix="bib",
                  description="classic BibTeX (journal, year, month) in UTF-8")
registry.register(_W, "ris", "transcite.writers.ris:write_ris", aliases=("refman",),
                  suffixes=("ris",), description="RIS")
registry.register(_W, "word", "transcite.writers.word:write_word",
                  aliases=("word-xml", "sources-xml", "msword"), suffixes=("xml",),
                  description="Microsoft Word bibliography sources (Sources.xml), for Word's "
                              "Source Manager and its GOST styles")

# Outputs of `transcite format -t`: rendered lists as documents (see transcite.render.outputs).
# ``engine`` is the engine output each is made from; ``binary`` outputs are bytes.
_O = "output"
_OUT = "transcite.render.outputs:"
registry.register(_O, "text", _OUT + "to_text", aliases=("plain", "txt"), suffixes=("txt",),
                  description="one entry per line", engine="text")
registry.register(_O, "html", _OUT + "to_html", aliases=("htm",), suffixes=("html", "htm"),
                  description="csl-bib-body divs (headings as <h2>)", engine="html")
registry.register(_O, "markdown", _OUT + "to_markdown", aliases=("md",),
                  suffixes=("md", "markdown"), description="Pandoc Markdown", engine="markdown")
registry.register(_O, "latex", _OUT + "to_latex", aliases=("tex",), suffixes=("tex", "ltx"),
                  description="a thebibliography environment per list, \\bibitem{key}",
                  engine="html")
registry.register(_O, "csl-json", _OUT + "to_csl_json", aliases=("json",), suffixes=("json",),
                  description="the rendered entries as JSON: id, list, position, text, html",
                  engine="html")
registry.register(_O, "docx", _OUT + "to_docx", suffixes=("docx",),
                  description="a Word document (needs pandoc)", engine="html", binary=True)
registry.register(_O, "odt", _OUT + "to_odt", aliases=("opendocument",), suffixes=("odt",),
                  description="an OpenDocument text (needs pandoc)", engine="html", binary=True)

# Checks of `transcite check`, run in this order (see transcite.check).
_C = "check"
registry.register(_C, "identifiers", "transcite.check:check_identifiers",
                  description="invalid ISSN, ISBN and DOI values")
registry.register(_C, "required-fields", "transcite.check:check_required_fields",
                  description="fields the style needs that are missing")
registry.register(_C, "urls", "transcite.check:check_urls",
                  description="empty 'URL:' labels and URLs that are not web addresses")
registry.register(_C, "lookalikes", "transcite.check:check_lookalikes",
                  description="Latin and Cyrillic look-alike letters mixed inside words")
registry.register(_C, "duplicates", "transcite.check:check_duplicates",
                  description="the same work twice (same DOI, or close title, year and author)")
registry.register(_C, "journals", "transcite.check:check_journals",
                  description="ISSNs that belong to another journal than the title names")
registry.register(_C, "licences", "transcite.check:check_licences",
                  description="licence statements that name no known licence")
registry.register(_C, "romanisation", "transcite.check:check_romanisation",
                  description="Russian titles romanised by another scheme than the rest")
registry.register(_C, "style-lookalikes", "transcite.check:check_style_lookalikes",
                  description="Latin look-alike letters in the style's Russian text ('C.')")


def _load_schemes(reg: Registry) -> None:
    """Register the romanisation schemes listed in ``data/translit/schemes.json``."""
    from .translit.scheme import register_schemes

    register_schemes(reg)


registry.add_loader("scheme", _load_schemes)
