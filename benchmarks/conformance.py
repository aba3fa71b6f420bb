"""Run the CSL processor test suite and print pass counts (overall and per category).

    python benchmarks/conformance.py                      # transcite's engine
    python benchmarks/conformance.py --engine citeproc-py # citeproc-py as is, for comparison
    python benchmarks/conformance.py --failing            # list the failing fixtures
    python benchmarks/conformance.py --show NAME          # expected vs actual for one fixture

The suite is read from ``$TRANSCITE_SHARED_DATA/csl-test-suite/humans`` (default
``../shared/data``); the script exits quietly when it is absent.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from csl_suite import Fixture, fixtures, normalise, read_fixture, run_fixture  # noqa: E402


def run_citeproc_py(fx: Fixture) -> str:
    """Render a fixture with citeproc-py as is (HTML formatter)."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(io.BytesIO(fx.csl.encode("utf-8")), validate=False)
        items = [{**it, "id": str(it["id"])} for it in fx.items]
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
        clusters: list[list[dict[str, Any]]]
        if fx.citations is not None:
            clusters = [c[0]["citationItems"] for c in fx.citations]
        elif fx.citation_items is not None:
            clusters = fx.citation_items
        else:
            clusters = [[{"id": it["id"]} for it in items]]
        cits = []
        for cluster in clusters:
            cites = []
            for c in cluster:
                kw = {}
                if "locator" in c:
                    kw["locator"] = Locator(c.get("label", "page"), str(c["locator"]))
                cites.append(CitationItem(str(c["id"]).lower(), **kw))
            cit = Citation(cites)
            bib.register(cit)
            cits.append(cit)
        if fx.mode == "bibliography":
            bib.sort()
            rows = [f'  <div class="csl-entry">{e}</div>' for e in bib.bibliography()]
            return '<div class="csl-bib-body">\n' + "\n".join(rows) + "\n</div>"
        if style.has_bibliography():
            bib.sort()
        out = [str(bib.cite(c, lambda item: None)) for c in cits]
        if fx.citations is not None:
            return "\n".join(f"..[{i}] {t}" for i, t in enumerate(out))
        return "\n".join(out)


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["transcite", "citeproc-py"], default="transcite")
    ap.add_argument("--failing", action="store_true", help="list failing fixtures")
    ap.add_argument("--show", help="print expected and actual output of one fixture")
    ap.add_argument("--only", help="run fixtures whose name starts with this")
    args = ap.parse_args()
    shared = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data"))
    folder = shared / "csl-test-suite" / "humans"
    if not folder.is_dir():
        print(f"no test suite at {folder}; nothing to do")
        return 0
    paths = fixtures(folder)
    if args.show:
        paths = [folder / f"{args.show}.txt"]
    elif args.only:
        paths = [p for p in paths if p.stem.startswith(args.only)]
    run = run_citeproc_py if args.engine == "citeproc-py" else run_fixture
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    failing = []
    start = time.perf_counter()
    for path in paths:
        fx = read_fixture(path)
        cat = fx.name.split("_")[0]
        total[cat] += 1
        try:
            got = run(fx)
        except Exception as exc:  # noqa: BLE001 - an engine's crash counts as a failure
            got = f"CRASH {type(exc).__name__}: {exc}"
        ok = normalise(got) == normalise(fx.result)
        if ok:
            passed[cat] += 1
        else:
            failing.append(fx.name)
        if args.show:
            exp_lines, got_lines = normalise(fx.result).split("\n"), normalise(got).split("\n")
            if len(exp_lines) > 6 and len(exp_lines) == len(got_lines):
                for e, g in zip(exp_lines, got_lines):
                    if e != g:
                        print(f"EXPECTED: {e}\nGOT:      {g}")
            else:
                print("EXPECTED:\n" + normalise(fx.result) + "\nGOT:\n" + normalise(got))
    took = time.perf_counter() - start
    n, p = sum(total.values()), sum(passed.values())
    if args.failing:
        print("\n".join(failing))
    if not args.show:
        for cat in sorted(total):
            print(f"  {cat:<14} {passed[cat]:>4} / {total[cat]:<4}")
    print(f"{args.engine}: {p} / {n} passed ({100 * p / max(n, 1):.1f}%) in {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
