"""What a one-entry ``transcite format`` imports, and what each package's modules cost.

    python benchmarks/imports.py                 # GOST, the style and library from the cache
    python benchmarks/imports.py --edited        # the library read (as after an edit of it)
    python benchmarks/imports.py --repeat 9 --style apa --top 20

Runs ``python -X importtime`` over ``transcite format ONE.bib --style S --normalise`` (a
one-entry library written to a temporary folder, its cache warmed first), sums each module's
self time by package (``transcite.render``, ``transcite.readers``..., other packages by their
top-level name) and prints the medians of ``--repeat`` runs, largest first, with the sum of
all imports. Nothing is asserted; importtime's own bookkeeping inflates every figure a little.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ONE = """@article{one,
  author = {Осипов, Г. Р. and Smith, John},
  title = {Экспериментальное исследование теплообмена},
  journal = {Атомная энергия},
  year = {2013},
  volume = {3},
  pages = {278--280},
}
"""


def group(module: str) -> str:
    """The package a module's time is counted under."""
    parts = module.split(".")
    if parts[0] == "transcite" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def one_run(bib: Path, style: str, env: dict[str, str]) -> dict[str, float]:
    """Self time (ms) by package of one run."""
    code = (f"import sys; sys.argv = ['transcite', 'format', {str(bib)!r}, '--style', "
            f"{style!r}, '--normalise']; from transcite.cli import main; main()")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          capture_output=True, text=True, env=env, check=False)
    out: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:"):].split("|")
        out[group(name.strip())] += int(self_us) / 1000
    return out


def main() -> int:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--style", default="gost-r-7-0-5-2008")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--top", type=int, default=16)
    ap.add_argument("--edited", action="store_true", help="read the library every run (its "
                    "cached form removed first), the style from the cache")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "one.bib"
        bib.write_text(ONE, encoding="utf-8")
        env = {**os.environ, "TRANSCITE_CACHE": str(Path(tmp) / "cache"),
               "TRANSCITE_NO_CACHE": "0"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        one_run(bib, args.style, env)       # compiles the package, warms the caches
        runs = []
        for _ in range(args.repeat):
            if args.edited:
                shutil.rmtree(Path(tmp) / "cache" / "compiled" / "libraries", ignore_errors=True)
            runs.append(one_run(bib, args.style, env))
    names = {n for r in runs for n in r}
    medians = {n: statistics.median(r.get(n, 0.0) for r in runs) for n in names}
    total = statistics.median(sum(r.values()) for r in runs)
    print("| package (self time of its modules) | ms |\n|---|---:|")
    for name, ms in sorted(medians.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"| {name} | {ms:.1f} |")
    print(f"| **all imports** | {total:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
