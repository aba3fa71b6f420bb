"""Differential check: the same library rendered by transcite and by pandoc's citeproc.

    python benchmarks/pandoc_diff.py                          # 1,000 generated entries, all styles
    python benchmarks/pandoc_diff.py --entries 200 --style apa --show 5
    python benchmarks/pandoc_diff.py --library refs.json      # your own CSL-JSON

For every shipped style it renders the bibliography with both engines (HTML), compares the
entries by id (text and italics/bold/small caps), prints the share of identical entries and
the first differences. pandoc comes from the pypandoc-binary package.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

_TAGS = [(r"<em>|<i>", "<i>"), (r"</em>|</i>", "</i>"), (r"<strong>|<b>", "<b>"),
         (r"</strong>|</b>", "</b>"),
         (r'<span class="smallcaps">|<span style="font-variant:small-caps;">', "<sc>")]


def pandoc_path() -> str:
    """The pandoc binary shipped by pypandoc-binary."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def normalise(fragment: str) -> str:
    """Entry HTML reduced to text plus italics/bold/small-caps marks."""
    s = fragment.replace("</div>", " ")
    for pat, rep in _TAGS:
        s = re.sub(pat, rep, s)
    s = re.sub(r"</span>", "</sc>", s)
    s = re.sub(r"<(?!/?(i|b|sc)>)[^>]+>", "", s)
    s = s.replace("</sc>", "")
    s = s.replace("<sc>", "")
    s = html.unescape(s).replace("\u00a0", " ")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"<(i|b)>\s*</\1>", "", s)
    return s


def run_pandoc(style: Path, items: list[dict[str, Any]]) -> dict[str, str]:
    """pandoc's bibliography entries by id (HTML fragments)."""
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "lib.json"
        lib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        doc = "---\nnocite: '@*'\n---\n"
        out = subprocess.run([pandoc_path(), "--citeproc", "--bibliography", str(lib),
                              "--csl", str(style), "-t", "html", "--wrap=none"],
                             input=doc, capture_output=True, text=True, check=True).stdout
    entries = {}
    for m in re.finditer(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>\s*'
                         r'(?=<div id="ref-|</div>\s*$)', out, re.S):
        entries[m.group(1)] = m.group(2)
    return entries


def run_transcite(style: Path, items: list[dict[str, Any]]) -> dict[str, str]:
    """transcite's bibliography entries by id (HTML)."""
    from transcite.render.engine import Engine

    eng = Engine.create(style, output="html", cyrillic_first=False)
    return {e.id: e.text for e in eng.bibliography(items)}


_NUMBER = re.compile(r"^\[?\d+[.\]]?\s*")


def compare(style: Path, items: list[dict[str, Any]], show: int
            ) -> tuple[int, int, int, float, float]:
    """Print the comparison for one style; returns (identical, identical but for the entry
    number, total, seconds pandoc, seconds transcite)."""
    t0 = time.perf_counter()
    theirs = run_pandoc(style, items)
    t1 = time.perf_counter()
    ours = run_transcite(style, items)
    t2 = time.perf_counter()
    same = unnumbered = 0
    diffs = []
    for key, text in ours.items():
        a, b = normalise(text), normalise(theirs.get(key, ""))
        if a == b:
            same += 1
        else:
            diffs.append((key, b, a))
        if _NUMBER.sub("", a) == _NUMBER.sub("", b):
            unnumbered += 1
    for key, b, a in diffs[:show]:
        print(f"  {key}\n    pandoc:    {b}\n    transcite: {a}")
    return same, unnumbered, len(ours), t1 - t0, t2 - t1


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--library", help="a CSL-JSON file instead of a generated library")
    ap.add_argument("--style", action="append", help="style name(s); default: all shipped")
    ap.add_argument("--show", type=int, default=3, help="differences to print per style")
    args = ap.parse_args()
    if args.library:
        items = json.loads(Path(args.library).read_text(encoding="utf-8"))
    else:
        items = generate(args.entries, args.seed)
    folder = ROOT / "styles" / "csl"
    styles = [folder / f"{s}.csl" for s in args.style] if args.style else \
        sorted(folder.glob("*.csl"))
    total_same = total = 0
    for style in styles:
        same, unnumbered, n, tp, tt = compare(style, items, args.show)
        total_same += same
        total += n
        print(f"{style.stem:<42} {same:>5} / {n:<5} identical ({100 * same / max(n, 1):.1f}%), "
              f"{100 * unnumbered / max(n, 1):.1f}% but for the number;"
              f"   pandoc {tp:.1f} s, transcite {tt:.1f} s")
    print(f"{'all styles':<42} {total_same:>5} / {total:<5} identical "
          f"({100 * total_same / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
