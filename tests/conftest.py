"""Shared fixtures: every test runs with its own OUTREACH_HOME and never sees the developer's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point OUTREACH_HOME at a fresh folder; English/Indonesian left at the default."""
    home = tmp_path / "outreach-home"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    monkeypatch.delenv("OUTREACH_LANG", raising=False)
    monkeypatch.delenv("OUTREACH_PASSPHRASE", raising=False)
    return home
