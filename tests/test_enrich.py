"""Merging Crossref data without overwriting, the enrichment step, and `lookup` / `enrich`."""

from __future__ import annotations

import json

import pytest
from replay import ReplayServer, Reply, cassette
from typer.testing import CliRunner

from transcite.cli import app
from transcite.enrich import enrich_library
from transcite.lookup.crossref import CrossrefClient, CrossrefSettings
from transcite.lookup.merge import enrich_reference, match_score, merge_reference
from transcite.lookup.works import bibliographic_query
from transcite.model import Date, Form, Library, Name, NameVariant, Reference, Report, Variant

PONE = "10.1371/journal.pone.0033693"
PONE_TITLE = ("Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of "
              "Microglia in the Basal Ganglia of Mice")
# A Russian rendering of that title, written for these tests.
PONE_RU = "Воздействие метилфенидата вызывает гибель дофаминовых нейронов у мышей"


@pytest.fixture
def server():
    with ReplayServer() as srv:
        srv.load("test_works_with_one_id.yaml")
        srv.load("test_works_bad_id_warn.yaml")
        srv.add("/works", cassette("test_works_query.yaml")["/works?query=ecology&rows=2"])
        yield srv


@pytest.fixture
def env(server, tmp_path, monkeypatch):
    """The CLI pointed at the replay server, with its own cache and config folder."""
    monkeypatch.setenv("TRANSCITE_CROSSREF_URL", server.url)
    monkeypatch.setenv("TRANSCITE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSCITE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRANSCITE_MAILTO", "tests@example.org")
    monkeypatch.delenv("TRANSCITE_JOURNALS", raising=False)
    monkeypatch.delenv("TRANSCITE_CONFIG", raising=False)
    return tmp_path


def _client(server, tmp_path, **over):
    values = {"base_url": server.url, "cache_dir": tmp_path / "cache", "backoff": 0.0,
              "retries": 1}
    values.update(over)
    return CrossrefClient(CrossrefSettings(**values), sleep=lambda s: None)


# -- merge_reference (pure) -----------------------------------------------------------------------
def test_merge_fills_empty_fields_and_keeps_the_users():
    ref = Reference("a", "article-journal", fields={"title": "Title", "volume": "8"})
    found = Reference("x", "article-journal", fields={"title": "Title", "volume": "7",
                                                      "issue": "3", "DOI": "10.1/abc"})
    report = Report()
    changes = merge_reference(ref, found, report)
    assert ref.fields == {"title": "Title", "volume": "8", "issue": "3", "DOI": "10.1/abc"}
    assert {(c.field, c.old, c.new, c.origin) for c in changes} == {
        ("issue", None, "3", "crossref"), ("DOI", None, "10.1/abc", "crossref")}
    assert [(p.code, p.severity.value) for p in report] == [("crossref.differs", "warning")]
    assert "volume: Crossref has '7', the reference '8'" in report.problems[0].message


def test_merge_equal_values_in_other_spellings_are_no_conflict():
    ref = Reference("a", fields={"title": "Chemical  ecology", "page": "110–119",
                                 "DOI": "https://doi.org/10.1234/ABC", "ISSN": "2658 6444"})
    found = Reference("x", fields={"title": "Chemical Ecology", "page": "110-119",
                                   "DOI": "10.1234/abc", "ISSN": "2658-6444 (print)"})
    report = Report()
    assert merge_reference(ref, found, report) == []
    assert not report


def test_merge_adds_english_title_beside_a_cyrillic_one():
    ref = Reference("a", "article-journal", fields={"title": PONE_RU, "language": "ru"})
    found = Reference("x", "article-journal", fields={"title": PONE_TITLE, "language": "en"})
    report = Report()
    changes = merge_reference(ref, found, report)
    assert ref.fields["title"] == PONE_RU
    assert ref.variants["title"] == [Variant(PONE_TITLE, Form.TRANSLATED, "en",
                                             origin="crossref")]
    assert [(c.kind, c.new) for c in changes] == [("variant", PONE_TITLE)]
    assert [p.code for p in report] == []
    assert ref.fields["language"] == "ru"  # Crossref's "en" describes its metadata


def test_merge_different_english_title_is_reported_not_added():
    ref = Reference("a", fields={"title": PONE_RU},
                    variants={"title": [Variant("Another title", Form.TRANSLATED, "en")]})
    report = Report()
    merge_reference(ref, Reference("x", fields={"title": PONE_TITLE}), report)
    assert len(ref.variants["title"]) == 1
    assert [p.code for p in report] == ["crossref.differs"]


def test_merge_names():
    theirs = [Name("Batin", "Yu."), Name("Streltsov", "D. V.")]
    ref = Reference("a", names={"author": [Name("Батин", "Ю."), Name("Стрельцов", "Д. В.")]})
    changes = merge_reference(ref, Reference("x", names={"author": theirs}), Report())
    assert [n.family for n in ref.names["author"]] == ["Батин", "Стрельцов"]
    assert [n.variant(Form.ROMANISED).name.family for n in ref.names["author"]] == \
        ["Batin", "Streltsov"]
    assert [c.kind for c in changes] == ["variant", "variant"]
    # Latin names that differ are reported; missing names are filled.
    ref = Reference("b", names={"author": [Name("Smith", "J.")]})
    report = Report()
    merge_reference(ref, Reference("x", names={"author": theirs}), report)
    assert ref.names["author"] == [Name("Smith", "J.")]
    assert [p.code for p in report] == ["crossref.differs"]
    ref = Reference("c")
    merge_reference(ref, Reference("x", names={"author": theirs}), Report())
    assert [n.family for n in ref.names["author"]] == ["Batin", "Streltsov"]


def test_merge_years():
    ref = Reference("a", dates={"issued": Date(parts=((2016,),))})
    report = Report()
    merge_reference(ref, Reference("x", dates={"issued": Date(parts=((2017, 9, 6),))}), report)
    assert ref.year == 2016 and [p.code for p in report] == ["crossref.differs"]
    ref = Reference("b")
    merge_reference(ref, Reference("x", dates={"issued": Date(parts=((2017, 9, 6),))}),
                    Report())
    assert ref.dates["issued"].parts == ((2017, 9, 6),)


# -- search ---------------------------------------------------------------------------------------
def test_query_prefers_latin_forms():
    ref = Reference("a", "article-journal", fields={
        "title": "Химическая экология", "container-title": "Экология", "volume": "3",
        "page": "110-119"}, names={"author": [Name("Кесслер", "А.", variants=[
            NameVariant(Name("Kessler", "A."), Form.ROMANISED, "ru")])]},
        dates={"issued": Date(parts=((2012,),))},
        variants={"title": [Variant("Chemical ecology", Form.TRANSLATED, "en")]})
    assert bibliographic_query(ref) == "Kessler Chemical ecology 2012 3 110"


def test_match_score_needs_independent_facts():
    found = Reference("x", fields={"title": "Chemical Ecology"},
                      names={"author": [Name("Kessler", "André")]},
                      dates={"issued": Date(parts=((2012, 5, 23),))})
    good = Reference("a", fields={"title": "Chemical ecology"},
                     names={"author": [Name("Kessler", "A.")]},
                     dates={"issued": Date(parts=((2012,),))})
    assert match_score(good, found).score == 5.5
    title_only = Reference("b", fields={"title": "Chemical ecology"})
    assert match_score(title_only, found).score < 4
    wrong_year = Reference("c", fields={"title": "Chemical ecology"},
                           names={"author": [Name("Kessler", "A.")]},
                           dates={"issued": Date(parts=((2019,),))})
    assert match_score(wrong_year, found).score < 4


def test_search_finds_the_doi(server, tmp_path):
    ref = Reference("k", "entry", fields={"title": "Chemical ecology"},
                    names={"author": [Name("Kessler", "A.")]},
                    dates={"issued": Date(parts=((2012,),))})
    report = Report()
    changes = enrich_reference(ref, _client(server, tmp_path), report)
    assert ref.fields["DOI"] == "10.1093/obo/9780199830060-0023"
    assert ref.fields["title"] == "Chemical ecology"
    assert {c.step for c in changes} == {"crossref-search"}
    assert "query.bibliographic=Kessler+Chemical+ecology+2012" in server.requests[-1][0]


def test_search_without_a_confirmed_hit_changes_nothing(server, tmp_path):
    ref = Reference("s", "book", fields={"title": "Communicating ecology"},
                    names={"author": [Name("Smith", "J.")]},
                    dates={"issued": Date(parts=((2019,),))})
    report = Report()
    assert enrich_reference(ref, _client(server, tmp_path), report) == []
    assert "DOI" not in ref.fields
    assert [p.code for p in report] == ["crossref.no-match"]


# -- enrich_reference / enrich_library ------------------------------------------------------------
def test_enrich_by_doi_fills_and_keeps(server, tmp_path):
    ref = Reference("p", "article-journal", fields={"title": PONE_RU, "DOI": f"doi:{PONE}",
                                                    "volume": "8", "language": "ru"})
    library = Library([ref])
    changes = enrich_library(library, client=_client(server, tmp_path))
    assert ref.fields["title"] == PONE_RU and ref.fields["volume"] == "8"
    assert ref.fields["DOI"] == PONE
    assert ref.form("title", Form.TRANSLATED).text == PONE_TITLE
    assert ref.fields["container-title"] == "PLoS ONE" and ref.fields["issue"] == "3"
    assert ref.names["author"][0].family == "Sadasivan"
    assert ref.extra["license-spdx"] == "CC-BY-4.0"
    assert {c.step for c in changes} == {"identifiers", "crossref", "licences"}
    assert [p.code for p in library.report] == ["crossref.differs"]  # the volume


def test_enrich_unknown_doi_and_unavailable_service(server, tmp_path):
    server.add("/works/10.1371/journal.pone.0020476", Reply(503, b"busy"))
    refs = [Reference("a", fields={"DOI": "10.1371/notarealdoi"}),
            Reference("b", fields={"DOI": "10.1371/journal.pone.0020476"}),
            Reference("c", fields={"DOI": "10.1371/journal.pone.0020476"}),
            Reference("d", fields={"DOI": "10.1371/journal.pone.0020476"})]
    library = Library(refs)
    client = _client(server, tmp_path, give_up_after=2)
    assert enrich_library(library, client=client, search=False) == []
    assert [(p.item, p.code) for p in library.report] == [
        ("a", "crossref.not-found"), ("b", "crossref.unavailable"),
        ("c", "crossref.unavailable")]
    assert client.stats.skipped == 1  # "d" was not asked
    assert all(r.fields == {"DOI": r.fields["DOI"]} for r in refs)


def test_enrich_offline_miss_is_information(server, tmp_path):
    library = Library([Reference("a", fields={"DOI": PONE})])
    enrich_library(library, client=_client(server, tmp_path, offline=True))
    assert [(p.code, p.severity.value) for p in library.report] == [("crossref.offline",
                                                                     "info")]
    assert server.count() == 0


# -- CLI ------------------------------------------------------------------------------------------
def test_lookup_command(env, server):
    result = CliRunner().invoke(app, ["lookup", f"https://doi.org/{PONE}",
                                      "doi:10.1371/notarealdoi", "npe.2014"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [i["DOI"] for i in items] == [PONE]
    assert items[0]["title"] == PONE_TITLE and items[0]["type"] == "article-journal"
    assert items[0]["custom"]["license-spdx"] == "CC-BY-4.0"
    lines = result.stderr.splitlines()
    assert lines[0].startswith("<arguments>:2: error: DOI 10.1371/notarealdoi is not known")
    assert lines[1].startswith("<arguments>:3: error: DOI 'npe.2014' is not valid")
    assert lines[1].endswith("(nor an ISSN) (identifier.invalid-doi)")
    # Offline now answers from the cache filled by the first run.
    again = CliRunner().invoke(app, ["lookup", PONE, "--offline"])
    assert again.exit_code == 0 and json.loads(again.stdout)[0]["DOI"] == PONE
    assert server.count(f"/works/{PONE}") == 1


def test_lookup_journal_by_issn(env, server):
    server.load("test_journals_ids.yaml")
    server.load("test_journals_bad_id_warn.yaml")
    result = CliRunner().invoke(app, ["lookup", "1803 2427", "4444-4444"])
    assert result.exit_code == 1
    [item] = json.loads(result.stdout)
    assert item == {"id": "1803-2427", "type": "periodical",
                    "title": "Journal of Landscape Ecology",
                    "publisher": "De Gruyter Poland Sp. z o.o.",
                    "ISSN": "1803-2427 (print), 1805-4196 (online)"}
    # 4444-4444 is habanero's "bad id": its check digit is wrong, so it is not even asked.
    assert "<arguments>:2: error: ISSN '4444-4444' is not valid: wrong check digit" in \
        result.stderr
    assert server.count("/journals/") == 1


def test_enrich_fills_a_journal_title_from_its_issn(server, tmp_path):
    server.load("test_journals_ids.yaml")
    ref = Reference("j", "article-journal", fields={"title": "Landscape", "ISSN": "1805-4196"})
    server.add("/journals/1805-4196", cassette("test_journals_ids.yaml")["/journals/1803-2427"])
    changes = enrich_reference(ref, _client(server, tmp_path), Report())
    assert ref.fields["container-title"] == "Journal of Landscape Ecology"
    assert [(c.step, c.field) for c in changes] == [("crossref-journal", "container-title"),
                                                   ("crossref-journal", "publisher")]


def test_lookup_reads_stdin(env, server):
    result = CliRunner().invoke(app, ["lookup", "-"], input=f"\n{PONE}\n")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1


def test_enrich_command(env, server, tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps([
        {"id": "pone", "type": "article-journal", "title": PONE_RU, "language": "ru",
         "DOI": f"https://doi.org/{PONE}."},
        {"id": "npe", "type": "article-journal", "title": "O strategii",
         "container-title": "Izvestiya vuzov. Yadernaya energetika", "ISSN": "02043327"},
    ], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["enrich", str(source), "-o", str(out), "--no-search",
                                      "-v"])
    assert result.exit_code == 0, result.stderr
    items = {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    assert items["pone"]["title"] == PONE_RU
    assert items["pone"]["multi"]["_keys"]["title"]["en"] == PONE_TITLE
    assert items["pone"]["DOI"] == PONE
    assert items["npe"]["ISSN"] == "0204-3327"
    assert items["npe"]["multi"]["_keys"]["container-title"]["ru"].startswith("Известия")
    assert "pone.title: added form" in result.stderr
    assert "change(s) in 2 reference(s)" in result.stderr


def test_enrich_reports_invalid_identifiers_and_bad_registry(env, tmp_path):
    source = tmp_path / "in.json"
    source.write_text('[{"id": "a", "title": "T", "ISSN": "2658-6445"}]', encoding="utf-8")
    result = CliRunner().invoke(app, ["enrich", str(source), "-o", str(tmp_path / "o.json"),
                                      "--no-crossref"])
    assert result.exit_code == 1
    assert "error: ISSN '2658-6445' is not valid" in result.stderr
    assert json.loads((tmp_path / "o.json").read_text())[0]["ISSN"] == "2658-6445"
    bad = tmp_path / "bad.json"
    bad.write_text('{"journals": [{"id": "x"}]}', encoding="utf-8")
    result = CliRunner().invoke(app, ["enrich", str(source), "-o", "-", "--to", "json",
                                      "--no-crossref", "--journals", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: journals[0]: 'titles' is a required property" in result.stderr


def test_bad_configuration_is_a_usage_error(env, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text("[crossref]\nretry = 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["lookup", PONE])
    assert result.exit_code == 2
    assert "unknown setting 'retry'" in result.stderr
