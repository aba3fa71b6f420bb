"""Journal profiles: shipped ones load, broken ones are refused with the file and the problem,
user folders are found, and the original list keeps per-item terms and parallel numbering."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.cli import app
from transcite.model import Date, Library, Name, Reference
from transcite.profiles import get_profile, profiles
from transcite.registry import UnknownName, registry
from transcite.render.lists import format_library
from transcite.resources import DataError

runner = CliRunner()


def test_shipped_profiles_load_and_name_existing_styles() -> None:
    from transcite.render import resolve_style

    names = {p.name for p in profiles()}
    assert {"scopus", "bgn-pcgn", "ala-lc", "russian-japanology-review",
            "nuclear-energy-and-technology"} <= names
    for p in profiles():
        resolve_style(p.original.style)
        resolve_style(p.references.style)
        assert p.references.places["М."] == "Moscow"


def test_aliases() -> None:
    assert get_profile("rjr").name == "russian-japanology-review"
    assert get_profile("npe").references.marker == "(in Russian)"


def test_unknown_profile_suggests_names() -> None:
    with pytest.raises(UnknownName) as info:
        get_profile("scopis")
    assert "scopus" in info.value.suggestions


@pytest.mark.parametrize(("body", "message"), [
    ('title = "x"\n[original]\nstyle = "apa"\n', "'references' is a required property"),
    ('title = "x"\n[original]\nstyle = "apa"\n[references]\nstyle = "apa"\nscheme = "bsi"\n'
     'marker_position = "middle"\n', "references.marker_position"),
    ('title = "x"\n[original]\nstyle = "apa"\nsorting = "x"\n[references]\nstyle = "apa"\n'
     'scheme = "bsi"\n', "Additional properties"),
    ('title = "x\n', "invalid TOML"),
])
def test_broken_profiles_are_refused_with_file_and_reason(tmp_path: Path, body: str,
                                                          message: str) -> None:
    path = tmp_path / "journal.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as info:
        get_profile(str(path))
    assert str(path) in str(info.value) and message in str(info.value)


def test_a_profile_dropped_in_a_user_folder_is_found(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "my-journal.toml").write_text(
        'title = "My journal"\naliases = ["mine"]\n[original]\nstyle = "apa"\n'
        '[references]\nstyle = "transcite-references"\nscheme = "bgn_pcgn"\n', encoding="utf-8")
    monkeypatch.setenv("TRANSCITE_PROFILES", str(folder))
    registry.rescan("profile")  # as a new process would
    try:
        assert get_profile("mine").title == "My journal"
        result = runner.invoke(app, ["profiles"])
        assert "my-journal (also: mine): My journal" in result.stdout
    finally:
        monkeypatch.delenv("TRANSCITE_PROFILES")
        registry.rescan("profile")


def _library() -> Library:
    return Library([
        Reference("en", "article-journal", fields={"title": "An English paper",
                  "container-title": "Journal", "volume": "1", "issue": "2", "page": "3-9",
                  "language": "en"}, names={"author": [Name("Smith", "J.")]},
                  dates={"issued": Date(((2001,),))}),
        Reference("ru", "article-journal", fields={"title": "Русская статья",
                  "container-title": "Журнал", "volume": "4", "issue": "5", "page": "6-8",
                  "language": "ru"}, names={"author": [Name("Иванов", "И. И.")]},
                  dates={"issued": Date(((2002,),))}),
    ])


def test_original_list_uses_each_items_own_terms() -> None:
    result = format_library(_library(), profile="scopus", view="original", order="input")
    [lst] = result.lists
    en, ru = (e.text for e in lst.entries)
    assert "Vol. 1" in en and "P. 3–9" in en
    assert "Т. 4" in ru and "С. 6–8" in ru


def test_plain_style_rendering_keeps_one_locale() -> None:
    result = format_library(_library(), style="gost-r-7-0-5-2008-numeric", order="input")
    [lst] = result.lists
    assert all("Т. " in e.text for e in lst.entries)


def test_cyrillic_first_sort() -> None:
    result = format_library(_library(), profile="scopus", view="original",
                            sort="cyrillic-first")
    assert [e.id for e in result.lists[0].entries] == ["ru", "en"]
    assert result.lists[0].entries[0].text.startswith("1.")


def test_a_profile_valid_once_is_still_checked_after_an_edit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Valid files are remembered (so later loads skip validation), but only as they were:
    an edit that breaks the file is reported on the next load."""
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "journal.toml"
    good = ('title = "x"\n[original]\nstyle = "apa"\n[references]\nstyle = "apa"\n'
            'scheme = "bsi"\n')
    path.write_text(good, encoding="utf-8")
    assert get_profile(str(path)).title == "x"
    assert get_profile(str(path)).title == "x"
    assert len(list((tmp_path / "cache" / "valid").iterdir())) == 1
    path.write_text(good + 'marker_position = "middle"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        get_profile(str(path))
    assert "references.marker_position" in str(info.value)
    assert len(list((tmp_path / "cache" / "valid").iterdir())) == 1
