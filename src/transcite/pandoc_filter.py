"""``pandoc-transcite``: the Pandoc filter entry point (the filter itself is being built)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Refuse clearly until the filter lands, so a document never builds with silent gaps."""
    sys.stderr.write("pandoc-transcite: the Pandoc filter is not available in this version of "
                     "transcite yet; use 'transcite format' to build the bibliography\n")
    raise SystemExit(2)
