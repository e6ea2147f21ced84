"""The enrollment slip on screen (QR code beside its text), saved as PDF or printed.

The slip is made the way `outreach slip` makes it (outreach_tui.slips: content, signed payload,
PDF, ESC/POS, CUPS), signed with the device key that the unlocked data key opens. Making,
saving and printing run in thread workers: key files, PDF rendering and printers are slow.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Label, Static

from outreach_tui.domain.i18n import os_reason
from outreach_tui.safefile import (
    OutputRefused,
    atomic_write_bytes,
    check_output,
    laptop_protected,
)
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.widgets.footer import KeyFooter
from outreach_tui.widgets.qr import QRCode

PRINTER_META = "tui.slip_printer"  # the last printer a slip went to (kept in the store)
RECEIPT_SIZE = "58mm"
PAPER_SIZE = "a6"


def default_folder(data_dir: Path) -> Path:
    """Where slips are saved unless the officer names another folder."""
    return data_dir / "slips"


def write_file(path: Path, data: bytes) -> None:
    """Write atomically and privately (0600): a half-written slip never replaces a good one."""
    atomic_write_bytes(path, data)


def default_cups_printer() -> str:
    """The system's default CUPS printer, or '' when there is none (or no CUPS)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return ""
    try:
        done = subprocess.run([lpstat, "-d"], capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    _, sep, name = done.stdout.strip().partition(": ")
    return name.strip() if done.returncode == 0 and sep else ""


class SlipPreviewScreen(OutreachScreen):
    """One participant's slip: scan the QR off the screen, save the PDF or print it."""

    CSS_PATH = "record_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back"),
        Binding("f9", "save_pdf", "key.slip_pdf"),
        Binding("f10", "print", "key.slip_print"),
    ]

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.slip: Any = None  # outreach_tui.slips.content.Slip once made
        self.title_text = ""

    def _slip_text(self) -> str:
        if self.slip is None:
            return self.t("slip_preview.making")
        from outreach_tui.slips.text import text_lines

        return "\n".join(text_lines(self.slip))

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="slip-body"):
            yield Static(self.title_text, id="slip-title", markup=False)
            with Horizontal(id="slip-row"):
                yield QRCode(self.slip.payload if self.slip else "", id="slip-qr")
                yield Static("", id="slip-qr-small", markup=False)
                yield Static(self._slip_text(), id="slip-text", markup=False)
        with Vertical(id="slip-actions"):
            with Horizontal(id="slip-targets"):
                with Vertical(classes="slip-target"):
                    yield Label(self.t("slip_preview.folder"), classes="slip-target-label")
                    folder = str(default_folder(self.session.paths.data_dir))
                    yield Input(folder, id="slip-folder")
                with Vertical(classes="slip-target"):
                    yield Label(self.t("slip_preview.printer"), classes="slip-target-label")
                    yield Input(id="slip-printer")
            yield Static("", id="slip-message", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Make the slip (in a thread) and remember the last printer used."""
        if not self.session.is_unlocked:
            return
        record = self.session.store.get_record(self.record_id)
        if record is not None:  # what the centre said of the payments: the slip says it too
            record["arrears"] = self.session.store.arrears_of(self.record_id)
        printer = self.session.store.get_meta(PRINTER_META) or ""
        self.query_one("#slip-printer", Input).value = printer
        if record is None:
            self._say(self.t("detail.not_found", record_id=self.record_id), error=True)
            return
        name = str(record.get("full_name") or "-")
        self.title_text = self.t("slip_preview.title", name=name)
        self.query_one("#slip-title", Static).update(self.title_text)
        self._make(record, self.session.data_key, not printer)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#slip-message", Static)
        message.set_class(error, "field-error")
        message.update(text)

    def _slip_error(self, key: str, params: dict[str, Any]) -> str:
        params = dict(params)
        if key == "slip.status_not_allowed":
            params["status"] = self.t(f"label.status.{params.get('status')}")
        return self.t(key, **params)

    # -- making the slip ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="slip-make")
    def _make(self, record: dict[str, Any], data_key: bytes, find_printer: bool) -> None:
        from outreach_tui.slips.content import make_slip
        from outreach_tui.slips.keys import KeyFileError, ensure_device_key, new_device_id
        from outreach_tui.slips.payload import SlipError

        paths = self.session.paths
        try:
            key = ensure_device_key(paths, data_key=data_key, device_id=new_device_id())
            slip = make_slip(
                record,
                self.session.settings,
                key,
                issued=self.session.today(),
                lang=self.session.lang,
            )
        except SlipError as exc:
            self.app.call_from_thread(self._say, self._slip_error(exc.key, exc.params), error=True)
            return
        except (KeyFileError, OSError) as exc:
            path = str(getattr(exc, "path", None) or paths.keys_dir)
            reason = getattr(exc, "reason", None) or os_reason(exc, self.session.lang)
            text = self.t("slip.key_unreadable", path=path, reason=reason)
            self.app.call_from_thread(self._say, text, error=True)
            return
        printer = default_cups_printer() if find_printer else ""
        self.app.call_from_thread(self._show, slip, printer)

    def _show(self, slip: Any, printer: str) -> None:
        self.slip = slip
        self.query_one("#slip-qr", QRCode).data = slip.payload
        self.query_one("#slip-text", Static).update(self._slip_text())
        self.call_after_refresh(self._fit_qr)
        box = self.query_one("#slip-printer", Input)
        if printer and not box.value:
            box.value = printer

    def on_resize(self) -> None:
        """A smaller or larger window: show the whole code, or say why it is not shown."""
        self.call_after_refresh(self._fit_qr)

    def _fit_qr(self) -> None:
        """A QR code cut by the window's edge is worse than none (a phone may read a wrong
        part or nothing): the code shows only when all of it fits, else what size it needs."""
        code = self.query_one("#slip-qr", QRCode)
        lines = code.lines
        if not lines:
            return
        body = self.query_one("#slip-body")
        title = self.query_one("#slip-title").outer_size.height
        room_h = body.scrollable_content_region.height - title
        room_w = body.scrollable_content_region.width - 4  # the row's padding
        fits = len(lines) <= room_h and len(lines[0]) <= room_w
        code.display = fits
        note = self.query_one("#slip-qr-small", Static)
        note.display = not fits
        if not fits:
            need_w = self.app.size.width + max(0, len(lines[0]) - room_w)
            need_h = self.app.size.height + max(0, len(lines) - room_h)
            note.update(self.t("slip_preview.qr_too_small", width=need_w, height=need_h))

    # -- PDF ----------------------------------------------------------------------------------
    def action_save_pdf(self) -> None:
        """Write the slip as a PDF into the folder shown (the data folder unless changed)."""
        if self.slip is None:
            self._say(self.t("slip_preview.not_ready"), error=True)
            return
        folder = self.query_one("#slip-folder", Input).value.strip()
        if not folder:
            self._say(self.t("slip_preview.no_folder"), error=True)
            return
        path = Path(folder).expanduser() / f"slip-{self.slip.reference}.pdf"
        try:
            check_output(path, **laptop_protected(self.session.paths))
        except OutputRefused as exc:
            self._say(
                self.t(exc.code, option=self.t("slip_preview.folder").rstrip(":")), error=True
            )
            return
        self._say(self.t("slip_preview.saving"))
        self._save_pdf(self.slip, path)

    @work(thread=True, exclusive=True, group="slip-output")
    def _save_pdf(self, slip: Any, path: Path) -> None:
        from outreach_tui.slips.pdf import render_pdf

        try:
            write_file(path, render_pdf([slip], PAPER_SIZE))
        except OSError as exc:
            reason = os_reason(exc, self.session.lang)
            text = self.t("slip.write_failed", path=str(path), reason=reason)
            self.app.call_from_thread(self._say, text, error=True)
            return
        text = self.t("slip.written", reference=slip.reference, path=str(path))
        self.app.call_from_thread(self._say, text)

    # -- printer ------------------------------------------------------------------------------
    def action_print(self) -> None:
        """Send the slip to the printer named in the Printer box (receipt or CUPS)."""
        if self.slip is None:
            self._say(self.t("slip_preview.not_ready"), error=True)
            return
        printer = self.query_one("#slip-printer", Input).value.strip()
        if not printer:
            self._say(self.t("slip_preview.no_printer"), error=True)
            return
        self._say(self.t("slip_preview.printing", printer=printer))
        self._print(self.slip, printer)

    @work(thread=True, exclusive=True, group="slip-output")
    def _print(self, slip: Any, printer: str) -> None:
        from outreach_tui.slips.printers import (
            PrinterError,
            parse_address,
            print_escpos,
            print_with_cups,
        )

        try:
            address = parse_address(printer)
            if address.kind != "cups":
                print_escpos(slip, address, RECEIPT_SIZE)
            else:
                from outreach_tui.slips.pdf import render_pdf

                with tempfile.TemporaryDirectory(prefix="outreach-slip-") as folder:
                    path = Path(folder) / f"slip-{slip.reference}.pdf"
                    path.write_bytes(render_pdf([slip], PAPER_SIZE))
                    print_with_cups(path, address.text)
        except PrinterError as exc:
            text = self._slip_error(exc.key, exc.params)
            self.app.call_from_thread(self._say, text, error=True)
            return
        except OSError as exc:
            text = self.t("slip.printer.unreachable", printer=printer, reason=str(exc))
            self.app.call_from_thread(self._say, text, error=True)
            return
        self.app.call_from_thread(self._printed, slip.reference, printer)

    def _printed(self, reference: str, printer: str) -> None:
        if self.session.is_unlocked:
            self.session.store.set_meta(PRINTER_META, printer)
        self._say(self.t("slip.sent", reference=reference, printer=printer))

    def action_back(self) -> None:
        """Back to the record."""
        self.dismiss()
