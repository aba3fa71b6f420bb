"""Write ``src/transcite/data/validated.json``: the validity keys of the data files transcite
ships (the journal registry, the journal profiles), each validated with jsonschema first.

    python tools/validated.py            # validate the shipped files and write the list
    python tools/validated.py --check    # exit 1 if the list is not what the files give

transcite then loads its own files without importing jsonschema (see
``transcite.resources.shipped_valid``); any other file, or a shipped one edited after
installation, is validated on load as before. tests/test_validated.py runs ``--check``'s
comparison, so a data file changed without running this fails the suite, never a user's run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "transcite" / "data" / "validated.json"


def shipped_files() -> list[tuple[Path, dict[str, object], str]]:
    """Every shipped file checked against a schema on load: (path, schema, text)."""
    from transcite import journals, profiles
    from transcite.resources import shipped_dir

    out: list[tuple[Path, dict[str, object], str]] = []
    registry = shipped_dir("references") / "journals.json"
    out.append((registry, journals._schema(), registry.read_text(encoding="utf-8")))
    for path in sorted((shipped_dir("styles") / "profiles").glob("*.toml")):
        out.append((path, profiles._schema(), path.read_text(encoding="utf-8")))
    return out


def keys() -> list[str]:
    """The validity keys of the shipped files; raises SystemExit naming a file that is not
    valid against its schema."""
    import tomllib

    import jsonschema

    from transcite.resources import validity_key

    found = []
    for path, schema, text in shipped_files():
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        if errors:
            raise SystemExit(f"{path}: {errors[0].message}")
        if path.suffix == ".json":
            _check_issns(path, data)
        found.append(validity_key(schema, text))
    return sorted(found)


def _check_issns(path: Path, data: dict[str, Any]) -> None:
    """Raise SystemExit unless every ISSN of the registry is valid and written as transcite
    writes it (``NNNN-NNNC``): a listed registry's ISSNs are loaded as written."""
    from transcite.identifiers import InvalidIdentifier, validate_issn

    for item in data["journals"]:
        written = [e["issn"] for e in item["issn"]] + ([item["issn_l"]]
                                                       if item.get("issn_l") else [])
        for issn in written:
            try:
                canonical = validate_issn(issn)
            except InvalidIdentifier as exc:
                raise SystemExit(f"{path}: {item['id']}: {exc}") from None
            if canonical != issn:
                raise SystemExit(f"{path}: {item['id']}: write the ISSN {issn!r} as "
                                 f"{canonical!r}")


def document(found: list[str]) -> str:
    """The text of validated.json for these keys."""
    return json.dumps({"$comment": "Written by tools/validated.py: the validity keys of the "
                                   "shipped journal registry and profiles.",
                       "keys": found}, indent=1) + "\n"


def main() -> int:
    """Write the list, or with --check compare it with the shipped files."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args()
    text = document(keys())
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("validated.json is up to date" if same else
              "validated.json differs: run python tools/validated.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
