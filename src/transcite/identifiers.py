"""Identifiers: ISSN, ISBN and DOI - validated, put in canonical form, never silently dropped.

The check digits and the ISBN hyphenation ranges come from python-stdnum. The functions here add
what bibliographies need around them: reading a field that holds several numbers with their
medium ("ISSN 2658-6444 (Print), 2658-6789 (Online)"), cleaning DOIs pasted as links, and one
normalisation step, :func:`normalise_identifiers`, that rewrites a reference's ``ISSN``, ``ISBN``
and ``DOI`` in canonical form, returns the :class:`~transcite.changes.Change` records, and reports
every invalid number as a Problem while keeping the value as read.

>>> validate_issn("02043327")
'0204-3327'
>>> isbn_to_13("5-02-003705-2")
'978-5-02-003705-2'
>>> normalise_doi("https://doi.org/10.26583/npe.2014.1.01.")
'10.26583/npe.2014.1.01'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

from .changes import Change
from .lazy import lazy_re
from .model import Reference, Report
from .resources import load_data

__all__ = [
    "IdentifierIssue",
    "InvalidIdentifier",
    "Issn",
    "IssnList",
    "audit_identifiers",
    "doi_from_url",
    "doi_url",
    "is_valid_doi",
    "is_valid_issn",
    "isbn_to_10",
    "isbn_to_13",
    "normalise_doi",
    "normalise_identifiers",
    "parse_isbns",
    "parse_issns",
    "validate_isbn",
    "validate_issn",
]

STEP = "identifiers"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_ISSN_RE = lazy_re(
    rf"(?<![\w{_DASHES}])(\d{{4}}) ?[{_DASHES}]? ?(\d{{3}}[\dXxХх])(?![\w{_DASHES}])")
_DIGIT_RUN = lazy_re(rf"\d[\d{_DASHES} ]*[\dXxХх]")
_ISBN_RUN = lazy_re(rf"(?<![\w])\d[\d{_DASHES} ]{{7,}}[\dXxХх](?![\w])")
_DOI_RE = lazy_re(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_TRAILING = ".,;:'\"»”’>"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


class InvalidIdentifier(ValueError):
    """An identifier that is not valid; ``kind`` is ``ISSN``, ``ISBN`` or ``DOI``."""

    def __init__(self, kind: str, raw: str, reason: str) -> None:
        super().__init__(f"{kind} {raw!r} is not valid: {reason}")
        self.kind = kind
        self.raw = raw
        self.reason = reason


def _compact(text: str) -> str:
    """Digits and check character only (separators and spaces removed, Cyrillic Х as X)."""
    return re.sub(rf"[\s{_DASHES}]", "", text).upper().replace("Х", "X")


@cache
def _vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = load_data("identifiers.json")
    return data


# -- ISSN -----------------------------------------------------------------------------------------
def validate_issn(text: str) -> str:
    """The ISSN in canonical ``NNNN-NNNC`` form; raises :class:`InvalidIdentifier`.

    >>> validate_issn("2658 6444")
    '2658-6444'
    """
    from stdnum import issn
    from stdnum.exceptions import InvalidChecksum, ValidationError

    raw = text.strip()
    number = _compact(re.sub(r"(?i)^issn[\s:]*", "", raw))
    try:
        return str(issn.format(issn.validate(number)))
    except InvalidChecksum:
        expected = issn.calc_check_digit(number[:7])
        raise InvalidIdentifier("ISSN", raw, f"wrong check digit {number[-1]!r} "
                                f"(the first seven digits give {expected!r})") from None
    except ValidationError:
        if not re.fullmatch(r"\d{7}[\dX]", number):
            digits = len(re.sub(r"\D", "", number))
            raise InvalidIdentifier("ISSN", raw, f"an ISSN has 8 characters (7 digits and a "
                                    f"check digit), this has {len(number)} ({digits} digits)"
                                    ) from None
        raise InvalidIdentifier("ISSN", raw, "not an ISSN") from None


def is_valid_issn(text: str) -> bool:
    """True when ``text`` is one valid ISSN (any spacing or dash)."""
    try:
        validate_issn(text)
    except InvalidIdentifier:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Issn:
    """One ISSN in canonical form with its medium (``print``, ``online``, ``linking`` or None)."""

    value: str
    medium: str | None = None

    def __str__(self) -> str:
        return f"{self.value} ({self.medium})" if self.medium else self.value


@dataclass(slots=True)
class IssnList:
    """What :func:`parse_issns` found in a field: the valid ISSNs and the invalid attempts.

    ``text`` is the field's canonical form: the ISSNs with their media joined by ``", "`` when
    nothing else was written around them, otherwise the field as written with each valid number
    put in canonical form in place (so no annotation is lost).
    """

    issns: list[Issn] = field(default_factory=list)
    invalid: list[InvalidIdentifier] = field(default_factory=list)
    text: str = ""


def _medium_of(context: str) -> str | None:
    low = context.lower()
    for medium in ("linking", "online", "print"):
        for word in _vocabulary()["issn_media"][medium]:
            if re.search(rf"(?<![\w-]){word}(?![\w-])", low):
                return medium
    return None


@cache
def _residue_patterns() -> tuple[list[re.Pattern[str]], bool]:
    """The medium words and labels as patterns, longest first, and whether all of them start
    with a letter (then text without letters holds none of them)."""
    vocab = _vocabulary()
    words = [word for group in (*vocab["issn_media"].values(), vocab["issn_labels"])
             for word in sorted(group, key=len, reverse=True)]
    return ([re.compile(rf"(?<![\w-]){word}(?![\w-])") for word in words],
            all(word[:1].isalpha() for word in words))


_NOT_WORD = lazy_re(r"[\W_]+")


def _residue(context: str) -> str:
    """What remains of a stretch of text once medium words, labels and punctuation are gone."""
    low = context.lower()
    patterns, lettered = _residue_patterns()
    if not lettered or any(ch.isalpha() for ch in low):
        for pattern in patterns:
            low = pattern.sub(" ", low)
    return _NOT_WORD.sub("", low)


def parse_issns(text: str) -> IssnList:
    """Read every ISSN in a field, with its medium when the text names it.

    A medium in brackets right after a number belongs to it; a label before a number
    (``e-ISSN``, ``ISSN-L``, ``Online ISSN``) belongs to the number it precedes.

    >>> [str(i) for i in parse_issns("ISSN 2658-6444 (Print) ISSN 2658-6789 (Online)").issns]
    ['2658-6444 (print)', '2658-6789 (online)']
    """
    if not text or text.isspace():
        return IssnList(text=text)      # (what the loop below gives, without its patterns)
    out = IssnList()
    matches = list(_ISSN_RE.finditer(text))
    gaps: list[str] = []
    prev = 0
    for m in matches:
        gaps.append(text[prev:m.start()])
        prev = m.end()
    gaps.append(text[prev:])
    # Split each inner gap into the part that follows the previous number (a bracketed note or
    # a ": print" tail) and the part that precedes the next one (a label).
    after: list[str] = [""] * len(matches)
    before: list[str] = [""] * len(matches)
    for i, gap in enumerate(gaps):
        if i == 0:
            if matches:
                before[0] = gap
            continue
        tail = re.match(r"\s*(\([^()]*\)|\[[^\[\]]*\])?", gap)
        cut = tail.end() if tail and tail.group(1) else 0
        if i == len(matches):
            after[i - 1] = gap
        else:
            after[i - 1] = gap[:cut]
            before[i] = gap[cut:]
    clean = True
    new_text = []
    prev = 0
    for i, m in enumerate(matches):
        new_text.append(text[prev:m.start()])
        prev = m.end()
        try:
            value = validate_issn(m.group(0))
        except InvalidIdentifier as exc:
            out.invalid.append(exc)
            new_text.append(m.group(0))
            clean = False
            continue
        new_text.append(value)
        medium = _medium_of(after[i]) or _medium_of(before[i])
        out.issns.append(Issn(value, medium))
    new_text.append(text[prev:])
    for gap in gaps:
        for run in _DIGIT_RUN.finditer(gap):
            if len(re.sub(r"\D", "", run.group(0))) >= 4:
                out.invalid.append(_invalid_issn(run.group(0)))
                clean = False
        if _residue(gap):
            clean = False
    if clean and out.issns:
        out.text = ", ".join(str(i) for i in out.issns)
    else:
        out.text = "".join(new_text)
    return out


def _invalid_issn(raw: str) -> InvalidIdentifier:
    try:
        validate_issn(raw)
    except InvalidIdentifier as exc:
        return exc
    return InvalidIdentifier("ISSN", raw, "not in NNNN-NNNC form")  # pragma: no cover


# -- ISBN -----------------------------------------------------------------------------------------
def validate_isbn(text: str, *, length: int | None = None) -> str:
    """The ISBN hyphenated by the ISBN ranges, as ISBN-10 or -13 (``length``) or as given.

    Raises :class:`InvalidIdentifier` for a wrong check digit or length, and when an ISBN-13
    starting with 979 is asked for as ISBN-10 (it has none).

    >>> validate_isbn("9785020037052")
    '978-5-02-003705-2'
    >>> validate_isbn("978-5-02-003705-2", length=10)
    '5-02-003705-2'
    """
    from stdnum import ean, isbn
    from stdnum.exceptions import InvalidChecksum, ValidationError

    raw = text.strip()
    number = _compact(re.sub(r"(?i)^isbn(?:-1[03])?[\s:]*", "", raw))
    try:
        isbn.validate(number)
    except InvalidChecksum:
        if len(number) == 13:
            expected = ean.calc_check_digit(number[:12])
        else:
            total = sum((10 - i) * int(d) for i, d in enumerate(number[:9]))
            expected = "X" if (11 - total % 11) % 11 == 10 else str((11 - total % 11) % 11)
        raise InvalidIdentifier("ISBN", raw, f"wrong check digit {number[-1]!r} "
                                f"(the other digits give {expected!r})") from None
    except ValidationError:
        digits = len(re.sub(r"[^\dX]", "", number))
        if digits not in (10, 13):
            raise InvalidIdentifier("ISBN", raw, f"an ISBN has 10 or 13 digits, this has "
                                    f"{digits}") from None
        raise InvalidIdentifier("ISBN", raw, "not an ISBN") from None
    if length == 13:
        number = isbn.to_isbn13(number)
    elif length == 10:
        if number.startswith("979"):
            raise InvalidIdentifier("ISBN", raw, "an ISBN-13 starting with 979 has no ISBN-10")
        number = isbn.to_isbn10(number)
    elif length is not None:
        raise ValueError("length must be 10, 13 or None")
    return str(isbn.format(number))


def isbn_to_13(text: str) -> str:
    """The hyphenated ISBN-13 of a valid ISBN-10 or -13."""
    return validate_isbn(text, length=13)


def isbn_to_10(text: str) -> str:
    """The hyphenated ISBN-10 of a valid ISBN (978 prefix only)."""
    return validate_isbn(text, length=10)


def parse_isbns(text: str) -> tuple[str, list[str], list[InvalidIdentifier]]:
    """Every ISBN in a field: (the field with valid ones hyphenated in place, valid, invalid).

    Qualifiers such as ``(т. 1)`` or ``(pbk.)`` stay where they were.
    """
    valid: list[str] = []
    invalid: list[InvalidIdentifier] = []

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        trailing = run[len(run.rstrip()):]
        parts = [run.strip()]
        if len(_compact(run)) not in (10, 13) and " " in run.strip():
            # Two numbers separated by a space only.
            pieces = run.split()
            if all(len(_compact(p)) in (10, 13) for p in pieces):
                parts = pieces
        fixed = []
        for part in parts:
            try:
                value = validate_isbn(part)
            except InvalidIdentifier as exc:
                invalid.append(exc)
                fixed.append(part)
                continue
            valid.append(value)
            fixed.append(value)
        return " ".join(fixed) + trailing

    new = _ISBN_RUN.sub(fix, text)
    if not valid and not invalid and re.search(r"\d", text):
        invalid.append(InvalidIdentifier("ISBN", text.strip(), "no ISBN in it"))
    return new, valid, invalid


# -- DOI ------------------------------------------------------------------------------------------
def normalise_doi(text: str) -> str:
    """The bare DOI: link prefixes (``https://doi.org/``, ``doi:``) and trailing punctuation gone.

    Raises :class:`InvalidIdentifier` when what remains is not ``10.<registrant>/<suffix>``.

    >>> normalise_doi("DOI: 10.1371/journal.pone.0033693;")
    '10.1371/journal.pone.0033693'
    """
    raw = text
    doi = text.strip().strip("<>").strip()
    changed = True
    while changed:
        changed = False
        low = doi.lower()
        for prefix in _vocabulary()["doi_prefixes"]:
            if low.startswith(prefix):
                doi = doi[len(prefix):].strip()
                if "://" in prefix or prefix.endswith(".org/"):
                    doi = unquote(doi)
                changed = True
                break
    # Trailing punctuation from the sentence around it; a closing bracket only when unmatched.
    while doi:
        last = doi[-1]
        unmatched = last in _CLOSERS and doi.count(_CLOSERS[last]) < doi.count(last)
        if last in _TRAILING or unmatched:
            doi = doi[:-1]
        else:
            break
    if not doi:
        raise InvalidIdentifier("DOI", raw.strip(), "it is empty")
    if not _DOI_RE.fullmatch(doi):
        if re.search(r"\s", doi):
            reason = "it contains a space"
        elif re.fullmatch(r"10\.\d{4,9}/?", doi):
            reason = "the part after the prefix is missing (cut off, or split by a space?)"
        elif not doi.startswith("10."):
            reason = "a DOI starts with '10.'"
        else:
            reason = "a DOI is 10.<4-9 digits>/<suffix>"
        raise InvalidIdentifier("DOI", raw.strip(), reason)
    return doi


def is_valid_doi(text: str) -> bool:
    """True when ``text`` is a DOI or a DOI link."""
    try:
        normalise_doi(text)
    except InvalidIdentifier:
        return False
    return True


def doi_from_url(url: str) -> str | None:
    """The DOI of a ``doi.org`` link, or None for any other URL."""
    if not re.match(r"(?i)\s*(https?://)?(dx\.|www\.)?doi\.org/", url):
        return None
    try:
        return normalise_doi(url)
    except InvalidIdentifier:
        return None


def doi_url(doi: str) -> str:
    """The ``https://doi.org/`` link of a DOI (characters unsafe in a URL escaped)."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-<>[]")


# -- on references --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IdentifierIssue:
    """An invalid identifier found on a reference: where it sits and why it is wrong."""

    field: str
    error: InvalidIdentifier
    in_extra: bool = False

    @property
    def code(self) -> str:
        """The Problem code, e.g. ``identifier.invalid-issn``."""
        return f"identifier.invalid-{self.error.kind.lower()}"

    def message(self) -> str:
        """A sentence for the user (naming the field when it is not the identifier's own)."""
        if self.field.upper() == self.error.kind:
            return str(self.error)
        return f"{self.field}: {self.error}"


def _extra_issn_keys(ref: Reference) -> Iterator[tuple[str, str]]:
    keys = _vocabulary()["issn_keys"]
    for key, value in ref.extra.items():
        folded = key.lower()
        if folded in keys and isinstance(value, str):
            yield key, keys[folded]


def _plan(ref: Reference) -> tuple[dict[str, str], dict[str, str], list[IdentifierIssue]]:
    """New field values, new extra values and the issues, without touching ``ref``."""
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    issues: list[IdentifierIssue] = []
    if "ISSN" in ref.fields:
        parsed = parse_issns(ref.fields["ISSN"])
        issues += [IdentifierIssue("ISSN", e) for e in parsed.invalid]
        if not parsed.issns and not parsed.invalid:
            issues.append(IdentifierIssue("ISSN", InvalidIdentifier(
                "ISSN", ref.fields["ISSN"], "no ISSN in it")))
        fields["ISSN"] = parsed.text
    for key, _medium in _extra_issn_keys(ref):
        try:
            extra[key] = validate_issn(ref.extra[key])
        except InvalidIdentifier as exc:
            issues.append(IdentifierIssue(key, exc, in_extra=True))
    if "ISBN" in ref.fields:
        text, _, invalid = parse_isbns(ref.fields["ISBN"])
        issues += [IdentifierIssue("ISBN", e) for e in invalid]
        fields["ISBN"] = text
    if "DOI" in ref.fields:
        try:
            fields["DOI"] = normalise_doi(ref.fields["DOI"])
        except InvalidIdentifier as exc:
            issues.append(IdentifierIssue("DOI", exc))
    elif "URL" in ref.fields:
        doi = doi_from_url(ref.fields["URL"])
        if doi:
            fields["DOI"] = doi
    return fields, extra, issues


def audit_identifiers(ref: Reference) -> list[IdentifierIssue]:
    """The invalid identifiers of a reference (the reference is not changed)."""
    return _plan(ref)[2]


def normalise_identifiers(ref: Reference, report: Report) -> list[Change]:
    """Put ``ISSN``, ``ISBN`` and ``DOI`` in canonical form; report invalid ones.

    An invalid number stays exactly as read and becomes an error in ``report``. A missing DOI is
    taken from a ``doi.org`` URL. Returns what was changed.
    """
    fields, extra, issues = _plan(ref)
    changes: list[Change] = []
    for var, new in fields.items():
        old = ref.fields.get(var)
        if new != old:
            ref.fields[var] = new
            changes.append(Change(STEP, ref.id, var, old, new, "URL" if old is None else STEP))
    for key, new in extra.items():
        old = ref.extra.get(key)
        if new != old:
            ref.extra[key] = new
            changes.append(Change(STEP, ref.id, key, old, new, STEP, kind="extra"))
    for issue in issues:
        report.error(issue.code, issue.message(), raw=issue.error.raw, **ref.where())
    return changes
