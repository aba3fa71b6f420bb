"""Result types of back-transliteration and scheme recognition."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Rebuilt", "SchemeGuess", "WordGuess"]


@dataclass(frozen=True, slots=True)
class WordGuess:
    """One word of a :class:`Rebuilt` text.

    ``source`` is the word as written, ``text`` what transcite made of it (the Cyrillic word, or
    the source itself when it is left alone), ``confidence`` (0..1) how sure that guess is,
    ``changed`` whether ``text`` differs from ``source``, and ``start`` where ``source`` begins
    in the input text (-1 when not known).
    """

    source: str
    text: str
    confidence: float
    changed: bool
    start: int = -1


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """Cyrillic rebuilt from romanised text: the text, its words and the lowest word confidence."""

    text: str
    confidence: float
    words: list[WordGuess] = field(default_factory=list)

    @property
    def doubtful(self) -> list[WordGuess]:
        """Words whose confidence is below 0.5: worth a human look."""
        return [w for w in self.words if w.confidence < 0.5]


@dataclass(frozen=True, slots=True)
class SchemeGuess:
    """Which romanisation scheme produced a Latin text.

    ``scheme`` is the best single scheme (None when the text gives no evidence), ``confidence``
    (0..1) how well it explains the text, ``scores`` the share of informative words each scheme
    explains, and ``mixed`` is True when no single scheme explains the text but several together
    do (``mix`` then names them, best first).
    """

    scheme: str | None
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    mixed: bool = False
    mix: tuple[str, ...] = ()
