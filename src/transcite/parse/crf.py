"""The shipped sequence tagger (a CRF trained with python-crfsuite), loaded once, offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..resources import DataError, data_path
from .lexicon import lexicon
from .tokens import Token, features

__all__ = ["MODEL", "tag"]

#: Where the model ships inside the package.
MODEL: Path = data_path("parser.crfsuite")


@cache
def _tagger(path: str) -> Any:
    import pycrfsuite

    if not Path(path).is_file():
        raise DataError(f"{path}: the parser model is missing from this installation "
                        "(rebuild it with tools/train_parser.py)")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot load the parser model: {exc}") from None
    return tagger


@cache
def _attributes(path: str) -> frozenset[str]:
    """The attributes (feature strings) the model has weights for."""
    info = _tagger(path).info()
    return frozenset(attr for attr, _ in info.state_features)


def tag(tokens: list[Token], model: str | Path | None = None) -> list[str]:
    """One label per token (``author``, ``title``, ``journal``, ``date``, ``volume``...)."""
    if not tokens:
        return []
    path = str(model or MODEL)
    tagger = _tagger(path)
    labels: list[str] = tagger.tag(features(tokens, lexicon(), _attributes(path)))
    return labels
