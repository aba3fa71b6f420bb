"""citeproc-js (Zotero's engine, npm package ``citeproc`` in benchmarks/js) as a reference.

Not a test module itself: ``tests/test_csl_extra.py`` and ``benchmarks/citeproc_js_diff.py``
use it. Jobs are sent in one batch to ``benchmarks/js/render.js`` (one node process), which
renders each job's citations (in document order) and bibliography. Everything here is
unavailable (``available()`` is false) where node or ``npm install --prefix benchmarks/js``
is missing; callers skip then.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "benchmarks" / "js"
RUNNER = JS / "render.js"


def available() -> bool:
    """True when node and the citeproc npm package are installed."""
    return shutil.which("node") is not None and (JS / "node_modules" / "citeproc").is_dir()


def locale_dirs() -> list[str]:
    """Where citeproc-js finds locales: transcite's shipped ones first, then citeproc-py's
    (the same order transcite's engine looks in)."""
    from citeproc import LOCALES_PATH

    return [str(ROOT / "styles" / "locales"), str(LOCALES_PATH)]


def run_jobs(jobs: list[dict[str, Any]], timeout: float = 600) -> list[dict[str, Any]]:
    """Render jobs (see render.js for their shape) with citeproc-js; one result per job."""
    proc = subprocess.run(["node", str(RUNNER), *locale_dirs()], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"citeproc-js failed: {proc.stderr.strip()[:2000]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def fixture_job(fx: Any) -> dict[str, Any]:
    """A job for a test-suite-format fixture (``csl_suite.Fixture``)."""
    from csl_suite import document_order

    items = [{**it, "id": str(it.get("id", f"ITEM-{n + 1}"))} for n, it in enumerate(fx.items)]
    clusters: list[Any] | None
    if fx.citations is not None:
        clusters = document_order(fx.citations)
    elif fx.citation_items is not None:
        clusters = fx.citation_items
    elif fx.mode == "citation":
        clusters = [[{"id": it["id"]} for it in items]]
    else:
        clusters = None
    return {"style": fx.csl, "lang": None, "items": items, "clusters": clusters,
            "format": "html", "bibliography": fx.mode == "bibliography"}


def fixture_output(fx: Any, result: dict[str, Any]) -> str:
    """citeproc-js's result in the suite's RESULT shape (compare after ``normalise``)."""
    if "error" in result:
        return f"[citeproc-js error: {result['error']}]"
    if fx.mode == "bibliography":
        rows = [f"  {text.strip()}" for _, text in result["bibliography"]]
        return '<div class="csl-bib-body">\n' + "\n".join(rows) + "\n</div>"
    if fx.citations is not None:
        return "\n".join(f"..[{n}] {t}" for n, t in enumerate(result["citations"]))
    return "\n".join(result["citations"])
