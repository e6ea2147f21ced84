"""`outreach demo`: a sample laptop and a local central API, to try everything at once.

The demo lives in its own folder (OUTREACH_HOME of its own), so it never touches an officer's
real data: settings, a data key under a printed passphrase, a few hundred people of one real
desa with visits and follow-ups, and a central API database. The central API runs on
loopback while the TUI is open and stops with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
import platformdirs

from outreach_tui.commands.common import Context, fail, pass_context
from outreach_tui.config import (
    APP_NAME,
    HOME_ENV,
    Paths,
    Settings,
    load_settings,
    resolve_paths,
    save_settings,
)
from outreach_tui.safefile import private_folder
from outreach_tui.session import TOKEN_META

DEMO_PASSPHRASE = "demo-outreach-2026"
PASSPHRASE_ENV = "OUTREACH_PASSPHRASE"
DEMO_AREA = "32.01.01.1006"  # Kelurahan Cibinong, Kecamatan Cibinong, Kabupaten Bogor
DEMO_OFFICER = ("demo-001", "Dewi Lestari", "KC-BOGOR")
DEMO_STAFF = "kepala"  # the branch console's admin in the demo (password: the passphrase)
MARKER = "OUTREACH-DEMO.txt"  # only a folder holding this is ever deleted by --reset
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class DemoHome:
    """Where a demo lives: its own paths and the central API's database."""

    root: Path

    @property
    def paths(self) -> Paths:
        """The demo laptop's folders (as if OUTREACH_HOME pointed here)."""
        return resolve_paths({HOME_ENV: str(self.root)})

    @property
    def central_db(self) -> Path:
        """The demo central API's database."""
        return self.root / "central" / "central.db"


def default_home() -> Path:
    """A `demo` folder under the user's data folder, apart from any real data."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "demo"


def prepare(home: DemoHome, passphrase: str, *, count: int, seed: int, today: date) -> bool:
    """Set the demo laptop up once (settings, keys, sample people, device token).

    Returns False when it was already prepared (nothing is changed then).
    """
    from outreach_tui.sampledata.fill import fill_groups, fill_store
    from outreach_tui.slips.keys import ensure_device_key, new_device_id
    from outreach_tui.vault import Vault, open_unlocked_store
    from sync.server import open_central
    from sync.server.auth import issue_device
    from sync.server.central import utc_stamp
    from sync.server.console.store import ConsoleStore, Refused

    paths = home.paths
    vault = Vault(paths)
    if vault.exists():
        return False
    private_folder(home.root)  # 0700, as every home of the tool
    (home.root / MARKER).write_text(
        "A demo of outreach made by `outreach demo`; `outreach demo --reset` deletes it.\n",
        encoding="utf-8",
    )
    officer_id, officer_name, branch = DEMO_OFFICER
    settings = Settings(
        officer_id=officer_id,
        officer_name=officer_name,
        branch=branch,
        area_code=DEMO_AREA,
        area_rw="003",
        area_rt="002",
        monthly_target=40,
        sync_interval_minutes=2,
    )
    data_key = vault.create(passphrase)
    save_settings(paths, settings)
    ensure_device_key(paths, data_key=data_key, device_id=new_device_id())
    central = open_central(home.central_db)
    try:
        token = issue_device(central, officer_id, branch, at=utc_stamp()).token
        # The branch console's admin, signed in with the demo passphrase.
        console = ConsoleStore(central)
        code = console.add_staff(branch, DEMO_STAFF, "admin", by="demo")
        with contextlib.suppress(Refused):  # a passphrase too short for a staff password
            console.set_password(DEMO_STAFF, code, passphrase)
    finally:
        central.close()
    with open_unlocked_store(paths, data_key) as store:
        store.set_meta(TOKEN_META, token)
        fill_store(
            store, count=count, seed=seed, today=today, area=DEMO_AREA, officer_id=officer_id
        )
        fill_groups(store, today=today, area=DEMO_AREA, officer_id=officer_id, seed=seed)
    return True


@contextlib.contextmanager
def serve_central(db_path: Path, *, port: int = 0) -> Iterator[str]:
    """Run the central API on 127.0.0.1 in a thread; yields its URL, stops when the block ends."""
    import requests
    import uvicorn

    from sync.server import ServerSettings, create_app, open_central

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    storage = open_central(db_path)
    app = create_app(storage, settings=ServerSettings())
    config = uvicorn.Config(app, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)  # not the main thread: no signal handlers installed
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="demo-central-api", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            with contextlib.suppress(requests.RequestException):
                if (
                    requests.get(f"{url}/v1/health", timeout=1, allow_redirects=False).status_code
                    == 200
                ):
                    break
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the demo central API did not start")
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        storage.close()


def point_at(home: DemoHome, url: str) -> None:
    """Point the demo laptop's settings at the running central API."""
    paths = home.paths
    settings = load_settings(paths).model_copy(update={"server_url": url})
    save_settings(paths, Settings.model_validate(settings.model_dump()))


@click.command("demo")
@click.option(
    "--home",
    "home_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the demo (default: a 'demo' folder under the user's data folder).",
)
@click.option("--count", type=click.IntRange(1, 100_000), default=300, show_default=True,
              help="Sample people to create.")  # fmt: skip
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the sample data.")
@click.option("--reset", is_flag=True, help="Delete the demo folder first and start over.")
@click.option("--no-tui", is_flag=True, help="Only prepare the demo (for scripts and tests).")
@pass_context
def demo(
    ctx: Context, home_dir: Path | None, count: int, seed: int, reset: bool, no_tui: bool
) -> None:
    """Try the tool: a sample store in a real desa and a local central API, sync included.

    Never touches real data: the demo has its own folder. The passphrase is printed (or
    taken from OUTREACH_PASSPHRASE). The central API listens on 127.0.0.1 while the TUI is
    open and stops when it closes.
    """
    home = DemoHome((home_dir or default_home()).expanduser().resolve())
    if reset and home.root.exists():
        if not (home.root / MARKER).is_file():
            fail("demo.not_demo", code=2, path=str(home.root))
        shutil.rmtree(home.root)
    passphrase = os.environ.get(PASSPHRASE_ENV) or DEMO_PASSPHRASE
    if home.root.exists() and any(home.root.iterdir()) and not (home.root / MARKER).is_file():
        fail("demo.not_demo", code=2, path=str(home.root))
    click.echo(ctx.t("demo.preparing", path=str(home.root)))
    created = prepare(home, passphrase, count=count, seed=seed, today=date.today())
    click.echo(ctx.t("demo.created" if created else "demo.reused", path=str(home.root)))
    click.echo(ctx.t("demo.passphrase", passphrase=passphrase))
    if no_tui:
        click.echo(ctx.t("demo.prepared", home=str(home.root)))
        return
    with serve_central(home.central_db) as url:
        point_at(home, url)
        click.echo(ctx.t("demo.server", url=url))
        click.echo(ctx.t("demo.console", url=f"{url}/console/", username=DEMO_STAFF))
        hint = (
            ctx.t("demo.passphrase", passphrase=passphrase) if passphrase == DEMO_PASSPHRASE else ""
        )
        _run_tui(home, hint)
    click.echo(ctx.t("demo.stopped"))


def _run_tui(home: DemoHome, hint: str) -> None:
    """Open the TUI on the demo laptop (asks for the printed passphrase)."""
    from outreach_tui.app import make_app
    from outreach_tui.session import Session

    os.environ[HOME_ENV] = str(home.root)  # anything resolving paths later finds the demo
    make_app(Session.load(home.paths, unlock_hint=hint)).run()
