"""How fast the Pandoc filter is: its core over documents with many citations, and a real pandoc
run over the sample paper. Prints figures; asserts nothing.

    python benchmarks/pandoc_filter.py [--citations 50 200 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "references" / "examples"
KEYS = ["Streltsov2018", "Batin2017", "Inozemtsev2017", "Koizumi2016", "Melikov2016",
        "Nelidov2019", "Streltsov2020", "TASS2016", "Kommersant2016"]
MODES = ["NormalCitation", "NormalCitation", "SuppressAuthor", "AuthorInText"]


def _cite(n: int) -> dict[str, Any]:
    key = KEYS[n % len(KEYS)]
    mode = MODES[n % len(MODES)]
    suffix = [{"t": "Str", "c": ","}, {"t": "Space"}, {"t": "Str", "c": "с."}, {"t": "Space"},
              {"t": "Str", "c": str(n % 300 + 1)}] if n % 3 == 0 else []
    return {"t": "Cite", "c": [[{"citationId": key, "citationPrefix": [],
                                 "citationSuffix": suffix, "citationMode": {"t": mode},
                                 "citationNoteNum": 1, "citationHash": 0}],
                               [{"t": "Str", "c": f"@{key}"}]]}


def document(citations: int, style: str) -> dict[str, Any]:
    """A document with ``citations`` single-cite clusters, ten to a paragraph."""
    blocks = []
    for start in range(0, citations, 10):
        inlines: list[Any] = []
        for n in range(start, min(start + 10, citations)):
            inlines.extend([{"t": "Str", "c": "Text"}, {"t": "Space"}, _cite(n),
                            {"t": "Space"}])
        blocks.append({"t": "Para", "c": inlines})
    meta = {"bibliography": {"t": "MetaString", "c": str(EXAMPLES / "russia-japan.bib")},
            "csl": {"t": "MetaString", "c": style}, "lang": {"t": "MetaString", "c": "ru"},
            "link-citations": {"t": "MetaBool", "c": True}}
    return {"pandoc-api-version": [1, 23, 1, 1], "meta": meta, "blocks": blocks}


def main() -> None:
    """Print timings of the filter's core and of one pandoc run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citations", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from transcite.pandoc import filter_document

    print(f"{'style':28} {'citations':>9} {'best s':>8} {'ms/cite':>8} {'peak MiB':>9}")
    for style in ("gost-r-7-0-5-2008", "gost-r-7-0-5-2008-numeric"):
        for count in args.citations:
            doc = document(count, style)
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                filter_document(doc)
                best = min(best, time.perf_counter() - t0)
            tracemalloc.start()
            filter_document(doc)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"{style:28} {count:9d} {best:8.3f} {1000 * best / count:8.2f} {peak:9.1f}")

    try:
        import pypandoc

        pandoc: str | None = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
    script = Path(sys.executable).parent / "pandoc-transcite"
    if pandoc and script.is_file():
        paper = EXAMPLES / "paper.md"
        text = paper.read_text(encoding="utf-8")
        plain = text.replace("transcite:\n  profile: scopus\n  view: dual\n",
                             "csl: gost-r-7-0-5-2008-numeric\n")
        for label, source in (("sample paper, GOST numeric", plain),
                              ("sample paper, scopus dual", text)):
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                done = subprocess.run([pandoc, "-f", "markdown", "-t", "html", "--filter",
                                       str(script)], input=source.encode(), cwd=EXAMPLES,
                                      capture_output=True, check=False)
                best = min(best, time.perf_counter() - t0)
            status = "ok" if done.returncode == 0 else f"failed: {done.stderr.decode()[-200:]}"
            print(f"pandoc run, {label}: {best:.3f} s ({status.strip()})")
    else:
        print("pandoc or the pandoc-transcite script not found: pandoc runs not measured")


if __name__ == "__main__":
    main()
