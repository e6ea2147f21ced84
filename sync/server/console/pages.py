"""The console's page machinery: templates and their filters, the page language, `render`
(with the security headers every page carries), and the error pages (no session, a refusal,
bad form input) that replace the API's problem documents under `/console/`."""

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from outreach_tui.domain.i18n import translate
from sync.server.console import reviews
from sync.server.console.store import Refused

SESSION_COOKIE = "outreach_console"
LANG_COOKIE = "outreach_lang"
PREFIX = "/console"
Csrf = Annotated[str, Form(max_length=128)]  # the session's token, on every form
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["mask_nik"] = reviews.mask_nik


def _reference(record_id: str) -> str:
    from outreach_tui.slips.payload import reference_code

    try:
        return reference_code(record_id)
    except ValueError:
        return "-"


_templates.filters["reference"] = _reference
# A stored UTC stamp as people read it: `2026-12-06 20:50 UTC`.
_templates.filters["when"] = lambda stamp: f"{stamp[:10]} {stamp[11:16]} UTC" if stamp else "-"


class NotSignedIn(Exception):
    """A page asked for without a live session."""


def page_language(request: Request) -> str:
    """`?lang=` first, then the person's choice kept in a cookie; Indonesian otherwise (the
    browser's own language is not asked: office computers often run in English)."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in ("id", "en") else "id"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = page_language(request)

    def t(key: str, **params: Any) -> str:
        return translate(key, lang, **params)

    html = _templates.get_template(name).render(
        t=t, lang=lang, prefix=PREFIX, path=request.url.path, **context
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.query_params.get("lang") in ("id", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict")
    return response


def install_console_handlers(app: Any) -> None:
    """Console errors as pages: no session sends to the sign-in page, a refusal (a CSRF
    mismatch, a supervisor at an admin's form) is a 403 page, bad form input a 422 page naming
    the fields. Other paths keep the API's problem documents."""
    from fastapi.exceptions import RequestValidationError

    api_invalid = app.exception_handlers.get(RequestValidationError)

    async def not_signed_in(request: Request, exc: Exception) -> Response:
        return RedirectResponse(f"{PREFIX}/signin", status_code=303)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        message = translate(exc.key, page_language(request), **exc.params)
        return render(request, "error.html", 403, message=message, error=True, who=None)

    async def invalid(request: Request, exc: Exception) -> Response:
        if not request.url.path.startswith(PREFIX) or api_invalid is None:
            assert api_invalid is not None
            return await api_invalid(request, exc)
        assert isinstance(exc, RequestValidationError)
        lang = page_language(request)
        names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        fields = ", ".join(translate(f"console.field.{n}", lang) for n in names[:10])
        message = translate("console.form.invalid", lang, fields=fields)
        return render(request, "error.html", 422, message=message, error=True, who=None)

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(RequestValidationError, invalid)


@cache
def stylesheet_text() -> str:
    """The console's one stylesheet (read once)."""
    return (Path(__file__).parent / "templates" / "console.css").read_text(encoding="utf-8")
