"""``transcite.batch``: the pipeline over millions of references on Dask, record for record
what one process gives.

The command line (``transcite batch IN... -o OUT_DIR``) runs :func:`run`. In Python::

    from transcite.batch import Settings, read, process, write
    bag = read(["s3://bucket/refs/*.txt"])                  # (file, line, line text) records
    out = process(bag, Settings(profile="scopus"))          # output records, one per input
    write(out, "s3://bucket/out", to="parquet")             # shards, errors, manifest

:func:`process` also takes a :class:`dask.dataframe.DataFrame` and returns one with the result
columns added. Each record goes through the library's own functions (parse, normalise,
enrich, render) on its own, so a record's result does not depend on the partitioning; steps
that need the whole corpus (finding duplicates) are the separate shuffle stage in
:func:`dedupe`. Lookups share one Crossref rate across the cluster (:mod:`.lookups`). See
docs/scale.md.

Dask is the ``dask`` extra (``pip install 'transcite[dask]'``); nothing here imports it until a
function that needs it is called.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["DEFAULT_STEPS", "STEPS", "InputError", "OutputError", "Pipeline", "Settings",
           "Summary", "dedupe", "plan", "process", "read", "run", "strip_label", "write"]

_EXPORTS = {
    "DEFAULT_STEPS": ".settings", "STEPS": ".settings", "Settings": ".settings",
    "Pipeline": ".records", "strip_label": ".records",
    "InputError": ".inputs", "plan": ".inputs",
    "OutputError": ".output",
    "Summary": ".jobs", "process": ".jobs", "read": ".jobs", "run": ".jobs", "write": ".jobs",
    "dedupe": ".dedupe",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'transcite.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
