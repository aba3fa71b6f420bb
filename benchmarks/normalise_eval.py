"""What normalisation does to real bibliographies, and how fast.

1. The 8,158 reference lines of ../shared/data/russian-references (both the Cyrillic and the
   romanised side of every pair, parsed by transcite's text parser) are normalised with the
   journal's profile; the script prints, per step, how many fields it changed and in how many
   references, and how many references were flagged for a human (by problem code).
2. Throughput: a generated 10,000-entry library (benchmarks/generate.py, fixed seed) is
   normalised; items per second, with and without the translit step.

    python benchmarks/normalise_eval.py [--data PATH] [--limit N] [--entries 10000]

Part 1 skips cleanly when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "russian-references" / "references.jsonl"


def real_data(path: Path, limit: int, profile: str) -> None:
    from transcite.model import Library, Report
    from transcite.normalisation import normalise
    from transcite.parse import parse_reference

    report = Report()
    library = Library(report=report)
    used: set[str] = set()
    for n, line in enumerate(path.open(encoding="utf-8")):
        if limit and n >= limit:
            break
        row = json.loads(line)
        for side in ("cyrillic", "latin"):
            if row.get(side):
                ref = parse_reference(row[side], report=report, file=path.name, line=n + 1)
                base, k = ref.id, 2
                while ref.id in used:
                    ref.id = f"{base}-{k}"
                    k += 1
                used.add(ref.id)
                library.add(ref)
    parse_problems = len(report)
    start = time.perf_counter()
    result = normalise(library, profile=profile, report=Report())
    elapsed = time.perf_counter() - start
    print(f"{len(library)} parsed references ({parse_problems} parse problems), profile "
          f"{profile}: normalised in {elapsed:.1f} s ({len(library) / elapsed:.0f} items/s)")
    per_step = Counter(c.step for c in result.changes)
    refs_per_step = {s: len({c.item for c in result.changes if c.step == s}) for s in per_step}
    fields = Counter((c.step, c.field) for c in result.changes)
    for step in result.steps:
        print(f"  {step:<12} {per_step.get(step, 0):6d} changes in "
              f"{refs_per_step.get(step, 0):5d} references")
        for (s, f), k in fields.most_common():
            if s == step and k >= max(20, per_step[step] // 50):
                print(f"      {f:<20} {k:6d}")
    flagged = {p.item for p in result.needs_human() if p.item}
    print(f"  references flagged for a human: {len(flagged)} of {len(library)}")
    for code, k in Counter(p.code for p in result.needs_human()).most_common(12):
        print(f"      {code:<32} {k:6d}")


def throughput(entries: int) -> None:
    sys.path.insert(0, str(HERE))
    import generate  # benchmarks/generate.py

    from transcite.normalisation import STEPS, normalise
    from transcite.readers import read_string

    text = json.dumps(generate.generate(entries, 1), ensure_ascii=False)
    library = read_string(text, "csl-json")
    for label, steps in (("all steps", None),
                         ("without translit", [s for s in STEPS if s != "translit"])):
        start = time.perf_counter()
        result = normalise(library, steps)
        elapsed = time.perf_counter() - start
        print(f"{entries} generated entries, {label}: {elapsed:.2f} s, "
              f"{entries / elapsed:.0f} items/s, {len(result.changes)} changes")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="pairs to read (default: all)")
    ap.add_argument("--profile", default="nuclear-energy-and-technology")
    ap.add_argument("--entries", type=int, default=10_000)
    args = ap.parse_args()
    if args.data.is_file():
        real_data(args.data, args.limit, args.profile)
    else:
        print(f"part 1 skipped: {args.data} not found")
    if args.entries:
        throughput(args.entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
