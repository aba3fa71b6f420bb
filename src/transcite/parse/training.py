"""Training data for the sequence tagger: tagged corpora in, CRF model out.

Reads anystyle's XML datasets (``<sequence><author>..</author>..</sequence>``) and ParsCit's
tagged lines (``<author> .. </author> <title> .. </title>``), maps their tags onto the parser's
labels (:data:`LABELS`), turns each tagged string into tokens, features and labels exactly as
:func:`transcite.parse.crf.tag` will see them, and trains a CRF with python-crfsuite.
``tools/train_parser.py`` is the command that builds the shipped model.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from .anchors import find_anchors
from .lexicon import lexicon
from .tokens import features, tokenize

__all__ = ["LABELS", "Example", "examples", "read_anystyle", "read_parscit", "train"]

#: Source tag -> parser label. Tags mapped to None are dropped from the string.
LABELS: dict[str, str | None] = {
    "author": "author", "editor": "editor", "translator": "translator", "director": "author",
    "title": "title", "journal": "journal", "container-title": "container",
    "booktitle": "container", "collection-title": "collection", "date": "date",
    "volume": "volume", "pages": "pages", "publisher": "publisher", "institution": "publisher",
    "location": "location", "edition": "edition", "genre": "genre", "tech": "genre",
    "note": "note", "source": "note", "medium": "note", "producer": "note", "url": "url",
    "doi": "doi", "isbn": "isbn", "citation-number": None, "br": None, "notes": None,
    "contexts": None, "container": "container", "collection": "collection",
}

#: A tagged reference: its segments as (label, text), in order.
Example = list[tuple[str, str]]


def read_anystyle(path: str | Path) -> list[Example]:
    """Read an anystyle XML dataset into examples (unknown tags raise ValueError)."""
    root = ET.parse(path).getroot()
    out: list[Example] = []
    for seq in root.iter("sequence"):
        ex: Example = []
        for child in seq:
            if child.tag not in LABELS:
                raise ValueError(f"{path}: unknown tag <{child.tag}>")
            label = LABELS[child.tag]
            text = re.sub(r"\s+", " ", child.text or "").strip()
            if label and text:
                ex.append((label, text))
        if ex:
            out.append(ex)
    return out


_PARSCIT = re.compile(r"<([a-z-]+)>(.*?)</\1>", re.S)


def read_parscit(path: str | Path) -> list[Example]:
    """Read a ParsCit tagged file (one reference per line) into examples."""
    out: list[Example] = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        ex: Example = []
        for m in _PARSCIT.finditer(line):
            if m.group(1) not in LABELS:
                raise ValueError(f"{path}: unknown tag <{m.group(1)}>")
            label = LABELS[m.group(1)]
            text = re.sub(r"\s+", " ", m.group(2)).strip()
            if label and text:
                ex.append((label, text))
        if ex:
            out.append(ex)
    return out


def example_text(ex: Example) -> str:
    """The reference string of an example (segments joined by spaces)."""
    return " ".join(text for _, text in ex)


def to_sequence(ex: Example) -> tuple[list[list[str]], list[str]]:
    """Features and labels of an example, tokenised as the parser tokenises at run time."""
    text = example_text(ex)
    bounds: list[tuple[int, str]] = []
    pos = 0
    for label, seg in ex:
        pos += len(seg) + 1
        bounds.append((pos, label))
    masked = find_anchors(text).text
    tokens = tokenize(masked)
    labels: list[str] = []
    k = 0
    for tok in tokens:
        while tok.start >= bounds[k][0]:
            k += 1
        labels.append(bounds[k][1])
    return features(tokens, lexicon()), labels


def examples(sources: Iterable[list[Example]], exclude: Iterable[str] = ()) -> Iterator[Example]:
    """Examples from several corpora, without duplicates and without any in ``exclude``.

    Strings are compared by their letters and digits only (case folded), so the same reference
    tagged twice, or present in the evaluation set, is used at most once and never when held out.
    """
    seen = {_key(s) for s in exclude}
    for corpus in sources:
        for ex in corpus:
            key = _key(example_text(ex))
            if key in seen:
                continue
            seen.add(key)
            yield ex


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def train(data: Iterable[Example], model_path: str | Path, *, c1: float = 0.05,
          c2: float = 0.01, max_iterations: int = 200, verbose: bool = False) -> int:
    """Train a CRF on ``data`` and save it to ``model_path``; return the number of examples."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    n = 0
    for ex in data:
        xseq, yseq = to_sequence(ex)
        if xseq:
            trainer.append(xseq, yseq)
            n += 1
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(model_path))
    return n
