"""Regenerate src/transcite/data/biblatex-datamodel.json from biber's own data model.

    python tools/biblatex_datamodel.py [/usr/share/perl5/Biber/biber-tool.conf]

The BibLaTeX writer asks this table which fields an entry type accepts, so that it never
writes a field biber drops ("Invalid field 'publisher' for entrytype 'online'"). The table
holds field names and types only (facts of the data model), read from the ``<datamodel>``
section of the config biber uses in tool mode (``biber --tool-config`` prints its path), plus
the fields biblatex-gost adds in ``biblatex-gost.dbx``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "transcite" / "data" / \
    "biblatex-datamodel.json"


def _tool_config() -> Path:
    out = subprocess.run(["biber", "--tool-config"], capture_output=True, text=True,
                         check=True).stdout
    return Path(out.strip().splitlines()[-1])


def _gost_fields() -> dict[str, list[str]]:
    """Entry fields biblatex-gost declares (``\\DeclareDatamodelEntryfields``)."""
    try:
        path = subprocess.run(["kpsewhich", "biblatex-gost.dbx"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    text = Path(path).read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for types, fields in re.findall(r"\\DeclareDatamodelEntryfields(?:\[([^\]]*)\])?\{([^}]*)\}",
                                    text):
        names = [f.strip() for f in fields.split(",") if f.strip()]
        for t in (types.split(",") if types else ["*"]):
            out.setdefault(t.strip(), []).extend(names)
    return out


def main(argv: list[str]) -> int:
    conf = Path(argv[1]) if len(argv) > 1 else _tool_config()
    root = ET.parse(conf).getroot()
    dm = root.find("datamodel")
    if dm is None:
        print(f"{conf}: no <datamodel>", file=sys.stderr)
        return 1
    types = sorted(e.text or "" for e in dm.iter("entrytype")
                   if e.get("skip_output") != "true" and e.text)
    types = sorted(set(types))
    fields: dict[str, list[str]] = {}
    for f in dm.find("fields") or []:
        if f.text:
            fields[f.text] = [f.get("fieldtype", "field"), f.get("datatype", "literal")]
    entryfields: dict[str, list[str]] = {}
    for block in dm.findall("entryfields"):
        owners = [e.text for e in block.findall("entrytype") if e.text] or ["*"]
        names = [f.text for f in block.findall("field") if f.text]
        for owner in owners:
            entryfields.setdefault(owner, []).extend(names)
    gost = _gost_fields()
    data = {
        "$comment": "biber's data model (biber-tool.conf) and biblatex-gost's additions: which "
                    "fields each entry type accepts ('*': every type). Regenerate with "
                    "tools/biblatex_datamodel.py.",
        "source": f"biber {_biber_version()}",
        "entrytypes": types,
        "fields": dict(sorted(fields.items())),
        "entryfields": {k: sorted(set(v)) for k, v in sorted(entryfields.items())},
        "gost_entryfields": {k: sorted(set(v)) for k, v in sorted(gost.items())},
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(types)} entry types, {len(fields)} fields)")
    return 0


def _biber_version() -> str:
    try:
        out = subprocess.run(["biber", "--version"], capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    m = re.search(r"(\d+\.\d+)", out)
    return m.group(1) if m else "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
