"""The rules of transcite's GOST styles, per area and per document type, as CSL macros.

tools/gost_styles.py puts them into the shipped files; see its docstring for the variants.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _registered(then: str, other: str = "") -> str:
    """``then`` for a patent or a registered program or database (a software or dataset item
    with a certificate's ``genre`` and ``number``: "Свидетельство о государственной
    регистрации программы для ЭВМ № 2013660800"), ``other`` for anything else."""
    otherwise = f"<else>{other}</else>" if other else ""
    return f"""<choose>
        <if type="patent">{then}</if>
        <else-if type="software dataset" match="any">
          <choose>
            <if variable="genre number" match="all">{then}</if>
            {otherwise}
          </choose>
        </else-if>
        {otherwise}
      </choose>"""


def _contributors(role_vars: str) -> str:
    return f"""      <names variable="{role_vars}" delimiter=" ; ">
        <label form="verb-short" suffix=" "/>
        <name initialize-with=". " delimiter=", " delimiter-precedes-et-al="never" et-al-min="5"
            et-al-use-first="3"/>
      </names>"""


def macros(v: Variant) -> str:
    """The ``<macro>`` elements of a variant (the whole rule set)."""
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
    holder = _registered('<text variable="publisher"/>', f"""<choose>
          <if type="{LEGAL} standard" match="any">
            <text variable="authority"/>
          </if>
        </choose>""")
    place_publisher = _registered("""<choose>
            <if variable="authority">
              <text variable="publisher-place"/>
            </if>
          </choose>""", """<group delimiter=" : ">
            <text variable="publisher-place"/>
            <text variable="publisher"/>
          </group>""")
    publication_year = _registered("", f"""<choose>
            <if type="{LEGAL}" match="none">
              <text macro="year"/>
            </if>
            <else-if variable="container-title publisher" match="any">
              <text macro="year"/>
            </else-if>
          </choose>""")
    day_month = _registered("", f"""<choose>
        <if type="{LEGAL}" match="none">
          <date variable="issued">
            <date-part name="day" suffix=" "/>
            <date-part name="month" form="short"/>
          </date>
        </if>
      </choose>""")
    registration_dates = _registered("""<group delimiter=" ; ">
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
            <choose>
              <if type="patent">
                <group delimiter=" ">
                  <text value="Бюл."/>
                  <text term="number" form="short"/>
                  <text variable="issue"/>
                </group>
              </if>
            </choose>
          </group>
        </group>""")
    if v.standard == "2018":    # a work without a title has no statement after " / " to name
        heading = f"""    <choose>     <!-- the co-authors: the heading names them all -->
      <if variable="title">
{_heading(v)}
      </if>
      <else>
        <names variable="author">
          <name name-as-sort-order="all" sort-separator=", " initialize-with=". "
              delimiter="; " delimiter-precedes-et-al="never" et-al-min="5" et-al-use-first="3"/>
        </names>
      </else>
    </choose>"""
    else:
        heading = _heading(v)
    return f"""  <macro name="heading">
{heading}
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
      {holder}
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
            <choose>
              <if variable="authority">
                <text variable="authority"/>
              </if>
              <else>
                <!-- biblatex's location of a patent is its country -->
                <text variable="publisher-place"/>
              </else>
            </choose>
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
        <else-if type="software dataset" match="any">
          <!-- a registration: "Свидетельство о государственной регистрации программы для
               ЭВМ № 2015612308 Российская Федерация" -->
          <choose>
            <if variable="genre number" match="all">
              <group delimiter=" ">
                <text variable="genre"/>
                <group delimiter=" ">
                  <text term="number" form="short"/>
                  <text variable="number"/>
                </group>
                <text variable="authority"/>
              </group>
            </if>
            <else>
              <text variable="genre"/>
            </else>
          </choose>
        </else-if>
        <else>
          <text variable="genre"/>
        </else>
      </choose>
      <choose>
        <!-- a standard's "актуализированная редакция ..." is other title information; a
             publication status ("в печати", "in press") closes the record -->
        <if type="standard regulation legislation" match="any">
          <text variable="status"/>
        </if>
      </choose>
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
      {place_publisher}
      {publication_year}
    </group>
  </macro>
  <macro name="day-month">
    <!-- the day and month of any dated item ("2017. 6 сент.", a month alone "2010. февр.":
         citeproc-js does not capitalise a date's text); acts and registrations print their
         dates in full elsewhere -->
    {day_month}
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
      <else-if type="software dataset" match="any">
        <choose>
          <if variable="genre" match="none">
            <group delimiter=" ">
              <text term="number" form="short"/>
              <text variable="number"/>
            </group>
          </if>
        </choose>
      </else-if>
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
    {registration_dates}
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
      <choose>
        <if type="standard regulation legislation" match="none">
          <text variable="status" prefix="(" suffix=")"/>
        </if>
      </choose>
      <text variable="note"/>
      <text macro="identifiers"/>
    </group>
  </macro>"""
