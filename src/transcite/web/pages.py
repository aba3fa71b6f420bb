"""The page's HTML and the work behind each route, as functions of plain values that return a
:class:`Reply` (status, media type, body). They run in the request's child process (see
:mod:`transcite.web.limits`), so everything read from the request ends with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .i18n import LANGUAGES, Texts, texts
from .service import Choices, InputError, Job, Outcome, choices, download, format_job, parse_job

__all__ = ["Reply", "api_format", "api_json", "api_parse", "error_page", "form_page",
           "input_error_page", "page_download", "page_format"]

_HERE = Path(__file__).resolve().parent
HTML = "text/html; charset=utf-8"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a route answers: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@cache
def _env() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE / "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@dataclass(frozen=True, slots=True)
class _Error:
    title: str
    message: str


def _html(status: int, lang: str, job: Job | None, *, outcome: Outcome | None = None,
          error: _Error | None = None) -> Reply:
    t = texts(lang)
    form = {"text": job.text if job else "", "profile": job.profile if job else "scopus",
            "style": (job.style or "") if job else "", "view": job.view if job else "dual"}
    body = _env().get_template("page.html").render(
        t=t, lang=t.lang, languages=LANGUAGES, choices=_choices(), form=form,
        outcome=outcome, error=error)
    return Reply(status, HTML, body.encode("utf-8"))


def _choices() -> Choices:
    return choices()


def form_page(lang: str) -> Reply:
    """The empty form."""
    return _html(200, lang, None)


def error_page(status: int, lang: str, key: str, job: Job | None = None, **values: Any) -> Reply:
    """The form (kept as sent) with an error of the interface's own (limits, busy, bugs)."""
    t = texts(lang)
    return _html(status, lang, job, error=_Error(t.t("error_input") if status < 500 and
                                                 status != 413 else t.t("title"),
                                                 t.t(key, **values)))


def input_error_page(lang: str, message: str) -> Reply:
    """The form with a message about input that could not be used (an upload that is not text)."""
    return _html(400, lang, None, error=_Error(texts(lang).t("error_input"), message))


def page_format(job: Job, lang: str) -> Reply:
    """The result page: both lists, entry n beside entry n, every problem at its entry."""
    t: Texts = texts(lang)
    if not job.text.strip():
        return _html(400, lang, job, error=_Error(t.t("error_input"), t.t("error_empty")))
    try:
        outcome = format_job(job)
    except InputError as exc:
        return _html(400, lang, job, error=_Error(t.t("error_input"), str(exc)))
    return _html(200, lang, job, outcome=outcome)


def page_download(job: Job, to: str, lang: str) -> Reply:
    """The references read from the job, written by the writer ``to``, as an attachment."""
    t = texts(lang)
    if not job.text.strip():
        return _html(400, lang, job, error=_Error(t.t("error_input"), t.t("error_empty")))
    try:
        file = download(job, to)
    except InputError as exc:
        return _html(400, lang, job, error=_Error(t.t("error_input"), str(exc)))
    return Reply(200, file.media_type, file.body,
                 {"content-disposition": f'attachment; filename="{file.filename}"'})


def _json(status: int, value: Any) -> Reply:
    return Reply(status, JSON, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def api_format(job: Job) -> Reply:
    """``/api/format``: the lists, their entries (text and HTML) and every problem as JSON."""
    try:
        return _json(200, format_job(job).to_json())
    except InputError as exc:
        return _json(400, {"error": str(exc)})


def api_parse(job: Job, to: str | None) -> Reply:
    """``/api/parse``: the references as CSL-JSON items (or text in ``to``) and problems."""
    try:
        return _json(200, parse_job(job, to))
    except InputError as exc:
        return _json(400, {"error": str(exc)})


def api_json(status: int, value: Any) -> Reply:
    """A JSON reply (errors of the API's own: limits, bad bodies)."""
    return _json(status, value)
