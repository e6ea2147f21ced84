"""The branch's own certificate authority: a PEM file the laptop trusts for the central API.

A branch that runs the central API with a certificate from its own CA gives officers that
CA's certificate; `outreach setup --ca-file FILE` checks it and keeps a copy in the config
folder, so the file can be removed from the USB stick it came on. The sync client then
verifies the server against it (and nothing else). No Textual here.
"""

from __future__ import annotations

from pathlib import Path

from outreach_tui.config import Paths
from outreach_tui.safefile import atomic_write_bytes

CA_FILE_NAME = "server-ca.pem"
MAX_CA_BYTES = 256 * 1024  # a bundle of a few hundred certificates at most


class CaFileError(Exception):
    """The CA file cannot be used; `code` is a translation key, `params` its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def read_ca_file(source: Path) -> bytes:
    """The PEM certificates of `source`, checked: readable, bounded, at least one certificate."""
    from cryptography import x509

    try:
        if not source.is_file():
            raise CaFileError("ca_file.unreadable", reason="not a regular file")
        with source.open("rb") as handle:
            data = handle.read(MAX_CA_BYTES + 1)
    except OSError as exc:
        raise CaFileError("ca_file.unreadable", reason=exc.strerror or type(exc).__name__) from None
    if len(data) > MAX_CA_BYTES:
        raise CaFileError("ca_file.too_large", limit=MAX_CA_BYTES // 1024)
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CaFileError("ca_file.not_pem") from None
    if not certificates:
        raise CaFileError("ca_file.not_pem")
    return data


def install_ca_file(paths: Paths, source: Path) -> Path:
    """Check `source` and keep a copy in the config folder (atomically); its path."""
    data = read_ca_file(source)
    paths.ensure()
    target = paths.config_dir / CA_FILE_NAME
    atomic_write_bytes(target, data)
    return target
