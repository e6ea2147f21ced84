"""Personal data never travels in clear or to a host nobody configured (issue 10, transport).

The real `outreach server run` serves HTTPS on loopback with certificates made here; a real
laptop (the CLI on an encrypted store) syncs through it. Refusals happen before any connection.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from outreach_tui.cli import main
from outreach_tui.config import load_settings, resolve_paths
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from sync.client import SyncClient, SyncConfig, SyncError
from sync.server import open_central
from tests.conftest import cli_setup, unlocked_store

from .helpers import write_csv

# --- certificates made in the test ---------------------------------------------------------


@dataclass
class Pki:
    """A CA and server certificates signed by it, as PEM files in a folder."""

    ca: Path
    cert: Path
    key: Path
    wrong_host_cert: Path
    wrong_host_key: Path
    self_signed_cert: Path
    self_signed_key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    sans: list[x509.GeneralName],
    ca: bool = False,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    issuer_name, issuer_key = issuer or (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A branch CA, a server certificate for 127.0.0.1/localhost, and two bad ones."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate("Kantor Cabang Uji CA", ca_key, None, [], ca=True)
    loopback = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]
    paths = {}
    for label, sans, signed in (
        ("server", loopback, True),
        ("wrong-host", [x509.DNSName("pusat.example")], True),
        ("self-signed", loopback, False),
    ):
        key = ec.generate_private_key(ec.SECP256R1())
        issuer = (ca_cert.subject, ca_key) if signed else None
        cert = _certificate(f"{label}.uji", key, issuer, sans)
        (folder / f"{label}.pem").write_bytes(_pem(cert))
        _write_key(folder / f"{label}.key", key)
        paths[label] = (folder / f"{label}.pem", folder / f"{label}.key")
    (folder / "ca.pem").write_bytes(_pem(ca_cert))
    return Pki(
        ca=folder / "ca.pem",
        cert=paths["server"][0],
        key=paths["server"][1],
        wrong_host_cert=paths["wrong-host"][0],
        wrong_host_key=paths["wrong-host"][1],
        self_signed_cert=paths["self-signed"][0],
        self_signed_key=paths["self-signed"][1],
    )


# --- the real server over TLS --------------------------------------------------------------


@contextmanager
def https_server(db: Path, cert: Path, key: Path) -> Iterator[str]:
    """`outreach server run --tls-cert --tls-key` in a subprocess; yields its https URL."""
    env = {**os.environ, "OUTREACH_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", str(db),
         "--port", "0", "--tls-cert", str(cert), "--tls-key", str(key)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(https://127\.0\.0\.1:\d+)", line)
        assert match, (line, proc.stderr.read() if proc.poll() is not None else "")
        yield match.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _device(db: Path) -> str:
    assert CliRunner().invoke(main, ["server", "migrate", "--db", str(db)]).exit_code == 0
    result = CliRunner().invoke(
        main,
        ["server", "add-device", "--db", str(db), "--officer-id", "p1", "--branch", "KC-BOGOR",
         "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return str(__import__("json").loads(result.stdout)["token"])


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _central_count(db: Path) -> int:
    storage = open_central(db)
    try:
        return sum(1 for _ in storage.current_records())
    finally:
        storage.close()


def _laptop(tmp_path: Path, url: str, token: str) -> None:
    assert cli_setup(url, token).exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0


def _outbox(home: Path) -> int:
    store = unlocked_store(home)
    try:
        return int(store.outbox_size())
    finally:
        store.close()


def test_sync_over_https_with_the_branch_ca(pki: Pki, tmp_path: Path, isolated_home: Path) -> None:
    """With the branch's CA the laptop syncs over TLS; the server prints an https URL."""
    db = tmp_path / "central.db"
    token = _device(db)
    with https_server(db, pki.cert, pki.key) as url:
        assert url.startswith("https://")
        _laptop(tmp_path, url, token)
        setup = _run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch",
                     "KC-BOGOR", "--ca-file", str(pki.ca))  # fmt: skip
        assert setup.exit_code == 0, setup.output
        kept = Path(load_settings(resolve_paths()).ca_file)
        assert kept.parent == isolated_home / "config" and kept.read_bytes() == pki.ca.read_bytes()
        result = _run("sync")
        assert result.exit_code == 0, result.output
    assert _central_count(db) == 2
    assert _outbox(isolated_home) == 0


def test_an_unknown_ca_is_refused_and_the_outbox_kept(
    pki: Pki, tmp_path: Path, isolated_home: Path
) -> None:
    """Without --ca-file the system trust store does not know the branch CA: nothing is sent."""
    db = tmp_path / "central.db"
    token = _device(db)
    with https_server(db, pki.cert, pki.key) as url:
        _laptop(tmp_path, url, token)
        result = _run("sync")
    assert result.exit_code == 3
    assert "Sertifikat server pusat tidak dapat dipercaya" in result.output
    assert "--ca-file" in result.output
    assert _central_count(db) == 0
    assert _outbox(isolated_home) > 0


@pytest.mark.parametrize("which", ["self_signed", "wrong_host"])
def test_self_signed_or_wrong_host_certificates_are_refused(
    which: str, pki: Pki, tmp_path: Path, isolated_home: Path
) -> None:
    """Even with the branch CA trusted: a self-signed or another host's certificate fails."""
    db = tmp_path / "central.db"
    token = _device(db)
    cert, key = getattr(pki, f"{which}_cert"), getattr(pki, f"{which}_key")
    with https_server(db, cert, key) as url:
        _laptop(tmp_path, url, token)
        assert _run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch",
                    "KC-BOGOR", "--ca-file", str(pki.ca)).exit_code == 0  # fmt: skip
        result = _run("sync")
    assert result.exit_code == 3, result.output
    expected = "self-signed" if which == "self_signed" else "another host"
    assert expected in result.output
    assert _central_count(db) == 0
    assert _outbox(isolated_home) > 0


# --- plain HTTP beyond loopback: refused before any connection ----------------------------

FAR = "http://203.0.113.7:8000"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        (FAR, "server_url.plain_http"),
        ("http://10.0.0.5", "server_url.plain_http"),
        ("http://pusat.example", "server_url.plain_http"),
        ("ftp://pusat.example", "server_url.scheme"),
        ("https://user:rahasia@pusat.example", "server_url.credentials"),
        ("https://pusat.example/?a=1", "server_url.query"),
        ("https://", "server_url.malformed"),
        ("https://pusat.example:99999", "server_url.malformed"),
        ("https://pusat example", "server_url.malformed"),
    ],
)
def test_the_url_rule(url: str, code: str) -> None:
    """One rule names what is wrong with each address."""
    with pytest.raises(ServerUrlError) as caught:
        check_server_url(url)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.8.9.10", "http://localhost:8000/", "http://[::1]:80",
     "https://pusat.example", "https://203.0.113.7:8443", ""],
)  # fmt: skip
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    """The demo and the tests keep plain HTTP on this machine; https goes anywhere."""
    assert check_server_url(url) == url.rstrip("/")


def test_setup_refuses_plain_http_beyond_loopback(isolated_home: Path) -> None:
    """`outreach setup --server http://…` names the rule and saves nothing."""
    result = cli_setup(FAR, "tok")
    assert result.exit_code == 2
    assert "--server: data peserta tidak boleh dikirim tanpa enkripsi" in result.output
    assert not (isolated_home / "config" / "config.toml").exists()


def test_sync_refuses_plain_http_beyond_loopback(isolated_home: Path) -> None:
    """`outreach sync --server http://…` stops before connecting; nothing leaves the laptop."""
    assert cli_setup("http://127.0.0.1:9", "tok").exit_code == 0
    result = _run("sync", "--server", FAR)
    assert result.exit_code == 2
    assert "--server: data peserta tidak boleh dikirim tanpa enkripsi" in result.output


def test_a_hand_edited_settings_file_cannot_send_in_clear(isolated_home: Path) -> None:
    """A config.toml edited by hand with an http:// address is refused as invalid."""
    assert cli_setup("http://127.0.0.1:9", "tok").exit_code == 0
    config = isolated_home / "config" / "config.toml"
    config.write_text(config.read_text().replace("http://127.0.0.1:9", FAR))
    result = _run("sync")
    assert result.exit_code == 2
    assert "server_url" in result.output


def test_the_client_itself_refuses_an_insecure_url() -> None:
    """Defence in depth: the sync client will not even build a session for such a URL."""
    with pytest.raises(SyncError) as caught:
        SyncClient(store=None, config=SyncConfig(FAR, "tok"))  # type: ignore[arg-type]
    assert caught.value.code == "sync.insecure_url"


def test_setup_refuses_a_ca_file_that_is_not_a_certificate(tmp_path: Path) -> None:
    """--ca-file must be PEM certificates; the settings stay as they were."""
    junk = tmp_path / "ca.pem"
    junk.write_text("bukan sertifikat\n")
    result = _run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch",
                  "KC-BOGOR", "--ca-file", str(junk))  # fmt: skip
    assert result.exit_code == 2
    assert "--ca-file" in result.output and "PEM" in result.output
    assert load_settings(resolve_paths()).ca_file == ""


# --- redirects are never followed ----------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Counts what reaches the second host."""

    received: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append(self.rfile.read(length))
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        """Quiet."""


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_redirect_is_never_followed(tmp_path: Path, isolated_home: Path) -> None:
    """A server answering 307 to another host gets an error; the other host gets nothing."""

    class Recorder(_Recorder):
        received: list[bytes] = []

    with _serve(Recorder) as elsewhere:

        class Redirect(BaseHTTPRequestHandler):
            def _redirect(self) -> None:
                self.send_response(307)
                self.send_header("Location", elsewhere + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _redirect

            def log_message(self, *args: object) -> None:
                """Quiet."""

        with _serve(Redirect) as url:
            _laptop(tmp_path, url, "tok")
            result = _run("sync")
            probe = requests.get(url + "/v1/health", allow_redirects=False, timeout=5)
    assert probe.status_code == 307  # the redirecting server really redirects
    assert result.exit_code == 2, result.output
    assert "pengalihan" in result.output
    assert Recorder.received == []
    assert _outbox(isolated_home) > 0


# --- the server's own TLS options ----------------------------------------------------------


def test_server_run_needs_both_tls_files(pki: Pki, tmp_path: Path) -> None:
    """--tls-cert without --tls-key (or a key of another certificate) stops, serving nothing."""
    db = tmp_path / "central.db"
    only = _run("server", "run", "--db", str(db), "--port", "0", "--tls-cert", str(pki.cert))
    assert only.exit_code == 2 and "--tls-key" in only.output
    mismatch = _run("server", "run", "--db", str(db), "--port", "0",
                    "--tls-cert", str(pki.cert), "--tls-key", str(pki.wrong_host_key))  # fmt: skip
    assert mismatch.exit_code == 2 and "--tls-cert/--tls-key" in mismatch.output
    assert not db.exists()


def test_no_code_turns_certificate_checks_off_or_follows_redirects() -> None:
    """A guard on the whole code base: verification always on, redirects never followed."""
    import outreach_tui
    from sync.client import make_session

    root = Path(outreach_tui.__file__).parent.parent
    for path in [*(root / "outreach_tui").rglob("*.py"), *(root / "sync").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"verify\s*=\s*False", text), path
        assert not re.search(r"allow_redirects\s*=\s*True", text), path
    session = make_session(SyncConfig("https://pusat.example", "tok"))
    assert session.verify is True and session.max_redirects == 0 and not session.trust_env
    with_ca = make_session(SyncConfig("https://pusat.example", "tok", ca_file="/x/ca.pem"))
    assert with_ca.verify == "/x/ca.pem"


def test_the_console_cookie_is_secure_over_tls(pki: Pki, tmp_path: Path) -> None:
    """Served over TLS, the console's session cookie is Secure, HttpOnly and SameSite=Strict,
    and a setup code turns into a token over the same TLS connection."""
    import requests

    from sync.server.console.store import ConsoleStore, Staff

    db = tmp_path / "central.db"
    _device(db)
    storage = open_central(db)
    try:
        console = ConsoleStore(storage)
        code = console.add_staff("KC-BOGOR", "dewi", "admin", by="test")
        console.set_password("dewi", code, "kata-sandi-cabang-panjang")
        setup_code = console.new_setup_code(Staff("dewi", "KC-BOGOR", "admin"), "p9")
    finally:
        storage.close()
    with https_server(db, pki.cert, pki.key) as url:
        signed = requests.post(
            f"{url}/console/signin", data={"username": "dewi", "password":
                                           "kata-sandi-cabang-panjang"},
            verify=str(pki.ca), allow_redirects=False, timeout=10,
        )  # fmt: skip
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
        device = requests.post(f"{url}/v1/setup", json={"code": setup_code},
                               verify=str(pki.ca), timeout=10)  # fmt: skip
        assert device.status_code == 200 and device.json()["officer_id"] == "p9"
