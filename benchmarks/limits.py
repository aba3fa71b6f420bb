"""Time and memory of the inputs that used to hang or crash: a minified CSL-JSON file read as a
stream, one id given to many items, a YAML alias bomb, deep nesting, a Crossref server that
drips its answer. Prints one line per case (seconds, peak MB, what came out).

    python benchmarks/limits.py                 # every case at its default size
    python benchmarks/limits.py --mb 20         # the minified file at 20 MB
    python benchmarks/limits.py --src ../main/src --timeout 120   # the same on another tree
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CASE = r"""
import json, sys, time
from pathlib import Path
case, arg, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
t = time.perf_counter()
if case in ("minified", "pretty"):
    from transcite.model import Report
    from transcite.readers import iter_read
    n = sum(1 for _ in iter_read(folder / f"{case}.json", report=Report()))
    what = f"{n} items"
elif case == "same-id":
    from transcite.readers import read
    lib = read(folder / "same-id.json")
    what = f"{len(lib)} items, last id {lib.ids[-1]}"
elif case == "alias-bomb":
    from transcite.readers import read
    lib = read(folder / "bomb.yaml")
    what = [p.code for p in lib.report][0]
elif case == "deep":
    from transcite.readers import read
    lib = read(folder / "deep.bib")
    what = f"{len(lib)} entries, " + ", ".join(sorted({p.code for p in lib.report}))
elif case == "drip":
    from transcite.lookup.crossref import CrossrefClient, CrossrefSettings, CrossrefError
    options = dict(base_url=arg, cache_dir=None, retries=0, timeout=20.0)
    try:
        settings = CrossrefSettings(deadline=3.0, **options)
    except TypeError:       # a transcite without deadlines
        settings = CrossrefSettings(**options)
    client = CrossrefClient(settings)
    try:
        client.work("10.1000/x")
        what = "answered"
    except CrossrefError as exc:
        what = f"{type(exc).__name__}: {exc}"
peak = next((int(line.split()[1]) / 1024 for line in open("/proc/self/status")
             if line.startswith("VmHWM:")), 0.0)
print(json.dumps({"seconds": time.perf_counter() - t, "mb": peak, "what": what}))
"""


def _run(case: str, folder: Path, arg: str = "", timeout: float = 600,
         src: str | None = None) -> str:
    env = dict(os.environ, PYTHONPATH=src) if src else None
    try:
        out = subprocess.run([sys.executable, "-c", _CASE, case, arg, str(folder)], env=env,
                             capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return f"{case:<12} more than {timeout:g} s"
    except subprocess.CalledProcessError as exc:
        return f"{case:<12} failed: {exc.stderr.strip().splitlines()[-1]}"
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return f"{case:<12} {data['seconds']:8.2f} s {data['mb']:8.0f} MB   {data['what']}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the minified file")
    ap.add_argument("--ids", type=int, default=20_000, help="items sharing one id")
    ap.add_argument("--src", help="run against another source tree (its src/ folder), e.g. "
                    "an older transcite, to compare")
    ap.add_argument("--timeout", type=float, default=600, help="seconds a case may take")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        item = {"type": "article-journal", "title": "Title of an article about things",
                "author": [{"family": "Иванов", "given": "И. И."}, {"family": "Smith",
                                                                    "given": "J."}],
                "container-title": "Journal", "issued": {"date-parts": [[2001]]},
                "page": "1-10", "volume": "3"}
        size = len(json.dumps(item, ensure_ascii=False).encode()) + 12
        items = [{"id": f"k{i}", **item} for i in range(int(args.mb * 1e6 / size))]
        (folder / "minified.json").write_text(json.dumps(items, ensure_ascii=False,
                                                         separators=(",", ":")), "utf-8")
        (folder / "pretty.json").write_text(json.dumps(items, ensure_ascii=False, indent=2),
                                            "utf-8")
        (folder / "same-id.json").write_text(json.dumps([{"id": "x", "type": "book"}]
                                                        * args.ids), "utf-8")
        bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8))
        (folder / "bomb.yaml").write_text(bomb, "utf-8")
        (folder / "deep.bib").write_text(
            "@misc{a, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}}\n@misc{b, note = {"
            + "\\'" * 300_000 + "e}}\n", "utf-8")
        mb = (folder / "minified.json").stat().st_size / 1e6
        print(f"minified CSL-JSON {mb:.1f} MB on one line, {len(items)} items; "
              f"{args.ids} items with one id; a {len(bomb)}-byte YAML alias bomb; 5,000 nested "
              "braces and 300,000 accents; a server dripping one byte every 2 s")
        for case in ("minified", "pretty", "same-id", "alias-bomb", "deep"):
            print(_run(case, folder, timeout=args.timeout, src=args.src), flush=True)
        sys.path.insert(0, str(ROOT / "tests"))
        from faults import FaultServer

        with FaultServer("drip-slowly") as server:
            print(_run("drip", folder, server.url, timeout=args.timeout, src=args.src),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
