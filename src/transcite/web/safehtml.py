"""Rendered entries as safe HTML and as plain text.

The CSL engine escapes what the user wrote and adds only CSL's rich-text tags, but a page that
shows pasted text keeps a second line of defence: the entry's HTML is rebuilt keeping only an
allowlist of inline tags (``i b em strong sup sub span``), ``span`` styles CSL produces (small
caps, italics, weight, underline), CSL's ``div`` classes turned into ``span`` (so an entry stays
one paragraph when pasted into Word) and links to http(s) addresses. Everything else is dropped,
its text kept and escaped.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

__all__ = ["clean_html", "plain_text"]

_INLINE = {"i", "b", "em", "strong", "sup", "sub", "span", "a"}
_STYLE = re.compile(r"^\s*(font-variant\s*:\s*(small-caps|normal)|font-style\s*:\s*(italic|normal)"
                    r"|font-weight\s*:\s*(bold|normal)|text-decoration\s*:\s*(underline|none)"
                    r"|vertical-align\s*:\s*(super|sub|baseline))\s*;?\s*$", re.I)
_CLASS = re.compile(r"^(csl-[a-z-]+|nocase)$")


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":       # CSL's second-field-align blocks: inline, class kept
            tag = "span"
        if tag not in _INLINE:
            self.open.append("")
            return
        kept = ""
        for name, value in attrs:
            value = value or ""
            if name == "style" and tag == "span" and _STYLE.match(value):
                kept += f' style="{escape(value.strip())}"'
            elif name == "class" and tag == "span":
                classes = [c for c in value.split() if _CLASS.match(c)]
                if classes:
                    kept += f' class="{" ".join(classes)}"'
            elif name == "href" and tag == "a" and re.match(r"^https?://", value, re.I):
                kept += f' href="{escape(value)}" rel="noopener noreferrer"'
        self.out.append(f"<{tag}{kept}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            tag = "span"
        if tag in self.open:    # close what is open up to it; unknown closers are dropped
            while self.open:
                top = self.open.pop()
                if top:
                    self.out.append(f"</{top}>")
                if top == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))
        self.text.append(data)

    def finish(self) -> tuple[str, str]:
        self.close()
        while self.open:
            top = self.open.pop()
            if top:
                self.out.append(f"</{top}>")
        return "".join(self.out), "".join(self.text)


def _run(fragment: str) -> tuple[str, str]:
    cleaner = _Cleaner()
    cleaner.feed(fragment)
    return cleaner.finish()


def clean_html(fragment: str) -> str:
    """``fragment`` with only the allowlisted inline markup left.

    >>> clean_html('<i>Вестник</i> <script>x</script><div class="csl-left-margin">1. </div>')
    '<i>Вестник</i> x<span class="csl-left-margin">1. </span>'
    """
    return _run(fragment)[0]


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and entities decoded.

    >>> plain_text('<i>Вестник</i> &amp; <b>Труды</b>')
    'Вестник & Труды'
    """
    return _run(fragment)[1]
