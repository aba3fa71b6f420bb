"""Figures for the metadata layer on real reference lists, and the Crossref client's overhead.

Reads ../shared/data/russian-references/references.jsonl (8,158 real reference lines of
Izvestiya vuzov. Yadernaya Energetika, romanised and Cyrillic sides) and prints:

* look-alike letters: lines and words that mix Latin and Cyrillic letters, the commonest ones,
  and words checked per second;
* identifiers: DOIs and ISSNs written in the lines, how many are valid, and references
  normalised per second;
* ``transcite check``: every check over one library of all the lines, with the time per check
  and the number of findings;
* the Crossref client through a real HTTP server on 127.0.0.1 (recorded answer), uncached and
  cached lookups per second.

Usage: python benchmarks/metadata_eval.py [--data DIR] [--limit N]
Exits 0 with a note when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("TRANSCITE_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def _lines(path: Path, limit: int | None) -> list[dict[str, object]]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def lookalikes(records: list[dict[str, object]]) -> None:
    from transcite.check import lookalike_words

    counts: Counter[tuple[str, str | None]] = Counter()
    lines = words = 0
    start = time.perf_counter()
    for record in records:
        for side in ("latin", "cyrillic"):
            text = record.get(side)
            if not isinstance(text, str):
                continue
            words += len(text.split())
            found = lookalike_words(text)
            if found:
                lines += 1
                counts.update((w, fix) for w, fix, _ in found)
    elapsed = time.perf_counter() - start
    print(f"look-alikes: {lines} of {2 * len(records)} lines, {sum(counts.values())} words; "
          f"{words / elapsed:,.0f} words/s")
    print("  commonest: " + ", ".join(f"{w!r}->{fix!r} x{n}" for (w, fix), n in
                                       counts.most_common(8)))


_DOI = re.compile(r"(?i)(?:doi\s*:?\s*|doi\.org/)(10\.\S+)")
_ISSN = re.compile(r"ISSN\s*:?\s*(\S+)")


def identifiers(records: list[dict[str, object]]) -> None:
    from transcite.identifiers import InvalidIdentifier, normalise_doi, validate_issn

    stats = Counter()
    for record in records:
        text = record.get("cyrillic") or record.get("latin")
        if not isinstance(text, str):
            continue
        for m in _DOI.finditer(text):
            try:
                normalise_doi(m.group(1))
                stats["doi ok"] += 1
            except InvalidIdentifier:
                stats["doi bad"] += 1
        for m in _ISSN.finditer(text):
            try:
                validate_issn(m.group(1).rstrip(".,;"))
                stats["issn ok"] += 1
            except InvalidIdentifier:
                stats["issn bad"] += 1
    print(f"identifiers in the lines: DOI {stats['doi ok']} valid, {stats['doi bad']} invalid; "
          f"ISSN {stats['issn ok']} valid, {stats['issn bad']} invalid")


def _library(records: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    from transcite.model import Date, Form, Library, Origin, Reference, Variant

    library = Library()
    for n, record in enumerate(records, 1):
        cyrillic, latin = record.get("cyrillic"), record.get("latin")
        title = cyrillic if isinstance(cyrillic, str) else str(latin)
        ref = Reference(f"r{n}", "document", fields={"title": title},
                        origin=Origin("references.jsonl", n, "text", title))
        if isinstance(latin, str) and latin != title:
            ref.add_variant("title", Variant(latin, Form.ROMANISED, "ru"))
        year = re.search(r"\b(19[5-9]\d|20[0-2]\d)\b", title)
        if year:
            ref.dates["issued"] = Date(parts=((int(year.group(1)),),))
        doi = record.get("doi")
        if isinstance(doi, str):
            ref.extra["citing-doi"] = doi
        library.add(ref)
    return library


def checks(records: list[dict[str, object]]) -> None:
    from transcite.check import CheckContext, available_checks, run_checks
    from transcite.identifiers import normalise_identifiers
    from transcite.model import Report

    library = _library(records)
    for check in available_checks():
        ctx = CheckContext()
        start = time.perf_counter()
        run_checks(library, ctx, only=[check.name])
        elapsed = time.perf_counter() - start
        codes = Counter(p.code for p in ctx.report)
        print(f"check {check.name:16} {elapsed * 1000:8.1f} ms  {len(ctx.report):5} findings "
              + ", ".join(f"{c} {n}" for c, n in codes.most_common(3)))
    refs = [r.copy() for r in library]
    for ref in refs:
        ref.fields["ISSN"] = "ISSN 0204-3327 (print)"
        ref.fields["DOI"] = "https://doi.org/10.26583/npe.2014.1.01."
    start = time.perf_counter()
    report = Report()
    for ref in refs:
        normalise_identifiers(ref, report)
    elapsed = time.perf_counter() - start
    print(f"normalise_identifiers: {len(refs) / elapsed:,.0f} references/s (ISSN + DOI each)")


def crossref(n: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from replay import ReplayServer  # type: ignore[import-not-found]

    from transcite.lookup.crossref import CrossrefClient, CrossrefSettings

    doi = "10.1371/journal.pone.0033693"
    with ReplayServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.load("test_works_with_one_id.yaml")
        cold = CrossrefClient(CrossrefSettings(base_url=server.url, cache_dir=None))
        start = time.perf_counter()
        for _ in range(n):
            cold.work(doi)
        uncached = n / (time.perf_counter() - start)
        warm = CrossrefClient(CrossrefSettings(base_url=server.url, cache_dir=Path(tmp)))
        warm.work(doi)
        start = time.perf_counter()
        for _ in range(n):
            warm.work(doi)
        cached = n / (time.perf_counter() - start)
    print(f"crossref client on 127.0.0.1: {uncached:,.0f} lookups/s uncached, "
          f"{cached:,.0f} lookups/s from the disk cache ({n} each)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--limit", type=int, help="read only the first N lines")
    parser.add_argument("--lookups", type=int, default=200, help="Crossref lookups to time")
    args = parser.parse_args()
    path = _data_dir(args.data) / "russian-references" / "references.jsonl"
    if not path.is_file():
        print(f"skipped: {path} is absent")
        return 0
    records = _lines(path, args.limit)
    print(f"{len(records)} reference lines from {path}")
    lookalikes(records)
    identifiers(records)
    checks(records)
    crossref(args.lookups)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
