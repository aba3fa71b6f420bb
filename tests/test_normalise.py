"""transcite.normalise and `transcite normalize`: every change recorded, the input kept,
a second run changes nothing."""

from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from transcite.cli import app
from transcite.model import Date, Library, Name, Reference
from transcite.normalisation import STEPS, normalise

runner = CliRunner()


def _messy() -> Library:
    return Library([
        Reference("a", "document", fields={
            "title": "Известия  вузов - обзор", "container-title": "Журнал", "volume": "3",
            "page": "49--59", "DOI": "https://doi.org/10.1000/ABC.", "ISSN": "2658 6444"},
            names={"author": [Name(literal="Иванов И.И."), Name(literal="и др.")]},
            dates={"issued": Date(raw="21.07.2018")}),
        Reference("b", "article-journal", fields={
            "title": "Известия вузов - обзор", "container-title": "Журнал", "volume": "3",
            "page": "49-59", "language": "Russian"},
            names={"author": [Name("Иванов", "И. И."), Name("Петров", "П. П.")]},
            dates={"issued": Date(((2018,),))}),
    ])


def test_each_step_records_what_it_changed_and_the_input_is_kept() -> None:
    lib = _messy()
    result = normalise(lib)
    ref = result.library["a"]
    assert ref.type == "article-journal"
    assert ref.fields["title"] == "Известия вузов — обзор"
    assert ref.fields["page"] == "49–59"
    assert ref.fields["DOI"] == "10.1000/ABC" and ref.fields["ISSN"] == "2658-6444"
    assert ref.dates["issued"].parts == ((2018, 7, 21),)
    # "и др." was completed from the duplicate's full author list, which was merged in
    assert [n.family for n in ref.names["author"]] == ["Иванов", "Петров"]
    assert result.library.ids == ["a"]
    by_step = {(c.step, c.field) for c in result.changes}
    assert {("types", "type"), ("typography", "page"), ("dates", "issued"),
            ("identifiers", "DOI"), ("dedupe", "id"), ("names", "author")} <= by_step
    assert lib["a"].fields["page"] == "49--59" and len(lib) == 2


def test_a_second_run_changes_nothing() -> None:
    first = normalise(_messy())
    assert normalise(first.library).changes == []


def test_steps_can_be_chosen() -> None:
    result = normalise(_messy(), ["typography"])
    assert {c.step for c in result.changes} == {"typography"}
    assert result.library["a"].type == "document"


_words = st.text(alphabet=string.ascii_letters + "абвгдеёжзийклмнопрстуфхцчшщыьэюя-. ",
                 min_size=1, max_size=20)


@st.composite
def messy_refs(draw: st.DrawFn) -> Reference:
    ref = Reference(draw(st.from_regex(r"[a-z]{1,6}", fullmatch=True)),
                    draw(st.sampled_from(["document", "book", "article", "article-journal"])))
    ref.fields["title"] = draw(_words).strip() or "x"
    if draw(st.booleans()):
        ref.fields["container-title"] = draw(_words).strip() or "y"
        ref.fields["volume"] = str(draw(st.integers(1, 50)))
    if draw(st.booleans()):
        a = draw(st.integers(1, 500))
        ref.fields["page"] = f"{a}{draw(st.sampled_from(['-', '--', ' - ', '–']))}{a + 9}"
    if draw(st.booleans()):
        ref.fields["language"] = draw(st.sampled_from(["Russian", "english", "ru", "en"]))
    names = draw(st.lists(st.sampled_from(["Иванов И.И.", "Petrov, P.", "et al.",
                                           "Smith J.A.", "ТАСС"]), max_size=3))
    if names:
        ref.names["author"] = [Name(literal=n) for n in names]
    ref.dates["issued"] = draw(st.sampled_from([Date(raw="2001"), Date(raw="21.07.2018"),
                                                Date(((1999,),)), Date(literal="в печати")]))
    return ref


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messy_refs(), min_size=1, max_size=5, unique_by=lambda r: r.id))
def test_normalise_is_idempotent(refs: list[Reference]) -> None:
    once = normalise(Library(refs), [s for s in STEPS if s != "translit"])
    twice = normalise(once.library, [s for s in STEPS if s != "translit"])
    assert twice.changes == []


def test_cli_normalize_writes_reports_and_is_idempotent(tmp_path: Path) -> None:
    from transcite.writers import write

    src = tmp_path / "in.json"
    write(_messy(), src)
    out, rep = tmp_path / "out.json", tmp_path / "report.json"
    result = runner.invoke(app, ["normalize", str(src), "-o", str(out), "--report", str(rep)])
    assert result.exit_code == 0, result.output
    assert "2 references in, 1 out" in result.stdout
    data = json.loads(rep.read_text(encoding="utf-8"))
    assert data["steps"]["typography"] >= 1 and data["references_out"] == 1
    assert any(c["step"] == "dedupe" for c in data["changes"])
    again = runner.invoke(app, ["normalize", str(out), "-o", str(tmp_path / "again.json")])
    assert "0 changes" in again.stdout.splitlines()[0]
    assert (tmp_path / "again.json").read_text() == out.read_text()


def test_cli_dry_run_writes_nothing(tmp_path: Path) -> None:
    from transcite.writers import write

    src = tmp_path / "in.json"
    write(_messy(), src)
    result = runner.invoke(app, ["normalize", str(src), "--dry-run"])
    assert result.exit_code == 0
    assert "typography" in result.stdout and "'49--59' -> '49–59'" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_cli_unknown_step_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["normalize", "x.bib", "--dry-run", "--steps", "typo"])
    assert result.exit_code == 2 and "unknown step(s) typo" in result.stderr


def test_a_line_kept_as_written_is_not_retyped() -> None:
    """A line the parser could not make out is printed as the user wrote it: normalising
    leaves its note alone (a titled reference's note is still typeset)."""
    line = "какая-то  строка №224 без  смысла 5 - 6"
    kept = Reference("k", "document", fields={"note": line})
    titled = Reference("t", "report", fields={"title": "Отчёт", "note": "приложение №2"})
    out = normalise(Library([kept, titled])).library
    assert out["k"].fields["note"] == line
    assert out["t"].fields["note"] == "приложение №\u00a02"


def _merging_pair() -> Library:
    """The same web page twice: the later record says it is Russian (a stray Cyrillic letter
    in its romanised title), the earlier one, which the merge keeps, does not."""
    return Library([
        Reference("koizumi", "webpage", fields={
            "title": "Pochemu voyenno-morskiye uchenia Kitaya i Rossii provodilis",
            "URL": "https://example.org/a"},
            names={"author": [Name("Koizumi", "Yu.")]}, dates={"issued": Date(((2016, 9),))}),
        Reference("koizumi-2", "webpage", fields={
            "title": "Pochemu voyenno-morskiye uchenia Kitaya i Rossii provodilis",
            "URL": "https://example.org/a", "language": "ru"},
            names={"author": [Name("Koizumi", "Y.")]}, dates={"issued": Date(((2016,),))}),
    ])


def test_a_merge_that_makes_a_record_russian_is_finished_in_the_same_run() -> None:
    """What the duplicate brings (its language) is acted on at once - the romanised name
    rebuilt in Cyrillic - so that a second run changes nothing, in every way a run reads."""
    from transcite.bulk import _run
    from transcite.writers import dumps

    once = normalise(_merging_pair()).library
    [merged] = list(once)
    assert merged.fields["language"] == "ru"
    assert any(v.name.family == "Коидзуми" for v in merged.names["author"][0].variants)
    assert dumps(normalise(once).library, "csl-json") == dumps(once, "csl-json")
    text = dumps(_merging_pair(), "bibtex")
    from transcite.model import Report

    bulk = _run(text, "pair.bib", 2, Report(), None)
    assert bulk is not None
    assert dumps(normalise(bulk).library, "csl-json") == dumps(bulk, "csl-json")
