"""A citeproc-py output formatter for Pandoc Markdown (``*italic*``, ``**bold**``, ``^sup^``)."""

from __future__ import annotations

import re

__all__ = ["Bold", "Italic", "Light", "Oblique", "SmallCaps", "Subscript", "Superscript",
           "Underline", "preformat"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#^~|])")


def preformat(text: str) -> str:
    """Escape characters Markdown would read as markup."""
    return _SPECIAL.sub(r"\\\1", str(text))


class _Wrap(str):
    left = ""
    right = ""

    def __new__(cls, text: str) -> _Wrap:
        inner = str(text)
        if not inner.strip():
            return super().__new__(cls, inner)
        return super().__new__(cls, f"{cls.left}{inner}{cls.right}")


class Italic(_Wrap):
    """``*text*``"""

    left = right = "*"


class Oblique(Italic):
    """Rendered as italic."""


class Bold(_Wrap):
    """``**text**``"""

    left = right = "**"


class Light(_Wrap):
    """No Markdown equivalent: plain text."""


class Underline(_Wrap):
    """Pandoc's ``[text]{.underline}``."""

    left, right = "[", "]{.underline}"


class Superscript(_Wrap):
    """Pandoc's ``^text^``."""

    left = right = "^"


class Subscript(_Wrap):
    """Pandoc's ``~text~``."""

    left = right = "~"


class SmallCaps(_Wrap):
    """Pandoc's ``[text]{.smallcaps}``."""

    left, right = "[", "]{.smallcaps}"
