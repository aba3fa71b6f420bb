"""Fast LaTeX <-> Unicode conversion for bibliography field values.

Covers what bibliographies contain: accent commands (``\\'e``, ``\\"{u}``, ``\\v c``), special
letters (``\\ss``, ``\\o``, ``\\i``), escaped specials (``\\&``, ``\\%``), dashes, ``~``, quotes,
``\\No``, T2A guillemets ``<<``/``>>``, simple math (Greek letters, super/subscripts) and font
commands (``\\emph``, ``\\textit``, ``\\textbf``, ``\\textsc``, ``\\textsuperscript``), which become
the HTML-like markup CSL-JSON uses. Braces that protect words from case changes (``{NASA}``)
become ``<span class="nocase">`` so styles leave them alone.

Values without a backslash, brace, ``~``, ``$``, ``--`` or ``<<`` are returned as they are, which
is the common case and costs one scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from .lazy import lazy_re

__all__ = ["MAX_DEPTH", "decode", "encode", "raw_safe", "strip_markup", "too_deep", "unblock"]

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030C", "H": "\u030B", "c": "\u0327", "k": "\u0328",
    "r": "\u030A", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
_LETTERS = {
    "ss": "ß", "SS": "SS", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
    "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
}
_SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
    ",": "\u2009", ";": "\u2005", "/": "", "-": "\u00AD", "@": "",
}
_WORDS = {
    "No": "№", "textnumero": "№", "S": "§", "P": "¶", "copyright": "©", "textregistered": "®",
    "texttrademark": "™", "dag": "†", "ddag": "‡", "textdagger": "†", "ldots": "…",
    "dots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—", "textbullet": "•",
    "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«", "guillemetright": "»",
    "flqq": "«", "frqq": "»", "glqq": "„", "grqq": "“", "glq": "‚", "grq": "‘",
    "textquotedblleft": "“", "textquotedblright": "”", "textquoteleft": "‘",
    "textquoteright": "’", "textquotedbl": '"', "quotedblbase": "„", "textasciitilde": "~",
    "textbackslash": "\\", "textasciicircum": "^", "textunderscore": "_", "textbar": "|",
    "textless": "<", "textgreater": ">", "textdegree": "°", "textperthousand": "‰",
    "textmu": "µ", "texteuro": "€", "pounds": "£", "textsterling": "£", "euro": "€",
    "textbraceleft": "{", "textbraceright": "}",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "XeTeX": "XeTeX", "LuaTeX": "LuaTeX",
    "textordfeminine": "ª", "textordmasculine": "º", "textonehalf": "½", "textsection": "§",
    "textparagraph": "¶", "quad": "\u2003", "qquad": "\u2003\u2003", "enspace": "\u2002",
    "thinspace": "\u2009", "nobreakspace": "\u00A0", "textnbsp": "\u00A0", "slash": "/",
    "relax": "", "noopsort": "", "ensuremath": "", "mbox": "", "hbox": "", "protect": "",
    "newblock": "", "break": "", "linebreak": "", "allowbreak": "", "bibstring": "",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ",
    "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "pm": "±", "times": "×",
    "cdot": "·", "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "neq": "≠", "approx": "≈",
    "infty": "∞", "sim": "∼", "to": "→", "rightarrow": "→", "degree": "°", "circ": "°",
    "prime": "′", "ell": "ℓ", "partial": "∂", "nabla": "∇", "sqrt": "√", "cdots": "⋯",
}
_FONT = {
    "emph": "i", "textit": "i", "textsl": "i", "it": "i", "em": "i", "sl": "i", "mathit": "i",
    "textbf": "b", "bf": "b", "mathbf": "b", "textsc": "sc", "sc": "sc",
    "textsuperscript": "sup", "textsubscript": "sub", "textup": "", "textnormal": "",
    "textrm": "", "textsf": "", "texttt": "", "rm": "", "sf": "", "tt": "", "mathrm": "",
    "url": "", "path": "",
}
_OPEN = {"i": "<i>", "b": "<b>", "sc": '<span style="font-variant:small-caps;">',
         "sup": "<sup>", "sub": "<sub>", "nocase": '<span class="nocase">', "": ""}
_CLOSE = {"i": "</i>", "b": "</b>", "sc": "</span>", "sup": "</sup>", "sub": "</sub>",
          "nocase": "</span>", "": ""}

_NEEDS = lazy_re(r"[\\{}~$]|--|<<|>>|``|''")
_CMD = lazy_re(r"\\([A-Za-z]+|.)")


#: How deep braces and commands may nest (``{{{...}}}``, ``\\'\\'\\'...``) before a value is
#: left as it is written rather than read (deeper is no bibliography, and would exhaust the
#: stack).
MAX_DEPTH = 100


class _TooDeep(Exception):
    """The value nests deeper than :data:`MAX_DEPTH`."""


class _Parser:
    """A single left-to-right pass over a LaTeX string producing Unicode with CSL markup."""

    __slots__ = ("depth", "s", "pos", "protect")

    def __init__(self, s: str, protect: bool) -> None:
        self.s = s
        self.pos = 0
        self.protect = protect
        self.depth = 0

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep

    def group(self) -> str:
        """Read one argument: a braced group or a single (non-space) character/command."""
        s = self.s
        while self.pos < len(s) and s[self.pos] == " ":
            self.pos += 1
        if self.pos >= len(s):
            return ""
        if s[self.pos] == "{":
            self.pos += 1
            return self.run(until="}", nocase=False)
        if s[self.pos] == "\\":
            return self.command()
        ch = s[self.pos]
        self.pos += 1
        return ch

    def command(self) -> str:
        self._enter()
        try:
            return self._command()
        finally:
            self.depth -= 1

    def _command(self) -> str:
        s = self.s
        m = _CMD.match(s, self.pos)
        if m is None:  # a lone backslash at the end
            self.pos += 1
            return "\\"
        name = m.group(1)
        self.pos = m.end()
        if name in _ACCENTS and (len(name) == 1 or self._arg_follows()):
            base = self.group()
            if not base:
                return _ACCENTS[name]
            base = {"ı": "i", "ȷ": "j"}.get(base[0], base[0]) + base[1:]
            return unicodedata.normalize("NFC", base[0] + _ACCENTS[name] + base[1:])
        if name.isalpha():
            # a control word swallows the spaces after it
            while self.pos < len(s) and s[self.pos] == " ":
                self.pos += 1
            if self.pos + 1 < len(s) and s[self.pos:self.pos + 2] == "{}":
                self.pos += 2
        if name in _LETTERS:
            return _LETTERS[name]
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _WORDS:
            return _WORDS[name]
        if name in _FONT:
            tag = _FONT[name]
            if self.pos < len(s) and s[self.pos] == "{":
                inner = self.group()
                return f"{_OPEN[tag]}{inner}{_CLOSE[tag]}" if tag else inner
            return ""  # a declaration like {\it text}: the group's text stays plain
        if name == "href":
            self.group()
            return self.group()
        if name.isalpha() and self.pos < len(s) and s[self.pos] == "{":
            return self.group()  # an unknown command with an argument: keep the argument
        return "\\" + name  # unknown: keep as written, nothing is lost

    def _arg_follows(self) -> bool:
        s = self.s
        return self.pos < len(s) and (s[self.pos] in "{ \\" or s[self.pos].isalpha())

    def run(self, until: str | None = None, nocase: bool = False) -> str:
        self._enter()
        try:
            return self._run(until)
        finally:
            self.depth -= 1

    def _run(self, until: str | None) -> str:
        s = self.s
        out: list[str] = []
        while self.pos < len(s):
            ch = s[self.pos]
            if until is not None and ch == until:
                self.pos += 1
                break
            if ch == "\\":
                out.append(self.command())
            elif ch == "{":
                self.pos += 1
                starts_with_cmd = self.pos < len(s) and s[self.pos] == "\\"
                inner = self.run(until="}")
                already = inner.startswith('<span class="nocase">') and inner.endswith(
                    "</span>") and inner.count("<span") == 1
                if self.protect and inner and not starts_with_cmd and not already and any(
                        c.isalpha() for c in inner):
                    out.append(f'<span class="nocase">{inner}</span>')
                else:
                    out.append(inner)
            elif ch == "}":
                self.pos += 1  # a stray closing brace is dropped
            elif ch == "~":
                out.append("\u00A0")
                self.pos += 1
            elif ch == "$":
                end = s.find("$", self.pos + 1)
                if end == -1:
                    out.append("$")
                    self.pos += 1
                else:
                    out.append(_math(s[self.pos + 1:end]))
                    self.pos = end + 1
            elif ch == "-" and s.startswith("---", self.pos):
                out.append("—")
                self.pos += 3
            elif ch == "-" and s.startswith("--", self.pos):
                out.append("–")
                self.pos += 2
            elif ch == "<" and s.startswith("<<", self.pos):
                out.append("«")
                self.pos += 2
            elif ch == ">" and s.startswith(">>", self.pos):
                out.append("»")
                self.pos += 2
            elif ch == "`" and s.startswith("``", self.pos):
                out.append("“")
                self.pos += 2
            elif ch == "'" and s.startswith("''", self.pos):
                out.append("”")
                self.pos += 2
            else:
                nxt = _NEEDS.search(s, self.pos)
                stop = nxt.start() if nxt else len(s)
                if until is not None:
                    close = s.find(until, self.pos, stop)
                    if close != -1:
                        stop = close
                if stop == self.pos:
                    stop += 1
                out.append(s[self.pos:stop])
                self.pos = stop
        return "".join(out)


_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def too_deep(value: str) -> bool:
    """True when :func:`decode` would leave ``value`` as it is because it nests deeper than
    :data:`MAX_DEPTH`."""
    if value.count("{") + value.count("\\") < MAX_DEPTH:
        return False
    try:
        _Parser(value, False).run()
    except _TooDeep:
        return True
    return False


def _math(expr: str) -> str:
    def script(m: re.Match[str]) -> str:
        body = m.group(2) or m.group(3)
        table = _SUPER if m.group(1) == "^" else _SUB
        converted = body.translate(table)
        if all(not c.isascii() for c in converted):
            return converted
        tag = "sup" if m.group(1) == "^" else "sub"
        return f"<{tag}>{body}</{tag}>"

    expr = re.sub(r"([\^_])(?:\{([^{}]*)\}|(\w))", script, expr)
    parser = _Parser(expr, protect=False)
    return parser.run()


def decode(value: str, *, protect: bool = True) -> str:
    """Turn a LaTeX field value into Unicode with CSL markup.

    With ``protect`` (for titles) braced words become ``<span class="nocase">``; without it
    (names, places, numbers) braces are simply removed.
    """
    if not _NEEDS.search(value):
        return value
    try:
        text = _Parser(value, protect).run()
    except _TooDeep:
        return value        # see too_deep: what cannot be read is kept as written
    text = text.replace('<span class="nocase"></span>', "")
    return re.sub(r"[ \t\r\n]+", " ", text)


_ENCODE_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                   "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                   "\\": r"\textbackslash{}", "\u00A0": "~",
                   "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_MARKUP_TO_LATEX = [
    (re.compile(r'<span class="nocase">(.*?)</span>', re.S), r"{\1}"),
    (re.compile(r"<i>(.*?)</i>", re.S), r"\\emph{\1}"),
    (re.compile(r"<b>(.*?)</b>", re.S), r"\\textbf{\1}"),
    (re.compile(r'<span style="font-variant:\s*small-caps;?">(.*?)</span>', re.S),
     r"\\textsc{\1}"),
    (re.compile(r"<sup>(.*?)</sup>", re.S), r"\\textsuperscript{\1}"),
    (re.compile(r"<sub>(.*?)</sub>", re.S), r"\\textsubscript{\1}"),
]
_ENCODE_NEEDS = lazy_re(r"[&%$#_~^\\{}\u00A0<>`'@-]")
#: CSL's markup (and only it: another ``<span ...>`` is text, its braces escaped like any)
_MARKUP = lazy_re(r'(</?(?:i|b|sup|sub)>|<span class="nocase">'
                  r'|<span style="font-variant:\s*small-caps;?">|</span>)')
_EMPTY_COMMAND = lazy_re(r"(\\(?:emph|textbf|textsc|textsuperscript|textsubscript))\{\}")
_MARKUP_NO_SPAN = lazy_re(r'(</?(?:i|b|sup|sub)>'
                          r'|<span style="font-variant:\s*small-caps;?">|</span>)')
#: Pairs the decoder reads as one character (``--`` an en dash, ``<<`` a guillemet): a ``{}``
#: between them keeps them two.
_PAIRS = lazy_re(r"([-<>`'])(?=\1)")
#: An ``@`` that bibtexparser would take for the start of a block (``@book{``).
_BLOCK_START = lazy_re(r"@(?=[\w@]*[ \t]*[{(])")


def _escape_text(text: str) -> str:
    return "".join(_ENCODE_SPECIAL.get(ch, ch) for ch in text) if _SPECIALS.search(
        text) else text


_SPECIALS = lazy_re(r"[&%$#_~^\\{}\u00A0]")
_PAIR_CHARS = lazy_re(r"--|<<|>>|``|''")


def encode(value: str, *, verbatim: bool = False, protect: bool = True) -> str:
    """Turn a Unicode value (with CSL markup) into UTF-8 BibLaTeX source.

    Letters stay Unicode (biber reads UTF-8); LaTeX specials are escaped once (``\\%``,
    ``\\textbackslash{}``, ``\\textbraceleft{}``: every brace written balances, for BibTeX,
    biber and bibtexparser alike), pairs the reader would join are kept apart (``-{}-``,
    ``<{}<``), an ``@`` that would start a block is braced, and markup becomes commands, so
    that :func:`decode` gives the value back (with the same ``protect``: without it a
    ``<span class="nocase">`` is text, as the reader never makes one there). ``verbatim``
    fields (URL, DOI, file) are returned as they are.
    """
    if verbatim or not _ENCODE_NEEDS.search(value):
        return value
    if "<" in value:
        pieces = (_MARKUP if protect else _MARKUP_NO_SPAN).split(value)
        out = "".join(piece if n % 2 else _escape_text(piece) for n, piece in enumerate(pieces))
        for pattern, repl in _MARKUP_TO_LATEX if protect else _MARKUP_TO_LATEX[1:]:
            out = pattern.sub(repl, out)
        if "{}" in out:     # empty markup: \emph{} would read as a declaration
            out = _EMPTY_COMMAND.sub(r"\1{{}}", out)
    else:
        out = _escape_text(value)
    if _PAIR_CHARS.search(out):     # (after the markup: "</i>>" is a pair too)
        out = _PAIRS.sub(r"\1{}", out)
    return _BLOCK_START.sub("{@}", out) if "@" in out else out


def unblock(value: str) -> str:
    """``value`` with every ``@`` that bibtexparser would take for a block start braced."""
    return _BLOCK_START.sub("{@}", value) if "@" in value else value


def raw_safe(value: str) -> bool:
    """True when ``value`` can be written between braces as it is and read back the same: its
    braces balance both as BibTeX counts them (every brace) and as bibtexparser does (a brace
    after a backslash does not count), it does not end in a backslash and holds nothing
    bibtexparser takes for a block start."""
    if value.endswith("\\") or ("@" in value and _BLOCK_START.search(value)):
        return False
    if "{" not in value and "}" not in value:
        return True
    return _balanced(_BRACE.finditer(value)) and _balanced(_UNESCAPED_BRACE.finditer(value))


def _balanced(braces: Iterator[re.Match[str]]) -> bool:
    depth = 0
    for m in braces:
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


_BRACE = lazy_re(r"[{}]")
_UNESCAPED_BRACE = lazy_re(r"(?<!\\)[{}]")


_TAG = lazy_re(r"</?(?:i|b|sup|sub|sc)>|<span[^>]*>|</span>")


def strip_markup(value: str) -> str:
    """The value without CSL's HTML-like markup tags."""
    return _TAG.sub("", value) if "<" in value else value
