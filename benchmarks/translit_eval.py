"""Evaluate back-transliteration on real romanised reference lines.

Reads ../shared/data/russian-references/references.jsonl (or --data), takes the lines whose
romanised side has a bracketed English title ("Avtor A.A. Nazvanie [Title]..."), rebuilds Cyrillic
for the part before "[", aligns its words with the Russian-side line and prints word accuracy and
throughput. Lines are split into dev and test halves by article (a hash of the article URL): the
model's weights were tuned by looking at dev only; report test.

    python benchmarks/translit_eval.py                 # test half
    python benchmarks/translit_eval.py --split dev --errors 40
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data")) \
    / "russian-references" / "references.jsonl"
_WORD = re.compile(r"[^\W\d_]+")


def split_of(row: dict) -> str:
    """'dev' or 'test', stable per article."""
    digest = hashlib.sha1(row["source_url"].encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def load(path: Path, split: str) -> list[tuple[str, str]]:
    """(romanised segment, Cyrillic line) pairs of the chosen split."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            cyr, lat = row.get("cyrillic"), row.get("latin") or ""
            if not cyr or "[" not in lat:
                continue
            letters = re.findall(r"[^\W\d_]", cyr)
            if sum(1 for c in letters if "а" <= c.lower() <= "я" or c in "ёЁ") < len(letters) / 2:
                continue  # the "Russian" side is itself a Latin-script reference
            if split != "all" and split_of(row) != split:
                continue
            segment = lat.split("[", 1)[0].strip()
            if len(_WORD.findall(segment)) >= 2:
                pairs.append((segment, cyr))
    return pairs


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def align_words(latin: list[str], cyrillic: list[str]) -> list[tuple[int, int]]:
    """Monotonic alignment of romanised words with reference words by their keys."""
    from rapidfuzz.distance import Levenshtein

    from transcite.translit.keys import cyrillic_keys, fold, key

    lk = [key(fold(w)) for w in latin]
    ck = []
    for w in cyrillic:
        if re.search("[а-яё]", w.lower()):
            ck.append(cyrillic_keys(_norm(w)))
        else:
            ck.append({key(fold(w))})

    def sim(i: int, j: int) -> float:
        a = lk[i]
        return max(1 - Levenshtein.distance(a, b) / max(len(a), len(b), 1) for b in ck[j])

    n, m = len(latin), len(cyrillic)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = sim(i - 1, j - 1)
            options = [(best[i - 1][j], 1), (best[i][j - 1], 2)]
            if s >= 0.6:
                options.append((best[i - 1][j - 1] + s, 3))
            best[i][j], move[i][j] = max(options)
    out = []
    i, j = n, m
    while i and j:
        if move[i][j] == 3:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return out[::-1]


def is_romanisation(latin: str, cyrillic: str) -> bool:
    """True when some scheme writes the Cyrillic word as *latin* up to one slip in five letters
    (so the Latin really stands for that word, not for another form or a translation)."""
    from rapidfuzz.distance import Levenshtein

    from transcite.translit.keys import fold
    from transcite.translit.scheme import LOADED, scheme_index

    if not re.search("[а-яё]", cyrillic.lower()):
        return fold(latin) == fold(cyrillic)
    target = fold(latin)
    allowed = max(1, len(target) // 5)
    word = _norm(cyrillic)
    return any(Levenshtein.distance(fold(getattr(LOADED, e["name"]).word(word)), target)
               <= allowed for e in scheme_index() if e.get("lang", "ru") == "ru")


def main() -> int:
    """Run the evaluation and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--errors", type=int, default=0, help="show the N most frequent errors")
    ap.add_argument("--limit", type=int, default=0, help="only the first N lines")
    ap.add_argument("--dump", type=Path, help="write every aligned word (source, got, want) "
                    "as tab-separated lines to this file")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    from transcite.translit import to_cyrillic
    from transcite.translit.decode import spell_out
    from transcite.translit.guess import analyse
    from transcite.translit.lexicon import lexicon, morphology

    pairs = load(args.data, args.split)
    if args.limit:
        pairs = pairs[:args.limit]
    t0 = time.perf_counter()
    lexicon().char_costs  # noqa: B018 - loads the lexicon and its letter model
    morphology()
    to_cyrillic("Rossiya Kolbasovich")  # loads the tables
    load_s = time.perf_counter() - t0
    analyse.cache_clear()
    spell_out.cache_clear()
    words = 0
    start = time.perf_counter()
    cpu0 = time.process_time()
    results = []
    for segment, _ in pairs:
        rebuilt = to_cyrillic(segment)
        words += len(rebuilt.words)
        results.append(rebuilt)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    aligned = correct = strict = 0
    clean = clean_correct = 0
    left_latin = 0
    errors: Counter[tuple[str, str, str]] = Counter()
    dump = []
    for (_, cyr), rebuilt in zip(pairs, results):
        src = [w.source for w in rebuilt.words]
        ref = _WORD.findall(cyr)
        for i, j in align_words(src, ref):
            got, want = rebuilt.words[i].text, ref[j]
            dump.append(f"{src[i]}\t{got}\t{want}")
            aligned += 1
            ok = _norm(got) == _norm(want)
            if is_romanisation(src[i], want):
                clean += 1
                clean_correct += ok
            if ok:
                correct += 1
                strict += got == want
            else:
                errors[(src[i], got, want)] += 1
                left_latin += not re.search("[а-яА-Я]", got)
    if args.dump:
        args.dump.write_text("\n".join(dump) + "\n", encoding="utf-8")
    print(f"split: {args.split}  lines: {len(pairs)}  romanised words: {words}  "
          f"aligned with the Cyrillic line: {aligned}")
    if aligned:
        print(f"word accuracy (case-insensitive, ё = е): {correct / aligned:.2%}")
        print(f"word accuracy (exact, case and ё):       {strict / aligned:.2%}")
        print(f"errors left in Latin: {left_latin}  changed wrongly: "
              f"{aligned - correct - left_latin}")
        print(f"on the {clean} words whose Latin is a romanisation of the Russian word "
              f"(not another form or a translation): {clean_correct / max(clean, 1):.2%}")
    print(f"throughput: {words / elapsed:,.0f} words/s wall, {words / cpu:,.0f} words/s CPU "
          f"(one process, caches empty at start); model load {load_s:.2f} s")
    for (src, got, want), n in errors.most_common(args.errors):
        print(f"  {n:3d}  {src!r} -> {got!r}  want {want!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
