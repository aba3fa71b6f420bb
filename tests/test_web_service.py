"""The page's work without a server: problems placed at their entries, raw text kept, hostile
markup made harmless, interface text complete in both languages."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcite.web import i18n, safehtml
from transcite.web.service import InputError, Job, format_job, parse_job

BROKEN_BIB = """@article{a, author={Иванов, И. И.}, title={Статья}, journal={Вестник}, year={2001}}
@article{b, title={broken
@book{c, author={Petrov, P.}, title={Kniga}, publisher={Nauka}, address={Moscow}, year={1999}}
"""


def test_a_block_that_made_no_entry_is_shown_apart_with_its_line_and_text() -> None:
    outcome = format_job(Job(text=BROKEN_BIB, source="refs.bib", file_name="refs.bib"))
    assert [r.id for r in outcome.rows] == ["a", "c"]
    assert all(p.code != "bibtex.syntax" for r in outcome.rows for p in r.problems)
    [broken] = [p for p in outcome.general if p.code == "bibtex.syntax"]
    assert broken.line == 2 and broken.raw == "@article{b, title={broken"
    assert outcome.problems == sum(len(r.problems) for r in outcome.rows) + len(outcome.general)


def test_a_wrapped_reference_keeps_all_its_lines() -> None:
    text = ("1. Иванов И. И. Теплофизика реакторов на быстрых\n"
            "нейтронах // Атомная энергия. 2015. Т. 118, № 3. С. 150-155.\n"
            "2. Петров П. П. Книга. М.: Наука, 2001. 200 с.\n")
    outcome = format_job(Job(text=text))
    assert len(outcome.rows) == 2
    first = outcome.rows[0]
    assert first.line == 1 and "быстрых" in (first.raw or "") and "нейтронах" in (first.raw or "")
    assert outcome.rows[1].line == 3
    assert "нейтронах" in first.cells[0].text


def test_a_line_nobody_can_read_is_shown_as_written_in_every_list() -> None:
    outcome = format_job(Job(text="1. Петров П. П. Книга. М.: Наука, 2001. 200 с.\n"
                                  "2. %%%% ???? #### 12\n"))
    row = next(r for r in outcome.rows if r.line == 2)
    assert any(p.code == "parse.unrecognised" for p in row.problems)
    for cell in row.cells:
        assert "%%%% ???? #### 12" in cell.text


def test_the_view_and_profile_decide_the_lists() -> None:
    text = "Иванов И. И. Книга. М.: Наука, 2001. 200 с."
    assert [h.view for h in format_job(Job(text=text)).lists] == ["original", "references"]
    assert [h.view for h in format_job(Job(text=text, view="references")).lists] == [
        "references"]
    single = format_job(Job(text=text, profile=None, style="apa"))
    assert [h.style for h in single.lists] == ["apa"] and single.lists[0].heading is None


@pytest.mark.parametrize("job", [
    Job(text="x", profile="../../etc/passwd"),
    Job(text="x", profile=None, style="/etc/hostname"),
    Job(text="x", profile=None, style="pyproject.toml"),
    Job(text="x", profile=None, style="nonexistent-style-name"),
    Job(text="x", view="sideways"),
    Job(text="x", format="../reader"),
    Job(text="   "),
])
def test_requests_reach_no_file_and_bad_names_are_input_errors(job: Job) -> None:
    with pytest.raises(InputError):
        format_job(job)


def test_parse_job_to_an_unknown_writer_is_refused() -> None:
    with pytest.raises(InputError):
        parse_job(Job(text="Иванов И. И. Книга. М., 2001."), "no-such-writer")


# -- hostile markup ---------------------------------------------------------------------------

_ALLOWED = re.compile(r'<(/?)(i|b|em|strong|sup|sub|span|a)((?: (?:style|class|href|rel)='
                      r'"[^"<>]*")*)>')
_PIECES = st.sampled_from([
    "<", ">", "</", "/>", "<i>", "</i>", "<b>", "<script>", "</script>", "<style>",
    '<div class="csl-left-margin">', "</div>", '<span style="color:red" onclick=x>',
    '<span style="font-variant:small-caps;">', "</span>", '<a href="javascript:x">',
    "<a href='http://example.org/'>", "</a>", "&amp;", "&lt;", "&#x3c;", "<!--", "-->",
    "<![CDATA[", "]]>", '"', "'", "=", " ", "Ж", "<?php", "<!doctype html>", "<textarea>",
    "<img src=x onerror=alert(1)>", "&", "<iframe src=//x>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=24).map("".join))
def test_entry_html_keeps_only_allowed_markup_and_all_the_text(fragment: str) -> None:
    cleaned = safehtml.clean_html(fragment)
    assert "<" not in _ALLOWED.sub("", cleaned), cleaned
    # escaped text may spell "javascript:"; what must never survive is a real link to it
    assert not re.search(r"<a\b[^>]*href=\"\s*javascript:", cleaned, re.I), cleaned
    assert safehtml.plain_text(cleaned) == safehtml.plain_text(fragment)


def test_csl_markup_survives_cleaning() -> None:
    html = ('<div class="csl-left-margin">1. </div><div class="csl-right-inline"><i>Вестник</i>'
            ' <span style="font-variant:small-caps;">МГУ</span> H<sub>2</sub>O</div>')
    assert safehtml.clean_html(html) == (
        '<span class="csl-left-margin">1. </span><span class="csl-right-inline"><i>Вестник</i>'
        ' <span style="font-variant:small-caps;">МГУ</span> H<sub>2</sub>O</span>')


# -- interface text ---------------------------------------------------------------------------


def test_both_languages_have_every_text() -> None:
    ru, en = i18n.texts("ru"), i18n.texts("en")
    assert set(ru.ui) == set(en.ui) and set(ru.problem_labels) == set(en.problem_labels)
    assert ru.problem_label("parse.unrecognised") == "строка не распознана"
    assert en.problem_label("url.whatever") == "URL"             # by the code's family
    assert en.problem_label("brand.new-code") == "brand.new-code"  # else the code itself
    assert i18n.texts("de").lang == "en"


@pytest.mark.parametrize("explicit, header, expected", [
    (None, None, "en"), (None, "ru", "ru"), (None, "ru-RU,ru;q=0.9", "ru"),
    (None, "en-US,en;q=0.9,ru;q=0.8", "en"), (None, "de;q=1,ru;q=0.5,en;q=0.3", "ru"),
    (None, "ru;q=0,en", "en"), (None, "en;q=0.2,ru;q=0.9", "ru"), ("ru", "en", "ru"),
    ("xx", "ru", "ru"), (None, "ru;q=abc,en", "en"),
])
def test_language_negotiation(explicit: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate(explicit, header) == expected


def test_module_examples() -> None:
    for module in (i18n, safehtml):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
