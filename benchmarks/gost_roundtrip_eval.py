"""How much of a printed GOST reference line survives ``transcite parse`` + ``transcite format``.

Every Cyrillic line of ../shared/data/russian-references (the Russian-side "Список литературы"
lines a journal printed; lines starting "Там же" / "Ibid." skipped) goes through the command line
as a user would run it::

    transcite parse - < lines.txt > parsed.json
    transcite format parsed.json --style STYLE --order input

and each output line is compared with the printed line it came from by **content tokens**: each
URL or DOI as one token (a DOI however written: ``10.x/y``, ``doi:10.x/y``,
``https://doi.org/10.x/y``; a URL without its scheme, ``www.`` or trailing punctuation), every
number (leading zeros dropped; a month written as a word counts as its number, so "10 апреля
2010" and "10.04.2010" agree), and every word of 3+ letters (lower-cased, ё as е) except the
boilerplate a style adds by itself (том, вып, под, ред, изд, электронный ресурс, режим доступа,
дата обращения, URL, DOI, Vol., pp., Publ., accessed ...: :data:`BOILERPLATE`). Names after the
third of the printed line's leading author list may be left out (GOST shortens such lists to
three names and "и др."): their tokens count only when the output keeps them.

Figures, per style:

* recall - the share of the printed line's tokens present in the output line;
* precision - the share of the output line's tokens present in the printed line;
* whole lines - the share of lines whose every token survives.

Both are micro-averaged over unique tokens per line. Lost tokens are split by category (URL, DOI,
number, word) and by cause: **parser** when the token is nowhere in the parsed item (the parser
lost it before any style ran), **style** when the parsed item has it and the formatted line does
not; style losses are also counted by the field that held the token (a conference date the
parser put in ``issued`` instead of ``event-date`` is a style loss held by ``issued``). Figures
are given for all lines and for the held-out half the parser was not tuned on (articles whose
source URL has an odd md5, as in benchmarks/parse_eval.py).

    python benchmarks/gost_roundtrip_eval.py [--data PATH] [--style S ...] [--limit N]
        [--parsed FILE] [--save-parsed FILE] [--show N]

``--parsed`` reuses a saved ``transcite parse`` output (``--save-parsed`` writes one), so styles
can be iterated on without parsing again. Skips (exit 0 with a message) when the data is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("TRANSCITE_SHARED_DATA") or ROOT.parent / "shared" / "data") / \
    "russian-references" / "references.jsonl"
STYLES = ("gost-r-7-0-5-2008-numeric", "gost-r-7-0-100-2018-numeric")

#: Words a GOST style writes by itself (terms, prescribed notes), in either language.
BOILERPLATE = frozenset("""
    том тома томе томах томов вып выпуск стр под ред редакцией изд издание издания пер перевод сост
    электронный электрон ресурс ресурса режим доступа доступ дата обращения посещения текст
    непосредственный url doi isbn issn vol vols pp publ available accessed online eds edn
    trans transl опубл заявл
""".split())

_MONTHS = {
    "январ": 1, "янв": 1, "феврал": 2, "февр": 2, "фев": 2, "март": 3, "мар": 3,
    "апрел": 4, "апр": 4,
    "мая": 5, "май": 5, "июн": 6, "июл": 7, "август": 8, "авг": 8, "сентябр": 9, "сент": 9,
    "сен": 9, "октябр": 10, "окт": 10, "ноябр": 11, "нояб": 11, "ноя": 11, "декабр": 12, "дек": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_MONTH_WORD = re.compile(r"^(?:(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяе]"
                         r"|(март)а?|(мая|май)|(август)а?|(янв|февр|фев|мар|апр|июн|июл|авг|"
                         r"сент|сен|окт|нояб|ноя|дек)"
                         r"|(january|february|march|april|june|july|august|september|october|"
                         r"november|december|jan|feb|apr|jun|jul|aug|sept|sep|oct|nov|dec))$")
_DOI = re.compile(r"(?:https?://)?(?:dx\.)?(?:doi\.org/|doi:\s*)?\s?(10\.\d{4,9}/[^\s]+)",
                  re.I)
_URL = re.compile(r"(?:https?:/{1,2}|www\.)[^\s<>«»\"]+", re.I)
_TRAIL = ".,;:)]}»\"'"
_WORD = re.compile(r"[^\W\d_]{3,}|\d+")
_INITIAL = r"[A-ZА-ЯЁ][a-zа-яё]?(?:\.|(?![\w.]))\s*-?\s*"
_NAME = re.compile(
    r"\s*(?:"
    rf"[A-ZА-ЯЁ][\w'’-]+,?\s*(?:{_INITIAL}){{1,3}}"                      # Иванов И.И.
    r"|(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s*-?\s*){1,3}[A-ZА-ЯЁ][\w'’-]+"          # И.И. Иванов
    r")")
_NAME_SEP = re.compile(r"\s*(?:,|\band\b|\bи\b(?!\s*др))\s*"
                       r"|(?<=\s)(?=[A-ZА-ЯЁ][\w'’-]+,?\s*[A-ZА-ЯЁ][a-zа-яё]?\.)")


def held_out(row: dict[str, object]) -> bool:
    """The half of the data the parser was not trained or tuned on."""
    return int(hashlib.md5(str(row["source_url"]).encode()).hexdigest(), 16) % 2 == 1


def _month(word: str) -> int | None:
    m = _MONTH_WORD.match(word)
    if not m:
        return None
    text = next(g for g in m.groups() if g)
    return _MONTHS.get(text) or _MONTHS.get(text[:4]) or _MONTHS.get(text[:3])


def tokens(text: str) -> list[str]:
    """The content tokens of a reference line, in order (see the module docstring)."""
    out: list[str] = []
    text = text.replace("ё", "е").replace("Ё", "Е")

    def doi(m: re.Match[str]) -> str:
        out.append("doi:" + m.group(1).rstrip(_TRAIL).lower())
        return " "

    text = _DOI.sub(doi, text)

    def url(m: re.Match[str]) -> str:
        u = m.group(0).rstrip(_TRAIL).lower()
        u = re.sub(r"^(?:https?:/{1,2})?(?:www\.)?", "", u).rstrip("/")
        if u:
            out.append("url:" + u)
        return " "

    text = _URL.sub(url, text)
    for w in _WORD.findall(text):
        if w.isdigit():
            out.append(str(int(w)))
            continue
        low = w.lower()
        month = _month(low)
        if month is not None:
            out.append(str(month))
        elif low not in BOILERPLATE:
            out.append(low)
    return out


def optional_names(line: str) -> set[str]:
    """Tokens of the names after the third in the line's leading author list."""
    pos, names = 0, []
    while True:
        m = _NAME.match(line, pos)
        if not m:
            break
        names.append(m.group(0))
        pos = m.end()
        sep = _NAME_SEP.match(line, pos)
        if not sep:
            break
        pos = sep.end()
    return {t for n in names[3:] for t in tokens(n)}


def item_text(item: dict[str, object]) -> str:
    """Every value of a parsed CSL-JSON item, as one text (for finding where a token was lost)."""
    parts: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k != "id":
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif v is not None:
            parts.append(str(v))

    walk(item)
    return " ".join(parts)


@dataclass
class Score:
    """Token counts of one style over a set of lines."""

    lines: int = 0
    whole: int = 0
    printed: int = 0
    kept: int = 0
    output: int = 0
    right: int = 0
    lost: Counter[str] = field(default_factory=Counter)
    by_field: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    lines_by_type: Counter[str] = field(default_factory=Counter)

    def add(self, printed: list[str], optional: set[str], out: list[str],
            item: dict[str, object]) -> list[str]:
        """Count one line; returns its lost tokens."""
        have, want = set(out), set(printed)
        required = {t for t in want if t not in optional or t in have}
        lost = sorted(required - have)
        kind = str(item["type"])
        self.lines += 1
        self.lines_by_type[kind] += 1
        self.printed += len(required)
        self.kept += len(required) - len(lost)
        self.output += len(have)
        self.right += len(have & want)
        if not lost:
            self.whole += 1
        fields = {k: set(tokens(item_text({k: v}))) for k, v in item.items() if k != "id"}
        for t in lost:
            cat = "url" if t.startswith("url:") else "doi" if t.startswith("doi:") else \
                "number" if t.isdigit() else "word"
            holder = next((k for k, toks in fields.items() if t in toks), None)
            self.lost[f"{'style' if holder else 'parser'}/{cat}"] += 1
            if holder:
                self.by_field[f"{kind}: {holder}"] += 1
            self.by_type[kind] += 1
        return lost


def _run(args: list[str], stdin: str | None = None) -> str:
    proc = subprocess.run([sys.executable, "-m", "transcite", *args], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"transcite {' '.join(args)} failed ({proc.returncode}):\n"
                         f"{proc.stderr[-2000:]}")
    return proc.stdout


def _strip_number(line: str) -> str:
    return re.sub(r"^\s*\[?\d+[.\]]\s*", "", line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--style", action="append", help="style(s) to format with "
                    f"(default: {', '.join(STYLES)})")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--parsed", type=Path, help="reuse this 'transcite parse' output")
    ap.add_argument("--save-parsed", type=Path, help="write the parse output here")
    ap.add_argument("--show", type=int, default=0, help="print N lines that lose tokens")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found")
        return 0
    rows = []
    for raw in args.data.open(encoding="utf-8"):
        row = json.loads(raw)
        text = row.get("cyrillic")
        if not text or not re.search("[а-яА-ЯёЁ]", text):
            continue
        text = " ".join(text.split())
        if re.match(r"(?i)\s*(там\s+же|ibid)", text):
            continue
        row["line"] = text
        rows.append(row)
    if args.limit:
        rows = rows[:args.limit]
    lines = [r["line"] for r in rows]
    start = time.perf_counter()
    if args.parsed:
        parsed_json = args.parsed.read_text(encoding="utf-8")
    else:
        parsed_json = _run(["parse", "-"], "\n".join(lines) + "\n")
        if args.save_parsed:
            args.save_parsed.write_text(parsed_json, encoding="utf-8")
    parse_s = time.perf_counter() - start
    items = json.loads(parsed_json)
    if len(items) != len(lines):
        raise SystemExit(f"parse gave {len(items)} items for {len(lines)} lines "
                         "(a saved --parsed file from other data?)")
    print(f"{len(lines)} printed Cyrillic lines ({sum(held_out(r) for r in rows)} held out) "
          f"from {args.data}; parse {parse_s:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "parsed.json"
        path.write_text(parsed_json, encoding="utf-8")
        for style in args.style or STYLES:
            start = time.perf_counter()
            out = _run(["format", str(path), "--style", style, "--order", "input"])
            elapsed = time.perf_counter() - start
            formatted = [_strip_number(x) for x in out.splitlines()]
            if len(formatted) != len(lines):
                print(f"\n{style}: {len(formatted)} output lines for {len(lines)} items - an "
                      "entry was dropped or split; figures not comparable")
                continue
            scores = {"all": Score(), "held-out": Score()}
            shown = 0
            for row, item, text in zip(rows, items, formatted):
                printed = tokens(row["line"])
                opt = optional_names(row["line"])
                got = tokens(text)
                lost = scores["all"].add(printed, opt, got, item)
                if held_out(row):
                    scores["held-out"].add(printed, opt, got, item)
                if lost and shown < args.show:
                    shown += 1
                    extra = sorted(set(got) - set(printed))
                    print(f"  [{item['type']}] lost {lost} added {extra}\n    printed: "
                          f"{row['line']}\n    output:  {text}")
            _report(style, scores, elapsed)
    return 0


def _report(style: str, scores: dict[str, Score], elapsed: float) -> None:
    print(f"\n{style} (format {elapsed:.1f} s)")
    print(f"  {'part':10} {'lines':>6} {'recall':>8} {'precision':>10} {'whole lines':>12}")
    for part, s in scores.items():
        if not s.lines:
            continue
        print(f"  {part:10} {s.lines:6d} {s.kept / max(s.printed, 1):8.4f} "
              f"{s.right / max(s.output, 1):10.4f} {s.whole / s.lines:12.1%}")
    s = scores["all"]
    total = sum(s.lost.values())
    print(f"  lost tokens (all lines): {total}")
    for key, n in s.lost.most_common():
        print(f"    {key:16} {n:6d}  {n / max(total, 1):6.1%}")
    print("  style losses by the parsed field that held the token (type: field):")
    for key, n in s.by_field.most_common(8):
        print(f"    {key:28} {n:6d}")
    print("  lost tokens by parsed type (lines of that type):")
    for kind, n in s.by_type.most_common():
        print(f"    {kind:20} {n:6d}  ({s.lines_by_type[kind]} lines)")


if __name__ == "__main__":
    sys.exit(main())
