"""An on-disk cache of web service answers: one JSON file per request, written atomically.

Keys are request URLs (without the contact address); entries remember the HTTP status (200 and
404 answers are worth keeping), when they were stored, and the decoded JSON body. A corrupt or
unreadable entry is treated as missing and replaced on the next store.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..resources import default_cache_dir

__all__ = ["CacheEntry", "DiskCache", "default_cache_dir"]


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A stored answer: status, body and the time it was stored (seconds since the epoch)."""

    url: str
    status: int
    body: Any
    stored: float

    def age(self, now: float | None = None) -> float:
        """Seconds since the entry was stored."""
        return (time.time() if now is None else now) - self.stored


class DiskCache:
    """A folder of cached answers."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> CacheEntry | None:
        """The entry for ``key``, or None (missing, unreadable or for another key)."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("url") != key:
            return None
        try:
            return CacheEntry(key, int(data["status"]), data.get("body"), float(data["stored"]))
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, status: int, body: Any) -> None:
        """Store an answer. A cache that cannot be written is skipped silently (it is a cache)."""
        from ..textio import atomic_write

        path = self._path(key)
        record = {"url": key, "status": status, "stored": time.time(), "body": body}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, lambda out: json.dump(record, out, ensure_ascii=False))
        except OSError:
            return

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        removed = 0
        for path in self.folder.glob("*/*.json"):
            try:
                path.unlink()
                removed += 1
            except OSError:
                continue
        return removed
