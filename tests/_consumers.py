"""The real programs transcite's exports go to, driven from Python: pandoc, bibtexparser, rispy,
citeproc-js, biber and the Open XML SDK's schema of Word's Sources.xml (openxml-audit).

Each ``read_*`` returns a :class:`Reading`: how many entries the consumer read, the CSL-shaped
items it made of them (where it makes any) and its warnings. :func:`lost_fields` compares such
items with the library that was exported. Used by tests/test_consumers.py, tests/test_clients.py
and benchmarks/export_table.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transcite.latex import strip_markup
from transcite.model import Library, Reference
from transcite.writers import dumps

ROOT = Path(__file__).resolve().parents[1]
STYLES = ROOT / "styles" / "csl"
LOCALES = ROOT / "styles" / "locales"
JS_MODULES = ROOT / "benchmarks" / "js" / "node_modules"
JS_DRIVER = Path(__file__).resolve().parent / "js" / "citeproc_render.js"

#: transcite writer -> pandoc reader
PANDOC_FORMATS = {"csl-json": "csljson", "csl-yaml": "markdown", "biblatex": "biblatex",
                  "bibtex": "bibtex", "ris": "ris"}


@dataclass
class Reading:
    """What a consumer made of an export."""

    entries: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def pandoc() -> str | None:
    """The pandoc binary of pypandoc-binary (or on PATH), or None."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return shutil.which("pandoc")


def read_pandoc(text: str, fmt: str) -> Reading:
    """pandoc's CSL JSON of an export (``pandoc -f <fmt> -t csljson``)."""
    exe = pandoc()
    assert exe, "pandoc is not installed"
    proc = subprocess.run([exe, "-f", PANDOC_FORMATS[fmt], "-t", "csljson"],
                          input=text.encode("utf-8"), capture_output=True, timeout=120)
    warnings = [w for w in proc.stderr.decode("utf-8", "replace").splitlines() if w.strip()]
    if proc.returncode != 0:
        return Reading(0, [], warnings or [f"pandoc exited {proc.returncode}"])
    items = json.loads(proc.stdout.decode("utf-8") or "[]")
    return Reading(len(items), items, warnings)


def render_pandoc(text: str, fmt: str, style: str) -> list[str]:
    """The bibliography pandoc's citeproc makes of an export, one entry per line, sorted."""
    exe = pandoc()
    assert exe, "pandoc is not installed"
    suffix = {"csl-json": ".json", "csl-yaml": ".yaml", "biblatex": ".bib",
              "bibtex": ".bibtex", "ris": ".ris"}[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / f"refs{suffix}"
        bib.write_text(text, encoding="utf-8")
        doc = '---\nnocite: "[@*]"\n---\n'
        proc = subprocess.run([exe, "-f", "markdown", "-t", "plain", "--citeproc", "--wrap=none",
                               f"--bibliography={bib}", f"--csl={STYLES / (style + '.csl')}"],
                              input=doc.encode("utf-8"), capture_output=True, timeout=120,
                              check=True)
    return sorted(line for line in proc.stdout.decode("utf-8").splitlines() if line.strip())


def read_bibtexparser(text: str) -> tuple[Reading, str]:
    """bibtexparser's view of a BibTeX export: (entries and failed blocks, the library it
    writes back)."""
    import bibtexparser

    lib = bibtexparser.parse_string(text)
    warnings = [f"cannot parse: {b.raw[:60]!r}" for b in lib.failed_blocks]
    warnings += [f"duplicate key {b.key}" for b in lib.blocks
                 if type(b).__name__ == "DuplicateBlockKeyBlock"]
    return Reading(len(lib.entries), [], warnings), bibtexparser.write_string(lib)


def read_rispy(text: str) -> tuple[Reading, str]:
    """rispy's view of a RIS export: (records, the RIS it writes back)."""
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> None:  # no "1." line before each record
            return None

    entries = rispy.loads(text)
    warnings = [f"{e.get('id')}: unknown tags {sorted(e['unknown_tag'])}" for e in entries
                if e.get("unknown_tag")]
    return Reading(len(entries), entries, warnings), rispy.dumps(entries, implementation=Writer)


def has_citeproc_js() -> bool:
    """True when node and ``npm install --prefix benchmarks/js`` are there."""
    return bool(shutil.which("node")) and (JS_MODULES / "citeproc").is_dir()


def render_citeproc_js(items: list[dict[str, Any]], style: str, *, lang: str = "ru-RU",
                       translit: str | None = None) -> list[str]:
    """citeproc-js's bibliography of CSL-JSON items (every item cited), sorted lines; with
    ``translit`` (``ru-Latn``) in multilingual mode preferring that form of names and titles."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "items.json"
        src.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ, NODE_PATH=str(JS_MODULES))
        cmd = ["node", str(JS_DRIVER), str(STYLES / f"{style}.csl"), str(LOCALES), str(src),
               lang, translit or ""]
        proc = subprocess.run(cmd, capture_output=True, timeout=120, env=env, check=True)
    return sorted(line for line in proc.stdout.decode("utf-8").splitlines() if line.strip())


# -- Word -------------------------------------------------------------------------------------

def _docx(sources: bytes) -> bytes:
    """The smallest Word package whose custom XML part is ``sources`` (how a .docx carries its
    bibliography), for the Open XML validator."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{pkg}/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
        'main+xml"/><Override PartName="/customXml/itemProps1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>',
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/customXml" Target="../customXml/item1.xml"/>'
        "</Relationships>",
        "customXml/itemProps1.xml": '<ds:datastoreItem ds:itemID="{6F1D5A7E-7C2B-4B6E-9F3A-'
        '1C8E2D4B5A60}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
        'customXml"><ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.openxmlformats.org/'
        'officeDocument/2006/bibliography"/></ds:schemaRefs></ds:datastoreItem>',
        "customXml/_rels/item1.xml.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/customXmlProps" Target="itemProps1.xml"/>'
        "</Relationships>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
        z.writestr("customXml/item1.xml", sources)
    return buf.getvalue()


def _word_schema() -> dict[str, Any]:
    import openxml_audit

    path = Path(openxml_audit.__file__).parent / "data" / "openxml" / "schemas" / \
        "schemas_openxmlformats_org_officeDocument_2006_bibliography.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def read_word_schema(text: str) -> Reading:
    """Word's Sources.xml against the bibliography schema of ECMA-376 as the Open XML SDK
    holds it (openxml-audit): element structure by the SDK's validator, source types and the
    255-character limit by the schema's own enumeration and facets."""
    from lxml import etree
    from openxml_audit import OpenXmlValidator

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sources.docx"
        path.write_bytes(_docx(text.encode("utf-8")))
        result = OpenXmlValidator().validate(path)
    warnings = [f"{e.description} at {getattr(e, 'path', '')}" for e in result.errors
                if "customXml" in str(getattr(e, "part_uri", ""))]
    schema = _word_schema()
    kinds = {f["Value"] for e in schema["Enums"] if e["Type"] == "b:ST_SourceType"
             for f in e["Facets"]}
    limits = {}
    for t in schema["Types"]:
        for v in t.get("Validators", ()):
            for a in v.get("Arguments", ()):
                if a["Name"] == "MaxLength":
                    limits[t["Name"].split("/")[-1].split(":")[-1]] = int(a["Value"])
    root = etree.fromstring(text.encode("utf-8"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/bibliography}"
    sources = root.findall(f"{ns}Source")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = el.tag.split("}")[-1]
        if name == "SourceType" and (el.text or "") not in kinds:
            warnings.append(f"SourceType {el.text!r} is not one of the schema's")
        if name in limits and len(el.text or "") > limits[name]:
            warnings.append(f"{name} longer than {limits[name]} characters")
    return Reading(len(sources), [], warnings)


# -- biber --------------------------------------------------------------------------------------

def has_biber() -> bool:
    """True when biber is on PATH."""
    return shutil.which("biber") is not None


def biber_tool(text: str, *, datamodel: bool = True) -> Reading:
    """``biber --tool --validate-datamodel`` on a BibLaTeX export, with transcite's variant
    fields declared (``datamodel``, see transcite.writers.biblatex_dm). Warnings: biber's
    WARN lines."""
    from transcite.writers.biblatex_dm import biber_config

    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "refs.bib"
        bib.write_text(text, encoding="utf-8")
        cmd = ["biber", "--tool", "--validate-datamodel", "--output-directory", tmp]
        if datamodel:
            conf = Path(tmp) / "transcite-biber.conf"
            conf.write_text(biber_config(), encoding="utf-8")
            cmd += ["--configfile", str(conf)]
        proc = subprocess.run([*cmd, bib.name], capture_output=True, timeout=300, cwd=tmp)
        out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
        written = Path(tmp) / "refs_bibertool.bib"
        lines = written.read_text(encoding="utf-8").splitlines() if written.exists() else []
        entries = sum(1 for line in lines if line.startswith("@"))
    warnings = [line.split(" - ", 1)[-1] for line in out.splitlines()
                if line.startswith(("WARN", "ERROR"))]
    return Reading(entries, [], warnings)


# -- comparing ----------------------------------------------------------------------------------

_DASHES = re.compile("[\u2010-\u2015]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        # pandoc's typography (curly apostrophes, dashes) is no loss
        return " ".join(_DASHES.sub("-", strip_markup(value)).translate(_QUOTES).split())
    if isinstance(value, dict):
        if "date-parts" in value or "literal" in value or "raw" in value:
            parts = value.get("date-parts")
            return ("date", json.dumps(parts) if parts else _norm(value.get("literal")
                                                                    or value.get("raw")))
        return tuple(sorted((k, _norm(v)) for k, v in value.items() if k != "multi"))
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    return _norm(str(value))


def expected_items(library: Library) -> dict[str, dict[str, Any]]:
    """What a consumer of an export should find: each reference's plain CSL item (the value
    as read; "et al." as pandoc writes it, a name ``others``)."""
    return {ref.id: ref.to_csl() for ref in library}


def renamed_keys(bibtex: str) -> dict[str, str]:
    """Keys the BibTeX writer changed (``Smith2000-2`` with ``ids = {Smith2000}``)."""
    out = {}
    for key, body in re.findall(r"^@\w+\{([^,\n]+),(.*?)^\}", bibtex, re.S | re.M):
        m = re.search(r"^\s*ids\s*=\s*\{([^}]*)\}", body, re.M)
        if m and key != m.group(1):
            out[key] = m.group(1)
    return out


def _same_elsewhere(var: str, value: Any, item: dict[str, Any], got: dict[str, Any]) -> bool:
    """Where a consumer keeps a value under another variable by its own rules: pandoc reads
    @online's organization as the publisher, biblatex's pubstate (a literal date) as status,
    @misc as a type of its own."""
    if var == "container-title" and item.get("type") == "webpage":
        return _norm(got.get("publisher")) == _norm(value)
    if var == "issued" and isinstance(value, dict) and "literal" in value:
        # pandoc's CSL JSON writer shows a literal date as no date (its citeproc prints it)
        return _norm(got.get("status")) == _norm(value["literal"]) or \
            got.get("issued") == {"date-parts": []}
    if var == "event-title":  # pandoc writes CSL 1.0.1's name
        return _norm(got.get("event")) == _norm(value)
    if var == "type" and value == "document":
        return got.get("type") in ("", None, "document")
    return False


def lost_fields(expected: dict[str, dict[str, Any]], items: list[dict[str, Any]],
                ignore: frozenset[str] = frozenset(),
                renamed: dict[str, str] | None = None) -> list[str]:
    """``id.variable`` for every variable of the expected items that the consumer's items lack
    or hold differently (markup, dashes and spacing aside). An item the consumer lost counts
    as ``id.*``."""
    renamed = renamed or {}
    found = {renamed.get(str(it.get("id")), str(it.get("id"))): it for it in items}
    out: list[str] = []
    for key, item in expected.items():
        got = found.get(key)
        if got is None:
            out.append(f"{key}.*")
            continue
        for var, value in item.items():
            if var in ("id",) or var in ignore:
                continue
            have = got.get(var)
            if var == "language" and isinstance(have, str) and isinstance(value, str):
                same = have.split("-")[0] == value.split("-")[0]
            else:
                same = have is not None and _norm(have) == _norm(value)
            if not same and not _same_elsewhere(var, value, item, got):
                out.append(f"{key}.{var}")
    return out


def exported(library: Library, fmt: str) -> str:
    """The library in a transcite format."""
    return dumps(library, fmt)


def csl_items(refs: list[Reference]) -> list[dict[str, Any]]:
    """The CSL-JSON transcite exports for citeproc-js."""
    return json.loads(dumps(refs, "csl-json"))  # type: ignore[no-any-return]
