"""The normalisation pipeline: named steps run in order over a copy of a library.

A :class:`Step` changes one reference at a time (``run``) or the whole library (``run_library``,
for steps such as finding duplicates) and returns :class:`~transcite.changes.Change` records;
problems that need a human go into the context's report. :func:`run_pipeline` never touches the
caller's library: it works on copies and returns them with every change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import progress
from ..changes import Change
from ..model import Library, Reference, Report, Severity

__all__ = ["Context", "Normalised", "Step", "run_pipeline"]


@dataclass(slots=True)
class Context:
    """What steps share: the report, the journal profile, journal files, caches."""

    report: Report = field(default_factory=Report)
    profile: Any = None
    journal_paths: tuple[str, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict)

    def journals(self) -> Any:
        """The journal registry, loaded once."""
        if "journals" not in self.cache:
            from ..journals import default_registry

            self.cache["journals"] = default_registry(self.journal_paths)
        return self.cache["journals"]


#: Where a context holds the per-reference steps its run does before the library-wide ones
#: (see :func:`transcite.normalisation.data_steps.settle_merged`).
PER_REF_STEPS = "per_ref_steps"

RefStep = Callable[[Reference, Context], list[Change]]
LibraryStep = Callable[[list[Reference], Context], list[Change]]


@dataclass(frozen=True, slots=True)
class Step:
    """A named normalisation step; exactly one of ``run`` / ``run_library`` is set."""

    name: str
    description: str
    run: RefStep | None = None
    run_library: LibraryStep | None = None


@dataclass(slots=True)
class Normalised:
    """The result of a run: the normalised library, the input untouched, what changed and why."""

    library: Library
    original: Library
    changes: list[Change]
    report: Report
    steps: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        """Changes per step, in step order (steps that changed nothing included)."""
        counter = Counter(c.step for c in self.changes)
        return {name: counter.get(name, 0) for name in self.steps}

    def needs_human(self) -> list[Any]:
        """Problems (warnings and errors) a person should look at."""
        return [p for p in self.report if p.severity is not Severity.INFO]

    def summary(self) -> str:
        """A readable account: changes per step, then what needs a human."""
        lines = [f"{len(self.original)} references in, {len(self.library)} out; "
                 f"{len(self.changes)} changes"]
        for name, n in self.counts().items():
            items = len({c.item for c in self.changes if c.step == name})
            lines.append(f"  {name:<12} {n:5d} changes in {items} references")
        human = self.needs_human()
        if human:
            lines.append(f"{len(human)} findings need a human:")
            lines.extend(f"  {p}" for p in human)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON: counts, every change and every problem."""
        return {
            "references_in": len(self.original),
            "references_out": len(self.library),
            "steps": self.counts(),
            "changes": [c.to_json() for c in self.changes],
            "problems": [p.to_json() for p in self.report],
        }


def run_pipeline(library: Library | Iterable[Reference], steps: Sequence[Step],
                 ctx: Context | None = None) -> Normalised:
    """Run ``steps`` in order over copies of the references; the input is left as it was."""
    ctx = ctx or Context()
    original = library if isinstance(library, Library) else Library(library)
    refs = [ref.copy() for ref in original]
    changes: list[Change] = []
    first = next((n for n, s in enumerate(steps) if s.run_library is not None), len(steps))
    ctx.cache[PER_REF_STEPS] = list(steps[:first])
    with progress.stage("normalising", len(refs) * len(steps), "steps"):
        for step in steps:
            if step.run_library is not None:  # may remove references from ``refs`` in place
                n = len(refs)
                changes.extend(step.run_library(refs, ctx))
                progress.tick(n)
            elif step.run is not None:
                for ref in refs:
                    changes.extend(step.run(ref, ctx))
                    progress.tick()
    out = Library(report=ctx.report)
    for ref in refs:
        out.add(ref)
    return Normalised(out, original, changes, ctx.report, tuple(s.name for s in steps))
