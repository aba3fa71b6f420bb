"""A real HTTP server on 127.0.0.1 that replays recorded Crossref answers (habanero cassettes).

Tests register answers per path (optionally per query string) as a queue: each request takes the
next answer and the last one repeats, so "429, then 200" or "503 forever" are one line. Answers
can be delayed (slow network) or broken (truncated JSON). Every request is recorded with its
headers so tests can check what the client sent.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

import yaml

CASSETTES = Path(__file__).resolve().parent / "data" / "crossref"


@dataclass
class Reply:
    """One answer: status, headers, body bytes, and a delay before it is sent."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def decoded(self) -> Any:
        """The body as JSON (un-gzipped when needed)."""
        data = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return json.loads(data)


def cassette(name: str) -> dict[str, Reply]:
    """The interactions of a cassette in tests/data/crossref by request path (with query)."""
    data = yaml.safe_load((CASSETTES / name).read_text(encoding="utf-8"))
    out: dict[str, Reply] = {}
    for interaction in data["interactions"]:
        url = urlsplit(interaction["request"]["uri"])
        response = interaction["response"]
        body = response["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers: dict[str, str] = {}
        for key, values in response["headers"].items():
            if key.lower() in ("content-type", "content-encoding", "retry-after"):
                headers[key.title()] = values[0]
        key = url.path + (f"?{url.query}" if url.query else "")
        out[key] = Reply(response["status"]["code"], body, headers)
    return out


class ReplayServer:
    """The server; use as a context manager. ``url`` is its base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                reply = server._take(self.path, dict(self.headers.items()))
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *replies: Reply) -> None:
        """Answer requests for ``path`` (``/works/10.1/x``, or with ``?query``) in turn."""
        self.routes[path] = list(replies)

    def load(self, name: str) -> None:
        """Serve every interaction of a cassette at its recorded path and query."""
        for path, reply in cassette(name).items():
            self.add(path, reply)

    def count(self, prefix: str = "") -> int:
        """How many requests arrived for paths starting with ``prefix``."""
        return sum(1 for path, _ in self.requests if path.startswith(prefix))

    def _take(self, raw_path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((raw_path, headers))
            parts = urlsplit(raw_path)
            query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query)))
            for key in (raw_path, f"{parts.path}?{query}", parts.path):
                queue = self.routes.get(key)
                if queue:
                    return queue.pop(0) if len(queue) > 1 else queue[0]
            return Reply(404, b"Resource not found.", {"Content-Type": "text/plain"})

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
