"""The back-transliteration lexicon: Russian word forms by key, word frequencies, English words.

It is built once from the installed word lists (wordfreq's Russian and English lists) into
memory-mapped tries (marisa-trie) in the cache folder, so later loads take milliseconds:

* ``keys``: key (see :mod:`.keys`) -> Cyrillic words with their Zipf frequency;
* ``words``: Cyrillic word -> Zipf frequency;
* ``english``: common English word -> Zipf frequency (to leave English words alone).

The cache folder is ``$TRANSCITE_CACHE``, else ``$XDG_CACHE_HOME/transcite``, else
``~/.cache/transcite``. Morphology (pymorphy3 with its Russian dictionary) is loaded separately
and only for words the lexicon does not know.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

__all__ = ["LEXICON_VERSION", "TRIES", "Lexicon", "TrigramCosts", "build_lexicon", "cache_dir",
           "lexicon", "morphology", "shipped_folder"]

#: Bump when the key function or the file layout changes: the cache is then rebuilt.
LEXICON_VERSION = 8


def _log() -> Any:
    """This module's logger (logging imported when there is something to say)."""
    import logging

    return logging.getLogger(__name__)
_CYR_WORD = re.compile("[а-яё]+")
_LAT_WORD = re.compile("[a-z]+")
_EN_MIN_ZIPF = 2.5
_UNSEEN = 16.0
_LATIN_MODEL_WORDS = 40_000
_LATIN_MODEL_SCHEMES = ("bsi", "bgn_pcgn", "ala_lc_alt", "gost_779_alt", "wikipedia",
                        "gost_16876_alt", "scientific")


def cache_dir() -> Path:
    """Where built data is cached (see the module docs)."""
    env = os.environ.get("TRANSCITE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "transcite"


@cache
def _stamp() -> str:
    return f"v{LEXICON_VERSION}-wordfreq{_wordfreq_version()}"


def _wordfreq_version() -> str:
    """The installed wordfreq's version, read from its ``METADATA`` beside the package
    (``importlib.metadata.version`` scans every installed distribution: ~17 ms a process);
    importlib.metadata where that file is not found."""
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("wordfreq-*.dist-info/METADATA"))
        if len(found) == 1:
            try:
                with open(found[0], encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break           # the headers end: no version among them
            except OSError:
                pass
    from importlib.metadata import version

    return version("wordfreq")


class TrigramCosts:
    """The letter trigram costs of a trie, read from it as each is first asked for: a run
    scores few words, and reading all 19,000 into a dict took ~20 ms a process."""

    __slots__ = ("_trie", "_seen")

    def __init__(self, trie: Any) -> None:
        self._trie = trie
        self._seen: dict[str, float | None] = {}

    def get(self, trigram: str, default: float) -> float:
        """The trigram's cost (``-log2 P``), ``default`` where the model does not have it."""
        try:
            known = self._seen[trigram]
        except KeyError:
            found = self._trie.get(trigram)
            known = self._seen[trigram] = found[0][0] / 10 if found else None
        return default if known is None else known


@dataclass(frozen=True)
class Lexicon:
    """Memory-mapped tries; see the module docs."""

    keys: Any
    rkeys: Any
    words: Any
    english: Any
    chars: Any
    latin: Any

    @cached_property
    def _odds(self) -> dict[str, float]:
        return {}

    def latin_odds(self, folded: str) -> float:
        """Bits per letter by which romanised Russian explains a folded Latin word better than
        English does (positive: looks Russian)."""
        known = self._odds.get(folded)
        if known is None:
            known = self._odds[folded] = self._latin_odds(folded)
        return known

    def _latin_odds(self, folded: str) -> float:
        padded = f"^^{folded}$"
        ru = en = 0.0
        cost = self._latin_cost
        for i in range(2, len(padded)):
            tri = padded[i - 2:i + 1]
            ru += cost("r" + tri)
            en += cost("e" + tri)
        return (en - ru) / (len(padded) - 2)

    @cached_property
    def _latin_seen(self) -> dict[str, float]:
        return {}

    def _latin_cost(self, key: str) -> float:
        """A trigram's cost in the Latin models (``r``: romanised Russian, ``e``: English),
        looked up in the trie as it is first asked for: few words are ever scored, and
        reading the whole trie into a dict took ~20 ms."""
        known = self._latin_seen.get(key)
        if known is None:
            found = self.latin.get(key)
            known = self._latin_seen[key] = found[0][0] / 10 if found else _UNSEEN
        return known

    @cached_property
    def char_costs(self) -> TrigramCosts:
        """The letter trigram model of Russian words (see :meth:`char_cost`)."""
        return TrigramCosts(self.chars)

    def char_cost(self, trigram: str) -> float:
        """-log2 P(last letter | first two) for a letter trigram (``^`` starts, ``$`` ends)."""
        return self.char_costs.get(trigram, _UNSEEN)

    def candidates(self, key: str) -> list[tuple[str, float]]:
        """Cyrillic words whose key is *key*, with their Zipf frequency, most frequent first."""
        found = self.keys.get(key)
        if not found:
            return []
        found.sort(reverse=True)  # the first byte is the frequency
        return [(b[1:].decode("utf-8"), b[0] / 10) for b in found]

    def has_key(self, key: str) -> bool:
        """True when some word has this key."""
        return key in self.keys

    def longest_prefix(self, key: str) -> int:
        """The length of the longest start of *key* that starts some word's key."""
        lo, hi = 0, len(key)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if next(self.keys.iterkeys(key[:mid]), None) is not None:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def longest_suffix(self, key: str) -> int:
        """The length of the longest end of *key* that ends some word's key."""
        rev = key[::-1]
        lo, hi = 0, len(rev)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if next(self.rkeys.iterkeys(rev[:mid]), None) is not None:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def zipf(self, word: str) -> float:
        """The Zipf frequency of a lower-case Cyrillic word (0 when unknown)."""
        found = self.words.get(word)
        return found[0][0] / 10 if found else 0.0

    def english_zipf(self, word: str) -> float:
        """The Zipf frequency of a lower-case English word (0 when not a common English word)."""
        found = self.english.get(word)
        return found[0][0] / 10 if found else 0.0


def _zipf_byte(freq: float) -> int:
    """Zipf frequency (log10 of occurrences per billion words) times ten, in 1..255."""
    return min(255, max(1, round((math.log10(freq) + 9) * 10))) if freq > 0 else 1


def _char_model(words: Iterable[str], prefix: str = "") -> list[tuple[str, tuple[int]]]:
    """A letter trigram model: ``abc`` -> -log2 P(c | ab) * 10 (capped), keys led by *prefix*."""
    tri: Counter[str] = Counter()
    for word in words:
        padded = f"^^{word}$"
        tri.update(padded[i - 2:i + 1] for i in range(2, len(padded)))
    ctx: Counter[str] = Counter()
    for t, n in tri.items():
        ctx[t[:2]] += n
    out = []
    for t, n in tri.items():
        p = (n + 0.1) / (ctx[t[:2]] + 3.5)
        out.append((prefix + t, (min(255, round(-math.log2(p) * 10)),)))
    return out


def build_lexicon(folder: Path) -> None:
    """Build the tries into *folder* (atomically: a half-built cache is never used)."""
    import marisa_trie
    import wordfreq

    from .keys import cyrillic_keys, fold
    from .scheme import LOADED

    folder.mkdir(parents=True, exist_ok=True)
    ru = wordfreq.get_frequency_dict("ru", "large")
    by_key: list[tuple[str, bytes]] = []
    words: list[tuple[str, tuple[int]]] = []
    for word, freq in ru.items():
        if not _CYR_WORD.fullmatch(word):
            continue
        z = _zipf_byte(freq)
        words.append((word, (z,)))
        value = bytes([z]) + word.encode("utf-8")
        for k in cyrillic_keys(word):
            by_key.append((k, value))
    english: list[tuple[str, tuple[int]]] = []
    for word, freq in wordfreq.get_frequency_dict("en", "large").items():
        if _LAT_WORD.fullmatch(word) and _zipf_byte(freq) >= _EN_MIN_ZIPF * 10:
            english.append((word, (_zipf_byte(freq),)))
    top = [w for w, _ in sorted(words, key=lambda p: -p[1][0])[:_LATIN_MODEL_WORDS]]
    tables = [str.maketrans({c: fold(v) for c, v in getattr(LOADED, s).mapping.items()})
              for s in _LATIN_MODEL_SCHEMES]  # letter tables suffice for a letter model
    latin_ru = [w.translate(t) for w in top for t in tables]
    latin = _char_model(latin_ru, prefix="r") + _char_model((w for w, _ in english), prefix="e")
    tries = {
        "chars": marisa_trie.RecordTrie("<B", _char_model(w for w, _ in words)),
        "latin": marisa_trie.RecordTrie("<B", latin),
        "keys": marisa_trie.BytesTrie(by_key),
        "rkeys": marisa_trie.Trie({k[::-1] for k, _ in by_key}),
        "words": marisa_trie.RecordTrie("<B", words),
        "english": marisa_trie.RecordTrie("<B", english),
    }
    for name, trie in tries.items():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        os.close(fd)
        trie.save(tmp)
        os.chmod(tmp, 0o644)    # as any data file (mkstemp made it private)
        os.replace(tmp, folder / f"{name}.marisa")
    (folder / "STAMP").write_text(_stamp(), encoding="utf-8")


#: The files a built lexicon consists of (besides its STAMP).
TRIES = ("keys", "rkeys", "words", "english", "chars", "latin")


def shipped_folder() -> Path:
    """Where an installed wheel keeps the lexicon built when the wheel was built
    (``_shipped/lexicon``, written by ``tools/prebuild_lexicon.py`` from the build hook): a
    first run then maps it and builds nothing (~9 s saved). A source checkout has none."""
    return Path(__file__).resolve().parents[1] / "_shipped" / "lexicon"


def _ready(folder: Path) -> bool:
    """True when ``folder`` holds a whole lexicon built by this code from the installed word
    lists (its STAMP is written last, and names both)."""
    try:
        if (folder / "STAMP").read_text(encoding="utf-8").strip() != _stamp():
            return False
    except (OSError, UnicodeDecodeError):
        return False
    return all((folder / f"{name}.marisa").is_file() for name in TRIES)


def _build_once(folder: Path) -> Path:
    """Build the lexicon into ``folder`` unless another process is doing it: processes that
    start together (a run's workers, two runs) wait on a lock, and one builds while the
    others then map its files. The folder the lexicon is in (a temporary one when the cache
    folder cannot be written)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        lock = open(folder.parent / ".translit.lock", "a+b")  # noqa: SIM115 - held below
    except OSError:
        lock = None
    try:
        if lock is not None:
            try:
                import fcntl

                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            except (ImportError, OSError):
                pass                        # no locking here: each process builds its own
        if _ready(folder):
            return folder                   # built by the process that held the lock
        _log().info("building the back-transliteration lexicon in %s (once)", folder)
        from .. import progress

        if progress.enabled():              # on a terminal: say why the run waits
            sys.stderr.write(f"transcite: building the back-transliteration lexicon in "
                             f"{folder} (once, about 10 s)\n")
            sys.stderr.flush()
        try:
            build_lexicon(folder)
        except OSError as exc:  # a read-only cache folder: build for this process only
            _log().warning("cannot write %s (%s); building the lexicon in a temporary folder",
                           folder, exc)
            folder = Path(tempfile.mkdtemp(prefix="transcite-lexicon-"))
            build_lexicon(folder)
        return folder
    finally:
        if lock is not None:
            lock.close()                    # (releases the lock)


@cache
def lexicon() -> Lexicon:
    """The lexicon: the one the package was built with, else the one built into the cache
    folder on first use; memory-mapped."""
    import marisa_trie

    folder = shipped_folder()
    temporary = False
    if not _ready(folder):
        folder = cache_dir() / "translit"
        if not _ready(folder):
            built = _build_once(folder)
            temporary, folder = built != folder, built
    maps: dict[str, Any] = {}
    for name in TRIES:
        if name == "keys":
            trie = marisa_trie.BytesTrie()
        elif name == "rkeys":
            trie = marisa_trie.Trie()
        else:
            trie = marisa_trie.RecordTrie("<B")
        trie.mmap(str(folder / f"{name}.marisa"))
        maps[name] = trie
    if temporary:   # built for this process alone: mapped, its files can go (12 MB a run)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)   # (where mapped files cannot: left)
    return Lexicon(**maps)


@cache
def morphology() -> Any:
    """pymorphy3's analyser with its Russian dictionary (loaded once). The dictionary is
    named by its package's path: found through the installed packages' entry points, as
    pymorphy3 finds it by language, it took ~15 ms more a process. ``PYMORPHY2_DICT_PATH``,
    where set, still names it."""
    import pymorphy3

    path = None
    if pymorphy3.MorphAnalyzer.DICT_PATH_ENV_VARIABLE not in os.environ:
        try:
            import pymorphy3_dicts_ru

            path = pymorphy3_dicts_ru.get_path()
        except (ImportError, AttributeError):
            path = None     # (pymorphy3 looks for it, and says what is missing)
    return pymorphy3.MorphAnalyzer(path=path, lang="ru")
