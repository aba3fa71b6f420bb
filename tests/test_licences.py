"""Licences: statements, codes and URLs to SPDX ids and canonical URLs."""

from __future__ import annotations

import pytest

from transcite.licences import licence_by_spdx, licences, normalise_licence, recognise_licence
from transcite.model import Reference, Report

STATEMENTS = [
    # The seed article's licence line.
    ("This work is licensed under a Creative Commons Attribution 4.0 License.", "CC-BY-4.0"),
    ("CC BY-NC-ND 4.0", "CC-BY-NC-ND-4.0"),
    ("CC BY 4.0", "CC-BY-4.0"),
    ("cc-by-sa 3.0", "CC-BY-SA-3.0"),
    ("CC BY-NC, version 4.0", "CC-BY-NC-4.0"),
    ("CC-BY-NC-SA-2.5", "CC-BY-NC-SA-2.5"),
    ("Licensed under CC0", "CC0-1.0"),
    ("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International License",
     "CC-BY-NC-ND-4.0"),
    ("Creative Commons Attribution-ShareAlike 3.0 Unported", "CC-BY-SA-3.0"),
    ("Creative Commons Attribution-NoDerivs 2.0 Generic", "CC-BY-ND-2.0"),
    ("Контент доступен под лицензией Creative Commons Attribution 4.0 License",
     "CC-BY-4.0"),
    (("Это произведение доступно по лицензии Creative Commons «Атрибуция — Некоммерческое "
     "использование» 4.0 Всемирная"), "CC-BY-NC-4.0"),
    ("creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode.ru", "CC-BY-NC-SA-4.0"),
    ("<https://creativecommons.org/licenses/by-nd/3.0/deed.en>", "CC-BY-ND-3.0"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
]


@pytest.mark.parametrize("text, spdx", STATEMENTS)
def test_statements(text, spdx):
    match = recognise_licence(text)
    assert match is not None and match.spdx == spdx
    assert match.licence is not None
    assert match.licence.url.startswith("https://creativecommons.org/")
    assert match.licence.url.endswith("/")


@pytest.mark.parametrize("text, reason", [
    ("CC BY", "version is not stated"),
    ("Creative Commons License", "does not say which"),
    ("CC BY-ND-SA 4.0", "both NoDerivatives and ShareAlike"),
    ("https://creativecommons.org/licenses/by/3.0/us/", "port"),
    ("CC BY-NC 5.0", "there is no CC BY-NC 5.0"),
])
def test_incomplete_statements_say_why(text, reason):
    match = recognise_licence(text)
    assert match is not None and match.licence is None
    assert match.reason is not None and reason in match.reason


@pytest.mark.parametrize("text", ["All rights reserved", "© Автор, 2018", ""])
def test_no_licence(text):
    assert recognise_licence(text) is None


def test_every_licence_in_the_table_is_recognised_from_its_url_and_id():
    table = licences()
    assert len(table) >= 30
    for lic in table:
        bare = lic.url.removeprefix("https://")
        for variant in (lic.url, "http://" + bare, bare.rstrip("/"), lic.url + "legalcode",
                        lic.spdx.lower()):
            match = recognise_licence(variant)
            assert match is not None and match.licence == lic, variant
        assert licence_by_spdx(lic.spdx) == lic


def test_step_stores_spdx_and_url_and_keeps_the_statement():
    statement = "This work is licensed under a Creative Commons Attribution 4.0 License."
    ref = Reference("a", "article-journal", fields={"license": statement})
    report = Report()
    changes = normalise_licence(ref, report)
    assert ref.fields["license"] == statement
    assert ref.extra["license-spdx"] == "CC-BY-4.0"
    assert ref.extra["license-url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [(c.field, c.new, c.kind) for c in changes] == [
        ("license-spdx", "CC-BY-4.0", "extra"),
        ("license-url", "https://creativecommons.org/licenses/by/4.0/", "extra")]
    assert not report


def test_step_reports_unknown_and_conflicting_licences():
    ref = Reference("a", fields={"license": "Creative Commons License"})
    report = Report()
    assert normalise_licence(ref, report) == []
    assert [p.code for p in report] == ["licence.unrecognised"]
    ref = Reference("b", fields={"license": "CC BY 4.0"}, extra={"license-spdx": "CC-BY-SA-4.0"})
    report = Report()
    normalise_licence(ref, report)
    assert ref.extra["license-spdx"] == "CC-BY-SA-4.0"
    assert [p.code for p in report] == ["licence.conflict"]
