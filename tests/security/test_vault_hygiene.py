"""The vault is core code: it never loads Textual (the TUI builds on it, not the reverse)."""

from __future__ import annotations

from tests.test_import_hygiene import _modules_after_import


def test_vault_never_loads_textual() -> None:
    loaded = _modules_after_import("outreach_tui.vault")
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert not {m for m in loaded if m.startswith(("outreach_tui.screens", "outreach_tui.widgets"))}
