"""Build transcite's GOST CSL styles (``styles/csl/gost-r-*.csl``) from one set of rules.

GOST R 7.0.100-2018 (bibliographic record) and GOST R 7.0.5-2008 (bibliographic reference)
describe the same areas in the same order; the shipped styles differ only in a few switches:

* ``standard`` - ``2018``: heading "Иванов, И. И." (the first author) and a statement of
  responsibility after " / " naming the authors ("/ И. И. Иванов, П. П. Петров"), four names at
  most, else three and "[и др.]"; ``2008``: heading with up to three authors "Иванов И. И.,
  Петров П. П., Сидоров С. С. и др.", editors and translators after " / ", and the general
  material designation "[Электронный ресурс]" after the title of a resource with a URL;
* ``separator`` - the area separator: ". — " as the standards print it, or "." alone (both
  standards allow replacing ". — " by "." in lists);
* ``citation`` - ``numeric`` ("[1, с. 5]") or ``author-date`` ("[Иванов, 2015, с. 5]");
* ``sort`` - ``citation`` (order of first citation, or the input order) or ``alphabetical``
  (authors, or the title of a work without author; then year and title).

    python tools/gost_styles.py            # write the styles into styles/csl
    python tools/gost_styles.py --check    # exit 1 if a shipped file differs from the rules

The rules (per type, per area) are in ``_macros``; tests/test_gost.py checks the shipped files
are exactly what this script writes.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "styles" / "csl"

PERIODICAL = "article-journal article-magazine article-newspaper periodical"
DATED = ("article-newspaper article-magazine webpage post post-weblog broadcast interview "
         "personal_communication speech")
LEGAL = "legislation regulation bill"
DASH = ". \u2014 "
LICENCE = ("This work is licensed under a Creative Commons Attribution-ShareAlike 3.0 "
           "License")


@dataclass(frozen=True)
class Variant:
    """One shipped style: its file stem, title and switches."""

    stem: str
    title: str
    standard: str          # "2008" | "2018"
    separator: str         # DASH | ". "
    citation: str          # "numeric" | "author-date"
    sort: str              # "citation" | "alphabetical"


VARIANTS = (
    Variant("gost-r-7-0-100-2018-numeric", "GOST R 7.0.100-2018 (numeric, in order of citation)",
            "2018", DASH, "numeric", "citation"),
    Variant("gost-r-7-0-100-2018-numeric-alphabetical",
            "GOST R 7.0.100-2018 (numeric, sorted alphabetically)",
            "2018", DASH, "numeric", "alphabetical"),
    Variant("gost-r-7-0-100-2018-author-year", "GOST R 7.0.100-2018 (author-year)",
            "2018", DASH, "author-date", "alphabetical"),
    Variant("gost-r-7-0-100-2018-numeric-dots",
            "GOST R 7.0.100-2018 (numeric, areas separated by periods only)",
            "2018", ". ", "numeric", "citation"),
    Variant("gost-r-7-0-5-2008-numeric", "GOST R 7.0.5-2008 (numeric, in order of citation)",
            "2008", ". ", "numeric", "citation"),
    Variant("gost-r-7-0-5-2008-numeric-alphabetical",
            "GOST R 7.0.5-2008 (numeric, sorted alphabetically)",
            "2008", ". ", "numeric", "alphabetical"),
    Variant("gost-r-7-0-5-2008", "GOST R 7.0.5-2008 (author-year)",
            "2008", ". ", "author-date", "alphabetical"),
)

_ATTRIBUTION = {
    "gost-r-7-0-5-2008": "Andrey Chetverikov",
    "gost-r-7-0-5-2008-numeric": "Yurkin Maxim, Andrew Voynov",
    "gost-r-7-0-5-2008-numeric-alphabetical": "Rybakov Dmitriy",
}


def _info(v: Variant) -> str:
    earlier = _ATTRIBUTION.get(v.stem)
    credit = (f"\n    <contributor>\n      <name>{earlier}</name>\n    </contributor>"
              if earlier else "")
    return f"""  <info>
    <title>Russian {v.title}</title>
    <id>https://github.com/transcite/transcite/styles/{v.stem}</id>
    <link href="https://github.com/transcite/transcite/styles/{v.stem}" rel="self"/>
    <author>
      <name>transcite developers</name>
    </author>{credit}
    <category citation-format="{v.citation}"/>
    <category field="generic-base"/>
    <summary>{_summary(v)}</summary>
    <updated>2026-12-01T00:00:00+00:00</updated>
    <rights license="https://creativecommons.org/licenses/by-sa/3.0/">{LICENCE}</rights>
  </info>"""


def _summary(v: Variant) -> str:
    standard = "7.0.100-2018" if v.standard == "2018" else "7.0.5-2008"
    separators = "'. — '" if v.separator == DASH else "'.' (the standard's permitted shortening)"
    earlier = _ATTRIBUTION.get(v.stem)
    note = (f" It replaces the community style of the same name by {earlier}, whose file name "
            "and aliases it keeps." if earlier else "")
    return (f"Список литературы by GOST R {standard}, written for transcite from the "
            "standard's rules: every document type (articles, books, chapters, conference "
            "papers, theses, reports, standards, laws, patents, web pages, software, data "
            "sets), URL with the access date, DOI, ISBN, areas separated by "
            f"{separators}; terms in the language of each item when the locale asks "
            f"(Т./№/С. or Vol./no./P.). Generated by tools/gost_styles.py.{note}")


_MONTHS_RU = ("января февраля марта апреля мая июня июля августа сентября октября ноября "
              "декабря").split()
_MONTHS_RU_SHORT = "янв. февр. марта апр. мая июня июля авг. сент. окт. нояб. дек.".split()
_MONTHS_EN_SHORT = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()


def _locales(v: Variant) -> str:
    # 7.0.100 brackets the "и др." it adds after " / "; an author-year citation cannot have
    # brackets inside its brackets ("[Иванов и др., 2015]"), so that variant prints it plain
    bracketed = v.standard == "2018" and v.citation == "numeric"
    et_al_ru, et_al_en = ("[и др.]", "[et al.]") if bracketed else ("и др.", "et al.")
    patent_ru = "патент" if v.standard == "2018" else "пат."
    months_ru = "\n".join(f'      <term name="month-{i:02d}">{m}</term>'
                          for i, m in enumerate(_MONTHS_RU, 1))
    months_ru += "\n" + "\n".join(f'      <term name="month-{i:02d}" form="short">{m}</term>'
                                  for i, m in enumerate(_MONTHS_RU_SHORT, 1))
    months_en = "\n".join(f'      <term name="month-{i:02d}" form="short">{m}</term>'
                          for i, m in enumerate(_MONTHS_EN_SHORT, 1))
    return f"""  <locale xml:lang="ru">
    <terms>
      <term name="et-al">{et_al_ru}</term>
      <term name="and others"></term>
      <term name="accessed">дата обращения</term>
      <term name="online">электронный ресурс</term>
      <term name="in">в</term>
      <term name="from">от</term>
      <term name="version">версия</term>
      <term name="no date" form="short">б. г.</term>
      <term name="volume" form="short">т.</term>
      <term name="number-of-volumes" form="short">т.</term>
      <term name="issue" form="short">№</term>
      <term name="number" form="short">№</term>
      <term name="part" form="short">ч.</term>
      <term name="chapter" form="short">гл.</term>
      <term name="article-locator" form="short">ст.</term>
      <term name="patent" form="short">{patent_ru}</term>
      <term name="page" form="short">
        <single>с.</single>
        <multiple>с.</multiple>
      </term>
      <term name="edition" form="short">изд.</term>
      <term name="ordinal">-е</term>
      <term name="editor" form="verb-short">под ред.</term>
      <term name="editorial-director" form="verb-short">отв. ред.</term>
      <term name="translator" form="verb-short">пер.</term>
      <term name="editortranslator" form="verb-short">под ред. и пер.</term>
      <term name="compiler" form="verb-short">сост.</term>
      <term name="illustrator" form="verb-short">ил.</term>
      <term name="director" form="verb-short">реж.</term>
      <term name="contributor" form="verb-short">при участии</term>
      <term name="collection-editor" form="verb-short">под ред.</term>
{months_ru}
    </terms>
  </locale>
  <locale xml:lang="en">
    <terms>
      <term name="et-al">{et_al_en}</term>
      <term name="and others"></term>
      <term name="accessed">accessed</term>
      <term name="online">electronic resource</term>
      <term name="in">in</term>
      <term name="from">of</term>
      <term name="version">version</term>
      <term name="volume" form="short">vol.</term>
      <term name="number-of-volumes" form="short">vols.</term>
      <term name="issue" form="short">no.</term>
      <term name="number" form="short">no.</term>
      <term name="part" form="short">pt.</term>
      <term name="chapter" form="short">ch.</term>
      <term name="article-locator" form="short">art.</term>
      <term name="patent" form="short">pat.</term>
      <term name="page" form="short">
        <single>p.</single>
        <multiple>p.</multiple>
      </term>
      <term name="edition" form="short">ed.</term>
      <term name="editor" form="verb-short">ed. by</term>
      <term name="editorial-director" form="verb-short">ed. by</term>
      <term name="translator" form="verb-short">transl. by</term>
      <term name="editortranslator" form="verb-short">ed. and transl. by</term>
      <term name="compiler" form="verb-short">comp. by</term>
      <term name="collection-editor" form="verb-short">ed. by</term>
{months_en}
    </terms>
  </locale>"""


def _heading(v: Variant, var: str = "author") -> str:
    """Names before the title."""
    if v.standard == "2018":     # the first author; the rest are named after " / "
        return f"""    <names variable="{var}">
      <name name-as-sort-order="all" sort-separator=", " initialize-with=". " et-al-min="2"
          et-al-use-first="1"/>
      <et-al term="and others"/>
    </names>"""
    return f"""    <names variable="{var}">
      <name name-as-sort-order="all" sort-separator=" " initialize-with=". " delimiter=", "
          delimiter-precedes-et-al="never" et-al-min="4" et-al-use-first="3"/>
    </names>"""


def _contributors(role_vars: str) -> str:
    return f"""      <names variable="{role_vars}" delimiter=" ; ">
        <label form="verb-short" suffix=" "/>
        <name initialize-with=". " delimiter=", " delimiter-precedes-et-al="never" et-al-min="5"
            et-al-use-first="3"/>
      </names>"""


def _macros(v: Variant) -> str:
    authors_after_slash = """      <choose>
        <if variable="title">
          <names variable="author">
            <name initialize-with=". " delimiter=", " delimiter-precedes-et-al="never"
                et-al-min="5" et-al-use-first="3"/>
          </names>
        </if>
      </choose>
""" if v.standard == "2018" else ""
    gmd = """          <choose>
            <if variable="URL">
              <text term="online" text-case="capitalize-first" prefix="[" suffix="]"/>
            </if>
          </choose>
""" if v.standard == "2008" else ""
    year_suffix = '\n      <text variable="year-suffix"/>' if v.citation == "author-date" else ""
    # "пат. 2187888 Российская Федерация" (7.0.5), "патент № 2637215 Российская Федерация"
    patent_number = ("""            <group delimiter=" ">
              <text term="number" form="short"/>
              <text variable="number"/>
            </group>""" if v.standard == "2018" else
                     """            <text variable="number"/>""")
    return f"""  <macro name="heading">
{_heading(v)}
  </macro>
  <macro name="sort-key">
    <names variable="author">
      <name name-as-sort-order="all" sort-separator=" " initialize-with=". " delimiter=", "/>
      <substitute>
        <text variable="title"/>
        <text variable="container-title"/>
        <text variable="note"/>
      </substitute>
    </names>
  </macro>
  <macro name="responsibility">
    <!-- the statement of responsibility after " / " -->
    <group delimiter=" ; ">
{authors_after_slash}      <choose>
        <if variable="container-title" match="none">
{_contributors("editor translator")}
        </if>
        <else>
{_contributors("translator")}
        </else>
      </choose>
{_contributors("editorial-director compiler illustrator director contributor")}
      <choose>
        <if type="patent">
          <text variable="publisher"/>
        </if>
        <else-if type="{LEGAL} standard" match="any">
          <text variable="authority"/>
        </else-if>
      </choose>
    </group>
  </macro>
  <macro name="date-numeric">
    <date variable="issued">
      <date-part name="day" form="numeric-leading-zeros" suffix="."/>
      <date-part name="month" form="numeric-leading-zeros" suffix="."/>
      <date-part name="year"/>
    </date>
  </macro>
  <macro name="legal-title">
    <!-- "Федеральный закон от 21.07.1997 № 116-ФЗ «О промышленной безопасности...»" -->
    <group delimiter=" ">
      <text variable="genre"/>
      <group delimiter=" ">
        <text term="from"/>
        <text macro="date-numeric"/>
      </group>
      <group delimiter=" ">
        <text term="number" form="short"/>
        <text variable="number"/>
      </group>
      <choose>
        <if variable="genre">
          <text variable="title" quotes="true"/>
        </if>
      </choose>
    </group>
  </macro>
  <macro name="title-info">
    <!-- other title information after " : " -->
    <group delimiter=" : ">
      <choose>
        <if type="patent">
          <group delimiter=" ">
            <choose>
              <if variable="genre">
                <text variable="genre"/>
              </if>
              <else>
                <text term="patent" form="short"/>
              </else>
            </choose>
{patent_number}
            <text variable="authority"/>
          </group>
        </if>
        <else-if type="report thesis" match="any">
          <!-- "препринт № 1962"; "отчет о НИР : 7-27-2004"; "дис. ... канд. техн. наук :
               05.14.03" (the speciality) -->
          <choose>
            <if type="report" variable="genre" match="all">
              <choose>
                <if is-numeric="number">
                  <group delimiter=" ">
                    <text variable="genre"/>
                    <text term="number" form="short"/>
                    <text variable="number"/>
                  </group>
                </if>
                <else>
                  <group delimiter=" : ">
                    <text variable="genre"/>
                    <text variable="number"/>
                  </group>
                </else>
              </choose>
            </if>
            <else-if type="thesis">
              <group delimiter=" : ">
                <text variable="genre"/>
                <text variable="number"/>
              </group>
            </else-if>
            <else>
              <text variable="genre"/>
            </else>
          </choose>
        </else-if>
        <else-if type="{LEGAL}" match="any">
          <choose>
            <if variable="genre" match="none">
              <text macro="legal-title"/>
            </if>
          </choose>
        </else-if>
        <else>
          <text variable="genre"/>
        </else>
      </choose>
      <text variable="status"/>
      <group delimiter=" ">
        <text term="in"/>
        <number variable="number-of-volumes"/>
        <text term="number-of-volumes" form="short"/>
      </group>
      <group delimiter=" ">
        <text term="version"/>
        <text variable="version"/>
      </group>
    </group>
  </macro>
  <macro name="title">
    <group delimiter=" = ">
      <group delimiter=" : ">
        <group delimiter=" ">
          <choose>
            <if type="{LEGAL}" match="any">
              <choose>
                <if variable="genre">
                  <text macro="legal-title"/>
                </if>
                <else>
                  <text variable="title"/>
                </else>
              </choose>
            </if>
            <else-if type="standard">
              <group delimiter=". ">
                <text variable="number"/>
                <text variable="title"/>
              </group>
            </else-if>
            <else>
              <text variable="title"/>
            </else>
          </choose>
          <text variable="medium" prefix="[" suffix="]"/>
{gmd}        </group>
        <text macro="title-info"/>
      </group>
      <text variable="original-title"/>
    </group>
  </macro>
  <macro name="container">
    <!-- after " // ": the whole the part belongs to -->
    <group delimiter=" / ">
      <group delimiter=" ">
        <group delimiter=" : ">
          <group delimiter=" ">
{_heading(v, "container-author")}
            <text variable="container-title"/>
          </group>
          <text variable="event-title"/>
        </group>
        <group prefix="(" suffix=")" delimiter=", ">
            <text variable="event-place"/>
            <date variable="event-date">
              <date-part name="day" suffix=" " range-delimiter="\u2013"/>
              <date-part name="month" suffix=" " range-delimiter="\u2013"/>
              <date-part name="year" range-delimiter="\u2013"/>
            </date>
        </group>
      </group>
      <choose>
        <if variable="container-title">
{_contributors("editor")}
        </if>
      </choose>
    </group>
  </macro>
  <macro name="edition">
    <choose>
      <if is-numeric="edition">
        <group delimiter=" ">
          <number variable="edition" form="ordinal"/>
          <text term="edition" form="short"/>
        </group>
      </if>
      <else>
        <text variable="edition"/>
      </else>
    </choose>
  </macro>
  <macro name="year">
    <date variable="issued">
      <date-part name="year" range-delimiter="\u2013"/>
    </date>{year_suffix}
  </macro>
  <macro name="publication">
    <!-- place : publisher, year -->
    <group delimiter=", ">
      <group delimiter=" : ">
        <text variable="publisher-place"/>
        <choose>
          <if type="patent" match="none">
            <text variable="publisher"/>
          </if>
        </choose>
      </group>
      <choose>
        <if type="patent" match="none">
          <choose>
            <if type="{LEGAL}" match="none">
              <text macro="year"/>
            </if>
            <else-if variable="container-title publisher" match="any">
              <text macro="year"/>
            </else-if>
          </choose>
        </if>
      </choose>
    </group>
  </macro>
  <macro name="day-month">
    <choose>
      <if type="{DATED}" match="any">
        <date variable="issued">
          <date-part name="day" suffix=" "/>
          <date-part name="month" form="short"/>
        </date>
      </if>
    </choose>
  </macro>
  <macro name="numbering">
    <!-- "Т. 1, № 2" of a periodical; "Т. 2, ч. 1 : title" of a multi-volume work -->
    <group delimiter=", ">
      <group delimiter=" ">
        <text term="volume" form="short" text-case="capitalize-first"/>
        <text variable="volume"/>
      </group>
      <group delimiter=" : ">
        <group delimiter=" ">
          <choose>
            <if variable="volume">
              <text term="part" form="short"/>
            </if>
            <else>
              <text term="part" form="short" text-case="capitalize-first"/>
            </else>
          </choose>
          <text variable="part-number"/>
        </group>
        <text variable="part-title"/>
      </group>
      <choose>
        <if type="patent" match="none">
          <group delimiter=" ">
            <choose>
              <if variable="volume part-number" match="any">
                <text term="issue" form="short"/>
              </if>
              <else>
                <text term="issue" form="short" text-case="capitalize-first"/>
              </else>
            </choose>
            <text variable="issue"/>
          </group>
        </if>
      </choose>
      <text variable="volume-title"/>
      <text variable="section"/>
    </group>
  </macro>
  <macro name="pages">
    <group delimiter=" ">
      <label variable="page" form="short" text-case="capitalize-first" plural="never"/>
      <text variable="page"/>
    </group>
  </macro>
  <macro name="extent">
    <group delimiter=", ">
      <group delimiter=" ">
        <text variable="number-of-pages"/>
        <text term="page" form="short" plural="never"/>
      </group>
      <text variable="dimensions"/>
    </group>
  </macro>
  <macro name="chapter">
    <group delimiter=" ">
      <text term="chapter" form="short" text-case="capitalize-first"/>
      <text variable="chapter-number"/>
    </group>
  </macro>
  <macro name="number">
    <choose>
      <if type="{PERIODICAL}" match="any">
        <group delimiter=" ">
          <text term="article-locator" form="short" text-case="capitalize-first"/>
          <text variable="number"/>
        </group>
      </if>
      <else-if type="{LEGAL} standard patent" match="any"/>
      <else-if type="thesis"/>
      <else-if type="report">
        <choose>
          <if variable="genre" match="none">
            <group delimiter=" ">
              <text term="number" form="short"/>
              <text variable="number"/>
            </group>
          </if>
        </choose>
      </else-if>
      <else>
        <group delimiter=" ">
          <text term="number" form="short"/>
          <text variable="number"/>
        </group>
      </else>
    </choose>
  </macro>
  <macro name="series">
    <group prefix="(" suffix=")" delimiter=" ; ">
      <group delimiter=" / ">
        <text variable="collection-title"/>
{_contributors("collection-editor")}
      </group>
      <text variable="collection-number"/>
    </group>
  </macro>
  <macro name="patent-dates">
    <choose>
      <if type="patent">
        <group delimiter=" ; ">
          <group delimiter=" ">
            <text value="заявл."/>
            <date variable="submitted">
              <date-part name="day" form="numeric-leading-zeros" suffix="."/>
              <date-part name="month" form="numeric-leading-zeros" suffix="."/>
              <date-part name="year"/>
            </date>
          </group>
          <group delimiter=", ">
            <group delimiter=" ">
              <text value="опубл."/>
              <text macro="date-numeric"/>
            </group>
            <group delimiter=" ">
              <text value="Бюл."/>
              <text term="number" form="short"/>
              <text variable="issue"/>
            </group>
          </group>
        </group>
      </if>
    </choose>
  </macro>
  <macro name="identifiers">
    <group delimiter="{v.separator}">
      <text variable="ISBN" prefix="ISBN "/>
      <choose>
        <if variable="container-title" match="none">
          <text variable="ISSN" prefix="ISSN "/>
        </if>
      </choose>
      <text variable="DOI" prefix="DOI: "/>
      <group delimiter=" ">
        <text variable="URL" prefix="URL: "/>
        <group prefix="(" suffix=")" delimiter=": ">
          <text term="accessed"/>
          <date variable="accessed">
            <date-part name="day" form="numeric-leading-zeros" suffix="."/>
            <date-part name="month" form="numeric-leading-zeros" suffix="."/>
            <date-part name="year"/>
          </date>
        </group>
      </group>
    </group>
  </macro>
  <macro name="entry">
    <group delimiter="{v.separator}">
      <group delimiter=" // ">
        <group delimiter=" ">
          <text macro="heading" suffix="."/>
          <group delimiter=" / ">
            <text macro="title"/>
            <text macro="responsibility"/>
          </group>
        </group>
        <text macro="container"/>
      </group>
      <text macro="edition"/>
      <text macro="publication"/>
      <text macro="day-month"/>
      <text macro="numbering"/>
      <text macro="chapter"/>
      <text macro="pages"/>
      <text macro="number"/>
      <text macro="extent"/>
      <text variable="scale"/>
      <text macro="series"/>
      <text macro="patent-dates"/>
      <group delimiter=", ">
        <text variable="archive"/>
        <text variable="archive_location"/>
        <text variable="archive-place"/>
      </group>
      <text variable="note"/>
      <text macro="identifiers"/>
    </group>
  </macro>"""


def _citation(v: Variant) -> str:
    if v.citation == "numeric":
        return """  <citation collapse="citation-number">
    <sort>
      <key variable="citation-number"/>
    </sort>
    <layout prefix="[" suffix="]" delimiter=", ">
      <group delimiter=", ">
        <text variable="citation-number"/>
        <group delimiter=" ">
          <label variable="locator" form="short"/>
          <text variable="locator"/>
        </group>
      </group>
    </layout>
  </citation>"""
    return """  <citation et-al-min="4" et-al-use-first="1" disambiguate-add-year-suffix="true"
        disambiguate-add-names="true" disambiguate-add-givenname="true"
        givenname-disambiguation-rule="primary-name">
    <sort>
      <key macro="sort-key"/>
      <key macro="year"/>
    </sort>
    <layout prefix="[" suffix="]" delimiter="; ">
      <group delimiter=", ">
        <names variable="author">
          <name form="short" delimiter=", " delimiter-precedes-et-al="never"/>
          <substitute>
            <names variable="editor"/>
            <text variable="title" form="short"/>
          </substitute>
        </names>
        <choose>
          <if variable="issued">
            <text macro="year"/>
          </if>
          <else>
            <text term="no date" form="short"/>
          </else>
        </choose>
        <group delimiter=" ">
          <label variable="locator" form="short"/>
          <text variable="locator"/>
        </group>
      </group>
    </layout>
  </citation>"""


def _bibliography(v: Variant) -> str:
    sort = """    <sort>
      <key macro="sort-key"/>
      <key macro="year"/>
      <key variable="title"/>
    </sort>
""" if v.sort == "alphabetical" else ""
    # numbered in every variant: a Russian list is numbered, author-year ones too
    # (with second-field-align the engine puts the space after the number itself)
    flush = ' second-field-align="flush"' if v.citation == "numeric" else ""
    number = f'      <text variable="citation-number" suffix="{"." if flush else ". "}"/>\n'
    return f"""  <bibliography entry-spacing="0"{flush}>
{sort}    <layout suffix=".">
{number}      <text macro="entry"/>
    </layout>
  </bibliography>"""


def build(v: Variant) -> str:
    """The CSL text of one variant."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" '
        'demote-non-dropping-particle="never" default-locale="ru-RU">',
        _info(v),
        _locales(v),
        _macros(v),
        _citation(v),
        _bibliography(v),
        "</style>",
    ]
    return _pretty("\n".join(parts))


def _pretty(text: str) -> str:
    """The style re-indented by lxml (two spaces), so the generated files read cleanly."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    body = etree.tostring(root, pretty_print=True, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the shipped files")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    stale = []
    for v in VARIANTS:
        path = args.out / f"{v.stem}.csl"
        text = build(v)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run python tools/gost_styles.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
