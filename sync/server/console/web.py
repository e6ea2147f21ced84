"""The branch console's pages: server-rendered HTML (Jinja2), forms that work without JS.

Every page needs a signed-in staff member (a session cookie: HttpOnly, SameSite=Strict, Secure
under TLS) and shows only the staff member's branch; every form carries the session's CSRF
token; admins manage devices and staff, supervisors work the queue. Pages are in Bahasa
Indonesia unless the person chose English (`?lang=en`, kept in a cookie). The page
machinery is in `pages.py`, the devices' data and the setup-code exchange in `devices.py`.
"""

import hmac
import logging
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from outreach_tui.domain.i18n import translate
from sync.server.central import utc_stamp
from sync.server.console import records, reviews
from sync.server.console.devices import branch_devices
from sync.server.console.pages import (
    PREFIX,
    SESSION_COOKIE,
    Csrf,
    NotSignedIn,
    page_language,
    render,
    stylesheet_text,
)
from sync.server.console.receipts import rejected_items
from sync.server.console.store import ConsoleStore, Refused, SignedIn

logger = logging.getLogger("sync.server.console")


def make_console_router(console: ConsoleStore) -> APIRouter:
    """The console's routes over one `ConsoleStore`."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    storage = console.storage

    def signed_in(request: Request) -> SignedIn:
        who = console.session(request.cookies.get(SESSION_COOKIE))
        if who is None:
            raise NotSignedIn()
        return who

    def checked(request: Request, who: SignedIn, csrf: str) -> None:
        if not hmac.compare_digest(csrf.encode(), who.csrf.encode()):
            raise Refused("console.csrf")

    def admin(who: SignedIn) -> None:
        """Devices, staff, targets and reports: an admin's (a 403 page for a supervisor)."""
        if not who.staff.is_admin:
            raise Refused("console.admin_only")

    Who = Annotated[SignedIn, Depends(signed_in)]

    def back(where: str, message: str = "", error: bool = False) -> RedirectResponse:
        query = f"?msg={quote(message)}" + ("&err=1" if error else "") if message else ""
        return RedirectResponse(f"{PREFIX}{where}{query}", status_code=303)

    def not_found(request: Request, who: SignedIn, key: str) -> Response:
        """A 404 page saying what is not there (in the staff member's branch)."""
        gone = translate(key, page_language(request))
        return render(request, "error.html", 404, who=who, error=True, message=gone)

    def said(request: Request) -> dict[str, Any]:
        """The message a redirect carries: only `console.*` keys are shown (never free text)."""
        key = request.query_params.get("msg", "")
        if not key.startswith("console."):
            return {"message": "", "error": False}
        lang = page_language(request)
        text = translate(key, lang)
        return {
            "message": "" if text == key else text,
            "error": bool(request.query_params.get("err")),
        }

    def refused(request: Request, exc: Refused) -> str:
        return translate(exc.key, page_language(request), **exc.params)

    # -- signing in -----------------------------------------------------------------------------
    @router.get("/signin")
    def signin_page(request: Request) -> HTMLResponse:
        return render(request, "signin.html", message="", error=False, username="")

    @router.post("/signin")
    def signin(
        request: Request,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
    ) -> Response:
        if not username.strip() or not password:
            message = translate("console.signin.missing", page_language(request))
            return render(request, "signin.html", 422, message=message, error=True,
                          username=username)  # fmt: skip
        try:
            _, token = console.sign_in(username, password)
        except Refused as exc:
            return render(request, "signin.html", 401, message=refused(request, exc),
                          error=True, username=username)  # fmt: skip
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, httponly=True, samesite="strict", path=PREFIX,
            secure=request.url.scheme == "https",
        )  # fmt: skip
        return response

    @router.get("/welcome")
    def welcome_page(request: Request) -> HTMLResponse:
        return render(request, "welcome.html", message="", error=False, username="")

    @router.post("/welcome")
    def welcome(
        request: Request,
        username: Annotated[str, Form(max_length=64)] = "",
        code: Annotated[str, Form(max_length=32)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        again: Annotated[str, Form(max_length=256)] = "",
    ) -> Response:
        lang = page_language(request)
        try:
            if password != again:
                raise Refused("console.password.mismatch")
            console.set_password(username, code, password)
        except Refused as exc:
            return render(request, "welcome.html", 422, message=refused(request, exc),
                          error=True, username=username)  # fmt: skip
        message = translate("console.password.set", lang)
        return render(request, "signin.html", message=message, error=False, username=username)

    @router.post("/signout")
    def signout(request: Request, who: Who, csrf: Csrf = "") -> Response:
        checked(request, who, csrf)
        console.sign_out(request.cookies.get(SESSION_COOKIE, ""))
        console.audit(who.staff, "sign_out")
        response = RedirectResponse(f"{PREFIX}/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    # -- overview -------------------------------------------------------------------------------
    def overview_page(
        request: Request, who: SignedIn, status: int = 200, **message: Any
    ) -> HTMLResponse:
        from sync.server.console.overview import branch_overview

        figures = branch_overview(console, who.staff.branch, console.now().date())
        queue = reviews.count_open(console, who.staff.branch)
        return render(
            request, "overview.html", status, who=who, figures=figures, queue=queue,
            **(message or said(request)),
        )  # fmt: skip

    @router.get("/")
    def overview(request: Request, who: Who) -> HTMLResponse:
        return overview_page(request, who)

    @router.post("/targets")
    def targets(
        request: Request, who: Who,
        officer_id: Annotated[str, Form(max_length=64)] = "",
        month: Annotated[str, Form(max_length=16)] = "",
        target: Annotated[str, Form(max_length=16)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        from sync.server.console.overview import set_target

        checked(request, who, csrf)
        try:
            set_target(console, who.staff, officer_id, month, target)
        except Refused as exc:
            if exc.key == "console.admin_only":
                raise
            return overview_page(request, who, 422, message=refused(request, exc), error=True)
        return back("/", "console.target.saved")

    # -- review queue ---------------------------------------------------------------------------
    def review_page(
        request: Request, who: SignedIn, status: int = 200, **message: Any
    ) -> HTMLResponse:
        branch = who.staff.branch
        return render(
            request, "review.html", status, who=who,
            items=reviews.open_duplicates(console, branch),
            waiting=reviews.sent_back(console, branch), rejected=rejected_items(console, branch),
            **(message or said(request)),
        )  # fmt: skip

    def review_refused(request: Request, who: SignedIn, exc: Refused) -> HTMLResponse:
        """The queue again, saying why (409: someone decided first; 422: the input)."""
        status = 409 if exc.key in ("console.review.already_decided", "console.review.changed",
                                    "console.review.not_flagged") else 422  # fmt: skip
        return review_page(request, who, status, message=refused(request, exc), error=True)

    @router.get("/review")
    def review(request: Request, who: Who) -> HTMLResponse:
        return review_page(request, who)

    @router.post("/review/decide")
    def decide(
        request: Request, who: Who,
        record_id: Annotated[str, Form(max_length=64)] = "",
        version: Annotated[int, Form(ge=1)] = 1,
        decision: Annotated[str, Form(max_length=32)] = "",
        comment: Annotated[str, Form(max_length=2000)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        try:
            reviews.decide(console, who.staff, record_id, version, decision, comment)
        except Refused as exc:
            return review_refused(request, who, exc)
        return back("/review", "console.review.decided")

    @router.post("/review/issue")
    def issue(
        request: Request, who: Who,
        record_id: Annotated[str, Form(max_length=64)] = "",
        version: Annotated[int, Form(ge=1)] = 1,
        comment: Annotated[str, Form(max_length=2000)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        try:
            reviews.mark_issue(console, who.staff, record_id, version, comment)
        except Refused as exc:
            return review_refused(request, who, exc)
        return back("/review", "console.review.marked")

    # -- records ----------------------------------------------------------------------------------
    def found(request: Request, who: SignedIn, q: str) -> records.Found:
        return records.search(console, who.staff.branch, q)

    @router.get("/records")
    def records_page(
        request: Request, who: Who, q: Annotated[str, Query(max_length=64)] = ""
    ) -> Response:
        try:
            result = found(request, who, q)
        except Refused as exc:
            return render(request, "records.html", 422, who=who, q=q, states=[], more=False,
                          message=refused(request, exc), error=True)  # fmt: skip
        return render(request, "records.html", who=who, q=q, states=result.states,
                      more=result.more, **said(request))  # fmt: skip

    @router.get("/records/export.{fmt}")
    def records_export(
        request: Request, who: Who, fmt: str, q: Annotated[str, Query(max_length=64)] = ""
    ) -> Response:
        if fmt not in ("csv", "xlsx"):
            raise Refused("console.records.bad_format")
        states = records.search(console, who.staff.branch, q, limit=records.MAX_EXPORT).states
        console.audit(who.staff, "export", detail={"format": fmt, "rows": len(states)})
        stamp = console.now().strftime("%Y%m%d-%H%M")
        name = f"outreach-{who.staff.branch}-{stamp}.{fmt}"
        if fmt == "csv":
            body, media = records.export_csv(states), "text/csv; charset=utf-8"
        else:
            body = records.export_xlsx(states)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        })  # fmt: skip

    @router.get("/records/{record_id}")
    def record_page(request: Request, who: Who, record_id: str) -> Response:
        shown = records.detail(console, who.staff.branch, record_id[:64])
        if shown is None:
            return not_found(request, who, "console.review.not_found")
        return render(request, "record.html", who=who, found=shown, **said(request))

    @router.post("/records/{record_id}/paid")
    def record_paid(
        request: Request, who: Who, record_id: str,
        months: Annotated[int, Form(ge=1, le=12)] = 1,
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        try:
            result = records.record_payment(console, who.staff, record_id[:64], months)
        except Refused as exc:
            shown = records.detail(console, who.staff.branch, record_id[:64])
            if shown is None:
                return back("/records", exc.key, error=True)
            return render(request, "record.html", 422, who=who, found=shown,
                          message=refused(request, exc), error=True)  # fmt: skip
        key = f"console.paid.{result.outcome}"
        ok = result.outcome in ("paid", "reactivated")
        return back(f"/records/{result.record_id}", key, error=not ok)

    @router.get("/arrears")
    def arrears_page(request: Request, who: Who) -> Response:
        from sync.server.arrears import arrears_list

        listed = arrears_list(console, who.staff.branch, console.now().date())
        names = {s.record_id: s for s in (console.storage.record(r["record_id"]) for r in listed)
                 if s is not None}  # fmt: skip
        per_officer: dict[str, int] = {}
        per_place: dict[str, int] = {}
        for row in listed:
            per_officer[row["officer_id"]] = per_officer.get(row["officer_id"], 0) + 1
            place = f"{row['region_code'] or '-'} RW {row['rw'] or '-'}"
            per_place[place] = per_place.get(place, 0) + 1
        return render(request, "arrears.html", who=who, listed=listed, states=names,
                      per_officer=sorted(per_officer.items()),
                      per_place=sorted(per_place.items()), **said(request))  # fmt: skip

    @router.get("/groups")
    def groups_page(request: Request, who: Who) -> Response:
        from sync.server.console.groups import branch_events, branch_groups

        branch = who.staff.branch
        return render(request, "groups.html", who=who, groups=branch_groups(console, branch),
                      events=branch_events(console, branch), **said(request))  # fmt: skip

    @router.get("/events/{event_id}")
    def event_page(request: Request, who: Who, event_id: str) -> Response:
        from sync.server.console.groups import event_attendees

        found = event_attendees(console, who.staff.branch, event_id[:64])
        if found is None:
            return not_found(request, who, "console.event.not_found")
        return render(request, "event.html", who=who, found=found, **said(request))

    # -- sync receipts ----------------------------------------------------------------------------
    @router.get("/receipts")
    def receipts_page(
        request: Request, who: Who,
        q: Annotated[str, Query(max_length=64)] = "",
        device: Annotated[str, Query(max_length=64)] = "",
    ) -> Response:  # fmt: skip
        from sync.server.console.receipts import receipts

        branch = who.staff.branch
        names: dict[str, str] = {}
        status, message = 200, {}
        if q.strip():
            try:
                states = records.search(console, branch, q).states
            except Refused as exc:
                states, status = [], 422
                message = {"message": refused(request, exc), "error": True}
            names = {s.record_id: str(s.record.get("full_name") or "-") for s in states}
        shown = (
            receipts(console, branch, device_id=device, record_ids=list(names))
            if names or not q.strip() else []
        )  # fmt: skip
        return render(request, "receipts.html", status, who=who, q=q, device=device,
                      devices=branch_devices(console, branch), receipts=shown, names=names,
                      **(message or said(request)))  # fmt: skip

    # -- devices --------------------------------------------------------------------------------
    def devices_page(request: Request, who: SignedIn, **extra: Any) -> HTMLResponse:
        branch = who.staff.branch
        extra.setdefault("new_code", None)
        return render(
            request, "devices.html", who=who, devices=branch_devices(console, branch),
            codes=console.pending_codes(branch), **{**said(request), **extra},
        )  # fmt: skip

    @router.get("/devices")
    def devices(request: Request, who: Who) -> HTMLResponse:
        return devices_page(request, who)

    @router.post("/devices/code")
    def device_code(
        request: Request, who: Who,
        officer_id: Annotated[str, Form(max_length=64)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        admin(who)
        try:
            code = console.new_setup_code(who.staff, officer_id)
        except Refused as exc:
            return back("/devices", exc.key, error=True)
        return devices_page(request, who, new_code=code, officer_id=officer_id.strip())

    @router.post("/devices/revoke")
    def revoke(
        request: Request, who: Who,
        device_id: Annotated[str, Form(max_length=64)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        admin(who)
        device = storage.device(device_id)
        if device is None or device.branch != who.staff.branch:
            return back("/devices", "console.device.not_found", error=True)
        storage.revoke_device(device_id, utc_stamp())
        console.audit(who.staff, "device_revoked", detail={"device_id": device_id})
        return back("/devices", "console.device.revoked")

    @router.get("/devices/{device_id}/report.csv")
    def device_report_csv(request: Request, who: Who, device_id: str) -> Response:
        """The lost-laptop report: what the device held (ids, fields, no values), admins only."""
        import io

        from sync.server.device_report import device_report, write_csv

        admin(who)
        device = storage.device(device_id[:64])
        if device is None or device.branch != who.staff.branch:
            return not_found(request, who, "console.device.not_found")
        report = device_report(storage, device.device_id)
        assert report is not None
        out = io.StringIO()
        write_csv(report, out)
        console.audit(who.staff, "device_report", detail={"device_id": device.device_id})
        name = f"device-report-{device.device_id[:8]}.csv"
        return Response(out.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})  # fmt: skip

    # -- staff (admins) ---------------------------------------------------------------------------
    def staff_page(request: Request, who: SignedIn, status: int = 200, **extra: Any) -> Response:
        accounts = console.branch_staff(who.staff.branch)
        extra.setdefault("new_code", None)
        return render(request, "staff.html", status, who=who, accounts=accounts,
                      **{**said(request), **extra})  # fmt: skip

    @router.get("/staff")
    def staff(request: Request, who: Who) -> Response:
        admin(who)
        return staff_page(request, who)

    @router.post("/staff/add")
    def staff_add(
        request: Request, who: Who,
        username: Annotated[str, Form(max_length=64)] = "",
        role: Annotated[str, Form(max_length=16)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        admin(who)
        try:
            code = console.add_staff(who.staff.branch, username, role,
                                     by=f"staff:{who.staff.username}")  # fmt: skip
        except Refused as exc:
            return staff_page(request, who, 422, message=refused(request, exc), error=True)
        return staff_page(request, who, new_code=code, new_username=username.strip().lower())

    @router.post("/staff/code")
    def staff_code(
        request: Request, who: Who,
        username: Annotated[str, Form(max_length=64)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        admin(who)
        target = console.staff(username)
        if target is None or target.branch != who.staff.branch:
            unknown = translate("console.staff.unknown", page_language(request))
            return staff_page(request, who, 404, error=True, message=unknown)
        code = console.new_staff_code(target.username, by=f"staff:{who.staff.username}")
        return staff_page(request, who, new_code=code, new_username=target.username)

    @router.post("/staff/disable")
    def staff_disable(
        request: Request, who: Who,
        username: Annotated[str, Form(max_length=64)] = "",
        csrf: Csrf = "",
    ) -> Response:  # fmt: skip
        checked(request, who, csrf)
        admin(who)
        try:
            console.disable_staff(username, by=who.staff)
        except Refused as exc:
            return staff_page(request, who, 422, message=refused(request, exc), error=True)
        return back("/staff", "console.staff.disabled_done")

    # -- audit log ------------------------------------------------------------------------------
    @router.get("/audit")
    def audit(request: Request, who: Who) -> HTMLResponse:
        return render(request, "audit.html", who=who,
                      entries=console.audit_log(who.staff.branch))  # fmt: skip

    @router.get("/static/console.css")
    def stylesheet() -> Response:
        return Response(stylesheet_text(), media_type="text/css",
                        headers={"Cache-Control": "max-age=3600"})  # fmt: skip

    return router
