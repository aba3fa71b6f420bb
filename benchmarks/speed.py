"""Time the rendering engine on generated libraries (whole bibliography, citations included).

    python benchmarks/speed.py                                   # 1,000 and 10,000, APA and GOST
    python benchmarks/speed.py --entries 1000 --style apa --engine citeproc-py
    python benchmarks/speed.py --entries 10000 --profile         # where the time goes

``transcite`` is the engine as transcite uses it (style compiled once, then the bibliography
of CSL-JSON items); ``citeproc-py`` is citeproc-py 0.11 as is, on the same items. Each run is
a fresh process; the median of ``--repeat`` runs is printed with peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

STYLES = {"apa": "apa", "gost": "gost-r-7-0-5-2008"}


def citeproc_py_bibliography(csl_path: str, items: list[dict[str, Any]]) -> list[str]:
    """citeproc-py 0.11 as is: every item cited once, the bibliography as plain text."""
    import warnings

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    warnings.simplefilter("ignore")
    data = [{**it, "id": f"i{n}"} for n, it in enumerate(items)]
    bib = CitationStylesBibliography(CitationStylesStyle(csl_path, validate=False),
                                     CiteProcJSON(data), formatter.plain)
    for it in data:
        bib.register(Citation([CitationItem(it["id"])]))
    bib.sort()
    return [str(entry) for entry in bib.bibliography()]


def run_once(engine: str, style: str, path: str, profile: bool, workers: int | None = None
             ) -> None:
    """Render once in this process and print 'seconds peak_kib'."""
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    start = time.perf_counter()
    cpu = time.process_time()
    if engine == "transcite":
        from transcite.render.engine import Engine

        eng = Engine.create(style, output="text", workers=workers)
        if profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            entries = eng.bibliography(items)
            prof.disable()
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            entries = eng.bibliography(items)
        count = len(entries)
    else:
        from transcite.render.styles import resolve_style

        count = len(citeproc_py_bibliography(str(resolve_style(style).path), items))
    took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{took:.3f} {peak} {count} {cpu:.3f}")


def measure(engine: str, style: str, entries: int, seed: int, repeat: int,
            workers: int | None = None) -> None:
    """Run ``repeat`` fresh processes and print the median."""
    from generate import generate

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                     encoding="utf-8") as fh:
        json.dump(generate(entries, seed), fh, ensure_ascii=False)
        path = fh.name
    times, peaks = [], []
    try:
        for _ in range(repeat):
            wall = time.perf_counter()
            extra = ["--workers", str(workers)] if workers is not None else []
            out = subprocess.run([sys.executable, __file__, "--once", engine, style, path,
                                  *extra],
                                 capture_output=True, text=True, check=True).stdout.split()
            wall = time.perf_counter() - wall
            times.append((float(out[0]), wall, float(out[3])))
            peaks.append(int(out[1]))
    finally:
        os.unlink(path)
    render = statistics.median(t for t, _, _ in times)
    whole = statistics.median(w for _, w, _ in times)
    cpu = statistics.median(c for _, _, c in times)
    label = engine + (f" (workers {workers})" if workers is not None else "")
    print(f"{label:<11} {style:<20} {entries:>6} entries: render {render:7.2f} s "
          f"(cpu {cpu:.2f} s), whole process {whole:7.2f} s, peak {max(peaks) / 1024:.0f} MiB")


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, action="append")
    ap.add_argument("--style", action="append", choices=sorted(STYLES))
    ap.add_argument("--engine", default="transcite", choices=["transcite", "citeproc-py"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--workers", type=int, help="processes for transcite (default: cores)")
    ap.add_argument("--once", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.once:
        run_once(*args.once, profile=False, workers=args.workers)
        return 0
    if args.profile:
        from generate import generate

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(generate((args.entries or [10000])[0], args.seed), fh, ensure_ascii=False)
        run_once("transcite", STYLES[(args.style or ["apa"])[0]], fh.name, profile=True)
        os.unlink(fh.name)
        return 0
    for n in args.entries or [1000, 10000]:
        for s in args.style or ["apa", "gost"]:
            measure(args.engine, STYLES[s], n, args.seed, args.repeat, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
