"""The journal registry: titles in every form, ISSNs with their medium, publisher, licence, profile.

The registry is data: ``references/journals.json`` (shipped, with ``journals.schema.json`` beside
it) plus the user's own files, each validated against the schema on load (a mistake raises
:class:`~transcite.resources.DataError` naming the file and the place in it). User files come
first and win: a user journal replaces a shipped one with the same id or an ISSN in common.

Where user files are found, in order: paths given by the caller (``--journals``), the
``TRANSCITE_JOURNALS`` environment variable (a path list), ``journals.json`` and ``journals/*.json``
in the user's transcite folder (:func:`transcite.resources.config_dir`).

:func:`apply_journal` is the normalisation step: it finds a reference's journal by ISSN, title
or DOI prefix, fills what is missing (container title forms, short title, ISSN, publisher) and
reports conflicts, such as an ISSN that belongs to another journal.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .changes import Change
from .identifiers import InvalidIdentifier, Issn, _extra_issn_keys, parse_issns, validate_issn
from .lazy import lazy_re
from .model import Form, Reference, Report, Variant, is_cyrillic
from .resources import (
    DataError,
    config_dir,
    journal_registry_paths,
    schema_errors,
    shipped_dir,
    shipped_valid,
    validity_key,
)

__all__ = [
    "Journal",
    "JournalMatch",
    "JournalRegistry",
    "apply_journal",
    "default_registry",
    "load_journal_file",
    "match_journal",
    "registry_paths",
]

STEP = "journals"
ENV = "TRANSCITE_JOURNALS"
_CONTAINER_TYPES = frozenset(["article", "article-journal", "article-magazine",
                              "article-newspaper", "paper-conference", "review", "review-book"])


@dataclass(frozen=True, slots=True)
class Journal:
    """One journal of the registry. Every title list starts with the preferred form."""

    id: str
    original: tuple[str, ...] = ()
    romanised: tuple[str, ...] = ()
    english: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    language: str | None = None
    issns: tuple[Issn, ...] = ()
    issn_l: str | None = None
    publisher: str | None = None
    licence: str | None = None
    doi_prefixes: tuple[str, ...] = ()
    profile: str | None = None
    file: str | None = None

    @property
    def titles(self) -> tuple[str, ...]:
        """Every title form and abbreviation."""
        return (*self.original, *self.romanised, *self.english, *self.abbreviations)

    @property
    def name(self) -> str:
        """The title to show in messages: English for an English journal, else romanised."""
        if self.language in (None, "en"):
            return (self.english or self.romanised or self.original or (self.id,))[0]
        return (self.romanised or self.original or self.english or (self.id,))[0]

    @property
    def issn_values(self) -> tuple[str, ...]:
        """The journal's ISSNs (the linking ISSN included)."""
        values = tuple(i.value for i in self.issns)
        return values + ((self.issn_l,) if self.issn_l and self.issn_l not in values else ())

    def issn_text(self) -> str:
        """The ISSNs as a reference's ISSN field: ``2658-6444 (print), 2658-6789 (online)``."""
        return ", ".join(str(i) for i in self.issns)


@cache
def _schema() -> dict[str, Any]:
    path = shipped_dir("references") / "journals.schema.json"
    try:
        schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    return schema


def _where(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def load_journal_file(path: str | Path) -> list[Journal]:
    """Read and validate one registry file; raises DataError naming the file and the place.
    A file read before is loaded as it was validated then (:mod:`transcite.compiled`)."""
    from . import compiled

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the journal registry: {exc.strerror}") from None
    entry = compiled.key("journals", [str(path), raw],
                         compiled.code_stamp("journals.py", "identifiers.py", "licences.py"))
    return compiled.load_or_build("journals", entry, lambda: _read_journal_file(path, raw))


def _read_journal_file(path: Path, raw: bytes) -> list[Journal]:
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise DataError(f"{path}: the journal registry must be UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg}") from None
    errors = schema_errors(data, _schema(), text)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise DataError(f"{path}: {_where(first.absolute_path)}: {first.message}{more}")
    from .licences import licence_by_spdx

    # The registry transcite ships, unchanged, had its ISSNs checked (valid, in canonical
    # form) by tools/validated.py: they are taken as written, without python-stdnum (whose
    # import, with the ssl module it loads, is ~8 ms of a first run).
    trusted = validity_key(_schema(), text) in shipped_valid()
    journals: list[Journal] = []
    for n, item in enumerate(data["journals"]):
        where = f"{path}: journals[{n}] ({item['id']})"
        issns: list[Issn] = []
        for entry in item["issn"]:
            if trusted:
                issns.append(Issn(entry["issn"], entry.get("medium")))
                continue
            try:
                value = validate_issn(entry["issn"])
            except InvalidIdentifier as exc:
                raise DataError(f"{where}: {exc}") from None
            issns.append(Issn(value, entry.get("medium")))
        if item.get("issn_l") and not trusted:
            try:
                validate_issn(item["issn_l"])
            except InvalidIdentifier as exc:
                raise DataError(f"{where}: issn_l: {exc}") from None
        if item.get("licence") and licence_by_spdx(item["licence"]) is None:
            raise DataError(f"{where}: unknown licence {item['licence']!r} (use an SPDX id from "
                            "transcite's licence table, e.g. CC-BY-4.0)")
        titles = item["titles"]
        journals.append(Journal(
            id=item["id"], original=tuple(titles.get("original", ())),
            romanised=tuple(titles.get("romanised", ())),
            english=tuple(titles.get("english", ())),
            abbreviations=tuple(titles.get("abbreviations", ())),
            language=item.get("language"), issns=tuple(issns), issn_l=item.get("issn_l"),
            publisher=item.get("publisher"), licence=item.get("licence"),
            doi_prefixes=tuple(item.get("doi_prefixes", ())), profile=item.get("profile"),
            file=str(path)))
    return journals


_NOT_WORD = lazy_re(r"[\W_]+")


def _fold(title: str) -> str:
    text = title.casefold().replace("ё", "е")
    text = _NOT_WORD.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") else text


class JournalRegistry:
    """Journals by id, ISSN, title and DOI prefix."""

    def __init__(self, journals: Iterable[Journal] = ()) -> None:
        self.journals: list[Journal] = []
        self._by_issn: dict[str, Journal] = {}
        self._by_title: dict[str, Journal] = {}
        self._found: dict[tuple[str, bool], Journal | None] = {}   # by_title's answers
        self._counts: dict[str, Counter[str]] = {}     # a registered title's letters
        for journal in journals:
            self.add(journal)

    def clashes(self, journal: Journal) -> list[Journal]:
        """Registered journals with the same id or an ISSN in common with ``journal``."""
        found = {j.id: j for j in self.journals if j.id == journal.id}
        found.update({self._by_issn[i].id: self._by_issn[i]
                      for i in journal.issn_values if i in self._by_issn})
        return list(found.values())

    def add(self, journal: Journal) -> None:
        """Add a journal; one with the id or an ISSN of a registered journal raises DataError."""
        clashes = self.clashes(journal)
        if clashes:
            other = clashes[0]
            shared = sorted(set(other.issn_values) & set(journal.issn_values))
            what = f"ISSN {shared[0]}" if shared else f"id {journal.id!r}"
            raise DataError(f"{journal.file}: journal {journal.id!r} has the {what} of journal "
                            f"{other.id!r} ({other.file})")
        self.journals.append(journal)
        self._index(journal)
        self._found.clear()

    def _index(self, journal: Journal) -> None:
        for issn in journal.issn_values:
            self._by_issn[issn] = journal
        for title in journal.titles:
            self._by_title.setdefault(_fold(title), journal)

    def get(self, journal_id: str) -> Journal | None:
        """The journal with this id, or None."""
        return next((j for j in self.journals if j.id == journal_id), None)

    def by_issn(self, issn: str) -> Journal | None:
        """The journal with this ISSN (any medium), or None."""
        try:
            return self._by_issn.get(validate_issn(issn))
        except InvalidIdentifier:
            return None

    def by_title(self, title: str, *, fuzzy: bool = True) -> Journal | None:
        """The journal with this title in any form; with ``fuzzy`` a close spelling matches.

        Answers are remembered: a bibliography names the same periodicals again and again."""
        try:
            return self._found[(title, fuzzy)]
        except KeyError:
            found = self._find_title(title, fuzzy)
            if len(self._found) < 100_000:
                self._found[(title, fuzzy)] = found
            return found

    def _find_title(self, title: str, fuzzy: bool) -> Journal | None:
        key = _fold(title)
        if not key:
            return None
        found = self._by_title.get(key)
        if found is not None or not fuzzy:
            return found
        # fuzz.ratio is 200 * LCS / (la + lb), and the longest common subsequence has at most
        # as many of each character as both titles have: titles whose length or letters keep
        # them below the cutoff cannot match, and are never compared (nor rapidfuzz imported
        # when no title can: most titles have no other near their length and letters)
        la = len(key)
        mine = Counter(key)
        near = [t for t in self._by_title if 200 * min(la, len(t)) >= 92 * (la + len(t))
                and 200 * sum((mine & self._letters(t)).values()) >= 92 * (la + len(t))]
        if not near:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, near, scorer=fuzz.ratio, score_cutoff=92)
        return self._by_title[best[0]] if best else None

    def _letters(self, title: str) -> Counter[str]:
        found = self._counts.get(title)
        if found is None:
            found = self._counts[title] = Counter(title)
        return found

    def by_doi(self, doi: str) -> Journal | None:
        """The journal whose DOI prefix the DOI starts with, or None."""
        low = doi.lower()
        for journal in self.journals:
            for prefix in journal.doi_prefixes:
                if low.startswith(prefix.lower()):
                    return journal
        return None

    def __len__(self) -> int:
        return len(self.journals)

    def __iter__(self) -> Iterator[Journal]:
        return iter(self.journals)


def registry_paths(paths: Iterable[str | Path] = ()) -> list[Path]:
    """The user's registry files in priority order (see the module docstring)."""
    return journal_registry_paths(paths)


def load_registry(paths: Iterable[str | Path] = (), *, shipped: bool = True) -> JournalRegistry:
    """A registry of the user's files over the shipped one.

    Each file must agree with itself (no id or ISSN twice). Across files the first wins: a
    journal sharing an id or ISSN with one from a file earlier in the list is left out.
    """
    files = registry_paths(paths)
    if shipped:
        files.append(shipped_dir("references") / "journals.json")
    registry = JournalRegistry()
    for path in files:
        journals = load_journal_file(path)
        JournalRegistry(journals)  # raises DataError when the file contradicts itself
        for journal in journals:
            if not registry.clashes(journal):
                registry.add(journal)
    return registry


@cache
def _cached(paths: tuple[str, ...], env: str | None, home: str) -> JournalRegistry:
    return load_registry(paths)


def default_registry(paths: Iterable[str | Path] = ()) -> JournalRegistry:
    """The registry for these user paths (cached while the environment is unchanged)."""
    return _cached(tuple(str(p) for p in paths), os.environ.get(ENV), str(config_dir()))


# -- references -----------------------------------------------------------------------------------
@dataclass(slots=True)
class JournalMatch:
    """The journal a reference belongs to, how it was found, and the ISSNs it does not know."""

    journal: Journal
    how: str
    foreign_issns: list[str] = field(default_factory=list)


def _ref_issns(ref: Reference) -> list[str]:
    values = [i.value for i in parse_issns(ref.fields.get("ISSN", "")).issns]
    for key, _ in _extra_issn_keys(ref):
        try:
            values.append(validate_issn(ref.extra[key]))
        except InvalidIdentifier:
            continue
    return list(dict.fromkeys(values))


def _container_titles(ref: Reference) -> list[str]:
    titles = [v.text for v in ref.forms("container-title")]
    if ref.fields.get("container-title-short"):
        titles.append(ref.fields["container-title-short"])
    return titles


def match_journal(ref: Reference, registry: JournalRegistry,
                  report: Report | None = None) -> JournalMatch | None:
    """Find the reference's journal by ISSN, container title or DOI prefix.

    Conflicts go into ``report``: ISSNs of two different journals, or an ISSN of one journal on
    a reference whose container title names another (``journal.issn-conflict``, an error).
    """
    where = ref.where()
    issns = _ref_issns(ref)
    by_issn: dict[str, Journal] = {}
    for issn in issns:
        journal = registry.by_issn(issn)
        if journal is not None:
            by_issn[issn] = journal
    titled = next((j for t in _container_titles(ref)
                   if (j := registry.by_title(t)) is not None), None)
    distinct = {j.id: j for j in by_issn.values()}
    if len(distinct) > 1:
        if report is not None:
            names = "; ".join(f"{i} is {j.name}" for i, j in by_issn.items())
            report.error("journal.issn-conflict", f"ISSN: the numbers belong to different "
                         f"journals ({names})", raw=ref.fields.get("ISSN"), **where)
        return None
    if distinct:
        journal = next(iter(distinct.values()))
        if titled is not None and titled.id != journal.id:
            if report is not None:
                issn = next(iter(by_issn))
                title = next(t for t in _container_titles(ref) if registry.by_title(t))
                report.error("journal.issn-conflict", f"ISSN {issn} belongs to {journal.name}, "
                             f"but the container title {title!r} is {titled.name} (ISSN "
                             f"{', '.join(titled.issn_values)})",
                             raw=ref.fields.get("ISSN"), **where)
            return None
        titles = _container_titles(ref)
        if titles and titled is None and not _resembles(titles, journal):
            if report is not None:
                issn = next(iter(by_issn))
                report.warning("journal.issn-conflict", f"ISSN {issn} belongs to "
                               f"{journal.name}, but the container title is {titles[0]!r}",
                               raw=ref.fields.get("ISSN"), **where)
            return None
        foreign = [i for i in issns if i not in journal.issn_values]
        return _with_foreign(JournalMatch(journal, "issn", foreign), report, where)
    if titled is not None:
        return _with_foreign(JournalMatch(titled, "title", issns), report, where)
    doi = ref.fields.get("DOI")
    if doi:
        journal = registry.by_doi(doi)
        if journal is not None:
            return _with_foreign(JournalMatch(journal, "doi", issns), report, where)
    return None


def _resembles(titles: list[str], journal: Journal) -> bool:
    """True when one of the titles is close to one of the journal's (abbreviations allowed)."""
    from rapidfuzz import fuzz

    return any(fuzz.token_set_ratio(_fold(a), _fold(b)) >= 70 or
               fuzz.partial_ratio(_fold(a), _fold(b)) >= 80
               for a in titles for b in journal.titles)


def _with_foreign(match: JournalMatch, report: Report | None,
                  where: dict[str, Any]) -> JournalMatch:
    if report is not None:
        for issn in match.foreign_issns:
            report.warning("journal.issn-unknown", f"ISSN {issn} is not one of "
                           f"{match.journal.name}'s ({', '.join(match.journal.issn_values)}) in "
                           "the journal registry", raw=issn, **where)
    return match


def _forms(journal: Journal) -> list[tuple[tuple[str, ...], Variant]]:
    """(the title list, its preferred form as a Variant) for each kind of title."""
    lang = journal.language
    forms: list[tuple[tuple[str, ...], Variant]] = []
    if journal.original:
        forms.append((journal.original, Variant(journal.original[0], Form.ORIGINAL, lang,
                                                origin=STEP)))
    if journal.romanised:
        forms.append((journal.romanised, Variant(journal.romanised[0], Form.ROMANISED, lang,
                                                 origin=STEP)))
    if journal.english:
        form = Form.ORIGINAL if lang == "en" else Form.TRANSLATED
        forms.append((journal.english, Variant(journal.english[0], form, "en", origin=STEP)))
    return forms


def _preferred_title(journal: Journal, ref: Reference) -> str:
    russian = (ref.language or "").startswith("ru") or is_cyrillic(ref.fields.get("title", ""))
    if russian and journal.original:
        return journal.original[0]
    return (journal.english or journal.romanised or journal.original)[0]


def apply_journal(ref: Reference, report: Report,
                  registry: JournalRegistry | None = None) -> list[Change]:
    """Fill or check a reference's container data from the journal registry.

    Fills a missing container title, its other forms (as variants), short title, ISSN and
    publisher; reports conflicts. Nothing the reference already holds is replaced.
    """
    if ref.type not in _CONTAINER_TYPES and "ISSN" not in ref.fields:
        return []
    registry = registry if registry is not None else default_registry()
    match = match_journal(ref, registry, report)
    if match is None:
        return []
    journal = match.journal
    changes: list[Change] = []

    def fill(var: str, value: str | None) -> None:
        if value and not ref.fields.get(var):
            ref.fields[var] = value
            changes.append(Change(STEP, ref.id, var, None, value, journal.id))

    fill("container-title", _preferred_title(journal, ref))
    present = ref.forms("container-title")
    folded = {_fold(v.text) for v in present}
    for titles, variant in _forms(journal):
        if folded & {_fold(t) for t in titles}:
            continue  # the reference has this kind of title already, in its own spelling
        if any(v.form is variant.form and v.lang == variant.lang for v in present):
            continue
        if ref.add_variant("container-title", variant):
            changes.append(Change(STEP, ref.id, "container-title", None, variant.text,
                                  journal.id, kind="variant"))
    if journal.abbreviations:
        fill("container-title-short", journal.abbreviations[0])
    fill("ISSN", journal.issn_text())
    fill("publisher", journal.publisher)
    if journal.publisher and ref.fields.get("publisher") and \
            _fold(ref.fields["publisher"]) != _fold(journal.publisher):
        report.add("info", "journal.publisher-differs", f"publisher {ref.fields['publisher']!r}"
                   f" differs from {journal.name}'s {journal.publisher!r} in the registry",
                   **ref.where())
    spdx = ref.extra.get("license-spdx")
    if journal.licence and isinstance(spdx, str) and spdx != journal.licence:
        report.warning("journal.licence-differs", f"licence {spdx} differs from "
                       f"{journal.name}'s {journal.licence} in the registry", **ref.where())
    return changes
