"""How well transcite.parse reads free-text references, and how fast.

1. Field precision / recall / F1 on anystyle's gold.xml (held out of the tagger's training):
   each tagged string is parsed as one line and every field the gold tags give is compared with
   the parsed value after light normalisation (letters and digits, case folded; names as the
   multiset of their words; the year of a date; the first number of a volume; a page range).
2. Agreement on ../shared/data/russian-references: both sides of every aligned pair (Cyrillic
   GOST line and romanised References line) are parsed and year, volume, issue, first page and
   the first author's family name compared (the Cyrillic name romanised with a plain letter
   table, then both reduced to a consonant skeleton; volume and issue by their leading number,
   Roman numerals read as numbers). Reported on the held-out half (articles
   whose source URL has an odd md5; the even half was used to label training lines) and on all.
   1b. The same on a messy copy of gold.xml (see :func:`messy`): what pasting from a PDF or a
   journal site does to a line. Both print the mean field accuracy (the share of gold values
   found, averaged over the fields), the measure of the project's held-out English set.
3. References per second (one process, model loaded; the best of three passes over the lines of
   2, since the machine is shared).
4. Document types: how many lines of the corpus (both sides) the parser gives each CSL type;
   with ``--sample FILE`` also 20 lines per type with the fields found, for checking by hand.

    python benchmarks/parse_eval.py [--shared ../shared/data] [--limit N] [--only gold,pairs]
                                    [--sample docs/parse-types-sample.md]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import random
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from transcite.model import Reference
from transcite.parse import parse_reference
from transcite.parse.lexicon import tables

ROOT = Path(__file__).resolve().parent.parent
_STOP = {"and", "et", "al", "eds", "ed", "editor", "editors", "edited", "by", "others", "и",
         "др", "in", "trans", "translated", "hrsg", "under", "под", "ред"}


def words(text: str | None) -> list[str]:
    """Lower-case letter/digit runs; ligatures as letters (NFKC) and hyphens ignored, so that a
    word broken at a line end (``Jour- nal``) and mended (``Journal``) compare equal."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    return re.findall(r"\w+", re.sub(r"[-‐]\s*", "", t))


def _merge_initials(text: str) -> str:
    """``W. E.`` / ``W.E.`` / ``WE`` -> ``WE``: initials compared as one run of letters."""
    t = re.sub(r"(?<![\w'’-])(\w)\.?[\s.]*(?=\w(?![\w'’]))", r"\1", text)
    return t


def name_words(text: str) -> Counter[str]:
    return Counter(w for w in words(_merge_initials(text)) if w not in _STOP)


def parsed_name_words(ref: Reference, var: str) -> Counter[str] | None:
    names = ref.names.get(var)
    if not names:
        return None
    out: Counter[str] = Counter()
    for n in names:
        for part in (n.family, n.given, n.non_dropping_particle, n.dropping_particle, n.suffix,
                     n.literal):
            out.update(w for w in words(_merge_initials(part or "")) if w not in _STOP)
    return out


def first_number(text: str | None) -> str | None:
    t = re.sub(r"^\W*(?:vols?|volume|v|t|bd|no|nos|iss|issue|n|№)\b\.?", "", (text or "").strip(),
               flags=re.I)
    m = re.search(r"[A-Za-z]?\d+[A-Za-z]?|\b[IVXLC]+\b", t)
    return m.group().lower() if m else None


def gold_issue(text: str) -> str | None:
    m = re.search(r"\((\w+(?:[-–/]\w+)?)\)|\b(?:no|nos|n|iss|issue|№)\.?\s*(\d+(?:[-–/]\d+)?)",
                  text, re.I)
    if not m:
        return None
    return (m.group(1) or m.group(2)).replace("–", "-").lower()


def page_range(text: str | None) -> str | None:
    t = re.sub(r"^\W*(?:pp?|pages?|s)\b\.?", "", (text or "").strip(), flags=re.I)
    m = re.search(r"[A-Za-z]?\d+(?:\s*[-–—]+\s*[A-Za-z]?\d+)?", t)
    return re.sub(r"\s*[-–—]+\s*", "-", m.group()).lower() if m else None


def year_of(text: str | None) -> int | None:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20[0-4]\d)(?!\d)", text or "")
    return int(m.group(1)) if m else None


def text_key(text: str | None, drop: tuple[str, ...] = ()) -> str | None:
    w = [x for x in words(text) if x not in drop]
    if w and w[0] == "in":
        w = w[1:]
    return " ".join(w) or None


def read_gold(path: Path) -> list[list[tuple[str, str]]]:
    out = []
    for seq in ET.parse(path).getroot().iter("sequence"):
        out.append([(c.tag, re.sub(r"\s+", " ", c.text or "").strip()) for c in seq])
    return out


def compare_gold(seq: list[tuple[str, str]], ref: Reference) -> dict[str, tuple[bool, bool, bool]]:
    """field -> (gold has it, parser has it, they agree)."""
    gold: dict[str, str] = {}
    for tag, text in seq:
        key = "container-title" if tag in ("journal", "container-title") else tag
        gold[key] = f"{gold[key]} {text}" if key in gold else text
    f = ref.fields
    out: dict[str, tuple[bool, bool, bool]] = {}

    def put(name: str, g: object, p: object) -> None:
        if g is None and p is None:
            return
        out[name] = (g is not None, p is not None, g is not None and g == p)

    for var in ("author", "editor", "translator"):
        g = name_words(gold[var]) if var in gold else None
        put(var, g or None, parsed_name_words(ref, var))
    title = f.get("title")
    if title and ref.variants.get("title"):
        extra = [v.text for v in ref.variants["title"] if v.text != title]
        title = " ".join([title, *extra])
    put("title", text_key(gold.get("title")), text_key(title))
    put("container-title", text_key(gold.get("container-title")),
        text_key(f.get("container-title")))
    put("date", year_of(gold.get("date")), ref.year)
    put("volume", first_number(gold.get("volume")), first_number(f.get("volume")))
    if "volume" in gold or "issue" in f:
        put("issue (from gold volume)", gold_issue(gold.get("volume", "")),
            (f.get("issue") or "").replace("–", "-").lower() or None)
    put("pages", page_range(gold.get("pages")),
        page_range(f.get("page") or f.get("number-of-pages")))
    put("publisher", text_key(gold.get("publisher"), ("publ",)), text_key(f.get("publisher")))
    put("location", text_key(gold.get("location")), text_key(f.get("publisher-place")))
    put("url", (gold.get("url") or "").rstrip(".,;") or None, f.get("URL"))
    put("doi", re.sub(r"^(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)", "", gold.get("doi", ""),
                      flags=re.I).rstrip(".,;").lower() or None,
        (f.get("DOI") or "").lower() or None)
    put("edition", text_key(gold.get("edition")), text_key(f.get("edition")))
    put("genre", text_key(gold.get("genre")), text_key(f.get("genre")))
    put("collection-title", text_key(gold.get("collection-title")),
        text_key(f.get("collection-title")))
    put("citation-number", "".join(re.findall(r"\d+", gold.get("citation-number", ""))) or None,
        ref.extra.get("citation-number"))
    return out


#: fields whose accuracy is averaged (every gold tag the parser has a CSL place for)
FIELD_ACCURACY = ("author", "editor", "translator", "title", "container-title", "date", "volume",
                  "issue (from gold volume)", "pages", "publisher", "location", "url", "doi",
                  "edition", "genre", "collection-title")
MAIN = ("author", "title", "container-title", "date", "volume", "pages", "publisher", "location",
        "editor", "url", "doi")


_LINK_TAILS = (" [Google Scholar]", " CrossRef", " [PubMed]", " Google Scholar", " [CrossRef]")


def messy(seq: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    """The same tagged reference as a careless paste shows it (deterministic in ``k``).

    Kinds of noise, two or three per reference: spaces lost after commas and full stops, author
    names in capitals, a list number in front, a link label from a journal site at the end,
    ligatures and curly quotes from a PDF, doubled spaces, the final full stop dropped, a word
    hyphenated across a line break. The gold values stay the clean ones.
    """
    rnd = random.Random(k)
    kinds = rnd.sample(range(8), 3)
    out = [list(x) for x in seq]
    for kind in kinds:
        if kind == 0:
            for x in out:
                x[1] = re.sub(r"([,.])\s(?=[A-Za-z])", lambda m: m.group(1)
                              if rnd.random() < .5 else m.group(0), x[1])
        elif kind == 1:
            for x in out:
                if x[0] == "author":
                    x[1] = x[1].upper()
        elif kind == 2 and not any(x[0] == "citation-number" for x in out):
            number = rnd.choice(("[{}]", "{}.", "{})")).format(k % 90 + 1)
            out.insert(0, ["citation-number", number])
        elif kind == 3:
            out.append(["note", rnd.choice(_LINK_TAILS).strip()])
        elif kind == 4:
            for x in out:
                x[1] = x[1].replace("fi", "\ufb01").replace("fl", "\ufb02").replace(
                    "\"", "\u201d")
        elif kind == 5:
            for x in out:
                x[1] = x[1].replace(" ", "  ", 2)
        elif kind == 6 and out:
            out[-1][1] = out[-1][1].rstrip(".")
        elif kind == 7:
            for x in out:
                if x[0] == "title":
                    words = x[1].split(" ")
                    long = [i for i, w in enumerate(words) if len(w) > 7 and w.isalpha()]
                    if long:
                        i = rnd.choice(long)
                        words[i] = words[i][:4] + "- " + words[i][4:]
                        x[1] = " ".join(words)
    return [(a, b) for a, b in out]


def gold_eval(shared: Path, limit: int | None, noisy: bool = False) -> None:
    seqs = read_gold(shared / "anystyle" / "gold.xml")[:limit]
    counts: dict[str, list[int]] = {}
    per_ref: list[float] = []
    for k, seq in enumerate(seqs):
        shown = messy(seq, k) if noisy else seq
        raw = " ".join(t for _, t in shown)
        ref = parse_reference(raw)
        right = total = 0
        for name, (g, p, ok) in compare_gold(seq, ref).items():
            c = counts.setdefault(name, [0, 0, 0])  # tp, parsed, gold
            c[0] += ok
            c[1] += p
            c[2] += g
            if g and name in FIELD_ACCURACY:
                right, total = right + ok, total + 1
        if total:
            per_ref.append(right / total)
    what = "the same references made messy (see messy())" if noisy else "field-level exact match"
    print(f"\n(1{'b' if noisy else ''}) anystyle gold.xml: {len(seqs)} references, {what}")
    print(f"{'field':28} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}")
    tp = pp = gg = 0
    accs = []
    for name, (t, p, g) in sorted(counts.items(), key=lambda kv: -kv[1][2]):
        prec, rec = (t / p if p else 0.0), (t / g if g else 0.0)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{name:28} {g:5d} {prec:6.3f} {rec:6.3f} {f1:6.3f} {rec:6.3f}")
        if name in MAIN:
            tp, pp, gg = tp + t, pp + p, gg + g
        if name in FIELD_ACCURACY and g:
            accs.append(rec)
    prec, rec = tp / pp, tp / gg
    print(f"{'micro-average of ' + str(len(MAIN)) + ' main':28} {gg:5d} {prec:6.3f} {rec:6.3f} "
          f"{2 * prec * rec / (prec + rec):6.3f}   (main: {', '.join(MAIN)})")
    print(f"mean field accuracy: {sum(accs) / len(accs):.3f} over the {len(accs)} fields "
          "(acc = share of gold values found equal); per reference "
          f"{sum(per_ref) / len(per_ref):.3f}")


def skeleton(name: str) -> str:
    letters: dict[str, str] = tables()["letters"]
    t = "".join(letters.get(ch, ch) for ch in name.lower())
    for a, b in (("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
                 ("ch", "c"), ("sh", "s"), ("x", "ks"), ("w", "v"), ("j", "y"), ("ie", "e"),
                 ("iy", "i"), ("yy", "y")):
        t = t.replace(a, b)
    t = re.sub(r"[^a-z]", "", t).replace("y", "")
    return re.sub(r"(.)\1+", r"\1", t)


def first_family(ref: Reference) -> str | None:
    names = ref.names.get("author") or []
    return (names[0].family or names[0].literal) if names else None


def first_page(ref: Reference) -> str | None:
    m = re.match(r"\s*([A-Za-z]?\d+)", ref.fields.get("page", ""))
    return m.group(1).lower() if m else None


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def norm_num(value: str | None) -> str | None:
    """The leading number of a volume or issue (``4 (103)`` -> ``4``; Roman ``LIV`` -> ``54``)."""
    m = re.match(r"\s*([A-Za-z]?\d+|[IVXLC]+\b)", value or "")
    if not m:
        return value.strip().lower() if value else None
    v = m.group(1)
    if v.isalpha():
        total = 0
        for i, ch in enumerate(v):
            n = _ROMAN[ch]
            total += -n if i + 1 < len(v) and _ROMAN[v[i + 1]] > n else n
        return str(total)
    return v.lower()


def pair_values(ref: Reference) -> dict[str, object]:
    return {"year": ref.year, "volume": norm_num(ref.fields.get("volume")),
            "issue": norm_num(ref.fields.get("issue")), "first page": first_page(ref),
            "first author": first_family(ref)}


def held_out(row: dict[str, object]) -> bool:
    return int(hashlib.md5(str(row["source_url"]).encode()).hexdigest(), 16) % 2 == 1


def russian_eval(shared: Path, limit: int | None) -> list[str]:
    rows = [json.loads(line) for line in
            (shared / "russian-references" / "references.jsonl").open(encoding="utf-8")]
    pairs = [r for r in rows if r.get("cyrillic") and r.get("latin")][:limit]
    fields = ("year", "volume", "issue", "first page", "first author")
    stats = {part: {f: [0, 0, 0] for f in fields} for part in ("held-out", "all")}
    lines: list[str] = []
    for r in pairs:
        a, b = pair_values(parse_reference(r["cyrillic"])), pair_values(parse_reference(r["latin"]))
        lines.extend((r["cyrillic"], r["latin"]))
        for f in fields:
            x, y = a[f], b[f]
            if f == "first author" and x and y:
                ok = difflib.SequenceMatcher(None, skeleton(str(x)), skeleton(str(y))).ratio() >= .8
            else:
                ok = x == y
            for part in ("held-out", "all"):
                if part == "held-out" and not held_out(r):
                    continue
                s = stats[part][f]
                if x is None and y is None:
                    s[2] += 1
                else:
                    s[0] += ok
                    s[1] += 1
    n_held = sum(1 for r in pairs if held_out(r))
    print(f"\n(2) russian-references: {len(pairs)} aligned pairs ({n_held} held out)")
    print(f"{'field':14} {'held-out agree':>15} {'(n)':>6} {'all agree':>10} {'(n)':>6}"
          f" {'both absent*':>12} {'held-out, every pair':>21}")
    for f in fields:
        h, a = stats["held-out"][f], stats["all"][f]
        every = (h[0] + h[2]) / max(h[1] + h[2], 1)
        print(f"{f:14} {h[0] / max(h[1], 1):15.3f} {h[1]:6d} {a[0] / max(a[1], 1):10.3f} "
              f"{a[1]:6d} {a[2]:12d} {every:21.3f}")
    tot_h = sum(stats["held-out"][f][0] for f in fields) / max(
        1, sum(stats["held-out"][f][1] for f in fields))
    tot_a = sum(stats["all"][f][0] for f in fields) / max(
        1, sum(stats["all"][f][1] for f in fields))
    tot_e = sum(stats["held-out"][f][0] + stats["held-out"][f][2] for f in fields) / max(
        1, sum(stats["held-out"][f][1] + stats["held-out"][f][2] for f in fields))
    print(f"{'all five':14} {tot_h:15.3f} {'':6} {tot_a:10.3f} {'':6} {'':12} {tot_e:21.3f}")
    print("  agree: over pairs where at least one side has the field; every pair: a field absent")
    print("  from both sides counts as agreeing (both parsed lines say the same thing);")
    print("  * both absent: over all pairs")
    return lines


def speed(lines: list[str], repeats: int = 3) -> None:
    """References per second, best of ``repeats`` passes (the machine is shared: the fastest
    pass is the one least disturbed by other work; every pass is printed)."""
    parse_reference("Warm-up W. Title. Journal, 2000, vol. 1, pp. 1-2.")
    rates, cpu_rates = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for line in lines:
            parse_reference(line)
        rates.append(len(lines) / (time.perf_counter() - t0))
        cpu_rates.append(len(lines) / (time.process_time() - c0))
    print(f"\n(3) speed: {len(lines)} references per pass, one process, model loaded: "
          f"best {max(rates):,.0f} references/s wall clock (passes: "
          f"{', '.join(f'{r:,.0f}' for r in rates)}); {max(cpu_rates):,.0f} per CPU-second")


def _summary(ref: Reference) -> str:
    """The fields a reader checks, in one line."""
    f = ref.fields
    parts = []
    for role, label in (("author", ""), ("editor", "ed. "), ("translator", "trans. ")):
        names = ref.names.get(role) or []
        if names:
            shown = [n.display() for n in names[:3]] + (["..."] if len(names) > 4 else []) + (
                [names[-1].display()] if len(names) > 3 else [])
            parts.append(label + "; ".join(shown))
    for var in ("genre", "number", "status", "title", "container-title", "collection-title",
                "collection-number", "authority", "event-place", "publisher-place", "publisher",
                "edition", "volume", "issue", "page", "number-of-pages", "number-of-volumes",
                "DOI", "ISBN", "URL", "note"):
        if f.get(var):
            parts.append(f"{var}={f[var][:160]}")
    for var in ("issued", "event-date", "submitted", "accessed"):
        if var in ref.dates:
            parts.append(f"{var}={ref.dates[var].iso()}")
    return " | ".join(parts).replace("\n", " ")


def type_counts(shared: Path, sample: Path | None, limit: int | None = None,
                per_type: int = 20) -> None:
    """How many lines of the corpus (both sides of every row) the parser gives each type."""
    rows = [json.loads(line) for line in
            (shared / "russian-references" / "references.jsonl").open(encoding="utf-8")][:limit]
    lines = [(r["id"], side, r[side]) for r in rows for side in ("cyrillic", "latin")
             if r.get(side)]
    by_type: dict[str, list[tuple[str, str, str, Reference]]] = {}
    for rid, side, line in lines:
        ref = parse_reference(line)
        by_type.setdefault(ref.type, []).append((rid, side, line, ref))
    print(f"\n(4) document types over russian-references: {len(lines)} lines (both sides)")
    for name, items in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        cyr = sum(1 for _, side, _, _ in items if side == "cyrillic")
        print(f"{name:20} {len(items):6d}   (Cyrillic side {cyr}, Latin side {len(items) - cyr})")
    if sample is None:
        return
    out = ["# Sample of parsed lines per document type",
           "",
           f"Written by `python benchmarks/parse_eval.py --sample {sample.name}`: {per_type} "
           "lines per type drawn by hash (seed 15) from both sides of "
           "../shared/data/russian-references, with the fields the parser found.", ""]
    for name, items in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        # a stable draw: the lines of the type whose hash comes first (a fix that moves a few
        # lines between types leaves the rest of the sample as it was)
        picked = sorted(items, key=lambda it: hashlib.sha1(
            f"15:{it[0]}:{it[1]}".encode()).hexdigest())[:per_type]
        out += [f"## {name} ({len(items)} lines)", ""]
        for i, (rid, side, line, ref) in enumerate(picked, 1):
            out += [f"{i}. `{rid}` {side}: {line}", f"   - parsed: {_summary(ref)}", ""]
    sample.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"sample of {per_type} per type written to {sample}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--sample", default=None, help="write a sample of 20 lines per type here")
    ap.add_argument("--only", default=None, help="comma list of parts to run: gold, messy, "
                    "pairs, speed, types (default: all)")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "anystyle" / "gold.xml").is_file():
        print(f"skipped: {shared} has no anystyle/gold.xml")
        return 0
    parts = set((args.only or "gold,messy,pairs,speed,types").split(","))
    if "gold" in parts:
        gold_eval(shared, args.limit)
    if "messy" in parts:
        gold_eval(shared, args.limit, noisy=True)
    if "pairs" in parts or "speed" in parts:
        lines = russian_eval(shared, args.limit)
        if "speed" in parts:
            speed(lines)
    if "types" in parts:
        type_counts(shared, Path(args.sample) if args.sample else None, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
