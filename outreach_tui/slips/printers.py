"""Getting a slip onto paper: a CUPS printer by name (`lp`), or an ESC/POS printer by address.

Addresses: `tcp://HOST[:PORT]` (a network receipt printer, raw port 9100 by default),
`usb:VID:PID` (hex ids, needs `python-escpos[usb]`), `serial:DEVICE[@BAUD]` (needs
`python-escpos[serial]`); anything else is a CUPS printer name. Every failure is a PrinterError
carrying a translation key, so the officer reads what to do, not a traceback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outreach_tui.slips.content import Slip
from outreach_tui.slips.thermal import write_slip

DEFAULT_TCP_PORT = 9100
TIMEOUT_SECONDS = 15
_TCP = re.compile(r"tcp://(?P<host>\[[0-9a-fA-F:.]+\]|[^:/\s]+)(?::(?P<port>[0-9]{1,5}))?/?")
_USB = re.compile(r"usb:(?P<vendor>(?:0x)?[0-9a-fA-F]{1,4}):(?P<product>(?:0x)?[0-9a-fA-F]{1,4})")
_SERIAL = re.compile(r"serial:(?P<device>[^@\s]+)(?:@(?P<baud>[0-9]{3,7}))?")
_CUPS_NAME = re.compile(r"[^\s/#]{1,127}")


class PrinterError(Exception):
    """Printing did not happen; `key` and `params` make the message for the officer."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed printer address: `kind` is cups, tcp, usb or serial."""

    kind: str
    text: str
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    vendor: int = 0
    product: int = 0
    device: str = ""
    baud: int = 9600


def parse_address(text: str) -> Address:
    """The printer behind `--printer`; PrinterError for an address that cannot be one."""
    text = text.strip()
    if match := _TCP.fullmatch(text):
        port = int(match["port"] or DEFAULT_TCP_PORT)
        if not 0 < port < 65536:
            raise PrinterError("slip.printer.bad_address", printer=text)
        return Address("tcp", text, host=match["host"].strip("[]"), port=port)
    if match := _USB.fullmatch(text):
        return Address(
            "usb", text, vendor=int(match["vendor"], 16), product=int(match["product"], 16)
        )
    if match := _SERIAL.fullmatch(text):
        return Address("serial", text, device=match["device"], baud=int(match["baud"] or 9600))
    if "://" in text or text.startswith(("usb:", "serial:")) or not _CUPS_NAME.fullmatch(text):
        raise PrinterError("slip.printer.bad_address", printer=text)
    return Address("cups", text)


def _escpos_printer(address: Address) -> Any:
    """A python-escpos printer object for a tcp, usb or serial address."""
    from escpos import printer

    if address.kind == "tcp":
        return printer.Network(address.host, address.port, timeout=TIMEOUT_SECONDS)
    extra = "usb" if address.kind == "usb" else "serial"
    kind = printer.Usb if address.kind == "usb" else printer.Serial
    if not kind.is_usable():
        raise PrinterError("slip.printer.extra_missing", kind=address.kind.upper(), extra=extra)
    if address.kind == "usb":
        return printer.Usb(address.vendor, address.product)
    return printer.Serial(address.device, baudrate=address.baud)


def print_escpos(slip: Slip, address: Address, size: str) -> None:
    """Print one slip on an ESC/POS printer reached directly (network, USB or serial)."""
    from escpos.exceptions import Error as EscposError

    device = _escpos_printer(address)
    try:
        device.open()
        write_slip(device, slip, size)
    except (OSError, EscposError) as exc:
        raise PrinterError(
            "slip.printer.unreachable", printer=address.text, reason=_reason(exc)
        ) from exc
    finally:
        device.close()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text or type(exc).__name__)[:200]


def print_with_cups(path: Path, printer: str, *, raw: bool = False) -> str:
    """Queue `path` on CUPS printer `printer` with `lp`; returns lp's answer (the job id).

    `raw` sends the bytes untouched (an ESC/POS job for a receipt printer queue).
    """
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError("slip.printer.lp_missing")
    lpstat = shutil.which("lpstat")
    if lpstat is not None:
        known = subprocess.run(
            [lpstat, "-p", printer], capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
        if known.returncode != 0:
            raise PrinterError("slip.printer.not_configured", printer=printer)
    command = [lp, "-d", printer, *(["-o", "raw"] if raw else []), "--", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrinterError("slip.printer.failed", printer=printer, reason=_reason(exc)) from exc
    if done.returncode != 0:
        message = done.stderr.strip() or done.stdout.strip() or f"lp exit {done.returncode}"
        if "does not exist" in message or "not exist" in message.lower():
            raise PrinterError("slip.printer.not_configured", printer=printer)
        raise PrinterError("slip.printer.failed", printer=printer, reason=message[:200])
    return done.stdout.strip()
