"""Run fixtures in the CSL test suite's format through transcite and citeproc-js, side by side.

    python benchmarks/csl_check.py tests/data/csl-extra/*.txt       # every fixture: agree?
    python benchmarks/csl_check.py --show tests/data/csl-extra/range_roman.txt

For each fixture it prints whether transcite and citeproc-js (``npm install --prefix
benchmarks/js``) give the fixture's RESULT; ``--show`` prints all three texts. This is how the
fixtures of tests/data/csl-extra were checked against citeproc-js while they were written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import citeproc_js  # noqa: E402
from csl_suite import normalise, read_fixture, run_fixture  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Compare the fixtures; exit 1 when transcite misses a RESULT."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--show", action="store_true", help="print expected and both outputs")
    args = ap.parse_args(argv)
    fixtures = [read_fixture(p) for p in args.files]
    js = citeproc_js.run_jobs([citeproc_js.fixture_job(fx) for fx in fixtures]) \
        if citeproc_js.available() else [None] * len(fixtures)
    bad = 0
    for fx, res in zip(fixtures, js):
        want = normalise(fx.result)
        try:
            ours = normalise(run_fixture(fx))
        except Exception as exc:  # noqa: BLE001 - a development tool: show the failure
            ours = f"[{type(exc).__name__}: {exc}]"
        theirs = normalise(citeproc_js.fixture_output(fx, res)) if res is not None else "-"
        ok_t, ok_j = ours == want, theirs == want
        bad += not ok_t
        print(f"{'ok ' if ok_t else 'BAD'} {'js-ok' if ok_j else 'js-DIFF'}  {fx.name}")
        if args.show or not ok_t or not ok_j:
            if args.show or not ok_t:
                print(f"   expected:    {want!r}\n   transcite:   {ours!r}")
            if args.show or not ok_j:
                print(f"   citeproc-js: {theirs!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
