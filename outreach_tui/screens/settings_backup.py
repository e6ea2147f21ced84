"""The settings screen's backup and restore: the work behind `widgets/backup_panel.py`.

A backup runs in a thread worker on the thread's own store connection (SQLite's online backup
API: a consistent copy while the app keeps working). A restore closes the store first (the
session locks), replaces this laptop's data (the old files are kept aside) and then asks for
the restored laptop's passphrase on the unlock screen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import work

from outreach_tui.domain.i18n import os_reason
from outreach_tui.safefile import OutputRefused, check_output, laptop_protected
from outreach_tui.session import Locked
from outreach_tui.store.backup import LAST_BACKUP_META, BackupError, write_backup
from outreach_tui.widgets.backup_panel import BackupPanel

if TYPE_CHECKING:
    from outreach_tui.screens.base import OutreachScreen as _Screen
else:
    _Screen = object


class BackupActions(_Screen):
    """Mixed into the settings screen: handles the panel's messages."""

    def on_backup_panel_backup(self, message: BackupPanel.Backup) -> None:
        """Back up into the folder the officer gave (checked: never into the keys)."""
        panel = self.query_one(BackupPanel)
        folder = Path(message.folder or self.session.paths.data_dir / "backups").expanduser()
        try:
            check_output(folder / "x", **laptop_protected(self.session.paths))
        except OutputRefused as exc:
            panel.say(self.t(exc.code, option=self.t("settings.backup_folder")), error=True)
            return
        panel.say(self.t("settings.backup_working"))
        self._backup(folder)

    @work(thread=True, exclusive=True, group="backup")
    def _backup(self, folder: Path) -> None:
        now = dt.datetime.now().astimezone()
        try:
            store = self.session.open_thread_store(short_lived=True)
        except Locked:
            return
        try:
            info = write_backup(
                store.db.conn, self.session.paths, self.session.data_key, folder,
                officer_id=self.session.officer_id, now=now,
            )  # fmt: skip
            store.set_meta(LAST_BACKUP_META, now.astimezone(dt.UTC).isoformat(timespec="seconds"))
            text = self.t("backup.written", path=str(info.path), records=info.records)
            error = False
        except BackupError as exc:
            text, error = self.t(exc.code, **exc.params), True
        except OSError as exc:
            reason = os_reason(exc, self.session.lang)
            text, error = self.t("output.write_failed", path=str(folder), reason=reason), True
        finally:
            store.close()
        self.app.call_from_thread(self.query_one(BackupPanel).say, text, error=error)

    def on_backup_panel_restore(self, message: BackupPanel.Restore) -> None:
        """Restore a backup over this laptop's data (kept aside), then unlock again."""
        panel = self.query_one(BackupPanel)
        if not message.file or not message.passphrase:
            panel.say(self.t("form.fix_errors"), error=True)
            return
        panel.say(self.t("settings.restore_working"))
        self.session.lock()  # the store must be closed before its file is replaced
        self._restore(Path(message.file).expanduser(), message.passphrase)

    @work(thread=True, exclusive=True, group="backup")
    def _restore(self, file: Path, passphrase: str) -> None:
        from outreach_tui.vault import VaultDamaged, WrongPassphrase
        from outreach_tui.vault.restore import restore_backup

        try:
            done = restore_backup(self.session.paths, file, passphrase, replace=True)
            text, ok = self.t("restore.done", records=done.records, path=str(file)), True
        except BackupError as exc:
            text, ok = self.t(exc.code, **exc.params), False
        except WrongPassphrase as exc:
            text, ok = self.t("vault.wrong_passphrase", failures=exc.failures), False
        except VaultDamaged:
            text, ok = self.t("backup.damaged"), False
        self.app.call_from_thread(self._restored, text, ok)

    def _restored(self, text: str, ok: bool) -> None:
        """Whatever happened, the store is closed now: unlock again (the restored one if ok)."""
        self.app.notify(text, severity="information" if ok else "error")
        cast(Any, self.app).action_lock()
