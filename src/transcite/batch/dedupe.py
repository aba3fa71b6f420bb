"""Finding duplicates across the whole corpus: a shuffle stage after the per-record work.

``normalise`` merges duplicates within one library (:func:`transcite.dedupe.find_duplicates`,
:func:`~transcite.dedupe.merge_into`): the same DOI, or title forms at least 93% alike in the
same year whose first authors do not differ. Over millions of records that comparison is cut
into blocks, each small enough for one task, by keys the rules already require two duplicates to
share:

* ``doi``: the normalised DOI;
* ``year + first author``: every form of the first author's family name (a Cyrillic and a
  romanised form give two keys), so two records with authors meet in a block whenever the rules
  could call them the same work - for them the stage finds exactly what one process finds;
* ``year + title word``: the two longest words of each title form, for records without an
  author (the rules compare those with every record of their year). This is a heuristic: a
  pair whose two longest title words all differ is not compared, though at 93% similarity
  they rarely do.

The keyed records are shuffled (``Bag.groupby``), each block runs ``find_duplicates``, and the
pairs come back to the client (one small tuple per duplicate). As in one process, a DOI match
wins over a title match and the earliest earlier record wins among title matches; chains merge
into their first record. A second shuffle brings each group of duplicates together, and
``merge_into`` folds the later records into the first in input order - what the ``dedupe`` step
does in one process (tested). Records are positions ``(partition, offset)`` of the input bag.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["DedupeSummary", "NoShards", "dedupe", "dedupe_output", "find_pairs"]

#: Title words shorter than this are not used as keys (too common).
_MIN_WORD = 4
_SHIFT = 32


class NoShards(ValueError):
    """The output folder holds no shards (nothing was written yet)."""


@dataclass(slots=True)
class DedupeSummary:
    """What the stage found: records, duplicates, groups, where it wrote them."""

    records: int
    duplicates: int
    groups: int
    seconds: float
    out_dir: str

    def line(self) -> str:
        """One line for the terminal."""
        return (f"dedupe: {self.duplicates} of {self.records} records repeat another, in "
                f"{self.groups} groups ({self.seconds:.1f} s; {self.out_dir})")


def _key(text: str) -> int:
    """A stable 63-bit key (Python's str hash differs between worker processes)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "big") >> 1


def _reference(pos: int, file: Any, line: Any, item: dict[str, Any]) -> Any:
    from ..model import Origin
    from ..readers import ReadContext
    from ..readers.csljson import item_to_reference

    ref = item_to_reference(item, ReadContext(file=file), line, "csl-json", 0)
    assert ref is not None      # items are dicts
    ref.origin = Origin(file, line, "csl-json", None)
    ref.extra["_batch_id"] = ref.id
    ref.id = f"{pos:020d}"
    return ref


def _index(partition: Iterable[dict[str, Any]], n: int) -> list[tuple[int, Any, Any, Any]]:
    """``(position, file, line, item)`` of the records of partition ``n`` that have an item."""
    out = []
    for offset, record in enumerate(partition):
        item = record.get("normalised") or record.get("csl")
        if isinstance(item, dict) and not record.get("error"):
            out.append(((n << _SHIFT) + offset, record.get("file"), record.get("line"), item))
    return out


def _keys(element: tuple[int, Any, Any, Any]) -> list[tuple[int, str, Any]]:
    from ..dedupe import _first_authors, _fold
    from ..identifiers import InvalidIdentifier, normalise_doi

    pos, file, line, item = element
    ref = _reference(pos, file, line, item)
    keys: set[str] = set()
    doi = ref.fields.get("DOI")
    if doi:
        try:
            keys.add("doi\x00" + normalise_doi(doi).casefold())
        except InvalidIdentifier:
            pass
    year = str(ref.year)
    authors = _first_authors(ref)
    keys.update(f"author\x00{year}\x00{a}" for a in authors)
    for v in ref.forms("title"):
        words = sorted({w for w in _fold(v.text).split() if len(w) >= _MIN_WORD},
                       key=lambda w: (-len(w), w))[:2]
        keys.update(f"title\x00{year}\x00{w}" for w in words)
    return [(_key(k), k, element) for k in sorted(keys)]


def _block_pairs(group: tuple[int, list[tuple[int, str, Any]]], cutoff: float
                 ) -> list[tuple[int, int, str, float]]:
    """(later, earlier, reason, score) for the duplicates found in one block."""
    from ..dedupe import _first_authors, find_duplicates

    _, members = group
    by_key: dict[str, list[Any]] = {}
    for _, key, element in members:
        by_key.setdefault(key, []).append(element)
    out = []
    for key, elements in by_key.items():
        if len(elements) < 2:
            continue
        kind = key.split("\x00", 1)[0]
        refs = [_reference(*e) for e in sorted(elements, key=lambda e: e[0])]
        if kind == "title" and all(_first_authors(r) for r in refs):
            continue        # records with authors meet in their author blocks
        for d in find_duplicates(refs, cutoff):
            if kind == "doi" and d.reason != "doi":
                continue
            if kind != "doi" and d.reason == "doi":
                continue
            if kind == "title" and _first_authors(d.later) and _first_authors(d.earlier):
                continue
            out.append((int(d.later.id), int(d.earlier.id), d.reason, d.score))
    return out


def _stage(bag: Any, cutoff: float) -> tuple[Any, Any]:
    import dask.bag as db
    from dask.delayed import delayed

    parts = bag.to_delayed(optimize_graph=True)
    indexed = db.from_delayed([delayed(_index, pure=True)(p, n) for n, p in enumerate(parts)])
    keyed = indexed.map(_keys).flatten()
    groups = keyed.groupby(lambda kv: kv[0], shuffle="tasks")
    return indexed, groups.map(_block_pairs, cutoff).flatten()


def find_pairs(bag: Any, cutoff: float = 93.0) -> Any:
    """A bag of ``(later, earlier, reason, score)`` candidate pairs of a bag of output records
    (positions: partition << 32 | offset); :func:`dedupe` settles them."""
    return _stage(bag, cutoff)[1]


def _roots(pairs: Iterable[tuple[int, int, str, float]]
           ) -> dict[int, tuple[int, int, str, float]]:
    """later -> (root, earlier, reason, score): a DOI match first, else the earliest title
    match; chains resolved to their first record."""
    best: dict[int, tuple[int, int, str, float]] = {}
    for later, earlier, reason, score in pairs:
        if earlier >= later:
            continue
        known = best.get(later)
        rank = (0 if reason == "doi" else 1, earlier)
        if known is None or rank < (0 if known[2] == "doi" else 1, known[1]):
            best[later] = (earlier, earlier, reason, score)
    roots: dict[int, tuple[int, int, str, float]] = {}
    for later in sorted(best):
        _, earlier, reason, score = best[later]
        root = roots[earlier][0] if earlier in roots else earlier
        roots[later] = (root, earlier, reason, score)
    return roots


def _merge(group: tuple[int, list[tuple[int, Any, Any, Any]]],
           roots: dict[int, tuple[int, int, str, float]]) -> dict[str, Any]:
    from ..dedupe import merge_into
    from ..model import Report
    from ..writers.csljson import reference_to_item

    root_pos, elements = group
    elements = sorted(elements, key=lambda e: e[0])
    refs = {e[0]: _reference(*e) for e in elements}
    for ref in refs.values():
        ref.id = str(ref.extra.pop("_batch_id"))
    target = refs[root_pos]
    report = Report()
    members = []
    for pos, file, line, _ in elements:
        if pos == root_pos:
            continue
        _, earlier, reason, score = roots[pos]
        merge_into(target, refs[pos], report)
        report.add("info", "normalise.merged", f"merged into {target.id} (the same work: "
                   f"{'same DOI' if reason == 'doi' else 'same title'})", **refs[pos].where())
        members.append({"file": file, "line": line, "id": refs[pos].id, "reason": reason,
                        "score": round(score, 2), "of": _where(elements, earlier)})
    head = next(e for e in elements if e[0] == root_pos)
    return {"position": root_pos,
            "root": {"file": head[1], "line": head[2], "id": target.id}, "members": members,
            "merged": reference_to_item(target), "problems": [p.to_json() for p in report]}


def _where(elements: list[tuple[int, Any, Any, Any]], pos: int) -> dict[str, Any]:
    for e in elements:
        if e[0] == pos:
            return {"file": e[1], "line": e[2]}
    return {}


def dedupe(bag: Any, cutoff: float = 93.0, *, client: Any = None) -> Any:
    """The duplicate groups of a bag of output records (:func:`transcite.batch.process`), as
    a bag of ``{"position", "root", "members", "merged", "problems"}`` records, one per group
    with its merged item (``position``: the first record's, for ordering). The candidate
    pairs are computed here (on ``client`` or Dask's default scheduler); the merging stays
    lazy."""
    indexed, pairs = _stage(bag, cutoff)
    found = client.compute(pairs).result() if client is not None else pairs.compute()
    roots = _roots(found)
    wanted = set(roots) | {r[0] for r in roots.values()}
    root_of = {pos: roots[pos][0] if pos in roots else pos for pos in wanted}
    grouped = (indexed.filter(lambda e: e[0] in root_of)
               .groupby(lambda e: root_of[e[0]], shuffle="tasks"))
    return grouped.map(_merge, roots)


def _read_shard(out_url: str, name: str) -> list[dict[str, Any]]:
    """The output records of one shard (JSONL, or Parquet's flat rows made records again)."""
    from .output import Out

    out = Out(out_url)
    with out.fs.open(out.path(name), "rb") as fh:
        if name.endswith(".jsonl"):
            return [json.loads(line) for line in fh.read().decode("utf-8").splitlines()]
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = pq.read_table(
            fh, columns=["file", "line", "csl", "normalised", "error"]).to_pylist()
    for row in rows:
        for key in ("csl", "normalised"):
            row[key] = json.loads(row[key]) if row[key] else None
    return rows


def dedupe_output(out_dir: str, *, client: Any = None, cutoff: float = 93.0) -> DedupeSummary:
    """Run the stage over a finished job's shards; writes ``OUT/dedupe/part-000000.jsonl``
    (one group a line, in the order of their first records)."""
    import dask.bag as db
    from dask.delayed import delayed

    from .output import Out

    started = time.perf_counter()
    out = Out(out_dir)
    files = sorted(out.fs.glob(out.path("part-*.jsonl")) + out.fs.glob(out.path("part-*.parquet")))
    if not files:
        raise NoShards(f"{out_dir} holds no shards to look for duplicates in")
    bag = db.from_delayed([delayed(_read_shard, pure=True)(out.url, f.rsplit("/", 1)[1])
                           for f in files])
    groups = dedupe(bag, cutoff, client=client)
    result = client.compute(groups).result() if client is not None else groups.compute()
    result.sort(key=lambda g: g.pop("position"))
    out.fs.makedirs(out.path("dedupe"), exist_ok=True)
    blob = "".join(json.dumps(g, ensure_ascii=False, default=str) + "\n" for g in result)
    data = blob.encode("utf-8")

    def fill(fh: Any) -> None:
        fh.write(data)

    out.write("dedupe/part-000000.jsonl", fill)
    manifest = out.read_json("manifest.json") or {}
    records = int(manifest.get("records") or 0)
    return DedupeSummary(records, sum(len(g["members"]) for g in result), len(result),
                         time.perf_counter() - started, out.path("dedupe"))
