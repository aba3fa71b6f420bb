"""BibTeX entry templates shared by the tests of long libraries (``{n}`` numbers a copy): a
Russian article, duplicates, a missing key, an unknown type with a repeated field, a
conference paper with "others", an English article with a DOI."""

from __future__ import annotations

ENTRIES = [
    "@article{{ivanov{n},\n  author = {{Иванов, И. И. and Petrov, P.}},\n  title = "
    "{{Исследование реактора {n}}},\n  journal = {{Атомная энергия}},\n  year = {{2015}},\n"
    "  volume = {{3}},\n  pages = {{10--20}},\n  langid = {{russian}}\n}}",
    "@book{{dup,\n  author = {{Smith, John}},\n  title = {{A book {n}}},\n  publisher = {{Wiley}},"
    "\n  address = {{Hoboken}},\n  year = {{2001}}\n}}",
    "@article{{,\n  author = {{Иванов И.И.}},\n  title = {{Без ключа {n}}},\n"
    "  journal = {{Теплоэнергетика}},\n  year = {{1999}},\n  issn = {{1234-5678}}\n}}",
    "@whatever{{odd{n},\n  title = {{Strange type {n}}},\n  Title = {{Twice}},\n"
    "  year = {{2020}}\n}}",
    "@inproceedings{{conf{n},\n  author = {{van der Berg, Jan and others}},\n  title = "
    "{{Cтатья c примерами}},\n  booktitle = {{Proc. {n}}},\n  year = {{2010}},\n"
    "  pages = {{1 - 5}}\n}}",
    "@article{{same{n},\n  author = {{Smith, John}},\n  title = {{Heat transfer in fast "
    "reactors}},\n  journal = {{Annals of Nuclear Energy}},\n  year = {{2012}},\n"
    "  doi = {{10.1016/j.anucene.2012.01.001}}\n}}",
]
