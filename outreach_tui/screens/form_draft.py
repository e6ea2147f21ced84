"""The record form's draft: unsaved entries kept in the encrypted store, restored on reopening.

`draft.form` for a new person, `draft.form.<id>` for an edit; written a second after the last
change and when the form closes (quit, lock, crash handler), removed once saved or discarded.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from outreach_tui.session import Locked

DRAFT_KEY = "draft.form"


class FormDraft:
    """Mixin of `RecordFormScreen`: needs record_id, stored, version, values, initial,
    from_nik, done, _draft_timer, session, t, notify and _apply."""

    record_id: str | None
    stored: dict[str, Any] | None
    version: int | None
    values: dict[str, Any]
    initial: dict[str, Any]
    from_nik: dict[str, str]
    done: bool
    _draft_timer: Any
    session: Any

    @property
    def draft_key(self) -> str:
        """Where this form's draft lives in the store's meta table."""
        return DRAFT_KEY if self.record_id is None else f"{DRAFT_KEY}.{self.record_id}"

    def restore_draft(self) -> None:
        """Put back what an earlier run left unsaved (and say so)."""
        raw = self.session.store.get_meta(self.draft_key)
        draft = json.loads(raw) if raw else None
        if draft and draft.get("values") and draft["values"] != self.initial:
            self.from_nik = dict(draft.get("from_nik") or {})
            if self.stored is not None and draft.get("version"):
                self.version = int(draft["version"])  # a change made since shows as stale
            self._apply(draft["values"])  # type: ignore[attr-defined]
            self.notify(self.t("form.draft_restored"))  # type: ignore[attr-defined]

    def write_draft(self) -> None:
        """Keep unsaved entries in the encrypted store (removed when nothing differs)."""
        if self.done:
            return
        dirty = self.values != self.initial
        draft = {
            "record_id": self.record_id,
            "version": self.version,
            "values": self.values,
            "from_nik": self.from_nik,
        }
        # Locked meanwhile: the next change or closing the form writes it.
        with contextlib.suppress(Locked):
            self.session.store.set_meta(self.draft_key, json.dumps(draft) if dirty else None)

    def on_unmount(self) -> None:
        """Closing without saving (quit, crash handler, lock) still leaves the draft."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.write_draft()

    def _forget_draft(self) -> None:
        self.done = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.session.store.set_meta(self.draft_key, None)
