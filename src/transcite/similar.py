"""Finding, among texts seen so far, those similar to a new one - without comparing it with all.

:class:`SimilarTexts` answers what ``rapidfuzz.process.extract(text, seen, scorer=fuzz.ratio,
score_cutoff=cutoff, limit=None)`` answers, but compares the new text only with the texts whose
length lets them reach the cutoff: ``ratio`` is ``100 * (1 - d / (la + lb))`` with ``d`` the
insert/delete distance, and ``d >= |la - lb|``. At 93% that leaves the texts within about 7% of
its length; a short list of candidates is also checked against the letters both texts have
(the longest common subsequence has no more of a letter than either text). The comparisons
themselves are rapidfuzz's, so the answer is exactly rapidfuzz's.
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict

__all__ = ["SimilarTexts"]

#: Up to this many candidates, each is first checked against the bound on its letters (above,
#: rapidfuzz's batch comparison is cheaper than building the counts in Python).
_FEW = 32


def _use_bound(candidates: int) -> bool:
    """Whether to check this many candidates against the letters bound first: a few, and
    rapidfuzz not imported yet (once it is, its comparisons are cheaper than the bound)."""
    return candidates <= _FEW and "rapidfuzz" not in sys.modules


class SimilarTexts:
    """Texts added one at a time; :meth:`similar` finds the earlier ones close to a text."""

    def __init__(self, cutoff: float) -> None:
        self.cutoff = cutoff
        self.texts: list[str] = []
        self._by_length: dict[int, list[int]] = defaultdict(list)
        self._counts: dict[int, Counter[str]] = {}     # letters of texts compared by bound
        e = 1.0 - cutoff / 100.0
        # a text of length la can only match lengths la * low .. la * high (None: any)
        self._window = ((1 - e) / (1 + e), (1 + e) / (1 - e)) if 0 <= e < 1 else None

    def __len__(self) -> int:
        return len(self.texts)

    def add(self, text: str) -> int:
        """Remember a text; returns its index."""
        n = len(self.texts)
        self.texts.append(text)
        self._by_length[len(text)].append(n)
        return n

    def _letters(self, i: int) -> Counter[str]:
        found = self._counts.get(i)
        if found is None:
            found = self._counts[i] = Counter(self.texts[i])
        return found

    def similar(self, text: str) -> list[tuple[int, float]]:
        """(index, score) of every earlier text whose ``fuzz.ratio`` with ``text`` is at least
        the cutoff."""
        by_length = self._by_length
        la = len(text)
        if not la or not by_length:
            return []
        if self._window is None:
            candidates = list(range(len(self.texts)))
        else:
            low, high = self._window
            candidates = []
            # widened by one on each side for rounding
            for n in range(max(0, math.floor(la * low) - 1), math.ceil(la * high) + 2):
                found = by_length.get(n)
                if found:
                    candidates += found
            if not candidates:
                return []
        if _use_bound(len(candidates)):
            # LCS has at most as many of each character as both texts: a bound that rules out
            # most texts of a short list before rapidfuzz is even imported (~10 ms)
            mine = Counter(text)
            cut = self.cutoff
            candidates = [i for i in candidates
                          if 200 * sum((mine & self._letters(i)).values())
                          >= cut * (la + len(self.texts[i]))]
            if not candidates:
                return []
        from rapidfuzz import fuzz, process

        texts = self.texts
        hits = process.extract(text, [texts[i] for i in candidates], scorer=fuzz.ratio,
                               score_cutoff=self.cutoff, limit=None)
        return [(candidates[j], float(score)) for _, score, j in hits]
