"""`outreach slip`, `outreach slips`, `outreach slip-verify` and `outreach slip-key`.

Enrollment slips with a signed QR code: made for one participant (PDF, PNG, ESC/POS or text),
for many at once (one PDF), checked again from the code's text or a photo of it, and the device
key that signs them shown or others' keys trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import click

from outreach_tui.commands.common import (
    Context,
    fail,
    os_reason,
    output_file,
    pass_context,
    safe_output,
)
from outreach_tui.domain import bounded
from outreach_tui.domain.reference import normalize_region_code
from outreach_tui.slips import keyring as keyring_module
from outreach_tui.slips.content import Slip, make_slip
from outreach_tui.slips.keys import (
    DeviceKey,
    KeyFileError,
    ensure_device_key,
    export_public_key,
    new_device_id,
    private_key_path,
)
from outreach_tui.slips.layout import RECEIPT_SIZES, SIZES
from outreach_tui.slips.payload import SLIP_STATUSES, SlipError, verify_payload
from outreach_tui.slips.printers import Address, PrinterError, parse_address
from outreach_tui.slips.report import describe, select_records, verification_json

FORMATS: tuple[str, ...] = ("pdf", "png", "escpos", "text")
_EXTENSIONS = {"pdf": "pdf", "png": "png", "escpos": "bin", "text": "txt"}


def _stop(ctx: Context, exc: SlipError | PrinterError, code: int = 1) -> NoReturn:
    params = dict(exc.params)
    if exc.key == "slip.status_not_allowed":
        params["status"] = ctx.t(f"label.status.{params.get('status')}")
    fail(exc.key, code=code, **params)


def _ready(ctx: Context) -> DeviceKey:
    """The officer must be set up; the device key is made on first use."""
    if not ctx.settings.is_set_up:
        fail("slip.not_set_up", code=2)
    try:
        return ensure_device_key(ctx.paths, data_key=ctx.data_key, device_id=new_device_id())
    except KeyFileError as exc:
        fail("slip.key_unreadable", code=2, path=str(exc.path), reason=exc.reason)
    except OSError as exc:
        reason = os_reason(exc)
        fail("slip.key_unreadable", code=2, path=str(private_key_path(ctx.paths)), reason=reason)


def _write_file(path: Path, data: bytes) -> None:
    """Write atomically and privately (0600): a half-written slip never replaces a good one."""
    with output_file(path, text=False) as handle:
        handle.write(data)


def _render(slip: Slip, fmt: str, size: str) -> bytes:
    if fmt == "pdf":
        from outreach_tui.slips.pdf import render_pdf

        return render_pdf([slip], size)
    if fmt == "png":
        from outreach_tui.slips.png import render_png

        return render_png(slip, size)
    if fmt == "escpos":
        from outreach_tui.slips.thermal import escpos_bytes

        return escpos_bytes(slip, size)
    from outreach_tui.slips.text import render_text

    return render_text(slip).encode("utf-8")


def _echo_text(slip: Slip) -> None:
    """The text slip on stdout; the QR code black on white when stdout is a terminal."""
    from outreach_tui.slips import qr
    from outreach_tui.slips.text import WIDTH, text_lines

    lines = qr.half_block_lines(qr.encode(slip.payload))
    pad = " " * max(0, (WIDTH - len(lines[0])) // 2)
    for line in lines:
        # click drops the colours when stdout is not a terminal (a file, a pipe).
        click.echo(pad + click.style(line, fg="black", bg="bright_white"))
    click.echo()
    for line in text_lines(slip):
        click.echo(line)


def _resolve(fmt: str | None, size: str | None, address: Address | None) -> tuple[str, str]:
    direct = address is not None and address.kind != "cups"
    fmt = fmt or ("escpos" if direct else "pdf")
    if direct and fmt != "escpos":
        raise PrinterError("slip.printer.needs_escpos", printer=address.text if address else "")
    if address is not None and fmt == "text":
        raise PrinterError("slip.text_no_printer")
    size = size or ("58mm" if fmt == "escpos" else "a6")
    if fmt == "escpos" and size not in RECEIPT_SIZES:
        raise PrinterError("slip.size_not_receipt", size=size)
    return fmt, size


def _send(ctx: Context, slip: Slip, data: bytes, fmt: str, size: str, address: Address) -> None:
    from outreach_tui.slips.printers import print_escpos, print_with_cups

    if address.kind != "cups":
        print_escpos(slip, address, size)
    else:
        with tempfile.TemporaryDirectory(prefix="outreach-slip-") as folder:
            path = Path(folder) / f"slip-{slip.reference}.{_EXTENSIONS[fmt]}"
            path.write_bytes(data)
            print_with_cups(path, address.text, raw=fmt == "escpos")
    click.echo(ctx.t("slip.sent", reference=slip.reference, printer=address.text), err=True)


@click.command("slip")
@click.argument("record_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Save to this file (default: text and piped output to stdout, else slip-REF.EXT).",
)
@click.option(
    "--size",
    type=click.Choice(SIZES),
    default=None,
    help="Paper: a6 (default for pdf/png) or a 58mm/80mm receipt roll (default 58mm for escpos).",
)
@click.option(
    "--printer",
    default=None,
    help="Print it: a CUPS printer name (pdf, png, escpos via lp), or an ESC/POS printer "
    "address tcp://HOST:PORT, usb:VID:PID, serial:DEVICE (escpos).",
)
@pass_context
def slip(
    ctx: Context,
    record_id: str,
    fmt: str | None,
    out: Path | None,
    size: str | None,
    printer: str | None,
) -> None:
    """Make the enrollment slip of one enrolled or active participant, with its signed QR code.

    Exit 0: slip written or printed; 1: unknown id, status without a slip, or printing failed;
    2: setup missing or a file or key cannot be used.
    """
    try:
        address = parse_address(printer) if printer is not None else None
        fmt, size = _resolve(fmt, size, address)
    except PrinterError as exc:
        _stop(ctx, exc, code=2)
    safe_output(ctx, out)
    key = _ready(ctx)
    with ctx.store() as store:
        record = store.get_record(record_id)
        if record is not None:  # an inactive participant's slip says so
            record["arrears"] = store.arrears_of(record["id"])
    if record is None:
        fail("slip.not_found", id=record_id)
    try:
        made = make_slip(record, ctx.settings, key, issued=dt.date.today(), lang=ctx.lang)
    except SlipError as exc:
        _stop(ctx, exc)
    if fmt == "text" and out is None and address is None:
        _echo_text(made)
        return
    data = _render(made, fmt, size)
    if out is not None:
        _write_file(out, data)
        click.echo(ctx.t("slip.written", reference=made.reference, path=str(out)), err=True)
    if address is not None:
        try:
            _send(ctx, made, data, fmt, size, address)
        except PrinterError as exc:
            _stop(ctx, exc)
    elif out is None:
        stdout = sys.stdout.buffer
        if stdout.isatty():
            path = Path(f"slip-{made.reference}.{_EXTENSIONS[fmt]}")
            safe_output(ctx, path)
            _write_file(path, data)
            click.echo(ctx.t("slip.written", reference=made.reference, path=str(path)), err=True)
        else:
            stdout.write(data)
            stdout.flush()


def _check_region(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = normalize_region_code(value)
    if code is None:
        raise click.BadParameter(value)
    return code


@click.command("slips")
@click.option(
    "--status",
    type=click.Choice(SLIP_STATUSES),
    default="enrolled",
    show_default=True,
    help="Participants with this status.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only participants recorded or changed on this day (YYYY-MM-DD).",
)
@click.option(
    "--region",
    callback=_check_region,
    default=None,
    help="Only this area (province, kab/kota, kecamatan or desa code).",
)
@click.option("--size", type=click.Choice(SIZES), default="a6", show_default=True, help="Paper.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF file to write (one slip per page).",
)
@pass_context
def slips(
    ctx: Context,
    status: str,
    day: dt.datetime | None,
    region: str | None,
    size: str,
    out: Path,
) -> None:
    """Put the slips of many participants into one PDF, one slip per page (a day's work).

    Exit 0: every matching participant has a slip; 1: none matched, or some were skipped
    (each named with the reason); 2: setup missing or the file cannot be written.
    """
    from outreach_tui.slips.pdf import SlipDocument

    if out.suffix.lower() != ".pdf":
        fail("slips.needs_pdf", code=2)
    safe_output(ctx, out)
    key = _ready(ctx)
    document = SlipDocument()
    skipped = 0
    issued = dt.date.today()
    with ctx.store() as store:
        for record in select_records(
            store, status=status, day=day.date() if day else None, region=region
        ):
            record = {**record, "arrears": store.arrears_of(record["id"])}
            try:
                document.add(
                    make_slip(record, ctx.settings, key, issued=issued, lang=ctx.lang), size
                )
            except SlipError as exc:
                skipped += 1
                reason = ctx.t(exc.key, **exc.params)
                record_id = str(record.get("id"))
                click.echo(ctx.t("slips.skipped", record_id=record_id, reason=reason), err=True)
    if document.pages == 0:
        fail("slips.none")
    _write_file(out, document.output())
    click.echo(ctx.t("slips.written", count=document.pages, path=str(out)))
    if skipped:
        raise SystemExit(1)


@click.command("slip-verify")
@click.argument("payload", required=False)
@click.option(
    "--image",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Read the QR code from a picture (PNG, JPEG: a scan or a phone photo).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@pass_context
def slip_verify(ctx: Context, payload: str | None, image: Path | None, as_json: bool) -> None:
    """Check a slip's QR code: is it genuine, who signed it, what it says.

    Give the code's text (BPU1:...) or --image FILE. Exit 0: valid and signed by a known key
    (this laptop's, or one learned from the central API); 1: not valid (the reason is printed);
    2: unreadable input.
    """
    if (payload is None) == (image is None):
        fail("slip.verify.both" if payload and image else "slip.verify.no_input", code=2)
    if image is not None:
        from outreach_tui.slips.decode import DecodeError, decode_image

        try:
            payload = decode_image(image)
        except DecodeError as exc:
            fail(exc.key, code=2, path=str(image), reason=exc.reason, option="--image",
                 limit_kb=exc.reason)  # fmt: skip
    assert payload is not None
    try:
        known = keyring_module.load_keyring(ctx.paths)
    except keyring_module.KeyringError as exc:
        fail("slip.keyring_unreadable", code=2, path=str(exc.path), reason=exc.reason)
    verification = verify_payload(payload, known)
    if as_json:
        click.echo(json.dumps(verification_json(verification, ctx.lang), ensure_ascii=False))
    else:
        for line in describe(verification, ctx.lang):
            click.echo(line)
    raise SystemExit(0 if verification.valid else 1)


def _read_key_file(ctx: Context, path: str) -> dict[str, Any]:
    limit = bounded.SMALL_FILE_BYTES
    try:
        text = sys.stdin.read(limit + 1) if path == "-" else bounded.read_text_bounded(path, limit)
        if len(text) > limit:
            raise bounded.InputTooLarge(Path(path), limit)
        data = json.loads(text)
    except bounded.InputTooLarge:
        fail("limits.file_too_large", code=2, option="--add", limit_kb=str(limit // 1024))
    except bounded.NotRegularFile:
        fail("limits.file_not_regular", code=2, option="--add")
    except (OSError, UnicodeDecodeError, ValueError):
        fail("slipkey.file_unreadable", code=2, path=path)
    if not isinstance(data, dict):
        fail("slipkey.file_unreadable", code=2, path=path)
    return data


@click.command("slip-key")
@click.option(
    "--add",
    "add_file",
    default=None,
    help="Trust the public key in this JSON file (another laptop's `outreach slip-key`; - reads "
    "stdin).",
)
@click.option("--list", "list_keys", is_flag=True, help="List every key this laptop trusts.")
@pass_context
def slip_key(ctx: Context, add_file: str | None, list_keys: bool) -> None:
    """Show this laptop's slip signing key as JSON (made on first use), or manage trusted keys."""
    from outreach_tui.slips.signing import KeyFormatError

    if add_file is not None:
        # Trusting a key changes what this laptop accepts as genuine: the officer unlocks first.
        _ = ctx.data_key
        info = _read_key_file(ctx, add_file)
        try:
            added = keyring_module.add_known_key(ctx.paths, {**info, "source": "manual"})
        except KeyFormatError as exc:
            fail("slipkey.invalid", code=2, reason=str(exc))
        except keyring_module.KeyringError as exc:
            fail("slip.keyring_unreadable", code=2, path=str(exc.path), reason=exc.reason)
        click.echo(ctx.t("slipkey.added", key_id=added.key_id))
        return
    if list_keys:
        try:
            known = keyring_module.load_keyring(ctx.paths)
        except keyring_module.KeyringError as exc:
            fail("slip.keyring_unreadable", code=2, path=str(exc.path), reason=exc.reason)
        click.echo(json.dumps([k.to_json() for k in known.values()], indent=2, ensure_ascii=False))
        return
    key = _ready(ctx)
    click.echo(json.dumps(export_public_key(key, ctx.settings), indent=2, ensure_ascii=False))
