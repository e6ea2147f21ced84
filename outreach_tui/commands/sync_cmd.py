"""`outreach sync`: push every local change, then pull what the central API learned."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import click

from outreach_tui.commands.common import Context, device_token, fail, pass_context
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from outreach_tui.sync_run import duplicate_text, keep_less, make_client, summary_text
from sync.client import SyncConfig, SyncError, SyncSummary

# Exit codes: 0 everything acknowledged; 1 items set aside (rejected, conflict, duplicate
# NIK) or changes left; 2 not configured; 3 server unreachable or busy; 4 token refused.
EXIT_SET_ASIDE, EXIT_CONFIG, EXIT_UNREACHABLE, EXIT_TOKEN = 1, 2, 3, 4
_EXIT_FOR = {
    "sync.unreachable": EXIT_UNREACHABLE,
    "sync.server_busy": EXIT_UNREACHABLE,
    "sync.token_refused": EXIT_TOKEN,
    "sync.forbidden": EXIT_TOKEN,
    "sync.insecure_url": EXIT_CONFIG,
    "sync.tls_failed": EXIT_UNREACHABLE,
    "sync.redirect_refused": EXIT_CONFIG,
}


class _Reporter:
    """Progress with counts and rate: a bar on a terminal, plain lines otherwise."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last_line = 0.0
        self.bar: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        if self.tty:
            self._bar(phase, done, total)
        elif done == total or time.monotonic() - self.last_line >= 1.0:
            self.last_line = time.monotonic()
            click.echo(
                self.ctx.t(
                    "sync.progress",
                    phase=self.ctx.t("sync.phase." + phase),
                    done=done,
                    total=total,
                    rate=f"{rate:,.0f}",
                ),
                err=True,
            )

    def _bar(self, phase: str, done: int, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        if self.bar is None:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}/s"),
                transient=False,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.ctx.t("sync.phase." + phase), total=total, rate="0")
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.bar.update(
            self.task,
            completed=done,
            total=max(total, done),
            description=self.ctx.t("sync.phase." + phase),
            rate=f"{done / elapsed:,.0f}",
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("sync")
@click.option("--server", "server_url", default=None, help="Central API URL (default: from setup).")
@click.option("--token", default=None, help="Device token (default: from setup).")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 1000),
    default=500,
    show_default=True,
    help="Changes per request.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 600),
    default=60,
    show_default=True,
    help="Seconds to wait for one answer before retrying.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=5,
    show_default=True,
    help="Retries of one request on network errors, timeouts, 429 and 5xx.",
)
@click.option(
    "--recover",
    is_flag=True,
    help="Also bring back this officer's own records the laptop lacks (a restored or new "
    "laptop); never overwrites a newer local version.",
)
@pass_context
def sync_command(
    ctx: Context,
    server_url: str | None,
    token: str | None,
    batch_size: int,
    timeout: float,
    retries: int,
    recover: bool,
) -> None:
    """Send every local change to the central API, then fetch KPJ numbers and flags.

    Exit 0 only when every local change is acknowledged; 1 when items were set aside
    (rejected, conflict, duplicate NIK) or changes remain; 2 when no server or token is
    configured; 3 when the server cannot be reached; 4 when the token is refused.
    """
    settings = ctx.settings
    url = (server_url or settings.server_url).strip()
    tok = (token or device_token(ctx)).strip()
    if not url:
        fail("sync.no_server", code=EXIT_CONFIG)
    try:
        url = check_server_url(url)
    except ServerUrlError as exc:
        fail(exc.code, code=EXIT_CONFIG, field="--server" if server_url else "server_url")
    if not tok:
        fail("sync.no_token", code=EXIT_CONFIG)
    ca_file = settings.ca_file
    if ca_file and not Path(ca_file).is_file():
        fail("ca_file.missing", code=EXIT_CONFIG, path=ca_file)
    config = SyncConfig(
        url, tok, batch_size=batch_size, read_timeout=timeout, retries=retries, ca_file=ca_file
    )
    reporter = _Reporter(ctx)
    with ctx.store() as store:
        client = make_client(
            store, config, paths=ctx.paths, data_key=ctx.data_key, progress=reporter
        )
        forgets = len(store.pending_forgets())
        try:
            summary = client.run()
            if recover:
                since = dt.date.today() - dt.timedelta(days=settings.retention_days)
                recovered = client.recover(since=since.isoformat())
        except SyncError as exc:
            reporter.close()
            remaining = store.unsent_count()
            click.echo(ctx.t("sync.kept", remaining=remaining), err=True)
            fail(exc.code, code=_EXIT_FOR.get(exc.code, EXIT_SET_ASIDE), detail=exc.detail)
        reporter.close()
        waiting = store.set_aside() if summary.set_aside_total else []
        left = len(store.pending_forgets())
        purged = keep_less(store, settings.retention_days)
    _print_summary(ctx, summary, waiting)
    if recover:
        click.echo(ctx.t("sync.recovered", **recovered))
    if purged:
        click.echo(ctx.t("sync.purged", count=purged, days=settings.retention_days))
    if forgets:
        click.echo(ctx.t("sync.summary.forgotten", sent=forgets - left, pending=left))
    raise SystemExit(0 if summary.complete else EXIT_SET_ASIDE)


def _print_summary(ctx: Context, summary: SyncSummary, waiting: list[dict[str, Any]]) -> None:
    click.echo(summary_text(summary, ctx.lang))
    for item in summary.set_aside:
        _set_aside_line(ctx, item["kind"], item, item["status"])
    this_run = {item["id"] for item in summary.set_aside}
    earlier = [row for row in waiting if row["id"] not in this_run]
    for row in earlier[:50]:
        _set_aside_line(ctx, "record", row, row["sync_state"])
    if len(earlier) > 50:
        click.echo(ctx.t("sync.more_set_aside", count=len(earlier) - 50), err=True)


def _reason(ctx: Context, reason: dict[str, Any]) -> str:
    """A server reason (field: message), or a supervisor's note (who sent it back, the words)."""
    code = str(reason.get("code") or "")
    if code.startswith("review."):
        return f"{ctx.t(code, by=reason.get('by') or '-')}: {reason.get('message') or '-'}"
    return f"{reason.get('field')}: {reason.get('message')}"


def _set_aside_line(ctx: Context, kind: str, item: dict[str, Any], status: str) -> None:
    """One line on stderr for a record or visit set aside, with its reasons."""
    reasons = "; ".join(_reason(ctx, r) for r in item.get("reasons") or [])
    if item.get("duplicate_of"):
        reasons = reasons or duplicate_text(item["duplicate_of"], ctx.lang)
    click.echo(
        ctx.t(
            "sync.set_aside_line",
            kind=ctx.t("sync.kind." + kind),
            id=item["id"],
            version=item["version"],
            status=ctx.t("sync.status." + status),
            reasons=reasons or "-",
        ),
        err=True,
    )
