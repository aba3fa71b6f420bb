"""How close transcite's References list comes to a journal's own, field by field.

For every aligned Russian-source pair of ../shared/data/russian-references (a Cyrillic GOST line
and the romanised line the journal printed for it), the Cyrillic line is parsed, projected into
the ``references`` view of the journal's profile (nuclear-energy-and-technology) and rendered
with its style; the journal's line is parsed too. Then, for each field, the share of pairs
(where either side has the field) on which both agree:

* authors - the romanised family names of all authors, in order (case-insensitive);
* author names - the same, name by name (the share of single names that agree);
* initials - the authors' initials, dots and spaces ignored;
* year, volume, issue, pages (first page), place, publisher (without "Publ."), marker.

Titles are left out: the journal prints English titles, which cannot be derived.

    python benchmarks/references_eval.py [--data PATH] [--limit N] [--scheme S] [--show N]

Skips (exit 0 with a message) when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / \
    "russian-references" / "references.jsonl"
FIELDS = ("authors", "author names", "initials", "year", "volume", "issue", "pages", "place",
          "publisher", "marker")


def _fold(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text.casefold().replace("'", "").replace("’", ""))


def _num(text: str | None) -> str:
    m = re.search(r"\d+", text or "")
    return m.group(0) if m else ""


def _publisher(text: str | None) -> str:
    return _fold(re.sub(r"\bPubl\.?", "", text or ""))


def facts(ref, marker_in: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The compared facts of a parsed or projected reference (CSL-style dict or Reference)."""
    get = ref.get if isinstance(ref, dict) else (lambda k, d=None: ref.get(k, d))
    names = get("author") or []
    fams, inits = [], []
    for n in names:
        if isinstance(n, dict):
            fams.append(_fold(n.get("family") or n.get("literal")))
            inits.append(_fold(n.get("given")))
        else:
            fams.append(_fold(n.family or n.literal))
            inits.append(_fold(n.given))
    issued = get("issued")
    year = ""
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        year = str(parts[0][0]) if parts and parts[0] else ""
    elif issued is not None and getattr(issued, "year", None):
        year = str(issued.year)
    return {
        "authors": "|".join(f for f in fams if f),
        "initials": "|".join(i for i in inits if i),
        "year": year,
        "volume": _num(get("volume")),
        "issue": _num(get("issue")),
        "pages": _num(get("page")),
        "place": _fold(get("publisher-place")),
        "publisher": _publisher(get("publisher")),
        "marker": "1" if marker_in else "",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--profile", default="nuclear-energy-and-technology")
    ap.add_argument("--scheme", help="override the profile's scheme (text and names)")
    ap.add_argument("--show", type=int, default=0, help="print N disagreements per field")
    ap.add_argument("--since", type=int, default=0, help="only articles from this year on")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found")
        return 0
    from dataclasses import replace

    from transcite.model import Report
    from transcite.parse import parse_reference
    from transcite.profiles import get_profile
    from transcite.render.engine import Engine
    from transcite.render.project import project

    profile = get_profile(args.profile)
    settings = profile.references
    if args.scheme:
        settings = replace(settings, scheme=args.scheme, name_scheme=args.scheme)
    engine = Engine.create(settings.style, settings.locale, "text")
    pairs = []
    for line in args.data.open(encoding="utf-8"):
        row = json.loads(line)
        if row["kind"] == "ru_source" and row.get("cyrillic") and row["year"] >= args.since:
            pairs.append(row)
    if args.limit:
        pairs = pairs[:args.limit]
    agree: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    start = time.perf_counter()
    for row in pairs:
        report = Report()
        ours = parse_reference(row["cyrillic"], report=report)
        theirs = parse_reference(row["latin"], report=report)
        [projected] = project([ours], "references", settings, report)
        rendered = engine.bibliography([projected.item], order="input")
        text = rendered[0].text if rendered else ""
        mine = facts(projected.item, settings.marker if projected.marker else None)
        other = facts(theirs, "1" if re.search(r"\((?:in|In) Russ", row["latin"]) else None)
        a, b = mine["authors"].split("|"), other["authors"].split("|")
        for x, y in zip(a, b):
            if x or y:
                seen["author names"] += 1
                agree["author names"] += x == y
        for f in FIELDS:
            if f == "author names" or (not mine[f] and not other[f]):
                continue
            seen[f] += 1
            if mine[f] == other[f]:
                agree[f] += 1
            elif shown[f] < args.show:
                shown[f] += 1
                print(f"[{f}] ours {mine[f]!r} vs journal {other[f]!r}\n  ours:    {text}\n"
                      f"  journal: {row['latin']}")
    elapsed = time.perf_counter() - start
    print(f"{len(pairs)} Russian-source pairs, profile {profile.name}, scheme "
          f"{settings.scheme}/{settings.names_scheme}"
          + (f", articles from {args.since}" if args.since else "")
          + f"; {len(pairs) / elapsed:.0f} pairs/s")
    total_a = total_s = 0
    for f in FIELDS:
        if seen[f]:
            print(f"  {f:<13} {agree[f] / seen[f]:6.1%}  ({agree[f]}/{seen[f]})")
            if f != "author names":
                total_a += agree[f]
                total_s += seen[f]
    print(f"  {'all fields':<13} {total_a / total_s:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
