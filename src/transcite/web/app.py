"""The ASGI application of ``transcite serve`` (Starlette): routes, limits and headers.

Routes: ``GET /`` the form; ``POST /format`` the result page (form fields ``text`` or ``file``,
``profile``, ``style``, ``view``, ``lang``); ``POST /download`` the references in a writer's
format (``to``); ``POST /api/format`` and ``POST /api/parse`` the same as JSON; ``GET /api``
what they accept and the names they know. The work of a request runs in a child process killed
at the time limit (:mod:`transcite.web.limits`); bodies over the size limit are refused before
they are read whole; nothing of what was sent is stored, cached or logged.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import pages
from .i18n import negotiate
from .limits import Bug, TimeLimit, run_limited
from .service import InputError, Job, choices, decode_upload

__all__ = ["Limits", "create_app"]

_STATIC = Path(__file__).resolve().parent / "static"
_SECURITY = {
    "content-security-policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
                               "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """The server's limits: request body size, seconds per request, requests worked at once."""

    max_bytes: int = 2 * 1024 * 1024
    timeout: float = 60.0
    jobs: int = 2


class _BodyLimit:
    """Reads a request's body up to ``max_bytes`` (within ``timeout``) before the app sees it;
    larger bodies get 413 and slow ones 408, without the rest being read."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if _cross_site(headers):
            await self._refuse(scope, send, 403)
            return
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            await self._refuse(scope, send, 413)
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.limits.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    body = message.get("body", b"")
                    size += len(body)
                    if size > self.limits.max_bytes:
                        await self._refuse(scope, send, 413)
                        return
                    chunks.append(body)
                    if not message.get("more_body"):
                        break
        except TimeoutError:
            await self._refuse(scope, send, 408)
            return
        data = b"".join(chunks)
        chunks.clear()
        given = False

        async def replay() -> Message:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, status: int) -> None:
        request = Request(scope)
        reply = _limit_reply(request, status, self.limits)
        await _response(reply)(scope, _no_body, send)


def _cross_site(headers: dict[bytes, bytes]) -> bool:
    """True for a request a page of another site made a browser send (a form posted from
    elsewhere): its work would cost this server's time for nobody here. Scripts send neither
    header and are served."""
    if headers.get(b"sec-fetch-site", b"") == b"cross-site":
        return True
    origin = headers.get(b"origin")
    if origin is None or origin == b"null":
        return False
    host = headers.get(b"host", b"")
    return origin.split(b"://", 1)[-1] != host


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _lang(request: Request, form_lang: str | None = None) -> str:
    explicit = form_lang or request.query_params.get("lang")
    return negotiate(explicit, request.headers.get("accept-language"))


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _limit_reply(request: Request, status: int, limits: Limits) -> pages.Reply:
    key = {413: "error_too_large", 408: "error_timeout", 504: "error_timeout",
           503: "error_busy", 403: "error_cross_site"}.get(status, "error_internal")
    values = {"limit": limits.max_bytes // 1024} if status == 413 else {
        "limit": f"{limits.timeout:g}"}
    if _api(request):
        from .i18n import texts

        return pages.api_json(status, {"error": texts("en").t(key, **values)})
    return pages.error_page(status, _lang(request), key, **values)


def _response(reply: pages.Reply) -> Response:
    headers = {**_SECURITY, "cache-control": "no-store", **reply.headers}
    return Response(reply.body, reply.status, headers=headers, media_type=reply.media_type)


class _Server:
    """The routes, sharing the limits and the gate on work running at once."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.gate = asyncio.Semaphore(limits.jobs)
        self.static = {name: (_STATIC / name).read_bytes() for name in ("page.css", "page.js")}

    async def work(self, request: Request, fn: Any, *args: Any) -> Response:
        try:
            async with asyncio.timeout(self.limits.timeout):
                await self.gate.acquire()
        except TimeoutError:
            return _response(_limit_reply(request, 503, self.limits))
        try:
            reply = await run_limited(fn, *args, timeout=self.limits.timeout)
        except TimeLimit:
            reply = _limit_reply(request, 504, self.limits)
        except Bug as exc:
            # the bug's type and place only: its message could quote what was pasted
            sys.stderr.write(f"transcite serve: internal error: {exc}\n")
            reply = _limit_reply(request, 500, self.limits)
        finally:
            self.gate.release()
        return _response(reply)

    async def home(self, request: Request) -> Response:
        return _response(pages.form_page(_lang(request)))

    async def to_home(self, request: Request) -> Response:
        return RedirectResponse("/", status_code=303)

    async def _form_job(self, request: Request) -> tuple[Job, str, dict[str, str]]:
        form = await request.form(max_files=1, max_fields=16,
                                  max_part_size=self.limits.max_bytes)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        lang = _lang(request, values.get("ui") or values.get("lang"))
        upload = form.get("file")
        text = values.get("text", "")
        name = None
        notes: list[Any] = []
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            await form.close()
            if data:
                name = Path(upload.filename.replace("\\", "/")).name[:120] or "upload"
                text, note = decode_upload(data, name)      # InputError: not text
                notes = list(note)
        job = Job(text=text.replace("\r\n", "\n"), source=name or "pasted", file_name=name,
                  profile=values.get("profile", "scopus"), style=values.get("style") or None,
                  view=values.get("view") or "dual", notes=notes)
        return job, lang, values

    async def format(self, request: Request) -> Response:
        try:
            job, lang, _values = await self._form_job(request)
        except InputError as exc:
            return _response(pages.input_error_page(_lang(request), str(exc)))
        return await self.work(request, pages.page_format, job, lang)

    async def download(self, request: Request) -> Response:
        try:
            job, lang, values = await self._form_job(request)
        except InputError as exc:
            return _response(pages.input_error_page(_lang(request), str(exc)))
        return await self.work(request, pages.page_download, job, values.get("to", ""), lang)

    async def _json_job(self, request: Request) -> tuple[Job | None, dict[str, Any], Response
                                                         | None]:
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return None, {}, _response(pages.api_json(400, {"error": f"the body is not JSON: "
                                                                     f"{exc}"}))
        if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
            return None, {}, _response(pages.api_json(
                400, {"error": "send a JSON object with 'text' (a string)"}))
        fields = {k: data.get(k) for k in ("profile", "style", "view", "format", "to")}
        for key, value in fields.items():
            if value is not None and not isinstance(value, str):
                return None, {}, _response(pages.api_json(
                    400, {"error": f"'{key}' must be a string"}))
        job = Job(text=data.get("text", ""), source=str(data.get("source") or "pasted")[:120],
                  format=fields["format"],
                  profile=fields["profile"] if "profile" in data else "scopus",
                  style=fields["style"], view=fields["view"] or "dual")
        return job, fields, None

    async def api_format(self, request: Request) -> Response:
        job, _fields, refused = await self._json_job(request)
        if refused is not None or job is None:
            return refused or Response(status_code=400)
        return await self.work(request, pages.api_format, job)

    async def api_parse(self, request: Request) -> Response:
        job, fields, refused = await self._json_job(request)
        if refused is not None or job is None:
            return refused or Response(status_code=400)
        return await self.work(request, pages.api_parse, job, fields.get("to"))

    async def api_help(self, request: Request) -> Response:
        c = choices()
        return _response(pages.api_json(200, {
            "format": {"POST": "/api/format", "body": {"text": "the references", "profile":
                       "a profile name ('' for none; default scopus)", "style": "a style name",
                       "view": list(c.views), "format": "a reader name (default: sniffed, "
                       "else a pasted reference list)"}},
            "parse": {"POST": "/api/parse", "body": {"text": "the references", "format":
                      "a reader name", "to": "a writer name (default: CSL-JSON items)"}},
            "profiles": [n for n, _ in c.profiles], "styles": [n for n, _ in c.styles],
            "aliases": c.aliases, "views": list(c.views),
            "writers": [n for n, _, _ in c.writers],
            "limits": {"max_bytes": self.limits.max_bytes, "timeout": self.limits.timeout}}))

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static:
            return Response("not found", 404, media_type="text/plain")
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return Response(self.static[name], headers={**_SECURITY,
                        "cache-control": "max-age=3600"}, media_type=f"{media}; charset=utf-8")


def create_app(limits: Limits | None = None, *, allowed_hosts: list[str] | None = None
               ) -> ASGIApp:
    """The application. ``allowed_hosts`` (Host header values, ``*`` for any) guards a server
    bound to the loopback against pages of other sites reaching it by DNS rebinding."""
    server = _Server(limits or Limits())
    routes = [
        Route("/", server.home, methods=["GET"]),
        Route("/format", server.to_home, methods=["GET"]),
        Route("/format", server.format, methods=["POST"]),
        Route("/download", server.download, methods=["POST"]),
        Route("/api", server.api_help, methods=["GET"]),
        Route("/api/format", server.api_format, methods=["POST"]),
        Route("/api/parse", server.api_parse, methods=["POST"]),
        Route("/static/{name}", server.asset, methods=["GET"]),
    ]
    app: ASGIApp = Starlette(routes=routes)
    app = GZipMiddleware(app, minimum_size=2048)
    app = _BodyLimit(app, server.limits)
    if allowed_hosts and "*" not in allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app = TrustedHostMiddleware(app, allowed_hosts=allowed_hosts)
    return app


def warm() -> None:
    """Load what every request needs once, in the server, so that each forked request starts
    with it: the parser's model, the profiles, every profile's styles and the locales."""
    from .service import format_job

    offered = choices()
    sample = ("1. Батин Ю. Россия предложила Японии построить мост Хоккайдо-Сахалин // "
              "Российская газета. 2017. 6 сентября.\n"
              "2. Streltsov D.V. Russian-Japanese relations. Russian Japanology Review. "
              "2018;1(1):110-119.\n"
              "3. Inozemtsev V. (2017) Kitai glavnaya ugroza dlya mirovoi ekonomiki [China is "
              "the main threat to the global economy]. Ekho Moskvy. 14 January.\n")
    for name, _title in offered.profiles:      # every profile's styles parsed once, here
        format_job(Job(text=sample, profile=name))
    format_job(Job(text=sample, profile=None))
