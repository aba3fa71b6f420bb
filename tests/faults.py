"""A real TCP server on 127.0.0.1 that answers HTTP badly, one way per path: redirect loops,
connections reset in the middle of a body, short bodies, broken gzip, absurd Retry-After
headers, answers dripped a byte at a time, records of the wrong shape.

``FAULTS`` names every mode; ``/ok/...`` answers a small valid work record. The server is used
by tests/test_network_faults.py and by the fault campaign in tools/fuzz_campaign.py.
"""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable
from typing import Self

_WORK = {"status": "ok", "message": {"DOI": "10.1000/ok", "type": "journal-article",
                                     "title": ["A fine answer"], "author": [
                                         {"family": "Smith", "given": "J."}],
                                     "issued": {"date-parts": [[2001]]}}}


def _head(status: str, headers: dict[str, str], length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _json(status: str, body: object, **headers: str) -> Callable[[socket.socket, str], None]:
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body

    def send(sock: socket.socket, path: str) -> None:
        sock.sendall(_head(status, {"Content-Type": "application/json", **headers}, len(data))
                     + data)
    return send


def _redirect_loop(sock: socket.socket, path: str) -> None:
    sock.sendall(_head("302 Found", {"Location": path}, 0))


def _reset_mid_body(sock: socket.socket, path: str) -> None:
    sock.sendall(_head("200 OK", {"Content-Type": "application/json"}, 5000)
                 + b'{"status": "ok", "message": {"DOI": ')
    time.sleep(0.05)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _short_body(sock: socket.socket, path: str) -> None:
    sock.sendall(_head("200 OK", {"Content-Type": "application/json"}, 5000)
                 + b'{"status": "ok"')


def _bad_gzip(sock: socket.socket, path: str) -> None:
    body = b"\x1f\x8b\x08\x00not really gzip at all" * 3
    sock.sendall(_head("200 OK", {"Content-Type": "application/json",
                                  "Content-Encoding": "gzip"}, len(body)) + body)


def _truncated_gzip(sock: socket.socket, path: str) -> None:
    body = gzip.compress(json.dumps(_WORK).encode())[:-12]
    sock.sendall(_head("200 OK", {"Content-Type": "application/json",
                                  "Content-Encoding": "gzip"}, len(body)) + body)


def _drip_body(sock: socket.socket, path: str, every: float = 0.3) -> None:
    body = json.dumps(_WORK).encode()
    sock.sendall(_head("200 OK", {"Content-Type": "application/json"}, len(body)))
    for byte in body:
        sock.sendall(bytes([byte]))
        time.sleep(every)


def _drip_slowly(sock: socket.socket, path: str) -> None:
    _drip_body(sock, path, every=2.0)


def _drip_headers(sock: socket.socket, path: str) -> None:
    for byte in _head("200 OK", {"Content-Type": "application/json", "X-Slow": "y" * 200}, 2):
        sock.sendall(bytes([byte]))
        time.sleep(0.3)
    sock.sendall(b"{}")


def _close_at_once(sock: socket.socket, path: str) -> None:
    return


def _garbage(sock: socket.socket, path: str) -> None:
    sock.sendall(b"HELLO THERE\r\n\r\nnothing http about this")


def _bad_chunks(sock: socket.socket, path: str) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                 b"zz\r\n{}\r\n0\r\n\r\n")


def _endless(sock: socket.socket, path: str) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 b"Connection: close\r\n\r\n[")
    try:
        while True:
            sock.sendall(b"0," * 8192)
    except OSError:
        return


_ODD_RECORD = {"message": {"title": 5, "license": 7, "ISSN": 3, "ISBN": {"a": 1},
                           "author": "Smith", "editor": [1, None, {"family": ["x"]}],
                           "issued": {"date-parts": [["²", "2001"], 7]},
                           "type": ["journal-article"], "DOI": {"x": 1}}}

#: Every fault, by the path segment that asks for it.
FAULTS: dict[str, Callable[[socket.socket, str], None]] = {
    "redirect-loop": _redirect_loop,
    "reset-mid-body": _reset_mid_body,
    "short-body": _short_body,
    "bad-gzip": _bad_gzip,
    "truncated-gzip": _truncated_gzip,
    "retry-after-nan": _json("503 Service Unavailable", {}, **{"Retry-After": "nan"}),
    "retry-after-inf": _json("429 Too Many Requests", {}, **{"Retry-After": "inf"}),
    "retry-after-negative": _json("503 Service Unavailable", {}, **{"Retry-After": "-5"}),
    "retry-after-words": _json("503 Service Unavailable", {},
                               **{"Retry-After": "Mon, 99 Foo 99999 99:99:99 GMT"}),
    "drip-body": _drip_body,
    "drip-headers": _drip_headers,
    "drip-slowly": _drip_slowly,
    "close-at-once": _close_at_once,
    "garbage": _garbage,
    "bad-chunks": _bad_chunks,
    "endless": _endless,
    "message-list": _json("200 OK", {"status": "ok", "message": []}),
    "message-null": _json("200 OK", {"status": "ok", "message": None}),
    "odd-record": _json("200 OK", _ODD_RECORD),
    "not-json": _json("200 OK", b"<html>maintenance</html>"),
    "deep-json": _json("200 OK", b'{"message": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    "huge-number": _json("200 OK", b'{"message": {"volume": ' + b"9" * 5000 + b"}}"),
    "empty-200": _json("200 OK", b""),
}


class FaultServer:
    """The server; use as a context manager. ``url`` is its base URL. A request for
    ``/works/<anything>`` is answered by the fault named in ``mode`` (or per path, see
    :meth:`route`), ``ok`` giving a valid record."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.routes: dict[str, str] = {}
        self.requests: list[str] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(5)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = sock.recv(4096)
                        if not chunk:
                            return
                        data += chunk
                except OSError:
                    return
                line = data.split(b"\r\n", 1)[0].decode("latin-1")
                path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
                outer.requests.append(path)
                mode = next((m for p, m in outer.routes.items() if p in path), outer.mode)
                try:
                    if mode == "ok":
                        _json("200 OK", _WORK)(sock, path)
                    else:
                        FAULTS[mode](sock, path)
                except OSError:
                    return

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, fragment: str, mode: str) -> None:
        """Answer requests whose path holds ``fragment`` with ``mode``."""
        self.routes[fragment] = mode

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
