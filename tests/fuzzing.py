"""Hostile input for the fuzz tests (tests/test_fuzz.py) and the long campaigns
(tools/fuzz_campaign.py): text full of what breaks bibliography tools, generated references
and libraries, mutated files seeded from tests/data, mutated Pandoc ASTs - and the checks each
run makes.

A check returns None when all is well, or a short description of what went wrong; it raises
only for a crash (a traceback a user would see).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from transcite.model import CSL_TYPES, Date, Form, Library, Name, NameVariant, Reference, Variant

DATA = Path(__file__).resolve().parent / "data"

#: Pieces of text that break bibliography tools: LaTeX specials, BibTeX syntax, dashes that
#: readers turn into en dashes, the words BibTeX name lists split on, markup, Cyrillic.
TRICKY = ["{", "}", "\\", "%", "#", "&", "$", "_", "^", "~", "@", "@article{", "@book(", ",",
          "=", '"', "'", "''", "``", "--", "---", "<<", ">>", " and ", "and", "others",
          "and others", "von", "Van", "de la", "Jr.", "{\\'e}", "\\'", "\\emph{x}", "C:\\",
          "<i>", "</i>", "<i>it</i>", '<span class="nocase">NASA</span>', "<b>b</b>",
          "Иванов И.И.", "и др.", "Росатом", "Ё", "ё", "«", "»", "№", "–", "—", "\u00a0",
          "\u2009", "\t", "  ", ";", ":", "[", "]", "(", ")", "TY  - ", "ER  - ", "AU  - x",
          "x-note: y", "title [ru-Latn-x-bsi]: x", "%7B", "&amp;", "<", ">", "0", "2001",
          "１２", "ﬁ", "e\u0301", "𝔘", "\ufeff", "\ufffd", "ß", "Ǆ", "İ"]

_LETTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))


def hostile_text(min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[str]:
    """Text made of tricky pieces and arbitrary letters, without leading or trailing space
    (every format strips that) and without line breaks or control characters."""
    piece = st.one_of(st.sampled_from(TRICKY), st.text(_LETTERS, min_size=1, max_size=4))
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join).map(
        lambda t: " ".join(t.split())).filter(bool)


_ID = st.one_of(st.from_regex(r"[A-Za-z][A-Za-z0-9:_-]{0,12}", fullmatch=True),
                hostile_text(1, 3))
_TEXT_VARS = ["title", "container-title", "publisher", "publisher-place", "note", "volume",
              "edition", "genre", "abstract", "collection-title", "event-title",
              "medium", "URL", "DOI", "ISBN", "ISSN", "version",
              "original-title", "authority", "archive", "title-short", "keyword"]
_NAME_VARS = ["author", "editor", "translator", "container-author", "compiler",
              "collection-editor", "director", "illustrator", "recipient"]


@st.composite
def names(draw: st.DrawFn, particles: bool = True) -> Name:
    """A person (family, given, suffix, particles when asked) or an organisation, perhaps with
    other forms (one of each kind: a format keeps one form per language and scheme)."""
    text = hostile_text(1, 3)
    if draw(st.integers(0, 4)) == 0:
        name = Name(literal=draw(text))
    else:
        name = Name(family=draw(text), given=draw(st.none() | text),
                    non_dropping_particle=draw(st.none() | st.sampled_from(
                        ["van", "de", "von", "van der"])) if particles else None,
                    suffix=draw(st.none() | st.sampled_from(["Jr.", "III"])))
    kinds = draw(st.sets(st.sampled_from([(Form.ROMANISED, "ru", None),
                                          (Form.ROMANISED, "ru", "bsi"),
                                          (Form.TRANSLATED, "en", None)]), max_size=2))
    for form, lang, scheme in sorted(kinds, key=str):
        other = Name(family=draw(text), given=draw(st.none() | text))
        if not other.parts_equal(name):
            name.variants.append(NameVariant(other, form, lang, scheme))
    return name


@st.composite
def references(draw: st.DrawFn, *, hostile_ids: bool = True, particles: bool = True
               ) -> Reference:
    """A reference of any type with hostile text in its fields, names, dates, variants and
    kept fields. Name particles (van, de) only when ``particles``: BibTeX's and RIS's
    particle rules are issue 18's, as are ``number``/``issue`` by entry type and ``status`` as
    biblatex's ``pubstate`` (left out)."""
    ref = Reference(id=draw(_ID if hostile_ids else _ID.filter(lambda s: s.isascii())),
                    type=draw(st.sampled_from(sorted(CSL_TYPES))))
    text = hostile_text()
    for var in draw(st.sets(st.sampled_from(_TEXT_VARS), max_size=5)):
        # (RIS's one SN tag holds an ISBN, an ISSN or a number, as plain text: issue 18's)
        ref.fields[var] = draw(text.filter(lambda t: "<" not in t) if var in ("ISBN", "ISSN")
                               else text)
    if draw(st.booleans()):
        # (an English item has no English translation: a form in the item's own language is
        # its original)
        ref.fields["language"] = draw(st.sampled_from(["ru", "de", "uk"]))
    for var in draw(st.sets(st.sampled_from(_NAME_VARS), max_size=2)):
        ref.names[var] = draw(st.lists(names(particles), min_size=1, max_size=3))
        if draw(st.integers(0, 5)) == 0:
            ref.names[var].append(Name(literal="others"))
    if draw(st.booleans()):
        y = draw(st.integers(1000, 2100))
        parts = draw(st.sampled_from([((y,),), ((y, draw(st.integers(1, 12))),),
                                      ((y, draw(st.integers(1, 12)), draw(st.integers(1, 28))),),
                                      ((y,), (y + 1,))]))
        ref.dates["issued"] = Date(parts=parts)
    elif draw(st.booleans()):
        ref.dates["issued"] = Date(literal=draw(text.filter(lambda t: any(
            c.isalpha() for c in t))))
    for var in draw(st.sets(st.sampled_from(["title", "container-title", "publisher"]),
                            max_size=2)):
        if var not in ref.fields:
            continue
        kinds = draw(st.sets(st.sampled_from([(Form.ROMANISED, "ru", None),
                                              (Form.ROMANISED, "ru", "bsi"),
                                              (Form.ROMANISED, "ru", "bgn_pcgn"),
                                              (Form.TRANSLATED, "en", None)]), max_size=2))
        for form, lang, scheme in sorted(kinds, key=str):
            value = draw(text)
            if value != ref.fields[var]:
                ref.add_variant(var, Variant(value, form, lang, scheme))
    for key in draw(st.sets(st.sampled_from(["file", "owner", "timestamp", "x-custom", "Note2",
                                             "my key", "a=b", "ключ"]), max_size=2)):
        ref.extra[key] = draw(st.one_of(text, st.integers(-5, 5), st.lists(text, max_size=2)))
    return ref


def libraries(max_size: int = 4, **kw: Any) -> st.SearchStrategy[list[Reference]]:
    """Lists of references with distinct ids."""
    return st.lists(references(**kw), min_size=1, max_size=max_size, unique_by=lambda r: r.id)


# -- seeds and mutation ------------------------------------------------------------------------

SEED_FORMATS = {".bib": "bibtex", ".json": "csl-json", ".yaml": "csl-yaml", ".ris": "ris",
                ".txt": "text"}


def seeds() -> list[tuple[str, str]]:
    """(format, text) of every bibliography in tests/data (expected outputs left out)."""
    out = []
    for path in sorted(DATA.rglob("*")):
        fmt = SEED_FORMATS.get(path.suffix)
        if fmt is None or "expected" in path.name or "case" in path.name or \
                "crossref" in path.parts or "pandoc" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if len(text) < 200_000:
            out.append((fmt, text))
    return out


_SPLICE = TRICKY + ["\n", "\r\n", "\r", "\x0c", "\x85", "\u2028", "\x00", "[" * 200,
                    "{" * 200, "}" * 3, "\\'" * 50, "9" * 40, "NaN", "&a [*a, *a]",
                    "\ud800", "@comment{", "@preamble{", "@string{x = ", "\n}\n", ",\n  x = {",
                    "TY  - JOUR\n", "\nER  -\n", '"multi": {"_keys": {"title": 5}}',
                    '{"id": 1}', "- id: ", ": ", "---\n", "...\n"]


def mutate(text: str, rng: random.Random, rounds: int = 4) -> str:
    """``text`` with a few random edits: pieces deleted, duplicated, swapped or replaced by
    tricky ones, bytes flipped."""
    for _ in range(rng.randint(1, rounds)):
        if not text:
            text = rng.choice(_SPLICE)
            continue
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(0, 40))
        op = rng.randrange(6)
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:j] + text[i:j] + text[j:]
        elif op == 2:
            text = text[:i] + rng.choice(_SPLICE) + text[i:]
        elif op == 3:
            text = text[:i] + rng.choice(_SPLICE) + text[j:]
        elif op == 4:
            k = rng.randrange(len(text))
            text = text[:i] + text[k:k + (j - i)] + text[j:]
        else:
            text = text[:i] + chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x400, 0x500),
                                              rng.randrange(0, 0x2FFFF)])) + text[i + 1:]
    return text


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A small random JSON value."""
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 7, 2 ** 70, 1.5])
    if kind in (3, 4):
        return rng.choice(["", "x", "Str", "Cite", "MetaMap", "refs", "/etc/passwd", "@k"])
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["t", "c", "citationId", "x", "meta", "blocks"]):
            random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def mutate_ast(doc: Any, rng: random.Random) -> Any:
    """A copy of a Pandoc JSON document with one node somewhere replaced by random JSON, or a
    list element dropped or repeated."""
    doc = json.loads(json.dumps(doc))
    path: list[tuple[Any, Any]] = []
    node = doc
    while isinstance(node, (dict, list)) and node and rng.random() < 0.85:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append((node, key))
        node = node[key]
    if not path:
        return random_json(rng)
    parent, key = path[-1]
    op = rng.randrange(3)
    if op == 0 or not isinstance(parent, list):
        parent[key] = random_json(rng)
    elif op == 1:
        del parent[key]
    else:
        parent.insert(key, parent[key])
    return doc


def pandoc_docs() -> list[tuple[Path, Any]]:
    """(folder, document) of every Pandoc case in tests/data/pandoc."""
    out = []
    for path in sorted((DATA / "pandoc").glob("*/paper.json")):
        out.append((path.parent, json.loads(path.read_text(encoding="utf-8"))))
    return out


# -- comparison --------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _norm(text: Any, loose: bool) -> Any:
    if not isinstance(text, str):
        return text
    return _WS.sub(" ", text).strip() if loose else text


def picture(ref: Reference, *, loose: bool = False) -> dict[str, Any]:
    """What a user wrote in a reference, comparable across formats: fields, names with their
    forms, dates, variants (form, language, scheme, text; not where they came from) and kept
    fields. ``loose`` folds runs of white space (BibTeX and RIS do) and takes an en dash in a
    page range for a hyphen (BibTeX writes every range with ``--``). Empty dates are
    nothing."""
    def name(n: Name) -> tuple[Any, ...]:
        return (tuple(sorted((k, _norm(v, loose)) for k, v in n.to_csl().items())),
                tuple(sorted((nv.form.value, nv.lang or "", nv.scheme or "",
                              tuple(sorted((k, _norm(v, loose))
                                           for k, v in nv.name.to_csl().items())))
                             for nv in n.variants)))
    return {
        "id": ref.id,
        "type": ref.type,
        "fields": {k: _norm(v.replace("–", "-") if loose and k == "page" else v, loose)
                   for k, v in sorted(ref.fields.items())},
        "names": {k: [name(n) for n in v] for k, v in sorted(ref.names.items())},
        "dates": {k: {p: _norm(v, loose) for p, v in d.to_csl().items()}
                  for k, d in sorted(ref.dates.items()) if d.to_csl()},
        "variants": sorted((k, v.form.value, v.lang or "", v.scheme or "", _norm(v.text, loose))
                           for k, vs in ref.variants.items() for v in vs
                           if not (v.form is Form.ORIGINAL and v.text == ref.fields.get(k))),
        "extra": {k: _norm(v, loose) for k, v in sorted(ref.extra.items())
                  if k not in ("@before", "@after")},
    }


def differences(before: list[Reference], after: Library | list[Reference], *,
                loose: bool = False) -> list[str]:
    """What changed between two lists of references (empty when nothing did)."""
    a = [picture(r, loose=loose) for r in before]
    b = [picture(r, loose=loose) for r in after]
    if len(a) != len(b):
        return [f"{len(a)} references became {len(b)}"]
    out = []
    for x, y in zip(a, b):
        for key in x:
            if x[key] != y[key]:
                out.append(f"{x['id']}.{key}: {x[key]!r} -> {y[key]!r}")
    return out
