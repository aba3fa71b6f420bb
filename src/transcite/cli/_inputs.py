"""What the commands do with their inputs before and after reading them: files that are not
bibliographies at all, the same file named twice, the same reference in two files, and the
format ``-o -`` writes when none is named (the input's own)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..model import Reference, Report

__all__ = ["NOTES", "content_decides", "distinct", "merge_across_files", "not_a_bibliography",
           "own_writer", "refuse"]

#: Codes of information the commands always show (not only with --verbose).
NOTES = frozenset({"read.encoding-detected", "read.same-file", "read.same-reference"})

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database (a Zotero or Mendeley library? export the "
                             "references from the program instead)"),
    (b"\x7fELF", "a program"),
]
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _zip_kind(path: str) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist()[:2000])
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a ZIP archive"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file (.odt)"
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "META-INF/container.xml" in names:
        return "an EPUB book"
    return "a ZIP archive"


def not_a_bibliography(path: str, encoding: str | None = None) -> str | None:
    """What ``path`` is when it is clearly not a bibliography (a ZIP, Word, PDF or other binary
    file), as a phrase ("a Word document (.docx)"); None for anything that may be text.
    Standard input, pipes (``<(...)``: they can be read only once) and files that cannot be
    opened are left to the readers."""
    if path == "-" or not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if encoding is None and b"\x00" in head and not head.startswith(_TEXT_BOMS):
        return "a binary file (if it is UTF-16 text, give --encoding utf-16)"
    return None


def refuse(path: str, what: str, report: Report) -> None:
    """Report ``path`` as not a bibliography."""
    report.error("read.not-a-bibliography", f"{path} is {what}, not a bibliography: transcite "
                 "reads BibTeX/BibLaTeX, CSL-JSON, CSL-YAML, RIS and references written as "
                 "text", file=path)


def distinct(paths: list[str], report: Report) -> list[str]:
    """``paths`` without repeats of a file already named (reported as a note)."""
    seen: dict[tuple[int, int], str] = {}
    out = []
    for path in paths:
        if path != "-":
            try:
                st = os.stat(path)
            except OSError:
                out.append(path)
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                again = "named twice" if seen[key] == path else f"the same file as {seen[key]}"
                report.add("info", "read.same-file", f"{path} is {again}: read once",
                           file=path)
                continue
            seen[key] = path
        out.append(path)
    return out


def merge_across_files(parts: list[list[Reference]], report: Report) -> list[Reference]:
    """The references of several files as one list: a reference that repeats one of an earlier
    file (same DOI, or the same title, year and first author - :func:`transcite.dedupe.
    find_duplicates`) is merged into it (nothing overwritten, differences reported) and kept
    once, with a note. Repeats inside one file are left for ``normalize`` and ``check``."""
    if len(parts) < 2:
        return [ref for part in parts for ref in part]
    from ..dedupe import find_duplicates, merge_into

    flat = [(n, ref) for n, part in enumerate(parts) for ref in part]
    real = [ref.id for _, ref in flat]
    for k, (_, ref) in enumerate(flat):     # ids unique across files while comparing
        ref.id = f"{k}\x00{ref.id}"
    try:
        pairs = find_duplicates([ref for _, ref in flat])
    finally:
        for (_, ref), rid in zip(flat, real):
            ref.id = rid
    index = {id(ref): k for k, (_, ref) in enumerate(flat)}
    found = [(index[id(p.later)], index[id(p.earlier)],
              "the same DOI" if p.reason == "doi" else "the same work") for p in pairs]
    # entries without a title or DOI to compare: the same key with the same content
    first_of: dict[str, int] = {}
    for k, (n, ref) in enumerate(flat):
        earlier = first_of.setdefault(ref.id, k)
        if earlier != k and flat[earlier][0] != n and _same_content(flat[earlier][1], ref):
            found.append((k, earlier, "the same entry"))
    merged: dict[int, int] = {}                 # position of a merged reference -> its keeper
    for later, earlier, reason in sorted(found):
        if flat[later][0] == flat[earlier][0] or later in merged:
            continue
        while earlier in merged:
            earlier = merged[earlier]
        keeper, other = flat[earlier][1], flat[later][1]
        merge_into(keeper, other, report)
        merged[later] = earlier
        first = keeper.where()
        report.add("info", "read.same-reference",
                   f"{reason} as {keeper.id} in {first['file']}"
                   + (f":{first['line']}" if first["line"] else "") + ": kept once",
                   **other.where())
    return [ref for k, (_, ref) in enumerate(flat) if k not in merged]


def _same_content(a: Reference, b: Reference) -> bool:
    """Whether two references say the same (their CSL-JSON apart from the id)."""
    x, y = a.to_csl(), b.to_csl()
    x.pop("id", None)
    y.pop("id", None)
    return x == y


def own_writer(inputs: Iterable[str], from_: str | None,
               references: Iterable[Reference] | None = None) -> str | None:
    """The writer of the inputs' own format, for ``-o -`` without ``--to``: the one ``--from``
    names, else the one the first file's suffix names, else the one of the format the first
    reference was read as (standard input and unknown suffixes are recognised by their
    content; give ``references`` once read). None when that format has no writer (text), or
    when it depends on content and ``references`` is None."""
    from ..registry import registry

    if from_ is not None:
        entry = registry.find("writer", from_)
        if entry is None:
            reader = registry.find("reader", from_)
            entry = _writer_of_reader(reader.name) if reader is not None else None
        return entry.name if entry is not None else None
    first = next(iter(inputs), "-")
    if first != "-" and registry.for_path("reader", first) is not None:
        entry = registry.for_path("writer", first)
        return entry.name if entry is not None else None
    for ref in references or ():
        if ref.origin is not None and ref.origin.format:
            entry = _writer_of_reader(ref.origin.format)
            return entry.name if entry is not None else None
        break
    return None


def content_decides(inputs: Iterable[str], from_: str | None) -> bool:
    """Whether the inputs' own format is known only once they are read (standard input or a
    file whose suffix names no format, without ``--from``)."""
    from ..registry import registry

    first = next(iter(inputs), "-")
    return from_ is None and (first == "-" or registry.for_path("reader", first) is None)


def _writer_of_reader(name: str):  # type: ignore[no-untyped-def]
    """The writer for files a reader reads: by the reader's first suffix, else by its name."""
    from ..registry import registry

    reader = registry.find("reader", name)
    if reader is None:
        return registry.find("writer", name)
    for suffix in reader.suffixes:
        entry = registry.for_path("writer", f"x.{suffix}")
        if entry is not None:
            return entry
    return registry.find("writer", reader.name)
