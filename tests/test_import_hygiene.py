"""The import rules of DESIGN.md ('Shape'), checked in fresh processes and by import-linter."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CORE = ["outreach_tui.domain", "outreach_tui.store", "outreach_tui.slips", "sync"]


def _modules_after_import(module: str) -> set[str]:
    """Import `module` (and all its submodules) in a fresh interpreter; list what got loaded."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"pkg = importlib.import_module({module!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", CORE)
def test_core_never_loads_textual(module: str) -> None:
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert "outreach_tui.app" not in loaded
    assert not {m for m in loaded if m.startswith(("outreach_tui.screens", "outreach_tui.widgets"))}


def test_domain_imports_nothing_of_the_project() -> None:
    loaded = _modules_after_import("outreach_tui.domain")
    project = {m for m in loaded if m.startswith(("outreach_tui.", "sync"))}
    assert project and all(m.startswith("outreach_tui.domain") for m in project), project
    assert "sqlite3" not in loaded and "sqlcipher3" not in loaded


def test_sync_does_not_reach_into_the_store() -> None:
    loaded = _modules_after_import("sync")
    assert not {m for m in loaded if m.startswith("outreach_tui.store")}


def test_import_linter_contracts() -> None:
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is part of the test extras"
    result = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
