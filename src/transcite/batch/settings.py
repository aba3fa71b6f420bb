"""What a batch job does to every record: the steps, the renderings, the limits, the lookups.

:class:`Settings` is small, frozen and picklable: it travels to every Dask worker with the
tasks, and each worker builds what it needs from it once (see :mod:`.records`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace

__all__ = ["DEFAULT_STEPS", "STEPS", "Settings"]

#: The per-record steps, in the order they run.
STEPS = ("parse", "normalise", "enrich", "render")

#: What ``transcite batch`` runs when ``--steps`` is not given (enrich asks Crossref: opt in).
DEFAULT_STEPS = ("parse", "normalise", "render")

#: Normalisation steps that need the whole corpus: left to the dedupe stage (:mod:`.dedupe`).
GLOBAL_NORMALISE_STEPS = ("dedupe",)


@dataclass(frozen=True, slots=True)
class Settings:
    """A batch job's settings (every field has the same meaning as the CLI option).

    ``styles`` are rendered one column each; a ``profile`` also normalises with that journal's
    romanisation and renders its two lists (original and References) as two columns.
    ``crossref_rate`` is the lookups per second allowed to the whole cluster; ``workers`` is how
    many worker processes share it (set by :func:`transcite.batch.run` from the cluster).
    """

    steps: tuple[str, ...] = DEFAULT_STEPS
    styles: tuple[str, ...] = ()
    profile: str | None = None
    output: str = "text"
    encoding: str | None = None
    text_column: str = "text"
    max_length: int = 10_000
    journals: tuple[str, ...] = ()
    crossref: bool = True
    search: bool = True
    offline: bool = False
    mailto: str | None = None
    cache: str | None = None
    crossref_rate: float = 5.0
    workers: int = 1

    def __post_init__(self) -> None:
        unknown = [s for s in self.steps if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown step(s) {', '.join(unknown)}; steps: {', '.join(STEPS)}")
        if self.max_length < 1:
            raise ValueError("max_length must be at least 1")
        if self.crossref_rate <= 0:
            raise ValueError("crossref_rate must be above 0")

    @property
    def renders(self) -> tuple[str, ...]:
        """The styles rendered: those asked for, else the default GOST style when there is
        no profile (the profile's lists are rendered besides)."""
        if self.styles or self.profile:
            return self.styles
        return ("gost-r-7-0-5-2008",)

    def with_workers(self, workers: int) -> Settings:
        """The same settings for a cluster of ``workers`` worker processes."""
        return replace(self, workers=max(1, int(workers)))

    def signature(self) -> str:
        """A digest of everything that changes the output (a shard written under other
        settings is not reused by a re-run). The worker count and rate only pace lookups."""
        from .. import __version__

        data = asdict(self)
        for key in ("workers", "crossref_rate"):
            data.pop(key)
        data["version"] = __version__
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
