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
import math
import os
import threading
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
    deadline: float = 60.0
    run_deadline: float = 3600.0
    max_body: int = 16 << 20

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
        for key in ("connect_timeout", "timeout", "backoff", "max_wait", "cache_days",
                    "deadline", "run_deadline"):
            if key in values:
                values[key] = float(values[key])
                if not math.isfinite(values[key]) or values[key] < 0:
                    raise ValueError(f"[crossref]: {key} must be a number of seconds")
        for key in ("retries", "rows", "give_up_after", "max_body"):
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

    Every answer is bounded in time twice: each attempt by ``settings.deadline`` seconds from
    the request to the last byte (a server that drips its answer cannot hold it longer), and
    the whole run by ``settings.run_deadline``, after which nothing more is asked. An answer is
    cached only once it is known to hold what was asked for.
    """

    settings: CrossrefSettings = field(default_factory=CrossrefSettings)
    session: Any = None
    sleep: Callable[[float], None] = time.sleep
    stats: Stats = field(default_factory=Stats)
    _failures: int = 0
    _cache: DiskCache | None = None
    _started: float | None = None

    def __post_init__(self) -> None:
        if self.settings.cache_dir is not None:
            self._cache = DiskCache(self.settings.cache_dir)

    # -- the three questions -------------------------------------------------------------------
    def work(self, doi: str) -> dict[str, Any]:
        """The Crossref record (``message``) of a DOI; raises a :class:`CrossrefError`."""
        message: dict[str, Any] = self._get(f"/works/{quote(doi, safe='/:;()<>[]')}",
                                            check=_record("work"))["message"]
        return message

    def search(self, bibliographic: str, rows: int | None = None) -> list[dict[str, Any]]:
        """Works matching a bibliographic string, best first (each with Crossref's ``score``)."""
        params = {"query.bibliographic": " ".join(bibliographic.split()),
                  "rows": str(rows or self.settings.rows)}
        message = self._get("/works", params, check=_items)["message"]
        return [i for i in message["items"] if isinstance(i, dict)]

    def journal(self, issn: str) -> dict[str, Any]:
        """The Crossref record of a journal by ISSN (title, publisher, ISSNs with types)."""
        message: dict[str, Any] = self._get(f"/journals/{quote(issn)}",
                                            check=_record("journal"))["message"]
        return message

    # -- transport -----------------------------------------------------------------------------
    def _url(self, path: str, params: dict[str, str] | None = None) -> str:
        query = f"?{urlencode(sorted(params.items()))}" if params else ""
        return f"{self.settings.base_url}{path}{query}"

    def _get(self, path: str, params: dict[str, str] | None = None, *,
             check: Callable[[Any], str | None]) -> dict[str, Any]:
        url = self._url(path, params)
        cached = self._cache.get(url) if self._cache is not None else None
        if cached is not None and cached.status != 404 and check(cached.body) is not None:
            cached = None                   # an entry from before answers were checked
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
        if self._started is None:
            self._started = time.monotonic()
        if time.monotonic() - self._started > self.settings.run_deadline:
            self.stats.skipped += 1
            raise GaveUp(f"this run has asked Crossref for {self.settings.run_deadline:g} s; "
                         "not asking again", url)
        try:
            body = self._fetch(url, check)
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

    def _fetch(self, url: str, check: Callable[[Any], str | None]) -> dict[str, Any]:
        headers = {"User-Agent": self.settings.user_agent, "Accept": "application/json"}
        last = "no attempt was made"
        for attempt in range(self.settings.retries + 1):
            wait = self.settings.backoff * (2 ** attempt)
            self.stats.requests += 1
            answer = self._attempt(url, headers)
            if isinstance(answer, str):
                last = answer                           # a network fault: try again
            else:
                status, reason, response_headers, data = answer
                if status == 404:
                    if self._cache is not None:
                        self._cache.put(url, 404, None)
                    raise NotFound("not found", url)
                if status in _RETRY_STATUS:
                    last = f"HTTP {status} {reason or ''}".rstrip()
                    asked = _retry_after(response_headers.get("Retry-After"))
                    if asked is not None:
                        if asked > self.settings.max_wait:
                            raise Unavailable(f"{last}; the service asks to wait {asked:g} s, "
                                              "try again later", url)
                        wait = asked
                elif status >= 400:
                    raise BadResponse(f"HTTP {status}: {_snippet(_text(data))}", url)
                else:
                    return self._decode(url, data, check)
            if attempt == self.settings.retries or self._out_of_time():
                break
            wait = min(max(wait, 0.0), self.settings.max_wait)
            self.stats.retries += 1
            self.stats.waited += wait
            self.sleep(wait)
        tries = self.settings.retries + 1
        raise Unavailable(f"{last} (after {tries} attempt{'s' if tries > 1 else ''})", url)

    def _out_of_time(self) -> bool:
        return self._started is not None and (
            time.monotonic() - self._started > self.settings.run_deadline)

    def _attempt(self, url: str, headers: dict[str, str]
                 ) -> tuple[int, str, dict[str, str], bytes] | str:
        """One request, read to its last byte within the deadline: (status, reason, headers,
        body), or what went wrong on the way (a network fault, a redirect loop, a broken or
        dripping answer) as text."""
        import requests
        import urllib3

        limit = self.settings.deadline
        if self._started is not None:
            limit = min(limit, max(self.settings.run_deadline
                                   - (time.monotonic() - self._started), 0.0))
        deadline = time.monotonic() + limit
        outcome: dict[str, Any] = {}
        session = self._session()
        timeout = (self.settings.connect_timeout, self.settings.timeout)

        def run() -> None:
            response = None
            try:
                response = session.get(url, headers=headers, timeout=timeout, stream=True)
                outcome["response"] = response
                data = _read_body(response, deadline, self.settings.max_body)
                outcome["answer"] = (response.status_code, str(response.reason or ""),
                                     dict(response.headers), data)
            except requests.Timeout:
                outcome["fault"] = f"no answer within {self.settings.timeout:g} s"
            except requests.TooManyRedirects:
                outcome["fault"] = "the service redirects in a loop"
            except requests.ConnectionError as exc:
                outcome["fault"] = f"cannot connect ({_reason(exc)})"
                if _unreachable(exc):
                    outcome["unreachable"] = True
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError,
                    _Broken) as exc:            # urllib3's own: a body that broke off
                outcome["fault"] = f"the answer broke off ({_reason(exc)})"
            except BaseException as exc:  # noqa: BLE001 - anything else is raised below
                outcome["error"] = exc
            finally:
                if response is not None:
                    response.close()

        worker = threading.Thread(target=run, name="transcite-crossref", daemon=True)
        worker.start()
        worker.join(max(limit, 0.0) + 0.5)
        if worker.is_alive():
            # stuck on a server that sends too slowly: leave the thread and its connection
            response = outcome.get("response")
            if response is not None:
                response.close()
            self.session = None
            return f"the answer took longer than {limit:g} s"
        if "error" in outcome:
            raise outcome["error"]
        if "unreachable" in outcome:        # nothing a retry in a second would change
            raise Unreachable(f"{outcome['fault']}: {_host(url)} cannot be reached", url)
        if "fault" in outcome:
            return str(outcome["fault"])
        answer: tuple[int, str, dict[str, str], bytes] | None = outcome.get("answer")
        return answer if answer is not None else "the answer broke off"

    def _decode(self, url: str, data: bytes, check: Callable[[Any], str | None]
                ) -> dict[str, Any]:
        import json

        try:
            body = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            raise BadResponse(f"the answer is not valid JSON: {_snippet(_text(data))}",
                              url) from None
        problem = check(body)
        if problem is not None:
            raise BadResponse(problem, url)
        if self._cache is not None:
            self._cache.put(url, 200, body)
        return body  # type: ignore[no-any-return]


class _Broken(Exception):
    """The answer went past the deadline or the size limit while it was being read."""


def _read_body(response: Any, deadline: float, limit: int) -> bytes:
    """The whole body, read as it arrives (what one read gives, not a fixed size, so that a
    dripping answer is checked against the deadline between bytes)."""
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    chunks: list[bytes] = []
    size = 0
    stream = iter(()) if read1 is not None else response.iter_content(1024)
    while True:
        if time.monotonic() > deadline:
            raise _Broken("it took longer than the deadline")
        data = read1(65536, decode_content=True) if read1 is not None else next(stream, b"")
        if not data:
            return b"".join(chunks)
        size += len(data)
        if size > limit:
            raise _Broken(f"it is longer than {limit} bytes")
        chunks.append(data)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _record(kind: str) -> Callable[[Any], str | None]:
    """A check that the answer holds one record (``message`` an object)."""
    def check(body: Any) -> str | None:
        if not isinstance(body, dict) or "message" not in body:
            return "the answer has no 'message'"
        if not isinstance(body["message"], dict):
            return f"the answer holds no {kind} record"
        return None
    return check


def _items(body: Any) -> str | None:
    """A check that a search answer holds a list of works."""
    if not isinstance(body, dict) or "message" not in body:
        return "the answer has no 'message'"
    message = body["message"]
    if not isinstance(message, dict) or not isinstance(message.get("items"), list):
        return "the answer holds no list of works"
    return None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None for
    anything else (``nan``, ``inf``, words)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    try:
        return max(0.0, when.timestamp() - time.time())
    except (OverflowError, ValueError, OSError):
        return None


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
                   "Temporary failure in name resolution", "Network is unreachable",
                   "Connection reset by peer", "IncompleteRead", "incomplete",
                   "Exceeded 30 redirects"):
        if marker in text:
            return marker.lower()
    if "decod" in text.lower():
        return "it cannot be decompressed"
    return str(exc)[:80] if isinstance(exc, _Broken) else type(exc).__name__
