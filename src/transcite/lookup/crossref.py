"""A Crossref REST API client that survives a bad network.

Three questions are asked of Crossref: a work by DOI (``/works/{doi}``), a search by a
bibliographic string (``/works?query.bibliographic=``) and a journal by ISSN
(``/journals/{issn}``). The client is polite (a User-Agent naming transcite and the contact
address from the configuration, as Crossref asks), bounded (connect and read timeouts), patient
(retries with exponential backoff on 429 and 5xx answers and on timeouts and dropped
connections, honouring ``Retry-After``), remembers (an on-disk cache; ``offline`` answers from
it alone) and gives up early once the service is clearly down, so a long library is not retried
item by item. A network that cannot reach the service at all (the name does not resolve, the
connection is refused, no route) is recognised at once: :class:`Unreachable`, no retries, and
the rest of the run is not asked.

Settings come from, in order: the caller's arguments, the environment
(``TRANSCITE_CROSSREF_URL``, ``TRANSCITE_MAILTO``, ``TRANSCITE_CACHE``), the ``[crossref]`` table
of the configuration file (:mod:`transcite.config`), and the defaults.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from .cache import DiskCache, default_cache_dir

__all__ = [
    "BadResponse",
    "CrossrefClient",
    "CrossrefError",
    "CrossrefSettings",
    "GaveUp",
    "NotFound",
    "OfflineMiss",
    "Unavailable",
    "Unreachable",
]

DEFAULT_URL = "https://api.crossref.org"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_UNREACHABLE_ERRNO = frozenset({101, 111, 113})     # ENETUNREACH, ECONNREFUSED, EHOSTUNREACH


class CrossrefError(Exception):
    """A lookup that could not be answered; ``url`` is the request."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url


class NotFound(CrossrefError):
    """Crossref does not know the DOI or ISSN (HTTP 404)."""


class Unavailable(CrossrefError):
    """The service could not be reached or kept failing (timeouts, 429, 5xx) after retries."""


class Unreachable(Unavailable):
    """The service cannot be reached at all: its name does not resolve, the connection is
    refused or there is no route to it. Not retried."""


class GaveUp(Unavailable):
    """Not asked: the service failed the previous requests of this run (see ``give_up_after``)."""


class BadResponse(CrossrefError):
    """The service answered, but not with what was asked for (broken JSON, HTTP 400...)."""


class OfflineMiss(CrossrefError):
    """Offline, and the answer is not in the cache."""


@dataclass(frozen=True, slots=True)
class CrossrefSettings:
    """How to talk to Crossref. Times are in seconds; ``cache_dir`` None disables the cache."""

    base_url: str = DEFAULT_URL
    mailto: str | None = None
    connect_timeout: float = 5.0
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 60.0
    cache_dir: Path | None = None
    cache_days: float = 30.0
    offline: bool = False
    rows: int = 5
    give_up_after: int = 2

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None, **overrides: Any
                    ) -> CrossrefSettings:
        """Settings from the ``[crossref]`` table, the environment and ``overrides``.

        Overrides that are None are ignored. Unknown keys in the table raise ValueError.
        """
        from ..config import section

        table = dict(config) if config is not None else section("crossref")
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ValueError(f"[crossref]: unknown setting {unknown[0]!r} (known: "
                             f"{', '.join(sorted(known))})")
        values: dict[str, Any] = dict(table)
        values.setdefault("cache_dir", str(default_cache_dir() / "crossref"))
        if os.environ.get("TRANSCITE_CROSSREF_URL"):
            values["base_url"] = os.environ["TRANSCITE_CROSSREF_URL"]
        if os.environ.get("TRANSCITE_MAILTO"):
            values["mailto"] = os.environ["TRANSCITE_MAILTO"]
        if os.environ.get("TRANSCITE_CACHE"):
            values["cache_dir"] = str(default_cache_dir() / "crossref")
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("cache_dir") in ("", False):
            values["cache_dir"] = None
        elif values.get("cache_dir") is not None:
            values["cache_dir"] = Path(str(values["cache_dir"])).expanduser()
        for key in ("connect_timeout", "timeout", "backoff", "max_wait", "cache_days"):
            if key in values:
                values[key] = float(values[key])
        for key in ("retries", "rows", "give_up_after"):
            if key in values:
                values[key] = int(values[key])
        values["base_url"] = str(values.get("base_url", DEFAULT_URL)).rstrip("/")
        return cls(**values)

    @property
    def user_agent(self) -> str:
        """``transcite/<version> (<project>; mailto:<address>)``."""
        from .. import __version__

        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"transcite/{__version__} (https://example.invalid/transcite{contact})"


@dataclass(slots=True)
class Stats:
    """What a client did: network requests, cache hits, retries, time waited, lookups skipped."""

    requests: int = 0
    skipped: int = 0
    cache_hits: int = 0
    retries: int = 0
    waited: float = 0.0
    unavailable: int = 0


@dataclass(slots=True)
class CrossrefClient:
    """Ask Crossref for works and journals (see the module docstring).

    ``session`` is a :class:`requests.Session` (one is made when None) and ``sleep`` the function
    used to wait between retries (tests pass a recorder).
    """

    settings: CrossrefSettings = field(default_factory=CrossrefSettings)
    session: Any = None
    sleep: Callable[[float], None] = time.sleep
    stats: Stats = field(default_factory=Stats)
    _failures: int = 0
    _cache: DiskCache | None = None

    def __post_init__(self) -> None:
        if self.settings.cache_dir is not None:
            self._cache = DiskCache(self.settings.cache_dir)

    # -- the three questions -------------------------------------------------------------------
    def work(self, doi: str) -> dict[str, Any]:
        """The Crossref record (``message``) of a DOI; raises a :class:`CrossrefError`."""
        message = self._get(f"/works/{quote(doi, safe='/:;()<>[]')}")["message"]
        if not isinstance(message, dict):
            raise BadResponse("the answer holds no work record", self._url(f"/works/{doi}"))
        return message

    def search(self, bibliographic: str, rows: int | None = None) -> list[dict[str, Any]]:
        """Works matching a bibliographic string, best first (each with Crossref's ``score``)."""
        params = {"query.bibliographic": " ".join(bibliographic.split()),
                  "rows": str(rows or self.settings.rows)}
        message = self._get("/works", params)["message"]
        items = message.get("items") if isinstance(message, dict) else None
        if not isinstance(items, list):
            raise BadResponse("the answer holds no list of works", self._url("/works", params))
        return [i for i in items if isinstance(i, dict)]

    def journal(self, issn: str) -> dict[str, Any]:
        """The Crossref record of a journal by ISSN (title, publisher, ISSNs with types)."""
        message = self._get(f"/journals/{quote(issn)}")["message"]
        if not isinstance(message, dict):
            raise BadResponse("the answer holds no journal record",
                              self._url(f"/journals/{issn}"))
        return message

    # -- transport -----------------------------------------------------------------------------
    def _url(self, path: str, params: dict[str, str] | None = None) -> str:
        query = f"?{urlencode(sorted(params.items()))}" if params else ""
        return f"{self.settings.base_url}{path}{query}"

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        url = self._url(path, params)
        cached = self._cache.get(url) if self._cache is not None else None
        fresh = cached is not None and cached.age() < self.settings.cache_days * 86400
        if cached is not None and (fresh or self.settings.offline):
            self.stats.cache_hits += 1
            if cached.status == 404:
                raise NotFound("not found (cached answer)", url)
            body: dict[str, Any] = cached.body
            return body
        if self.settings.offline:
            raise OfflineMiss("offline, and not in the cache", url)
        if self._failures >= self.settings.give_up_after:
            self.stats.skipped += 1
            raise GaveUp("Crossref did not answer the previous requests; not asking again "
                              "in this run", url)
        try:
            body = self._fetch(url)
        except Unreachable:
            self.stats.unavailable += 1
            self._failures = max(self._failures + 1, self.settings.give_up_after)
            raise
        except Unavailable:
            self.stats.unavailable += 1
            self._failures += 1
            raise
        self._failures = 0
        return body

    def _session(self) -> Any:
        if self.session is None:
            import requests

            self.session = requests.Session()
        return self.session

    def _fetch(self, url: str) -> dict[str, Any]:
        import requests

        headers = {"User-Agent": self.settings.user_agent, "Accept": "application/json"}
        timeout = (self.settings.connect_timeout, self.settings.timeout)
        last = "no attempt was made"
        for attempt in range(self.settings.retries + 1):
            wait = self.settings.backoff * (2 ** attempt)
            self.stats.requests += 1
            try:
                response = self._session().get(url, headers=headers, timeout=timeout)
            except requests.Timeout:
                last = f"no answer within {self.settings.timeout:g} s"
            except requests.ConnectionError as exc:
                last = f"cannot connect ({_reason(exc)})"
                if _unreachable(exc):
                    raise Unreachable(f"{last}: {_host(url)} cannot be reached", url) from None
            else:
                status = response.status_code
                if status == 404:
                    if self._cache is not None:
                        self._cache.put(url, 404, None)
                    raise NotFound("not found", url)
                if status in _RETRY_STATUS:
                    last = f"HTTP {status} {response.reason or ''}".rstrip()
                    asked = _retry_after(response.headers.get("Retry-After"))
                    if asked is not None:
                        if asked > self.settings.max_wait:
                            raise Unavailable(f"{last}; the service asks to wait {asked:g} s, "
                                              "try again later", url)
                        wait = max(asked, 0.0)
                elif status >= 400:
                    raise BadResponse(f"HTTP {status}: {_snippet(response.text)}", url)
                else:
                    return self._decode(url, response)
            if attempt == self.settings.retries:
                break
            wait = min(wait, self.settings.max_wait)
            self.stats.retries += 1
            self.stats.waited += wait
            self.sleep(wait)
        tries = self.settings.retries + 1
        raise Unavailable(f"{last} (after {tries} attempt{'s' if tries > 1 else ''})", url)

    def _decode(self, url: str, response: Any) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            raise BadResponse(f"the answer is not valid JSON: {_snippet(response.text)}",
                              url) from None
        if not isinstance(body, dict) or "message" not in body:
            raise BadResponse("the answer has no 'message'", url)
        if self._cache is not None:
            self._cache.put(url, 200, body)
        return body


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _snippet(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def _unreachable(exc: BaseException) -> bool:
    """Whether a connection error says the service cannot be reached at all (the name does not
    resolve, the connection is refused, no route): nothing a retry in a second would change.
    Timeouts and connections dropped mid-answer are not."""
    import socket

    try:
        from urllib3.exceptions import NewConnectionError
    except ImportError:     # pragma: no cover - requests brings urllib3
        NewConnectionError = ()  # type: ignore[assignment,misc]  # noqa: N806
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        err = todo.pop()
        if id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, (socket.gaierror, ConnectionRefusedError, NewConnectionError)):
            return True
        if isinstance(err, OSError) and err.errno in _UNREACHABLE_ERRNO:
            return True
        todo.extend(a for a in err.args if isinstance(a, BaseException))
        for linked in (getattr(err, "reason", None), err.__cause__, err.__context__):
            if isinstance(linked, BaseException):
                todo.append(linked)
    return False


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "Temporary failure in name resolution", "Network is unreachable"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__
