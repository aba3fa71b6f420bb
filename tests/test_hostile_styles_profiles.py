"""A broken style or profile is one line naming the file; a broken user profile is skipped and
the shipped ones keep working; a profile naming a scheme or style that does not exist fails
when it is loaded, not when a list is formatted."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from transcite.cli import app
from transcite.profiles import load_profile
from transcite.registry import registry
from transcite.resources import DataError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "references" / "examples" / "russia-japan.bib"
SCOPUS = (ROOT / "styles" / "profiles" / "scopus.toml").read_text(encoding="utf-8")
runner = CliRunner()

_STYLES = {
    "empty.csl": b"",
    "binary.csl": bytes(range(256)) * 2,
    "broken.csl": b'<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">',
    "page.html": b"<!DOCTYPE html><html><body><p>not a style</p></body></html>",
    "other.csl": b'<?xml version="1.0"?><root><child/></root>',
    "no-citation.csl": b'<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" '
                       b'version="1.0"><info><title>x</title></info></style>',
    "xxe.csl": b'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>'
               b'&x;</title></info><citation><layout><text value="&x;"/></layout></citation>'
               b'</style>',
    "laughs.csl": b'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa">'
                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                  b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
                  b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><citation>'
                  b'<layout><text value="&d;"/></layout></citation></style>',
}


@pytest.mark.parametrize("name", sorted(_STYLES))
def test_a_file_that_is_no_usable_style_is_one_line_naming_it(tmp_path: Path,
                                                             name: str) -> None:
    style = tmp_path / name
    style.write_bytes(_STYLES[name])
    result = runner.invoke(app, ["format", str(EXAMPLE), "--style", str(style)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(style) in lines[0], result.stderr
    assert "root:" not in result.output          # nothing of /etc/passwd is shown
    assert result.stdout == ""


def test_the_pandoc_filter_reports_a_style_that_is_no_style(tmp_path: Path) -> None:
    from transcite.pandoc import FilterError, process

    doc = {"pandoc-api-version": [1, 23, 1], "blocks": [],
           "meta": {"csl": {"t": "MetaInlines", "c": [{"t": "Str", "c": "/etc/passwd"}]},
                    "bibliography": {"t": "MetaInlines", "c": [{"t": "Str",
                                                               "c": str(EXAMPLE)}]}}}
    with pytest.raises(FilterError, match="/etc/passwd"):
        process(doc)


@pytest.fixture
def user_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    monkeypatch.setenv("TRANSCITE_PROFILES", str(folder))
    monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
    registry.rescan("profile")
    yield folder
    registry.rescan("profile")


def _bad_profiles(folder: Path) -> None:
    (folder / "aliases.toml").write_text("aliases = 5\n", encoding="utf-8")
    (folder / "latin1.toml").write_bytes(b'title = "\xff\xfe"\n')
    (folder / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n",
                                      encoding="utf-8")
    (folder / "syntax.toml").write_text("title = \n[[[", encoding="utf-8")
    (folder / "scopus.toml").write_text(SCOPUS.replace('scheme = "bsi"', 'scheme = "nope"'),
                                        encoding="utf-8")


def test_bad_user_profiles_are_skipped_and_the_shipped_ones_work(user_profiles: Path) -> None:
    _bad_profiles(user_profiles)
    result = runner.invoke(app, ["format", str(EXAMPLE), "--profile", "scopus", "--view",
                                 "references"])
    assert result.exit_code == 0, result.output
    assert "Batin Yu." in result.stdout
    skipped = [line for line in result.stderr.splitlines() if "profile.broken" in line]
    assert len(skipped) == 5
    listing = runner.invoke(app, ["profiles"])
    assert listing.exit_code == 0
    assert any(line.startswith("scopus") for line in listing.stdout.splitlines())
    assert listing.stderr.count("skipped") == 5


def test_asking_for_a_broken_profile_is_one_line_naming_its_file(user_profiles: Path) -> None:
    _bad_profiles(user_profiles)
    for name in ("aliases", "latin1", "deep", "syntax"):
        result = runner.invoke(app, ["format", str(EXAMPLE), "--profile", name])
        assert result.exit_code != 0
        assert result.exception is None or isinstance(result.exception, SystemExit)
        error = [line for line in result.stderr.splitlines() if "error" in line]
        assert len(error) == 1 and f"{name}.toml" in error[0], result.stderr


@pytest.mark.parametrize("change,where", [
    (('scheme = "bsi"', 'scheme = "no-such-scheme"'), "references.scheme"),
    (('style = "transcite-references"', 'style = "no-such-style"'), "references.style"),
    (('style = "gost-r-7-0-5-2008-numeric"', 'style = "no-such-style"'), "original.style"),
])
def test_a_profile_naming_what_does_not_exist_fails_on_load(tmp_path: Path,
                                                            change: tuple[str, str],
                                                            where: str) -> None:
    path = tmp_path / "journal.toml"
    path.write_text(SCOPUS.replace(*change), encoding="utf-8")
    with pytest.raises(DataError, match=where) as info:
        load_profile(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


_TERM_WITHOUT_NAME = (b'<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" '
                      b'class="in-text" version="1.0"><info><title>x</title><id>x</id>'
                      b'<updated>2024-01-01T00:00:00+00:00</updated></info><locale><terms>'
                      b'<term nname="issue" form="short">no.</term></terms></locale><citation>'
                      b'<layout><text variable="title"/></layout></citation><bibliography>'
                      b'<layout><text variable="title"/></layout></bibliography></style>')


def test_a_style_the_engine_cannot_compile_is_one_line(tmp_path: Path) -> None:
    from transcite.pandoc import FilterError, process

    style = tmp_path / "broken-term.csl"
    style.write_bytes(_TERM_WITHOUT_NAME)
    result = runner.invoke(app, ["format", str(EXAMPLE), "--style", str(style)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "broken-term" in errors[0]
    doc = {"pandoc-api-version": [1, 23, 1], "blocks": [],
           "meta": {"csl": {"t": "MetaInlines", "c": [{"t": "Str", "c": str(style)}]},
                    "nocite": {"t": "MetaInlines", "c": [{"t": "Str", "c": "@*"}]},
                    "bibliography": {"t": "MetaInlines", "c": [{"t": "Str",
                                                               "c": str(EXAMPLE)}]}}}
    with pytest.raises(FilterError, match="broken-term"):
        process(doc)
