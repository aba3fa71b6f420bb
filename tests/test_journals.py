"""The journal registry: shipped data, validation of user files, filling and checking references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcite.journals import (
    JournalRegistry,
    apply_journal,
    default_registry,
    load_journal_file,
    load_registry,
    match_journal,
)
from transcite.model import Form, Reference, Report
from transcite.resources import DataError, shipped_dir

NPE = "izvestiya-vuzov-yadernaya-energetika"
RJR = "russian-japanology-review"


def _write(path: Path, journals: list[dict], **top: object) -> Path:
    path.write_text(json.dumps({"journals": journals, **top}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _journal(**over: object) -> dict:
    base = {"id": "test-journal", "titles": {"english": ["Test Journal"]},
            "issn": [{"issn": "1932-6203", "medium": "online"}]}
    base.update(over)
    return base


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No user registry files from the machine running the tests."""
    monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRANSCITE_JOURNALS", raising=False)
    return tmp_path


def test_shipped_registry(isolated):
    registry = load_registry()
    rjr = registry.get(RJR)
    assert rjr is not None
    assert [(i.value, i.medium) for i in rjr.issns] == [("2658-6444", "print"),
                                                       ("2658-6789", "online")]
    assert rjr.licence == "CC-BY-4.0"
    npe = registry.by_issn("0204 3327")
    assert npe is not None and npe.id == NPE
    assert npe.original[0] == "Известия высших учебных заведений. Ядерная энергетика"
    assert (shipped_dir("references") / "journals.schema.json").is_file()


def test_shipped_profiles_exist_and_name_the_same_journal(isolated):
    from transcite.profiles import get_profile

    registry = load_registry()
    for journal in registry:
        assert journal.profile, journal.id
        profile = get_profile(journal.profile)
        assert profile.journal in journal.issn_values, journal.id


@pytest.mark.parametrize("spelling", [
    # Spellings of the journal's name in its own reference lists (russian-references data).
    "Izvestiya vuzov. Yadernaya energetika", "Izvestiya Vuzov. Yadernaya Energetika",
    "Izvestiya vuzov. Yadernaya Energgetika", "Izvestia vuzov. Yadernaya Energetika",
    "Известия вузов. Ядерная энергетика", "Nuclear Energy and Technology",
])
def test_title_spellings_find_the_journal(isolated, spelling):
    journal = load_registry().by_title(spelling)
    assert journal is not None and journal.id == NPE


def test_other_journals_are_not_matched(isolated):
    registry = load_registry()
    for title in ("Izvestiya vuzov. Fizika", "Atomnaya energiya", ("Russian Journal of Earth "
                  "Sciences")):
        assert registry.by_title(title) is None, title


@pytest.mark.parametrize("journal, message", [
    (_journal(issn=[{"issn": "2658-644"}]), ("journals[0].issn[0].issn: '2658-644' does not "
                                            "match")),
    (_journal(titles={}), "journals[0].titles: {} should be non-empty"),
    (_journal(colour="red"), "journals[0]: Additional properties are not allowed ('colour'"),
    (_journal(issn=[{"issn": "2658-6445"}]), ("(test-journal): ISSN '2658-6445' is not valid: "
                                             "wrong check digit")),
    (_journal(licence="CC-BY-9.0"), "unknown licence 'CC-BY-9.0'"),
    (_journal(id="Test Journal"), "journals[0].id: 'Test Journal' does not match"),
])
def test_invalid_files_name_the_file_and_place(tmp_path, journal, message):
    path = _write(tmp_path / "mine.json", [journal])
    with pytest.raises(DataError) as info:
        load_journal_file(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"journals": [\n  {"id": "x",}\n]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"broken.json: invalid JSON at line 2"):
        load_journal_file(path)


def test_a_file_that_contradicts_itself(isolated):
    path = _write(isolated / "twice.json", [_journal(), _journal(id="other")])
    with pytest.raises(DataError, match="has the ISSN 1932-6203 of journal 'test-journal'"):
        load_registry([path])


def test_user_files_come_first(isolated, monkeypatch):
    mine = _write(isolated / "mine.json", [_journal(
        id="my-rjr", titles={"english": ["Russian Japanology Review"]},
        issn=[{"issn": "2658-6444", "medium": "print"}], publisher="Our Publisher")])
    monkeypatch.setenv("TRANSCITE_JOURNALS", str(mine))
    registry = load_registry()
    assert registry.by_issn("2658-6444").id == "my-rjr"
    assert registry.get(RJR) is None  # the shipped entry shares an ISSN: the user's wins
    assert registry.get(NPE) is not None


def test_config_folder_and_explicit_paths(isolated):
    home = isolated / "home" / "journals"
    home.mkdir(parents=True)
    _write(home / "a.json", [_journal()])
    explicit = _write(isolated / "b.json", [_journal(id="explicit")])
    registry = load_registry([explicit])
    assert registry.by_issn("1932-6203").id == "explicit"
    assert load_registry().by_issn("1932-6203").id == "test-journal"
    assert default_registry().by_issn("1932-6203").id == "test-journal"


# -- references -----------------------------------------------------------------------------------
def test_fill_container_forms_from_a_romanised_title(isolated):
    ref = Reference("alekseev", "article-journal", fields={
        "title": "O strategii razvitiya", "container-title": "Izvestiya vuzov. Yadernaya "
        "energetika", "volume": "3"})
    report = Report()
    changes = apply_journal(ref, report, load_registry())
    assert not report
    assert ref.fields["container-title"] == "Izvestiya vuzov. Yadernaya energetika"
    assert ref.fields["ISSN"] == "0204-3327 (print)"
    forms = {(v.form, v.text, v.origin) for v in ref.variants["container-title"]}
    assert forms == {
        (Form.ORIGINAL, "Известия высших учебных заведений. Ядерная энергетика", "journals"),
        (Form.TRANSLATED, "Nuclear Energy and Technology", "journals")}
    assert {(c.field, c.kind) for c in changes} == {("container-title", "variant"),
                                                   ("ISSN", "set")}


def test_fill_title_from_issn_in_the_reference_language(isolated):
    ref = Reference("x", "article-journal", fields={"title": "Теплогидравлика",
                                                    "ISSN": "0204-3327"})
    apply_journal(ref, Report(), load_registry())
    assert ref.fields["container-title"] == "Известия высших учебных заведений. Ядерная " \
                                            "энергетика"
    ref = Reference("y", "article-journal", fields={"title": "Thermal hydraulics",
                                                    "ISSN": "0204-3327"})
    apply_journal(ref, Report(), load_registry())
    assert ref.fields["container-title"] == "Nuclear Energy and Technology"


def test_issn_of_another_journal_is_an_error_and_nothing_is_filled(isolated):
    ref = Reference("x", "article-journal", fields={
        "container-title": "Известия вузов. Ядерная энергетика", "ISSN": "2658-6444"})
    report = Report()
    assert apply_journal(ref, report, load_registry()) == []
    assert [(p.severity.value, p.code) for p in report] == [("error", "journal.issn-conflict")]
    assert "2658-6444 belongs to Russian Japanology Review" in report.problems[0].message
    assert ref.variants == {}


def test_issn_whose_journal_the_title_does_not_resemble(isolated):
    ref = Reference("x", "article-journal", fields={"container-title": "Atomnaya energiya",
                                                    "ISSN": "0204-3327"})
    report = Report()
    assert match_journal(ref, load_registry(), report) is None
    assert [p.code for p in report] == ["journal.issn-conflict"]


def test_unknown_issn_of_a_known_journal(isolated):
    ref = Reference("x", "article-journal", fields={
        "container-title": "Russian Japanology Review", "ISSN": "2658-6444, 1932-6203"})
    report = Report()
    match = match_journal(ref, load_registry(), report)
    assert match is not None and match.journal.id == RJR
    assert [p.code for p in report] == ["journal.issn-unknown"]
    assert "1932-6203" in report.problems[0].message


def test_journal_found_by_doi_prefix(isolated):
    ref = Reference("x", "article-journal", fields={"DOI": "10.26583/npe.2020.1.07"})
    match = match_journal(ref, load_registry())
    assert match is not None and match.how == "doi"


def test_seed_article_is_consistent_with_the_registry(isolated, root):
    import transcite

    library = transcite.read(root / "references" / "examples" / "russia-japan.bib")
    report = Report()
    ref = library["Streltsov2018"]
    apply_journal(ref, report, load_registry())
    assert not report
    assert ref.fields["ISSN"] == "2658-6444"  # as written; nothing to fill


def test_empty_registry():
    registry = JournalRegistry()
    assert registry.by_title("Anything") is None and len(registry) == 0
