"""Crossref lookups from many workers at once: one rate for the whole cluster, one cache.

Crossref limits requests per second and per client, not per process: a cluster of 40 workers
each doing "a polite 5 a second" is 200 a second, and is blocked. So ``--crossref-rate`` is the
rate for the whole job; each worker process gets its share (rate / workers) as a
:class:`TokenBucket` shared by its threads, and waits for a token before every request that goes
to the network. Answers from a cache cost no token: the bucket sits in the HTTP adapter, below
any cache. When Crossref announces a lower limit (``X-Rate-Limit-Limit`` over
``X-Rate-Limit-Interval`` seconds) the worker slows to its share of that; 429 answers are still
retried with back-off by the client (:mod:`transcite.lookup.crossref`).

The cache (``--crossref-cache``) is, as for ``transcite enrich``, a folder of one JSON file per
answer, written atomically - on a disk every worker mounts (NFS, a shared volume) it is one
cache for the cluster. ``redis://host:6379/0`` or ``sqlite:///shared/path/crossref.sqlite``
use a `requests-cache <https://requests-cache.readthedocs.io>`_ backend instead (install
``requests-cache``, and ``redis`` for Redis); see docs/scale.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from .settings import Settings

__all__ = ["RateLimitedAdapter", "TokenBucket", "make_client", "make_session", "worker_bucket"]


class TokenBucket:
    """At most ``rate`` takes a second on average, bursts of up to ``burst``; thread-safe.

    ``clock`` and ``sleep`` are the functions used to tell and pass time (tests pass fakes).
    """

    def __init__(self, rate: float, burst: float = 1.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be above 0")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()
        self.waited = 0.0

    def slow_to(self, rate: float) -> None:
        """Lower the rate (never raises it: the job's setting is the ceiling)."""
        with self._lock:
            if 0 < rate < self.rate:
                self.rate = rate

    def take(self) -> float:
        """Wait until a token is free and take it; returns the seconds waited."""
        with self._lock:        # one waiter at a time keeps the order fair
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            wait = 0.0
            if self._tokens < 1.0:
                wait = (1.0 - self._tokens) / self.rate
                self._sleep(wait)
                self._last = self._clock()
                self._tokens = 1.0
            self._tokens -= 1.0
            self.waited += wait
            return wait


_buckets: dict[float, TokenBucket] = {}
_buckets_lock = threading.Lock()


def worker_bucket(settings: Settings) -> TokenBucket:
    """This process's bucket: its share of the job's rate (one per process, for all threads)."""
    share = settings.crossref_rate / max(1, settings.workers)
    with _buckets_lock:
        bucket = _buckets.get(share)
        if bucket is None:
            bucket = _buckets[share] = TokenBucket(share)
        return bucket


def _announced(headers: Any) -> float | None:
    """Requests per second from ``X-Rate-Limit-Limit`` / ``X-Rate-Limit-Interval`` (``1s``)."""
    limit, interval = headers.get("X-Rate-Limit-Limit"), headers.get("X-Rate-Limit-Interval")
    if not limit or not interval:
        return None
    try:
        seconds = float(str(interval).strip().rstrip("s") or "1")
        return float(limit) / seconds if seconds > 0 else None
    except ValueError:
        return None


def _adapter_class() -> type:
    from requests.adapters import HTTPAdapter

    class _RateLimited(HTTPAdapter):
        """An HTTP adapter that takes a token before each request it sends."""

        def __init__(self, bucket: TokenBucket, workers: int) -> None:
            super().__init__()
            self.bucket = bucket
            self.workers = max(1, workers)

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            self.bucket.take()
            response = super().send(request, *args, **kwargs)
            announced = _announced(response.headers)
            if announced is not None:
                self.bucket.slow_to(announced / self.workers)
            return response

    return _RateLimited


def RateLimitedAdapter(bucket: TokenBucket, workers: int = 1) -> Any:  # noqa: N802
    """A :class:`requests.adapters.HTTPAdapter` that waits for ``bucket`` before sending and
    slows it to its share (1/``workers``) of the rate Crossref announces."""
    return _adapter_class()(bucket, workers)


def make_session(settings: Settings, bucket: TokenBucket | None = None) -> Any:
    """A requests session for the job's cache setting, rate-limited below the cache."""
    cache = settings.cache or ""
    if cache.startswith(("redis://", "rediss://", "sqlite://")):
        try:
            import requests_cache
        except ImportError:
            raise ValueError(f"--crossref-cache {cache}: install requests-cache (and redis for "
                             "a Redis cache) on every worker") from None
        if cache.startswith("sqlite://"):
            session = requests_cache.CachedSession(cache[len("sqlite://"):], backend="sqlite",
                                                   allowable_codes=(200, 404))
        else:
            from redis import Redis

            session = requests_cache.CachedSession(
                "transcite-crossref", backend=requests_cache.RedisCache(
                    connection=Redis.from_url(cache)), allowable_codes=(200, 404))
    else:
        import requests

        session = requests.Session()
    adapter = RateLimitedAdapter(bucket or worker_bucket(settings), settings.workers)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def make_client(settings: Settings) -> Any:
    """A Crossref client for one task: the configuration's settings with the job's overrides,
    its requests paced by this worker's bucket."""
    from ..lookup.crossref import CrossrefClient, CrossrefSettings

    overrides: dict[str, Any] = {"offline": settings.offline or None, "mailto": settings.mailto}
    cache = settings.cache
    if cache and cache.startswith(("redis://", "rediss://", "sqlite://")):
        overrides["cache_dir"] = ""     # the requests-cache backend is the cache
    elif cache:
        overrides["cache_dir"] = cache
    return CrossrefClient(CrossrefSettings.from_config(**overrides),
                          session=make_session(settings))
