"""The package's list of shipped data files known valid (data/validated.json): it is exactly
what the shipped files give, and it never lets a changed file through unvalidated."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from transcite.journals import load_journal_file
from transcite.profiles import load_profile
from transcite.resources import DataError, shipped_dir, shipped_valid

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import validated  # noqa: E402


def test_the_list_is_what_the_shipped_files_give() -> None:
    # A shipped file changed without running tools/validated.py fails here, not for a user
    # (who would only pay the validation).
    assert validated.document(validated.keys()) == validated.OUT.read_text(encoding="utf-8")
    assert set(validated.keys()) == shipped_valid()
    assert len(shipped_valid()) == len(validated.shipped_files()) >= 2


def test_a_changed_registry_is_validated(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    data = json.loads((shipped_dir("references") / "journals.json").read_text(encoding="utf-8"))
    data["journals"][0]["licence"] = 42
    bad = tmp_path / "journals.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"journals\.json: journals\[0\]\.licence"):
        load_journal_file(bad)


def test_a_changed_profile_is_validated(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    text = (shipped_dir("styles") / "profiles" / "scopus.toml").read_text(encoding="utf-8")
    bad = tmp_path / "scopus.toml"
    bad.write_text(text + "\nunknown_setting = 1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"scopus\.toml"):
        load_profile(bad)
    assert load_profile(shipped_dir("styles") / "profiles" / "scopus.toml").name


def test_a_changed_registry_has_its_issns_checked(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The shipped registry's ISSNs are loaded as written; an edited copy's are checked again.
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    data = json.loads((shipped_dir("references") / "journals.json").read_text(encoding="utf-8"))
    issn = data["journals"][0]["issn"][0]["issn"]
    wrong = issn[:-1] + ("0" if issn[-1] != "0" else "1")
    data["journals"][0]["issn"][0]["issn"] = wrong
    bad = tmp_path / "journals.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="wrong check digit"):
        load_journal_file(bad)
    data["journals"][0]["issn"][0]["issn"] = issn
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_journal_file(bad)[0].issns[0].value == issn


def test_the_tool_refuses_a_registry_issn_not_written_canonically(tmp_path: Path) -> None:
    data = json.loads((shipped_dir("references") / "journals.json").read_text(encoding="utf-8"))
    issn = data["journals"][0]["issn"][0]["issn"]
    data["journals"][0]["issn"][0]["issn"] = issn.replace("-", "")
    with pytest.raises(SystemExit, match="write the ISSN"):
        validated._check_issns(tmp_path / "journals.json", data)
    shipped = load_journal_file(shipped_dir("references") / "journals.json")
    assert shipped[0].issns[0].value == issn
