"""Problems found in the user's data: :class:`Problem` records (severity, code, message, file,
line, item, raw text) collected in a :class:`Report`. Reading, normalising, checking and
formatting report what they find here instead of raising; the CLI prints the report and exits
with status 1 when it holds an error. (Also importable from :mod:`transcite.model`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["Problem", "Report", "Severity"]


class Severity(str, Enum):
    """How serious a :class:`Problem` is. Errors make the CLI exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about the user's data: what, where (file, line, item) and the raw text."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    item: str | None = None
    raw: str | None = None

    def location(self) -> str:
        """``file:line`` (either part may be missing), or ``<input>``."""
        loc = self.file or "<input>"
        return f"{loc}:{self.line}" if self.line is not None else loc

    def __str__(self) -> str:
        item = f" [{self.item}]" if self.item else ""
        return f"{self.location()}: {self.severity.value}: {self.message}{item} ({self.code})"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the problem."""
        out: dict[str, Any] = {"severity": self.severity.value, "code": self.code,
                               "message": self.message}
        for key in ("file", "line", "item", "raw"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class Report:
    """An ordered collection of :class:`Problem` records."""

    __slots__ = ("problems",)

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)

    def add(self, severity: Severity | str, code: str, message: str, *, file: str | None = None,
            line: int | None = None, item: str | None = None, raw: str | None = None) -> Problem:
        """Record a problem and return it."""
        problem = Problem(Severity(severity), code, message, file, line, item, raw)
        self.problems.append(problem)
        return problem

    def error(self, code: str, message: str, **where: Any) -> Problem:
        """Record an error (the user's input is wrong and was not fully understood)."""
        return self.add(Severity.ERROR, code, message, **where)

    def warning(self, code: str, message: str, **where: Any) -> Problem:
        """Record a warning (the input was understood but looks doubtful)."""
        return self.add(Severity.WARNING, code, message, **where)

    def extend(self, other: Iterable[Problem]) -> None:
        """Append problems from another report or iterable."""
        self.problems.extend(other)

    @property
    def errors(self) -> list[Problem]:
        """Only the errors."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        """True when at least one error was recorded."""
        return any(p.severity is Severity.ERROR for p in self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __repr__(self) -> str:
        return f"Report({len(self.problems)} problems, {len(self.errors)} errors)"
