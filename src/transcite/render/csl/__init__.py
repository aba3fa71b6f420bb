"""transcite's CSL engine, built on citeproc-py's parsed style tree.

citeproc-py parses the style into its element classes; transcite registers its own subclasses
of them (:mod:`.elements`) through lxml's element-class lookup, compiles the tree once into
render nodes and renders with them: CSL 1.0.2 disambiguation, cite positions and collapsing,
punctuation merging, rich text, locale-aware collation. See :class:`Processor`.
"""

from __future__ import annotations

from .cites import CiteReq, Cluster
from .processor import Processor, Result, clusters_from_json

__all__ = ["CiteReq", "Cluster", "Processor", "Result", "clusters_from_json"]
